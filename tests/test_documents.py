"""No stale line in the documents: every path and every ``make`` target they name exists.

The documents are README.md (the school's web admin), ARCHITECTURE.md (developers) and
docs/huong-dan.md (staff). What is checked, and the explicit rule for what is an example:

- ``make X`` in a code span, or at the start of a line in a fenced block: X is a target of the
  Makefile.
- A code span without spaces is a path when it holds a "/" or ends with a code or data suffix
  (``.py .yml .yaml .toml .json .csv .xml .js .css .html``). It is skipped as an example or a
  web address when it holds a placeholder (``…``, ``...``, ``<``, ``>``, ``*``, ``{``, ``$``,
  ``NĂM``, ``THÁNG``, ``YYYY``), ``://``, a date (``20/11/2024``, ``2026-11-20-…``, a first
  folder that is a year), or starts with a domain name (``github.com/…``). Bare names ending in
  ``.md`` or ``.txt`` are examples of staff files (``bai.md.txt``) and are not checked.
- A path whose first folder is at the repository's top must exist, except inside the content
  folders (``posts/``, ``docs/ke-hoach/``, ``district/posts/``: the sample's posts and plans, which
  README's clean-up deletes; git keeps no empty folder) and the generated ones (``site/``,
  ``.cache/``, ``.venv/``, ``node_modules/``...).
- Any other path is an address on the site (``/bao-cao/``, ``tong-hop/district.csv``): its first
  folder must be a page of ``docs/`` or a name the code publishes (quoted or followed by "/" in
  ``hooks/*.py``).
- A bare file name (``column.html``, ``coverage.json``) must be a file of the repository or a
  name that ``hooks/*.py``, the Makefile or the workflow spells.

Also: README's first lines give ``make build`` and ``make test``, and ARCHITECTURE.md names every
module of ``hooks/``.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ("README.md", "ARCHITECTURE.md", "docs/huong-dan.md")

PLACEHOLDERS = ("…", "...", "<", ">", "*", "{", "}", "$", "NĂM", "THÁNG", "YYYY")
CONTENT = ("posts", "docs/ke-hoach", "district/posts")
GENERATED = {
    "site",
    "site-district",
    ".cache",
    ".venv",
    ".venv-properdocs",
    ".venv-zensical",
    "node_modules",
    "test-artifacts",
    ".git",
}
CODE_SUFFIXES = (".py", ".yml", ".yaml", ".toml", ".json", ".csv", ".xml", ".js", ".css", ".html")
_FENCE = re.compile(r"^(\s*)```.*?^\1```", re.S | re.M)
_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
_MAKE = re.compile(r"^make\s+(?:-\S+\s+)*([A-Za-z0-9][\w.-]*)")
_DATE = re.compile(r"^[\d/.\-]+$|\d{4}-\d{2}-\d{2}-|^\d{4}/")
_DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+/")


def _text(document: str) -> str:
    return (ROOT / document).read_text(encoding="utf-8")


def spans(text: str) -> list[str]:
    """Inline code spans outside fenced blocks, their whitespace collapsed (a span may wrap)."""
    return [" ".join(match[2].split()) for match in _SPAN.finditer(_FENCE.sub("", text))]


def make_targets(text: str) -> set[str]:
    """Targets of ``make X`` in code spans and at the start of lines in fenced blocks."""
    found = {m[1] for span in spans(text) if (m := _MAKE.match(span))}
    for block in _FENCE.finditer(text):
        found |= {m[1] for line in block[0].splitlines() if (m := _MAKE.match(line.strip()))}
    return found


@cache
def makefile_targets() -> frozenset[str]:
    return frozenset(re.findall(r"^([\w.-]+)\s*:(?!=)", _text("Makefile"), re.M))


@cache
def code_text() -> str:
    parts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "hooks").glob("*.py"))]
    parts += [_text("Makefile"), _text(".github/workflows/pages.yml")]
    return "\n".join(parts)


@cache
def repository_names() -> frozenset[str]:
    names: set[str] = set()
    for _folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in GENERATED]
        names.update(subfolders, files)
    return frozenset(names)


def is_example(span: str) -> bool:
    return (
        any(mark in span for mark in PLACEHOLDERS)
        or "://" in span
        or bool(_DATE.search(span))
        or bool(_DOMAIN.match(span))
    )


def published(folder: str) -> bool:
    """A first folder of a site address: a page of docs/, or a name the code publishes."""
    if (ROOT / "docs" / folder).exists() or (ROOT / "docs" / f"{folder}.md").is_file():
        return True
    return re.search(rf"[\"'/]{re.escape(folder)}[\"'/]", code_text()) is not None


def problem(span: str) -> str | None:
    """Why ``span`` names nothing that exists, or None."""
    if "/" not in span:
        if span in repository_names() or span in code_text():
            return None
        return "no file of that name in the repository, and no module spells it"
    if span.startswith("/"):
        first = span.strip("/").split("/")[0]
        return None if not first or published(first) else f"the site publishes nothing at /{first}/"
    path = span.rstrip("/")
    first = path.split("/")[0]
    if first in GENERATED:
        return None
    if not (ROOT / first).exists():
        return None if published(first) else f"neither a folder of the repository nor of the site: {first}/"
    if any(path == folder or path.startswith(f"{folder}/") for folder in CONTENT):
        return None
    return None if (ROOT / path).exists() else "no such file or folder"


def named_paths(text: str) -> list[str]:
    """The code spans that name a path (see the module's docstring), examples left out."""
    found = []
    for span in spans(text):
        if " " in span or is_example(span):
            continue
        if "/" in span or (not span.startswith(".") and span.endswith(CODE_SUFFIXES)):
            found.append(span)
    return found


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_path_a_document_names_exists(document: str) -> None:
    stale = {span: why for span in named_paths(_text(document)) if (why := problem(span))}
    assert stale == {}, f"{document} names what does not exist"


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_make_target_a_document_names_exists(document: str) -> None:
    assert make_targets(_text(document)) - makefile_targets() == set()


def test_readmes_first_lines_are_the_two_commands() -> None:
    head = _text("README.md").split("\n## ", 1)[0].splitlines()[:8]
    commands = [line.split("#")[0].strip() for line in head if line.startswith("make ")]
    assert commands[:2] == ["make build", "make test"], head


def test_architecture_names_every_module() -> None:
    text = _text("ARCHITECTURE.md")
    modules = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "hooks").glob("*.py"))
    assert len(modules) > 20
    assert [module for module in modules if f"`{module}`" not in text] == []


@pytest.mark.parametrize(
    ("span", "stale"),
    [
        ("hooks/posts.py", False),
        ("hooks/nowhere.py", True),
        ("overrides/assets/javascripts/lunr/min/lunr.vi.min.js", True),
        ("lunr.vi.min.js", True),
        ("column.html", False),
        ("coverage.json", False),
        ("/bao-cao/", False),
        ("/khong-co/", True),
        ("tong-hop/district.csv", False),
        ("posts/2026/bai-mau.md", False),  # the sample's content: deleted by README's clean-up
        ("site/pagefind/", False),
    ],
)
def test_the_rule_tells_a_stale_path(span: str, stale: bool) -> None:
    assert (problem(span) is not None) is stale


@pytest.mark.parametrize(
    "span",
    ["posts/NĂM/NĂM-THÁNG-NGÀY-ten-bai.md", "bai-viet/<slug>/", "https://…", "20/11/2024", "github.com/a/b"],
)
def test_examples_are_not_paths(span: str) -> None:
    assert span not in named_paths(f"`{span}`")
