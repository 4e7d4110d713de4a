"""The pages the column makes (posts, listings): MkDocs' pages, converted by one Markdown per build.

MkDocs' ``Page.render`` builds a new ``markdown.Markdown`` for every page: each extension's
processors, patterns and registries made again, about 0.2 ms a page on the benchmark's
machine, 0.2 s of a 1,000-post build spent before any text is read. Python-Markdown keeps an
instance usable for the next text after ``reset()`` (its documented way to convert many
documents), and the extensions this project and Material's users add clear their own state there
(``REUSABLE``; with any other, every page keeps MkDocs' instance). So the column's pages are made as
:class:`ColumnPage`, as Material's blog makes its posts its own ``Page`` class, and convert
with one instance per build, taking MkDocs' four per-page processors (raw HTML anchors,
heading anchors, relative links, the title) afresh each time, as ``Page.render`` does.
Everything ``render`` sets on the page is set the same way; tests/test_column_page.py
converts every kind of Markdown a post holds both ways and compares. (ProperDocs 1.6 also keeps
``links_to_anchors`` under ``--verbose``, where MkDocs 1.6.1 does not; the column checks its links
itself, hooks/links.py, and sets MkDocs' anchor check to DEBUG, so nothing a user sees differs.)
"""

from __future__ import annotations

import logging
from typing import Any

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import (
    Page,
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
)
from mkdocs.structure.toc import get_toc

log = logging.getLogger(Page.__module__)  # whose effective level Page.render consults

# Extensions that leave nothing of one text in the next once reset (each converted three texts both
# ways in tests/test_column_page.py). Any other, and footnotes with UNIQUE_IDS (its reset() counts
# up, so the ids would depend on the page's place in the build), keep MkDocs' instance per page.
REUSABLE = frozenset(
    {
        *("abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code"),
        *("footnotes", "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists"),
        *("smarty", "tables", "toc", "wikilinks"),
        *("pymdownx.arithmatex", "pymdownx.betterem", "pymdownx.blocks.admonition"),
        *("pymdownx.blocks.details", "pymdownx.blocks.tab", "pymdownx.caret", "pymdownx.critic"),
        *("pymdownx.details", "pymdownx.emoji", "pymdownx.highlight", "pymdownx.inlinehilite"),
        *("pymdownx.keys", "pymdownx.magiclink", "pymdownx.mark", "pymdownx.smartsymbols"),
        *("pymdownx.snippets", "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tasklist"),
        "pymdownx.tilde",
    }
)


class Converter:
    """One build's Markdown instance, made when the first page asks (the config is final by then)."""

    def __init__(self, config: MkDocsConfig) -> None:
        self._config = config
        self._md: markdown.Markdown | None = None
        self.reusable = reusable(config["markdown_extensions"], config["mdx_configs"] or {})

    def markdown(self) -> markdown.Markdown:
        if self._md is None:
            self._md = markdown.Markdown(
                extensions=self._config["markdown_extensions"],
                extension_configs=self._config["mdx_configs"] or {},
            )
        return self._md.reset()


def reusable(extensions: list[object], configs: dict[str, Any]) -> bool:
    """Whether one instance with these extensions converts every page as a new one would."""
    for extension in extensions:
        name = extension if isinstance(extension, str) else type(extension).__module__
        short = name.removeprefix("markdown.extensions.")
        if short not in REUSABLE:
            return False
        settings = configs.get(name) or {}
        footnotes = settings.get("footnotes") or {} if short == "extra" else settings
        if short in ("footnotes", "extra") and footnotes.get("UNIQUE_IDS"):
            return False
    return True


class ColumnPage(Page):
    """A page the column adds (a post, a listing), converted by the build's one Markdown instance."""

    def __init__(self, file: File, config: MkDocsConfig, converter: Converter) -> None:
        super().__init__(None, file, config)
        self._converter = converter

    def render(self, config: MkDocsConfig, files: Files) -> None:
        """``Page.render`` of MkDocs 1.6, with the instance made once."""
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = self._converter.markdown()
        raw_html_ext = _RawHTMLPreprocessor()
        raw_html_ext._register(md)
        extract_anchors_ext = _ExtractAnchorsTreeprocessor(self.file, files, config)
        extract_anchors_ext._register(md)
        relative_path_ext = _RelativePathTreeprocessor(self.file, files, config)
        relative_path_ext._register(md)
        extract_title_ext = _ExtractTitleTreeprocessor()
        extract_title_ext._register(md)

        self.content = md.convert(self.markdown)
        self.toc = get_toc(getattr(md, "toc_tokens", []))
        self._title_from_render = extract_title_ext.title
        self.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
        if log.getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = relative_path_ext.links_to_anchors
