# The column site's commands. Run from a fresh clone: `make build`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PROPERDOCS_VENV := .venv-properdocs
# apt-get needs root; elsewhere sudo is asked for.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
# Material prints a banner about MkDocs 2.0 on every run; staff need only their own messages.
export NO_MKDOCS_2_WARNING := 1

.PHONY: build serve write vendor-editor check test post coverage district district-site bench bench-district bench-photos lighthouse clean browser documents

# The same strict build as the Pages workflow: any mistake in a post stops it, in Vietnamese.
build: $(VENV)/.runtime
	@$(BIN)/python -m hooks.site build; $(QUIET_FAIL)

# Live preview at http://127.0.0.1:8000/: a saved post rebuilds only the pages it reaches (hooks/preview.py).
serve: $(VENV)/.runtime
	@$(BIN)/python -m hooks.site serve; $(QUIET_FAIL)

# The browser editor at http://127.0.0.1:8000/admin/ (hooks/write.py): decap-server (git mode) and
# make serve together, both on 127.0.0.1; Ctrl+C stops both. PORT=8000, PROXY_PORT=8081.
write: $(VENV)/.runtime node_modules/.editor
	@$(BIN)/python -m hooks.write $(if $(PORT),--port $(PORT)) $(if $(PROXY_PORT),--proxy-port $(PROXY_PORT))

# Re-extracts the vendored editor (editor/decap-cms.js, published at /admin/) from the pinned npm
# package in node_modules (a devDependency: make write never needs it); tests/test_editor.py checks
# the committed file against it. Decap's package carries no LICENSE file: the monorepo's MIT
# licence comes with decap-server.
vendor-editor: node_modules/.installed
	cp node_modules/decap-cms/dist/decap-cms.js node_modules/decap-cms/dist/decap-cms.js.LICENSE.txt editor/
	cp node_modules/decap-server/LICENSE editor/LICENSE
	sha256sum editor/decap-cms.js

# A new post, as a draft dated today: make post TITLE="Tiêu đề bài viết" (quotes in the title are
# fine: make hands TITLE to the command in its environment, not on a shell command line).
post: $(VENV)/.runtime
	@$(BIN)/python -m hooks.new_post

# A verdict that something is missing is the command's answer, not a crash: make must still fail
# (so that a script can tell), but its own "make: *** [...] Error 1" line reads like one to an
# auditor. GNU make prints that line for every failed recipe, so the recipe ends make itself with
# SIGPIPE, which make and the shells end silently on (exit status 141); were SIGPIPE ignored,
# `exit` still fails the usual way.
QUIET_FAIL = code=$$?; [ $$code -eq 0 ] || { kill -PIPE $$PPID; exit $$code; }

# The auditors' command: verdicts per quarter without building the site (fails if something is
# missing or late). FORMAT=text|json|csv|markdown, AS_OF=YYYY-MM-DD.
coverage: $(VENV)/.runtime
	@$(BIN)/python -m hooks.coverage --format $(or $(FORMAT),text) $(if $(AS_OF),--as-of $(AS_OF)); $(QUIET_FAIL)

# The district office's roll-up of every school's report, feed or sitemap (fails if a school misses a
# quarter or can't be read); appends to the observation log data/observations/.
# FORMAT=text|json|csv|markdown, SCHOOLS=data/schools.yml, START=2025-Q1, OBSERVATIONS=a folder.
district: $(VENV)/.runtime
	@$(BIN)/python -m hooks.district $(if $(wildcard district.yml),--config district.yml) --format $(or $(FORMAT),text) $(if $(SCHOOLS),--schools $(SCHOOLS)) $(if $(START),--start $(START)) $(if $(OBSERVATIONS),--observations $(OBSERVATIONS)); $(QUIET_FAIL)

# The district office's site (district.yml): its own column plus the roll-up page /tong-hop/.
district-site: $(VENV)/.runtime
	@$(BIN)/python -m hooks.site build -f district.yml; $(QUIET_FAIL)

