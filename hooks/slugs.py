"""URL slugs and heading anchors that transliterate Vietnamese (Đ → d) instead of dropping it."""

from __future__ import annotations

from slugify import slugify as _slugify


def slug(text: str) -> str:
    """``Đẩy mạnh bình đẳng giới`` → ``day-manh-binh-dang-gioi``."""
    return _slugify(text, lowercase=True)


def anchor(value: str, separator: str) -> str:
    """Heading ids for Python-Markdown's ``toc`` (its default drops ``đ``)."""
    return _slugify(value, lowercase=True, separator=separator)
