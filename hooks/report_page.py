"""What the report page (/bao-cao/) shows, prepared for its template.

The template only loops: every word, date and link of the page comes from here, so the
page, the command's text and coverage.json say the same things from the same audit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from .coverage import Counted, ObservanceVerdict, Report, Verdict, evidence_line, summary_line
from .coverage_json import quarter_anchor
from .dates import format_day, format_short, zone_words
from .evidence import IMPORTED, PUBLISHED, PUBLISHED_MEANS
from .quarters import Quarter
from .settings import SchoolSettings
from .urls import post_url, quarter_src, url_of
from .verdicts import Status


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
    published: str  # the day it reached the site, or "—" (an imported post shows its own date only)
    note: str


@dataclass(frozen=True)
class Term:
    """A word of the report and what it means, for an auditor who has never seen the site built."""

    word: str
    means: str


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
    terms: list[Term]
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
        terms=terms(report),
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
        years.setdefault(v.quarter.year, []).append(PeriodRows(v.quarter.label, v, _rows(v, report)))
    return [YearPosts(year, periods) for year, periods in years.items()]


def terms(report: Report) -> list[Term]:
    """What the dates and the late verdict mean; the imported posts' term only when the report has some."""
    grace = report.settings.late_grace_days
    found = [
        Term("Ngày ghi trên bài", "ngày người viết ghi trên bài; bài được tính cho quý và đợt của ngày này."),
        Term(PUBLISHED, PUBLISHED_MEANS),
        Term(
            Status.LATE.word,
            f"quý (hoặc đợt) đã hết và chỉ đủ bài khi tính cả bài lên trang sau hạn, tức là quá {grace} "
            "ngày sau khi hết quý, nên chưa đạt; trong danh sách bài, bài lên trang sau hạn cũng ghi "
            f"“{Status.LATE.word}”. Bài viết bù rồi ghi lùi ngày, hay bài để nháp mấy tháng rồi mới công "
            "bố, đều tính theo ngày lên trang.",
        ),
    ]
    unjudged = [v for v in report.quarters if not v.checked and v.posts]
    if report.evidence.available and unjudged:
        first = report.evidence.judged_from
        before = f"các quý trước {first.label}" if first is not None else "các quý trong báo cáo"
        found.append(
            Term(
                IMPORTED,
                f"bài của {before} được đăng ở nơi khác rồi chuyển sang trang này, nên chỉ có ngày ghi "
                "trên bài và các quý ấy tính theo ngày này. Ngày chuyển bài sang không phải ngày đăng, nên "
                "báo cáo không ghi.",
            )
        )
    return found


def _rows(v: Verdict | ObservanceVerdict, report: Report) -> list[PostRow]:
    return [
        PostRow(
            c.post.title, post_url(c.post), format_short(c.post.day), c.published_day, _note(c, v, report)
        )
        for c in v.posts
    ]


def _note(c: Counted, v: Verdict | ObservanceVerdict, report: Report) -> str:
    """What an auditor needs beside a post's two dates: why one is missing, or why it is late."""
    if not v.checked:
        return report.evidence.unchecked_note
    end = v.quarter.end if isinstance(v, Verdict) else v.end
    grace = report.settings.late_grace_days
    deadline = f"hạn {format_short(end + timedelta(days=grace))} ({grace} ngày sau khi hết {_kind(v)})"
    unrecorded = (
        f"chưa có trong nhật ký của trang, tính như lên trang ngày {format_short(report.as_of)}"
        if c.published_at is None
        else None
    )
    if c.late:
        when = f"{unrecorded}," if unrecorded else "lên trang"
        return f"{Status.LATE.word}: {when} sau {deadline}, nên không tính cho {_kind(v)} này"
    return f"Đúng hạn: {unrecorded}" if unrecorded else "Đúng hạn"


def _kind(v: Verdict | ObservanceVerdict) -> str:
    return "quý" if isinstance(v, Verdict) else "đợt"
