"""Plain one-line texts of a post (title, tags, summary, author): what an invisible character does.

A title pasted from Word or a chat can carry control characters (which the feed writer's XML
library refuses) and bidirectional overrides (U+202E shows "giới" as "iớig" on the page, in
the feeds and in the report). They are removed, and the caller says which were removed.
Joiners (U+200C, U+200D) stay: emoji sequences need them.
"""

from __future__ import annotations

import re
import unicodedata

# Bidirectional embeddings, overrides and isolates: removed from the body too (without_bidi).
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Those, and bidi marks, the zero-width space, the word joiner, the BOM and the soft hyphen.
INVISIBLE = frozenset(BIDI_CONTROLS + "\u200e\u200f\u061c\u200b\u2060\ufeff\u00ad")


def _unwanted(char: str) -> bool:
    return char in INVISIBLE or (unicodedata.category(char) == "Cc" and char not in "\t\n")


def clean_line(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` without control or bidirectional characters, and the code points removed (U+202E)."""
    if text.isprintable():  # almost every title: nothing to look at one character at a time
        return text, ()
    removed = tuple(dict.fromkeys(f"U+{ord(c):04X}" for c in text if _unwanted(c)))
    if not removed:
        return " ".join(text.split()) if "\t" in text or "\n" in text else text, ()
    kept = "".join(c for c in text if not _unwanted(c))
    return " ".join(kept.split()), removed


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word within ``limit`` characters and marked with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def has_word(text: str) -> bool:
    """Whether ``text`` has a letter or a digit (a tag of only an emoji or a dash has none)."""
    return any(unicodedata.category(c)[0] in "LN" for c in text)


_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


def without_bidi(markdown: str) -> tuple[str, list[int]]:
    """A page's Markdown without bidirectional controls, and the lines (from 1) that had one."""
    if not _BIDI.search(markdown):
        return markdown, []
    lines = [number for number, line in enumerate(markdown.splitlines(), 1) if _BIDI.search(line)]
    return _BIDI.sub("", markdown), lines
