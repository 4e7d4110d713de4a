"""URL slugs and heading anchors that transliterate Vietnamese (Đ → d) instead of dropping it.

python-slugify is told its backend (text-unidecode, which it depends on): left on "auto",
it first tries to import ``unidecode`` on every call, and a failed import is not cached,
so each slug walked sys.path (1.2 s of a 1,000-post build; bench/RESULTS.md). Tags and
headings repeat, so results are also memoised.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from slugify import slugify as _slugify

BACKEND: Final = "text-unidecode"


# A post's address is a folder name: a 340-character title must not make one too long for the
# disk (255 bytes) or for a link shared on Zalo. The title itself is kept whole.
MAX_SLUG = 80


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """``Đẩy mạnh bình đẳng giới`` → ``day-manh-binh-dang-gioi``, cut at a word within MAX_SLUG."""
    return _slugify(text, lowercase=True, backend=BACKEND, max_length=MAX_SLUG, word_boundary=True)


def slug_whole(text: str) -> str:
    """:func:`slug` without the cut."""
    return _slugify(text, lowercase=True, backend=BACKEND)


@lru_cache(maxsize=65536)
def anchor(value: str, separator: str) -> str:
    """Heading ids for Python-Markdown's ``toc`` (its default drops ``đ``)."""
    return _slugify(value, lowercase=True, separator=separator, backend=BACKEND)
