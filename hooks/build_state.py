"""One build's shared reading: mkdocs.yml's settings parsed once, the posts and plans read once.

Three hook files (the column, the audit, the district page) need the same settings and the
same posts. Each asks here, for the build's own config object, and whichever asks first does
the reading; so no hook file depends on another having run first, and nothing is parsed twice.
A new build (``mkdocs serve`` rebuilds with a new config) starts afresh: the config object is
the key, and a module kept across rebuilds (hooks are not reloaded) never serves stale data.

Pure: no MkDocs import (the config is only an identity here).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import dates, plans
from .front_matter import Problem
from .posts import Catalog, load_catalog
from .settings import (
    ColumnSettings,
    CoverageSettings,
    DistrictSettings,
    SchoolSettings,
    column_settings,
    coverage_settings,
    district_settings,
    school_settings,
    shown_path,
)


@dataclass(frozen=True)
class Settings:
    """mkdocs.yml's ``extra`` tables, validated (a SettingsError names the key)."""

    root: Path  # the folder of mkdocs.yml: the repository
    column: ColumnSettings
    school: SchoolSettings
    coverage: CoverageSettings
    district: DistrictSettings | None


@dataclass(frozen=True)
class Content:
    """What the posts and plans folders hold, read once a build."""

    catalog: Catalog
    today: date  # in the site zone
    plans: list[plans.Plan]
    plan_problems: list[Problem]


_config: object = None
_settings: Settings | None = None
_content: Content | None = None


def settings(config: object, extra: Mapping[str, Any], site_name: str, root: Path) -> Settings:
    """The settings of the build whose config is ``config``, parsed the first time it is asked."""
    global _config, _settings, _content
    if _config is not config or _settings is None:
        _config, _settings, _content = config, None, None
        _settings = Settings(
            root,
            column_settings(extra, root),
            school_settings(extra, site_name),
            coverage_settings(extra, root),
            district_settings(extra, root),
        )
    return _settings


def content(config: object, docs_dir: Path) -> Content:
    """The posts and plans of the build whose settings were asked for (``settings`` first);
    DateError for a ``SOURCE_DATE_EPOCH`` that is not a time."""
    global _content
    if _config is not config or _settings is None:
        raise RuntimeError("build_state.settings() first, for this build")
    if _content is None:
        column = _settings.column
        today = dates.today(column.timezone)
        catalog = load_catalog(
            column.posts_dir, column.timezone, today, shown_as=shown_path(column.posts_dir, _settings.root)
        )
        plan_list, plan_problems = plans.load_plans(docs_dir, column.timezone)
        _content = Content(catalog, today, plan_list, plan_problems)
    return _content
