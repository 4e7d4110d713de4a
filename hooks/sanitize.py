"""What a page's Markdown may put on the site: text, pictures, tables and links, never script.

The browser editor at /admin/ keeps the signed-in teacher's GitHub token in the site's
origin, so anything that runs there can write to the school's repository. Every page
written in Markdown (posts, plans, pages of docs/) is rendered to HTML by Python-Markdown,
which passes raw HTML and ``attr_list`` attributes through; here that HTML goes through
nh3 (the Rust ammonia sanitizer) with an allow-list, and the page gets a
Content-Security-Policy that lets only the site's own scripts run (``policy``).

The allow-list keeps what staff legitimately write: paragraphs, headings, lists, tables
(with their column alignment), pictures, links (http, https, mailto, tel and relative),
quotes, ``<details>``, ``<mark>``, ``<kbd>``, ``<sub>``/``<sup>``, and the class names of
admonitions. Video embeds (``<iframe>``) are not kept: a link to the video is.

What was removed is said to staff (``removed``), with the line of the Markdown source;
the sanitizer, not that report, is what keeps the page safe.

Pure: no MkDocs import.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

TAGS = frozenset(nh3.ALLOWED_TAGS) - {"map", "area"}
GENERIC_ATTRIBUTES = frozenset({"class", "id", "title", "lang"})
ATTRIBUTES: dict[str, set[str]] = {
    "*": set(GENERIC_ATTRIBUTES),
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start"},
    "li": {"value"},
    "th": {"align", "colspan", "rowspan", "scope", "style"},
    "td": {"align", "colspan", "rowspan", "style"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "data": {"value"},
    "details": {"open"},
    "col": {"span"},
    "colgroup": {"span"},
    "abbr": {"title"},
}
STYLE_PROPERTIES = frozenset({"text-align"})  # Python-Markdown's table column alignment
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
CONTENT_TAGS = frozenset({"script", "style", "template", "noscript", "textarea", "title", "xmp"})

_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(CONTENT_TAGS),
    attributes=ATTRIBUTES,
    url_schemes=set(URL_SCHEMES),
    link_rel=None,
    strip_comments=True,
    filter_style_properties=set(STYLE_PROPERTIES),
)
# Material's own elements are found by ids that start with "__" (__config, __search, __drawer):
# a post's element with such an id, coming first in the page, would stand in for them.
_RESERVED_ID = re.compile(r'\sid="__[^"]*"')
_TAG_OPEN = re.compile(r"<[a-zA-Z]")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
# Browsers drop these from a URL ("java\tscript:" is "javascript:", "\x01javascript:" too); so do we
# before reading the scheme, so that what nh3 removes is also what the report names.
_URL_BLANKS = re.compile(r"[\x00-\x20]")


def clean(html: str) -> str:
    """``html`` with only what the allow-list keeps."""
    out = _CLEANER.clean(html)
    return _RESERVED_ID.sub("", out) if ' id="__' in out else out


@dataclass(frozen=True)
class Removed:
    """One thing the sanitizer takes out of a page, said so that staff can find it."""

    what: str  # Vietnamese: "thẻ <script>", "thuộc tính onerror của <img>", "liên kết javascript:…"
    needle: str  # what to look for in the Markdown source, lower case, for the line


def might_remove(markdown: str, html: str, cleaned: str) -> bool:
    """A cheap first look: raw HTML in the source, or fewer tags or attributes once cleaned.

    Python-Markdown's own output always quotes attributes with ``"``, as nh3 does; so a page
    without raw HTML whose tag and attribute counts survive cleaning lost nothing.
    """
    if _TAG_OPEN.search(markdown) or "{" in markdown:
        return True
    return html.count("<") != cleaned.count("<") or html.count('="') != cleaned.count('="')


def removed(html: str) -> list[Removed]:
    """What :func:`clean` takes out of ``html``: tags, attributes and links, once each."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return list(dict.fromkeys(finder.found))


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Removed] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self.found.append(Removed(f"thẻ <{tag}>", f"<{tag}"))
            return
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                kind = " (mã chạy khi bấm hay khi tải)" if name.startswith("on") else ""
                self.found.append(Removed(f"thuộc tính {name}{kind} của thẻ <{tag}>", name))
            elif name in URL_ATTRIBUTES and value and (scheme := _SCHEME.match(_URL_BLANKS.sub("", value))):
                if scheme[1].lower() not in URL_SCHEMES:
                    self.found.append(
                        Removed(f"địa chỉ '{scheme[1]}:…' của thẻ <{tag}>", f"{scheme[1].lower()}:")
                    )
            elif name == "style" and value and (extra := _style_properties(value) - STYLE_PROPERTIES):
                self.found.append(
                    Removed(f"kiểu trình bày {', '.join(sorted(extra))} của thẻ <{tag}>", "style")
                )
            elif name == "id" and value and value.startswith("__"):
                self.found.append(Removed(f"id '{value}' (dành riêng cho giao diện trang)", value.lower()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _style_properties(style: str) -> set[str]:
    return {part.split(":", 1)[0].strip().lower() for part in style.split(";") if ":" in part}


def line_of(markdown: str, needle: str) -> int | None:
    """The first line of the Markdown source holding ``needle`` (compared in lower case)."""
    for number, line in enumerate(markdown.splitlines(), 1):
        if needle in line.lower():
            return number
    return None


# --- Content-Security-Policy ----------------------------------------------------------------------

_HEAD = re.compile(r"<head\b[^>]*>(\s*<meta charset=[^>]*>)?", re.I)


def policy(script_hashes: list[str]) -> str:
    """The policy of a reader's page: only the site's own scripts, and the inline ones it printed.

    ``wasm-unsafe-eval``: Pagefind's search runs as WebAssembly. Styles may be inline (the
    column's stylesheet is printed in the page); a style cannot reach the token.
    """
    scripts = " ".join(f"'sha256-{h}'" for h in script_hashes)
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'wasm-unsafe-eval' {scripts}".rstrip(),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: https:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "media-src 'self'",
            "object-src 'none'",
            "frame-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        )
    )


_hashes: dict[str, str] = {}


def sha256(script: str) -> str:
    """The CSP hash source of an inline script's text (base64 of its SHA-256)."""
    digest = _hashes.get(script)
    if digest is None:
        digest = _hashes[script] = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return digest


_TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)


