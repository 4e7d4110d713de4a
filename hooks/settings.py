"""The column's settings under ``extra:`` in mkdocs.yml, validated once per build."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from .dates import DEFAULT_TIMEZONE, DateError, zone
from .dates import today as today_in


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


# --- mkdocs.yml for the commands that run without MkDocs -------------------------------------------


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its Python tags (``!!python/name:`` and the like)."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``, read as MkDocs reads it (pyyaml_env_tag)."""
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        items = [loader.construct_object(child, deep=True) for child in node.value]
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
        for name in names:
            if isinstance(name, str) and name in os.environ:
                return os.environ[name]
        return default
    return None


_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506
    except OSError as exc:
        raise SettingsError(f"không đọc được {path} ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise SettingsError(f"{path} không phải YAML hợp lệ: {exc}") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{path} phải là các dòng 'khóa: giá trị'")
    return data


def read_extra(path: Path) -> tuple[dict[str, Any], Mapping[str, Any], Path]:
    """mkdocs.yml, its ``extra`` table and its folder, as the auditors' and staff commands need."""
    config = read_config(path)
    extra = config.get("extra") or {}
    if not isinstance(extra, Mapping):
        raise SettingsError("extra phải là một bảng khóa")
    return config, extra, path.resolve().parent


def day_option(value: str | None, option: str, tz: ZoneInfo) -> date:
    """A command's ``--as-of``/``--date`` (YYYY-MM-DD), or today in the site zone."""
    if not value:
        return today_in(tz)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SettingsError(f"{option} '{value}' phải có dạng YYYY-MM-DD, ví dụ 2024-11-20") from None


def shown_path(path: Path, root: Path) -> str:
    """A path as staff see it: relative to the repository when it is inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
