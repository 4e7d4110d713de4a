"""coverage.xlsx and district.xlsx: the report's tables as Excel opens them on any computer.

Excel on a Windows set to Vietnamese takes "," as the decimal mark and ";" as the list
separator, so a comma-separated CSV opens there in a single column. A workbook carries
its cells' types instead: dates are Excel dates, counts and shares numbers (shares shown
as percentages, with the reader's own decimal mark), one sheet a table, the header row
frozen and filtered. The CSVs stay for scripts. Every value comes from the same
:class:`~hooks.coverage.Report` or roll-up that coverage.json and district.json are
written from, and the words are the page's.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

from . import office_package, report_page
from .coverage import Report
from .settings import SchoolSettings
from .urls import post_url
from .verdicts import JUDGED

if TYPE_CHECKING:  # the district's types only: a school's build never imports its HTTP client
    from .district import RollUp


DAY = "dd/mm/yyyy"
MOMENT = "dd/mm/yyyy hh:mm"
PERCENT = "0.0%"  # Excel writes the reader's decimal mark: 66,7% on a Vietnamese Windows
WIDEST = 60  # characters: a long title wraps instead of widening its column past a screen
# What a quarter's verdict rests on: the day its posts reached the site, or (imported posts, or no
# record read) the day written on them.
BY_PUBLISHED, BY_DECLARED = "ngày lên trang", "ngày ghi trên bài"

QUARTER_HEADER = (
    "Quý",
    "Mã quý",
    "Từ ngày",
    "Đến ngày",
    "Số bài",
    "Số bài đúng hạn",
    "Kết quả",
    "Ghi chú",
    "Tính theo",
)
OBSERVANCE_HEADER = (
    "Đợt",
    "Năm",
    "Từ ngày",
    "Đến ngày",
    "Yêu cầu",
    "Số bài",
    "Số bài đúng hạn",
    "Kết quả",
    "Ghi chú",
)
POST_HEADER = ("Quý", "Bài viết", "Ngày ghi trên bài", "Ngày lên trang", "Ghi chú", "Địa chỉ")
TERMS_SHEET = "Cách đọc"
TERMS_HEADER = ("Từ ngữ", "Nghĩa")
SHARE_HEADER = (
    "Quý",
    "Mã quý",
    "Số trường đạt hoặc được miễn",
    JUDGED,
    "Tỉ lệ",
    "So với mục tiêu 100%",
)
MONTH_HEADER = ("Năm", "Số trường tổ chức", JUDGED, "Tỉ lệ", "So với mục tiêu 100%")


def coverage_workbook(report: Report, school: SchoolSettings, site_url: str | None) -> bytes:
    """coverage.xlsx: quarters, observances and posts, one sheet each, and what their words mean."""
    tz = report.settings.timezone
    book = _Book(f"Báo cáo chuyên mục bình đẳng giới theo quý – {school.name}", school.name, report.as_of)
    book.sheet(
        "Theo quý",
        QUARTER_HEADER,
        [
            (
                v.label,
                v.quarter.key,
                v.quarter.start,
                v.quarter.end,
                v.count,
                v.on_time,
                v.word,
                v.reason or v.note or "",
                BY_PUBLISHED if v.checked else BY_DECLARED,
            )
            for v in report.quarters
        ],
    )
    book.sheet(
        "Đợt cao điểm",
        OBSERVANCE_HEADER,
        [
            (o.name, o.year, o.start, o.end, o.need, o.count, o.on_time, o.word, o.reason or o.note or "")
            for o in report.observances
        ],
    )
    view = report_page.build(report, school, site_url)
    rows: list[tuple[Any, ...]] = []
    for verdict, period in zip(report.quarters, _periods(view), strict=True):
        for counted, row in zip(verdict.posts, period.rows, strict=True):
            url = urljoin(site_url, post_url(counted.post)) if site_url else post_url(counted.post)
            published = _local(counted.published_at, tz) if counted.published_at else None
            rows.append((verdict.label, counted.post.title, counted.post.day, published, row.note, url))
    book.sheet("Bài viết", POST_HEADER, rows, links=5 if site_url else None)
    # The page's "Cách đọc báo cáo": a workbook is often all an office keeps.
    book.sheet(
        TERMS_SHEET,
        TERMS_HEADER,
        [("Kết quả căn cứ vào đâu", view.evidence), *((t.word, t.means) for t in view.terms)],
    )
    return book.save()


def _periods(view: report_page.ReportPage) -> list[report_page.PeriodRows]:
    """The page's quarters (newest first, by year) in the report's order, oldest first."""
    return [period for year in reversed(view.years) for period in reversed(year.periods)]


def _local(moment: datetime, tz: ZoneInfo) -> datetime:
    """Excel has no time zones: the site's wall-clock time, to the minute shown."""
    return moment.astimezone(tz).replace(tzinfo=None, microsecond=0)


