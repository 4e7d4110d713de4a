"""What the report page (/bao-cao/) shows, prepared for its template.

The template only loops: every word, date and link of the page comes from here, so the
page, the command's text and coverage.json say the same things from the same audit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .coverage import Counted, ObservanceVerdict, Report, Verdict, evidence_line, summary_line
from .dates import format_day, format_short, zone_words
from .evidence import COMMIT_TIMES
from .listings import post_url, quarter_anchor, quarter_src, url_of
from .quarters import Quarter
from .settings import SchoolSettings


@dataclass(frozen=True)
class GridCell:
    verdict: Verdict | None  # None: not audited
    anchor: str
    link: str | None = None  # the quarter's archive page, when it has posts


@dataclass(frozen=True)
class PostRow:
    title: str
    url: str
    declared: str  # the date written on the post
    published: str  # the day it reached the site, or "—"
    note: str


@dataclass(frozen=True)
class PeriodRows:
    """One quarter or observance and the posts dated in it, with their evidence."""

    label: str
    verdict: Verdict | ObservanceVerdict
    rows: list[PostRow] = field(default_factory=list)


@dataclass(frozen=True)
class YearPosts:
    year: int
    periods: list[PeriodRows]


@dataclass(frozen=True)
class ReportPage:
    report: Report
    school: SchoolSettings
    site_url: str | None
    as_of_day: str
    zone: str
    summary: str
    shortfalls: list[Verdict | ObservanceVerdict]
    evidence: str
    commit_times: str | None
    grid: list[tuple[int, list[GridCell]]]
    years: list[YearPosts]


def build(report: Report, school: SchoolSettings, site_url: str | None) -> ReportPage:
    return ReportPage(
        report=report,
        school=school,
        site_url=site_url,
        as_of_day=format_day(report.as_of),
        zone=zone_words(report.settings.timezone),
        summary=summary_line(report),
        shortfalls=report.shortfalls,
        evidence=evidence_line(report),
        commit_times=COMMIT_TIMES if report.checked_from is not None else None,
        grid=_grid(report),
        years=_years(report),
    )


def _grid(report: Report) -> list[tuple[int, list[GridCell]]]:
    """Years (newest first) by quarters I-IV."""
    by_key = {v.quarter: v for v in report.quarters}
    rows = []
    for year in sorted({v.quarter.year for v in report.quarters}, reverse=True):
        cells = []
        for number in range(1, 5):
            quarter = Quarter(year, number)
            verdict = by_key.get(quarter)
            link = url_of(quarter_src(quarter)) if verdict and verdict.count else None
            cells.append(GridCell(verdict, quarter_anchor(quarter), link))
        rows.append((year, cells))
    return rows


def _years(report: Report) -> list[YearPosts]:
    """Each year's quarters (newest first) with the posts behind their verdicts."""
    years: dict[int, list[PeriodRows]] = {}
    for v in reversed(report.quarters):
        years.setdefault(v.quarter.year, []).append(PeriodRows(v.quarter.label, v, _rows(v)))
    return [YearPosts(year, periods) for year, periods in years.items()]


def _rows(v: Verdict | ObservanceVerdict) -> list[PostRow]:
    return [
        PostRow(
            c.post.title, post_url(c.post), format_short(c.post.day), c.published_day, _note(c, v.checked)
        )
        for c in v.posts
    ]


def _note(c: Counted, checked: bool) -> str:
    if not checked:
        return "không đối chiếu lịch sử"
    if c.published_at is None:
        return "chưa có trong lịch sử của trang"
    return "đăng muộn, không tính cho quý này" if c.late else "đúng hạn"
