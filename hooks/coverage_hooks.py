"""MkDocs glue for the coverage audit: log the verdicts, add the report page and its files.

The column hook (listed before this one) has read the posts into ``build_state``;
this hook only audits them, so posts are read once per build.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import get_plugin_logger  # noqa: E402
from mkdocs.structure.files import Files  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from hooks import build_state, coverage, generated, listings  # noqa: E402
from hooks.dates import format_day  # noqa: E402
from hooks.settings import SettingsError  # noqa: E402

log = get_plugin_logger("coverage")

REPORT_ROOT = "bao-cao"
REPORT_PAGE = f"{REPORT_ROOT}/index.md"
_state: dict[str, object] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _state.clear()
    root = Path(config.config_file_path or ".").resolve().parent
    try:
        _state["settings"] = coverage.coverage_settings(config.extra, root)
    except SettingsError as exc:
        raise PluginError(f"mkdocs.yml: {exc}") from None
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    state = build_state.current
    if state.catalog is None or state.today is None:
        raise PluginError(
            "hooks/coverage_hooks.py phải đứng sau hooks/column_hooks.py trong mục hooks: của mkdocs.yml"
        )
    settings: coverage.CoverageSettings = _state["settings"]  # type: ignore[assignment]
    report = coverage.audit(state.catalog.published, settings, state.today)
    _state["report"] = report
    _log(report)
    site_url = config.site_url or None
    generated.add_page_and_data(
        files,
        config,
        (REPORT_PAGE, listings.page_source("Báo cáo chuyên mục theo quý", "report.html")),
        {
            f"{REPORT_ROOT}/coverage.json": coverage.json_text(report, site_url),
            f"{REPORT_ROOT}/coverage.csv": coverage.csv_text(report),
        },
        "báo cáo",
    )
    return files


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    if page.file.src_uri == REPORT_PAGE:
        context["report"] = _state["report"]
        context["grid"] = _grid(_state["report"])  # type: ignore[arg-type]
        context["as_of_day"] = format_day(_state["report"].as_of)  # type: ignore[attr-defined]
    return context


def _log(report: coverage.Report) -> None:
    for v in report.quarters:
        if v.status == "missing":
            log.warning(
                f"Quý {v.quarter.key} ({v.quarter.label}) thiếu bài: có {v.count}, "
                f"cần ít nhất {report.settings.min_posts} bài trong chuyên mục"
            )
        elif v.status == "excused":
            log.info(f"Quý {v.quarter.key} ({v.quarter.label}) được miễn: {v.reason}")
        elif v.status == "due":
            log.info(f"Quý {v.quarter.key} ({v.quarter.label}) chưa có đủ bài, còn {v.days_left} ngày")
    for o in report.observances:
        label = f"{o.name} {o.year}"
        if o.status == "missing" and o.required:
            log.warning(f"{label} ({o.start.isoformat()} đến {o.end.isoformat()}) không có bài nào")
        elif o.status == "missing":
            log.info(f"{label} không có bài (tham khảo, không bắt buộc)")
        elif o.status == "excused":
            log.info(f"{label} được miễn: {o.reason}")
        elif o.status == "due":
            log.info(f"{label} đang diễn ra, chưa có bài, còn {o.days_left} ngày")


def _grid(report: coverage.Report) -> list[tuple[int, list[object]]]:
    """Years (newest first) by quarters I-IV; a cell is a verdict or None (not audited)."""
    by_key = {v.quarter: v for v in report.quarters}
    years = sorted({v.quarter.year for v in report.quarters}, reverse=True)
    rows = []
    for year in years:
        cells = []
        for number in range(1, 5):
            verdict = by_key.get(coverage.Quarter(year, number))
            link = (
                listings.url_of(listings.quarter_src(verdict.quarter)) if verdict and verdict.count else None
            )
            cells.append((verdict, link))
        rows.append((year, cells))
    return rows