# The build benchmark: this project against plain MkDocs, Material's blog plugin and Zensical, growth,
# the auditors' command and `make serve`; writes bench/RESULTS.md (about 10 minutes). Then what
# search costs a reader, Pagefind against Material's search, in chromium; writes bench/SEARCH.md.
bench: $(VENV)/.tests .venv-zensical/.runtime browser
	$(BIN)/python bench/build.py -n $(or $(N),1000) --zensical .venv-zensical/bin/zensical
	$(BIN)/python bench/search.py -n $(or $(N),1000)

.venv-zensical/.runtime: bench/requirements-zensical.txt
	test -x .venv-zensical/bin/python || $(PYTHON) -m venv .venv-zensical
	.venv-zensical/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r bench/requirements-zensical.txt
	touch $@

# 200 phone photos made web-safe: first build, with the cache, against no photos; writes bench/PHOTOS.md.
bench-photos: $(VENV)/.runtime
	$(BIN)/python bench/photos.py --posts $(or $(N),200)

# Lighthouse (mobile) on the sample site, median of 5 per page; writes bench/LIGHTHOUSE.md.
lighthouse: $(VENV)/.tests node_modules/.installed browser
	$(BIN)/python bench/lighthouse.py

# Times the roll-up of 1,000 schools served on 127.0.0.1 (and 250, 4,000), median of RUNS=3; writes bench/DISTRICT.md.
bench-district: $(VENV)/.runtime
	$(BIN)/python bench/district.py -n $(or $(N),1000) --runs $(or $(RUNS),3)

# Lint, format, types and the fast unit tests (no build, browser or benchmark): under 30 s.
CHECKED := hooks tests bench data
check: $(VENV)/.tests
	$(BIN)/ruff check $(CHECKED)
	$(BIN)/ruff format --check $(CHECKED)
	@# mypy beside the tests: the two cores share the work (the tests wait on servers and files).
	$(BIN)/mypy & mypy=$$!; \
	$(BIN)/python -m pytest -q -m "not build and not browser and not bench"; tests=$$?; \
	wait $$mypy && exit $$tests

# Every test: real builds of small sites and of the sample, ProperDocs, the browser, the benchmarks at tiny N.
test: $(VENV)/.tests $(PROPERDOCS_VENV)/.runtime node_modules/.installed browser documents
	$(BIN)/python -m pytest

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.tests: $(VENV)/.runtime requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

# The same site on ProperDocs, without MkDocs installed (--no-deps: the file pins everything).
$(PROPERDOCS_VENV)/.runtime: requirements-properdocs.txt
	test -x $(PROPERDOCS_VENV)/bin/python || $(PYTHON) -m venv $(PROPERDOCS_VENV)
	$(PROPERDOCS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-properdocs.txt
	touch $@

# Every npm package (package.json): decap-server for make write; the devDependencies axe-core and
# vnu-jar (the Nu HTML Checker) for the browser tests, lighthouse for make lighthouse, decap-cms
# (the source of editor/decap-cms.js). No package's install script runs: none of them needs one.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@ node_modules/.editor

# make write's only package, decap-server (13 MB), unless everything is installed and up to date.
# npm still prints its peer-dependency notes about decap-cms's React, which it does not install:
# only errors are shown.
node_modules/.editor: package.json package-lock.json
	@if [ node_modules/.installed -nt package.json ] && [ node_modules/.installed -nt package-lock.json ]; then :; \
	else npm ci --omit=dev --no-audit --no-fund --ignore-scripts --loglevel=error; fi
	@touch $@

# Debian's chromium for the browser tests (Playwright drives it; no browser download), and a Java
# runtime for the Nu HTML Checker (vnu.jar from npm).
browser:
	@command -v chromium >/dev/null && command -v java >/dev/null || { \
		$(SUDO) apt-get update -q && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			chromium fonts-dejavu-core default-jre-headless; }

# LibreOffice (headless Writer) prints the Word reports to PDF for tests/test_report_documents.py;
# poppler's pdftoppm and pdftotext read the pages back; Liberation Serif has Times New Roman's metrics.
documents:
	@command -v soffice >/dev/null && command -v pdftoppm >/dev/null && [ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || { \
		$(SUDO) apt-get update -q && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			libreoffice-writer-nogui poppler-utils fonts-liberation2; }

clean:
	rm -rf site site-district $(VENV) $(PROPERDOCS_VENV) .venv-zensical node_modules
