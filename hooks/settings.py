"""The column's settings under ``extra:`` in mkdocs.yml, validated once per build."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from .dates import DEFAULT_TIMEZONE, DateError, zone


class SettingsError(ValueError):
    """A bad value in mkdocs.yml; the message names the key and what is allowed."""


@dataclass(frozen=True)
class ColumnSettings:
    posts_dir: Path
    timezone: ZoneInfo
    per_page: int = 10


def column_settings(extra: Mapping[str, object], root: Path) -> ColumnSettings:
    """Read ``extra.column`` (and ``extra.coverage.timezone``, the one site zone)."""
    column = extra.get("column") or {}
    if not isinstance(column, Mapping):
        raise SettingsError("extra.column phải là một bảng khóa (posts_dir, per_page, timezone)")
    coverage = extra.get("coverage") or {}
    tz_name = column.get("timezone") or (coverage.get("timezone") if isinstance(coverage, Mapping) else None)
    tz_name = tz_name or DEFAULT_TIMEZONE
    if not isinstance(tz_name, str):
        raise SettingsError(f"extra.column.timezone phải là tên múi giờ, ví dụ {DEFAULT_TIMEZONE}")
    try:
        tz = zone(tz_name)
    except DateError as exc:
        raise SettingsError(f"extra.column.timezone: {exc}") from None
    per_page = column.get("per_page", 10)
    if isinstance(per_page, bool) or not isinstance(per_page, int) or per_page < 1:
        raise SettingsError(f"extra.column.per_page phải là số nguyên dương, không phải '{per_page}'")
    posts_dir = column.get("posts_dir", "posts")
    if not isinstance(posts_dir, str) or not posts_dir.strip():
        raise SettingsError("extra.column.posts_dir phải là tên thư mục, ví dụ posts")
    return ColumnSettings(posts_dir=(root / posts_dir).resolve(), timezone=tz, per_page=per_page)