def district_workbook(rollup: RollUp) -> bytes:
    """district.xlsx: schools by quarter, the shares per quarter, the Action Months."""
    book = _Book("Tổng hợp chuyên mục bình đẳng giới các trường", "", rollup.as_of)
    book.sheet(
        "Theo trường",
        (
            "Trường",
            "Địa chỉ báo cáo",
            "Tình trạng",
            "Báo cáo ngày",
            *(s.label for s in rollup.quarters),
            "Còn thiếu",
            "Lý do không đọc được",
        ),
        [
            (
                r.school.name,
                r.school.report,
                r.word,
                r.as_of,
                *(r.cell(s.quarter, rollup.as_of).word for s in rollup.quarters),
                ", ".join(r.shortfalls),
                r.problem or "",
            )
            for r in rollup.schools
        ],
    )
    book.sheet(
        "Tỉ lệ theo quý",
        SHARE_HEADER,
        [
            (s.label, s.quarter.key, s.ok_or_excused, s.schools, round(s.share, 4), s.shortfall)
            for s in rollup.quarters
        ],
        percent=4,
    )
    book.sheet(
        "Tháng hành động",
        MONTH_HEADER,
        [(m.year, m.ok_or_excused, m.schools, round(m.share, 4), m.shortfall) for m in rollup.action_months],
        percent=3,
    )
    return book.save()


class _Book:
    """A workbook being written: typed cells, a bold frozen filtered header, readable widths."""

    def __init__(self, title: str, author: str, day: date) -> None:
        self.day = day
        self.book = Workbook()
        self.first = True
        props = self.book.properties
        moment = datetime(day.year, day.month, day.day)  # noqa: DTZ001  (openpyxl writes naive times as UTC)
        props.created = props.modified = moment
        props.title = _clean(title)
        props.creator = props.lastModifiedBy = _clean(author) or None
        props.language = "vi-VN"

    def sheet(
        self,
        name: str,
        header: Sequence[str],
        rows: Sequence[Sequence[object]],
        *,
        percent: int | None = None,
        links: int | None = None,
    ) -> None:
        """One table; column ``percent`` holds shares, column ``links`` web addresses (0-based)."""
        if self.first:
            sheet = self.book.active
            sheet.title = name
            self.first = False
        else:
            sheet = self.book.create_sheet(name)
        widths = [len(text) for text in header]
        for column, text in enumerate(header, start=1):
            cell = sheet.cell(row=1, column=column, value=text)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        for number, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=number, column=column)
                if isinstance(value, str) and value:
                    cell.value = _clean(value)
                    cell.data_type = "s"  # text, even when it starts with "=": never a formula
                    if links == column - 1 and value.startswith(("https://", "http://")):
                        cell.hyperlink = value
                        cell.style = "Hyperlink"
                elif value != "":  # an empty text is an empty cell: filters list it as (Blanks)
                    cell.value = value
                if isinstance(value, datetime):
                    cell.number_format = MOMENT
                elif isinstance(value, date):
                    cell.number_format = DAY
                elif percent == column - 1:
                    cell.number_format = PERCENT
                cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str))
                widths[column - 1] = max(widths[column - 1], _width(value))
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, WIDEST)
        sheet.freeze_panes = "A2"
        last = get_column_letter(len(header))
        sheet.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 1)}"

    def save(self) -> bytes:
        out = io.BytesIO()
        # ExcelWriter rather than Workbook.save, which stamps the clock's time as "modified".
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            ExcelWriter(self.book, archive).write_data()
        return office_package.stable(out.getvalue(), self.day)


def _width(value: object) -> int:
    if isinstance(value, datetime):
        return len(MOMENT)
    if isinstance(value, date):
        return len(DAY)
    if isinstance(value, float):
        return 7
    return len(str(value)) if value is not None else 0


def _clean(text: str) -> str:
    """Characters a worksheet cannot hold (a report read from another school may carry any)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)
