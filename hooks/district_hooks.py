"""MkDocs glue for the district roll-up page, on when ``extra.district`` is set.

A district office's site (``district.yml`` in this repository) sets it; a school's site
doesn't, and this hook then does nothing. Reports are fetched once per build; a school
that can't be read is shown on the page and logged, and never stops the build.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from hooks import build_state, dates, generated, listings  # noqa: E402
from hooks.settings import (  # noqa: E402
    DistrictSettings,
    SchoolSettings,
    SettingsError,
)
from hooks.urls import DISTRICT_CSV, DISTRICT_JSON, DISTRICT_PAGE, DISTRICT_XLSX, district_document  # noqa: E402

# hooks.district (and httpx under it), python-docx and openpyxl are imported only by a site that
# sets extra.district: a school's build should not pay for the district's HTTP client and documents.
if TYPE_CHECKING:
    from hooks.district import RollUp

log = logging.getLogger("mkdocs.plugins.district")

DATA = (
    ("Excel (.xlsx)", DISTRICT_XLSX),
    ("CSV cho phần mềm khác", DISTRICT_CSV),
    ("dữ liệu JSON", DISTRICT_JSON),
)


@dataclass
class DistrictBuild:
    settings: DistrictSettings
    timezone: ZoneInfo
    office: SchoolSettings  # the district office: the documents' heading and sign-off
    rollup: RollUp | None = None


_build: DistrictBuild | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    _build = None
    root = Path(config.config_file_path or ".").resolve().parent
    try:
        shared = build_state.settings(config, config.extra, config.site_name, root)
        if shared.district is not None:
            _build = DistrictBuild(shared.district, shared.column.timezone, shared.school)
    except SettingsError as exc:
        raise PluginError(f"mkdocs.yml: {exc}") from None
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if _build is None:
        return files
    from hooks import district
    from hooks.fetch import FetchLimits

    settings = _build.settings
    try:
        today = dates.today(_build.timezone)
        limits = FetchLimits(timeout=settings.timeout, retries=settings.retries)
        root = Path(config.config_file_path or ".").resolve().parent
        # Judged as the command judges; the log is read, and written only by the command (the
        # district workflow's job commits it).
        rules = district.Rules.of(config.extra, root)
        rollup = district.collect(settings.schools, today, limits, rules)
    except (district.SchoolsError, district.SpillError, dates.DateError, SettingsError) as exc:
        raise PluginError(str(exc)) from None
    _build.rollup = rollup
    # The plans the documents answer; the column hook names any problem in them.
    plan_list = build_state.content(config, Path(config.docs_dir)).plans
    for result in rollup.schools:
        if result.problem:  # another school's report: shown on the page, never stops this build
            log.info(
                f"BÁO CÁO: {result.school.name}: {result.word.lower()} ({result.problem}) từ {result.school.report}"
            )
        else:
            log.info(f"{result.school.name}: {result.word.lower()}")
    from hooks import report_docx, report_xlsx

    generated.add_page_and_data(
        files,
        config,
        (DISTRICT_PAGE, listings.page_source(settings.title, "district.html")),
        {
            DISTRICT_JSON: district.json_text(rollup),
            DISTRICT_CSV: district.csv_text(rollup),
            DISTRICT_XLSX: report_xlsx.district_workbook(rollup),
            **{
                district_document(year): report_docx.district_document(rollup, year, _build.office, plan_list)
                for year in report_docx.district_years(rollup)
            },
        },
        "trang tổng hợp",
    )
    return files


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    if page.file.src_uri == DISTRICT_PAGE and _build is not None and _build.rollup is not None:
        from hooks import report_docx
        from hooks.district import SchoolState

        rollup = _build.rollup
        context["rollup"] = rollup
        context["as_of_day"] = dates.format_day(rollup.as_of)
        context["states"] = [(state, state.word, rollup.count(state)) for state in SchoolState]
        years = reversed(report_docx.district_years(rollup))
        context["downloads"] = (
            (
                "Văn bản báo cáo tổng hợp (Word, để sửa và trình ký)",
                tuple((f"năm {y}", district_document(y)) for y in years),
            ),
            ("Số liệu", DATA),
        )
    return context