def theme_scripts(templates: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """The inline scripts the theme's templates (Material's, and overrides/) can print, as patterns.

    A ``{{ expression }}`` in a script becomes a slot: inside quotes, any text that cannot leave
    the string; outside, only a name, number or path. A script with ``{% ... %}`` inside is not
    the theme's word for one script, so it is left out (and would be refused).
    """
    patterns = []
    for text in templates:
        for body in _TEMPLATE_SCRIPT.findall(text):
            if "{%" in body:
                continue
            parts, at = [], 0
            for match in _EXPRESSION.finditer(body):
                parts.append(re.escape(body[at : match.start()]))
                quoted = match.start() > 0 and body[match.start() - 1] in "\"'"
                parts.append(r"[^\"'\\<>\n]*" if quoted else r"[\w./-]*")
                at = match.end()
            parts.append(re.escape(body[at:]))
            patterns.append(re.compile("".join(parts), re.S))
    return tuple(dict.fromkeys(patterns))


def with_policy(
    page: str, untrusted: str = "", allowed: Sequence[re.Pattern[str]] = ()
) -> tuple[str, list[str]]:
    """``page`` with its Content-Security-Policy ``<meta>`` first in ``<head>``, before any script,
    and the inline scripts it refused.

    Only the theme's own inline scripts are allowed (by hash): one that matches a pattern of
    ``allowed`` (:func:`theme_scripts`) and is not inside ``untrusted`` (the page's content,
    already sanitized). Any other inline script (printed by a template from front matter, say)
    is not hashed, so the browser refuses to run it, and is returned for the build to name.
    Data blocks (``type="application/json"``) never run and are left alone.
    """
    skip = _spans(page, untrusted)
    found: list[str] = []
    refused: list[str] = []
    at = 0
    while (start := page.find("<script", at)) >= 0:
        open_end = page.find(">", start)
        close = page.find("</script>", open_end)
        if open_end < 0 or close < 0:
            break
        at = close + 9
        attributes = page[start:open_end]
        body = page[open_end + 1 : close]
        if " src=" in attributes or not body or 'type="application/json"' in attributes:
            continue
        if any(a <= start < b for a, b in skip) or not any(p.fullmatch(body) for p in allowed):
            refused.append(body)
        else:
            found.append(sha256(body))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(list(dict.fromkeys(found)))}">'
    head = _HEAD.search(page)
    if head is None:
        return page, refused
    return f"{page[: head.end()]}{meta}{page[head.end() :]}", refused


def _spans(page: str, part: str) -> list[tuple[int, int]]:
    """Where ``part`` is printed in ``page`` (a post's text may be printed more than once)."""
    spans = []
    if "<script" in part:
        at = 0
        while (start := page.find(part, at)) >= 0:
            spans.append((start, start + len(part)))
            at = start + len(part)
    return spans
