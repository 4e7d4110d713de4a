# The column site's commands. Run from a fresh clone: `make build`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Material prints a banner about MkDocs 2.0 on every run; staff need only their own messages.
export NO_MKDOCS_2_WARNING := 1

.PHONY: build serve test coverage clean

build: $(VENV)/.runtime
	$(BIN)/mkdocs build

serve: $(VENV)/.runtime
	$(BIN)/mkdocs serve

# The auditors' command: verdicts per quarter without building the site (exit 1 if a quarter is missing).
# FORMAT=text|json|csv|markdown, AS_OF=YYYY-MM-DD.
coverage: $(VENV)/.runtime
	@$(BIN)/python -m hooks.coverage --format $(or $(FORMAT),text) $(if $(AS_OF),--as-of $(AS_OF))

test: $(VENV)/.tests
	$(BIN)/python -m pytest

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.tests: $(VENV)/.runtime requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

clean:
	rm -rf site $(VENV)
