"""MkDocs glue for the coverage audit: log the verdicts, add the report page and its files.

The posts are read once a build by whichever hook file asks ``build_state`` first; this
hook only audits them, and depends on no other hook file having run.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from jinja2 import Environment  # noqa: E402
from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from hooks import (  # noqa: E402
    beside,
    build_state,
    coverage,
    coverage_json,
    dates,
    evidence,
    generated,
    listings,
    plans,
    report_page,
)
from hooks.settings import (  # noqa: E402
    CoverageSettings,
    SchoolSettings,
    SettingsError,
    check_audit_start,
)
from hooks.urls import REPORT_CSV, REPORT_JSON, REPORT_PAGE, REPORT_XLSX, report_document  # noqa: E402
from hooks.verdicts import Status  # noqa: E402

log = logging.getLogger("mkdocs.plugins.coverage")

DATA = (("Excel (.xlsx)", REPORT_XLSX), ("CSV cho phần mềm khác", REPORT_CSV), ("dữ liệu JSON", REPORT_JSON))


@dataclass
class CoverageBuild:
    settings: CoverageSettings
    school: SchoolSettings
    posts_dir: Path  # for the history evidence
    report: coverage.Report | None = None


_build: CoverageBuild | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    _build = None
    on_build_error(None)  # a child left by a build that never reached on_env
    root = Path(config.config_file_path or ".").resolve().parent
    try:  # parsed once a build, whichever hook file asks first (hooks/build_state.py)
        shared = build_state.settings(config, config.extra, config.site_name, root)
        _build = CoverageBuild(shared.coverage, shared.school, shared.column.posts_dir)
    except SettingsError as exc:
        raise PluginError(f"mkdocs.yml: {exc}") from None
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if _build is None:
        raise PluginError("hooks/coverage_hooks.py: on_config chưa chạy")
    settings = _build.settings
    try:  # read once a build, whichever hook file asks first (hooks/build_state.py)
        state = build_state.content(config, Path(config.docs_dir))
        check_audit_start(settings, state.today)
        found, warning = evidence.gather(_build.posts_dir, settings.timezone, settings.history_from)
    except SettingsError as exc:
        raise PluginError(f"mkdocs.yml: {exc}") from None
    except (evidence.EvidenceError, dates.DateError) as exc:
        raise PluginError(str(exc)) from None
    if warning:
        log.warning(warning)
    elif not found.available:
        log.info(f"Chưa kiểm tra được ngày lên trang của các bài: {found.reason}")
    report = coverage.audit(state.catalog.published, settings, state.today, found)
    _build.report = report
    _log(report)
    site_url = config.site_url or None
    data = coverage_json.dumps(report, site_url)
    generated.add_page_and_data(
        files,
        config,
        (REPORT_PAGE, listings.page_source("Báo cáo chuyên mục theo quý", "report.html")),
        {
            REPORT_JSON: data,
            REPORT_CSV: coverage.csv_text(report),
            **_office_files(report, data, state.plans, site_url),
        },
        "báo cáo",
    )
    return files


# The Word and Excel files of the last report, by what they are made from: `make serve` rebuilds
# after every save, and a post's text rarely changes the report (they take a second to make).
_OFFICE: dict[str, dict[str, bytes]] = {}
# This build's, being made beside it (hooks/beside.py) until on_env hands them to MkDocs.
_making: tuple[str, beside.Later[dict[str, bytes]]] | None = None


def _office_files(
    report: coverage.Report, data: str, plan_list: list[plans.Plan], site_url: str | None
) -> dict[str, bytes]:
    """The files' names, each with empty content until on_env fills it in."""
    global _making
    assert _build is not None
    school = _build.school
    key = repr((data, school, [(p.src_uri, p.title, p.number, p.date) for p in plan_list], report.as_of))
    if key not in _OFFICE:

        def make() -> dict[str, bytes]:
            # python-docx and openpyxl are imported here, in the child: 0.1 s the build does not wait for.
            from hooks import report_docx, report_xlsx

            # The plans the documents answer; the column hook names any problem in them.
            made = {
                report_document(year): report_docx.school_document(report, year, school, plan_list, site_url)
                for year in report.years
            }
            made[REPORT_XLSX] = report_xlsx.coverage_workbook(report, school, site_url)
            return made

        _making = (key, beside.Later(make))
    names = [report_document(year) for year in report.years] + [REPORT_XLSX]
    return dict.fromkeys(names, b"")


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """MkDocs copies the static files next: the office files must be made by now."""
    global _making
    if _making is not None:
        key, later = _making
        _making = None
        _OFFICE.clear()
        _OFFICE[key] = later.result()
    for made in _OFFICE.values():
        for src, content in made.items():
            file = files.get_file_from_path(src)
            if file is not None:
                file.content_bytes = content
    return env


def on_build_error(error: Exception | None) -> None:
    global _making
    if _making is not None:
        _making[1].cancel()
        _making = None


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    if page.file.src_uri == REPORT_PAGE and _build is not None and _build.report is not None:
        context["view"] = report_page.build(_build.report, _build.school, config.site_url or None)
        years = reversed(_build.report.years)
        context["downloads"] = (
            (
                "Văn bản báo cáo (Word, để sửa và trình ký)",
                tuple((f"năm {y}", report_document(y)) for y in years),
            ),
            ("Số liệu", DATA),
        )
    return context


# A quarter without a post is the audit's verdict, not a mistake in a post: it is logged at
# INFO, so that `python -m hooks.site build` (strict) still publishes the site and its report.
GAP = "BÁO CÁO: "


def _log(report: coverage.Report) -> None:
    """A line for each period not plainly met, in the command's words (``coverage.detail``); what
    fails the audit starts with ``BÁO CÁO:`` for the run's summary."""
    for v in report.quarters:
        said = _lower(coverage.detail(v))
        where = f"Quý {v.quarter.key} ({v.label})"
        if v.status is Status.LATE:
            log.info(f"{GAP}{where} {said} ({_published(v)})")
        elif v.status.failing:
            log.info(
                f"{GAP}{where} {said}: có {v.count}, cần ít nhất {report.settings.min_posts} bài trong chuyên mục"
            )
        elif v.status in (Status.EXCUSED, Status.DUE):
            log.info(f"{where} {said}")
    for o in report.observances:
        said = _lower(coverage.detail(o))
        where = f"{o.label} ({o.period})"
        if o.failing and o.status is Status.LATE:
            log.info(f"{GAP}{where} {said} ({_published(o)})")
        elif o.failing:
            log.info(f"{GAP}{where} {said}: không có bài nào")
        elif o.status.failing:
            log.info(f"{o.label} {_lower(o.word)} (tham khảo, không bắt buộc)")
        elif o.status in (Status.EXCUSED, Status.DUE):
            log.info(f"{where} {said}")


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _published(v: coverage.Verdict | coverage.ObservanceVerdict) -> str:
    return ", ".join(f"{c.post.path} ngày {c.published_day}" for c in v.posts if c.late)
