"""MkDocs glue for the coverage audit: log the verdicts, add the report page and its files.

The column hook has read the posts into ``build_state`` in its early ``on_files``; this
hook only audits them (its ``on_files`` runs at the default priority, after), so posts
are read once per build.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import get_plugin_logger  # noqa: E402
from mkdocs.structure.files import Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from hooks import build_state, coverage, coverage_json, generated, listings  # noqa: E402
from hooks.dates import format_day  # noqa: E402
from hooks.quarters import Quarter  # noqa: E402
from hooks.settings import CoverageSettings, SettingsError, coverage_settings  # noqa: E402
from hooks.verdicts import Status  # noqa: E402

log = get_plugin_logger("coverage")

REPORT_ROOT = "bao-cao"
REPORT_PAGE = f"{REPORT_ROOT}/index.md"
JSON_FILE = f"{REPORT_ROOT}/coverage.json"
CSV_FILE = f"{REPORT_ROOT}/coverage.csv"
DOWNLOADS = (("bảng tính CSV", CSV_FILE), ("dữ liệu JSON", JSON_FILE))

Grid = list[tuple[int, list[tuple[coverage.Verdict | None, str | None]]]]


@dataclass
class CoverageBuild:
    settings: CoverageSettings
    report: coverage.Report | None = None


_build: CoverageBuild | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    _build = None
    root = Path(config.config_file_path or ".").resolve().parent
    try:
        _build = CoverageBuild(coverage_settings(config.extra, root))
    except SettingsError as exc:
        raise PluginError(f"mkdocs.yml: {exc}") from None
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    state = build_state.current
    if state is None or _build is None:
        raise PluginError("mkdocs.yml: mục hooks: phải có hooks/column_hooks.py để kiểm tra chuyên mục")
    try:
        report = coverage.audit(state.catalog.published, _build.settings, state.today)
    except SettingsError as exc:
        raise PluginError(f"mkdocs.yml: {exc}") from None
    _build.report = report
    _log(report)
    generated.add_page_and_data(
        files,
        config,
        (REPORT_PAGE, listings.page_source("Báo cáo chuyên mục theo quý", "report.html")),
        {
            JSON_FILE: coverage_json.dumps(report, config.site_url or None),
            CSV_FILE: coverage.csv_text(report),
        },
        "báo cáo",
    )
    return files


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    if page.file.src_uri == REPORT_PAGE and _build is not None and _build.report is not None:
        context["report"] = _build.report
        context["grid"] = _grid(_build.report)
        context["as_of_day"] = format_day(_build.report.as_of)
        context["downloads"] = DOWNLOADS
    return context


def _log(report: coverage.Report) -> None:
    for v in report.quarters:
        if v.status.failing:
            log.warning(
                f"Quý {v.quarter.key} ({v.quarter.label}) thiếu bài: có {v.count}, "
                f"cần ít nhất {report.settings.min_posts} bài trong chuyên mục"
            )
        elif v.status is Status.EXCUSED:
            log.info(f"Quý {v.quarter.key} ({v.quarter.label}) được miễn: {v.reason}")
        elif v.status is Status.DUE:
            log.info(f"Quý {v.quarter.key} ({v.quarter.label}) chưa có đủ bài, {v.note}")
    for o in report.observances:
        label = f"{o.name} {o.year}"
        if o.failing:
            log.warning(f"{label} ({o.start.isoformat()} đến {o.end.isoformat()}) không có bài nào")
        elif o.status.failing:
            log.info(f"{label} không có bài (tham khảo, không bắt buộc)")
        elif o.status is Status.EXCUSED:
            log.info(f"{label} được miễn: {o.reason}")
        elif o.status is Status.DUE:
            log.info(f"{label} đang diễn ra, chưa có bài, {o.note}")


def _grid(report: coverage.Report) -> Grid:
    """Years (newest first) by quarters I-IV; a cell is a verdict or None (not audited), and a link."""
    by_key = {v.quarter: v for v in report.quarters}
    years = sorted({v.quarter.year for v in report.quarters}, reverse=True)
    rows: Grid = []
    for year in years:
        cells: list[tuple[coverage.Verdict | None, str | None]] = []
        for number in range(1, 5):
            verdict = by_key.get(Quarter(year, number))
            link = (
                listings.url_of(listings.quarter_src(verdict.quarter)) if verdict and verdict.count else None
            )
            cells.append((verdict, link))
        rows.append((year, cells))
    return rows
