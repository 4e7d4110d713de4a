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
from openpyxl.styles import Alignment, Font, NamedStyle  # type: ignore[import-untyped]
from openpyxl.styles.fonts import DEFAULT_FONT  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

from . import office_package, report_page
from .coverage import Report
from .settings import ACTION_MONTH, SchoolSettings
from .urls import post_url
from .verdicts import JUDGED, JUDGED_FROM, Status

if TYPE_CHECKING:  # the district's types only: a school's build never imports its HTTP client
    from .district import RollUp


DAY = "dd/mm/yyyy"
MOMENT = "dd/mm/yyyy hh:mm"
PERCENT = "0.0%"  # Excel writes the reader's decimal mark: 66,7% on a Vietnamese Windows
WIDEST = 60  # characters: a long title wraps instead of widening its column past a screen
# Every cell sits at the top of its row; text wraps. Named styles rather than an Alignment set on
# each cell: openpyxl hashes a cell's alignment each time it is set (0.1 s of the workbook's
# 0.25 s at 1,000 posts), a named style is looked up by its name.
TEXT_STYLE, VALUE_STYLE, HEADER_STYLE = "Chữ", "Số và ngày", "Tên cột"
TOP_WRAPPED = Alignment(vertical="top", wrap_text=True)
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


# What a quarter of a stale report reads once it has ended (``district.SchoolResult.cell``).
NO_RESULT = "Chưa có kết quả"
# A quarter before a school is asked for anything, or one its own report does not cover.
NO_CELL_MEANS = (
    "quý trước quý bắt đầu tính của trường (start: trong danh sách trường), không xét; với trường gửi "
    "báo cáo: báo cáo của trường không có quý này, nên trường không được tính là đạt"
)
SOURCE_MEANS = {
    "report": "báo cáo (coverage.json) của trang chuyên mục của trường; mỗi bài được tính phải mở được trên "
    "máy chủ của trường",
    "feed": "nguồn tin RSS/Atom của chuyên mục trên cổng thông tin của trường; nguồn tin chỉ có các bài mới "
    "nhất (NukeViet 30 bài, WordPress 10 bài)",
    "sitemap": "sitemap của cổng thông tin của trường, các bài có địa chỉ bắt đầu bằng phần đầu (path:) của "
    "chuyên mục",
}
STATE_MEANS = {
    "ok": "mọi quý đã kết thúc và Tháng hành động xét được của trường đều có bài đúng hạn (hoặc được miễn)",
    "missing": "có quý hoặc Tháng hành động đã kết thúc mà không có bài đúng hạn; cột Ghi chú nêu các kỳ thiếu",
    "stale": "báo cáo của trường được lập trước khi quý vừa qua kết thúc (trang web của trường chưa được dựng "
    f'lại), nên các quý kết thúc sau ngày lập báo cáo ghi "{NO_RESULT}"; trạng thái khác kèm "(báo cáo cũ)" '
    "cũng vậy",
    "unreachable": "Phòng không tải được nguồn của trường (địa chỉ sai, máy chủ không trả lời hoặc báo lỗi); "
    "cột Ghi chú nêu lý do; trường không được tính là đạt",
    "unreadable": "tải được nhưng không có gì để xét (ví dụ nguồn tin rỗng vì cổng thông tin đã tắt RSS); "
    "trường không được tính là đạt",
    "invalid": "tệp tải về không phải báo cáo hợp lệ (không phải JSON, khác phiên bản, quá lớn hoặc tự mâu "
    "thuẫn); trường không được tính là đạt",
}
INVALID_SOURCE_MEANS = (
    "địa chỉ ghi ở feed: hay sitemap: không phải nguồn tin RSS/Atom hay sitemap (ví dụ là một trang web); "
    "trường không được tính là đạt"
)
JUDGED_FROM_MEANS = (
    "với nguồn tin RSS/Atom và sitemap: ngày ghi trên bài cũ nhất Phòng thấy được (kể cả trong nhật ký "
    "quan sát; sitemap không ghi ngày đăng: ngày Phòng bắt đầu theo dõi); các quý trước ngày đó không đủ dữ "
    "liệu. Trống với trường gửi báo cáo"
)
INSUFFICIENT_MEANS = (
    'quý cũ hơn ngày "Tính được từ ngày" của trường: nguồn tin RSS/Atom chỉ có các bài mới nhất (sitemap: '
    "không có địa chỉ nào cũ hơn), nên Phòng không kết luận được. Quý đó không tính là đạt, cũng không tính "
    "là thiếu, và trường không được tính vào số trường xét được của quý đó; trường có thể gửi báo cáo "
    "(coverage.json) hoặc sitemap"
)
JUDGED_MEANS = (
    "mẫu số của tỉ lệ: các trường phải có bài trong kỳ, trừ trường không đủ dữ liệu cho kỳ đó và trường "
    "chỉ bắt đầu tính từ kỳ sau. Tỉ lệ = số trường đạt hoặc được miễn / số trường xét được; mục tiêu 100%"
)


def district_terms(rollup: RollUp) -> list[tuple[str, str]]:
    """What every word of the district's documents means: the workbook's "Cách đọc" sheet and the
    Word report's last section say the same, with district.py's and verdicts.py's words."""
    from .district import INSUFFICIENT_WORD, INVALID_SOURCE_WORD, NOT_CHECKED, SchoolState, SourceKind

    grace = rollup.rules.late_grace_days
    cells = {
        Status.OK.word: "quý có đủ số bài đúng hạn trong chuyên mục",
        Status.EXCUSED.word: "trường được miễn quý đó (lý do ghi trong báo cáo của trường); tính như đạt",
        Status.MISSING.word: "quý đã kết thúc mà không có bài nào trong chuyên mục",
        Status.LATE.word: (
            f"bài ghi ngày trong quý nhưng lên trang sau khi quý kết thúc quá {grace} ngày (với nguồn tin "
            "RSS/Atom và sitemap: Phòng thấy lần đầu sau hạn đó, theo nhật ký quan sát của Phòng); quý chỉ "
            "có bài như vậy không được tính là đạt"
        ),
        Status.DUE.word: "quý (hoặc Tháng hành động) chưa kết thúc và chưa có bài; chưa tính là thiếu",
        NO_RESULT: (
            "quý kết thúc sau ngày trường lập báo cáo (báo cáo cũ): chưa biết kết quả, trường không được "
            "tính là đạt"
        ),
        INSUFFICIENT_WORD: INSUFFICIENT_MEANS,
        NOT_CHECKED: (
            "bài có trước khi Phòng bắt đầu ghi nhật ký quan sát: tính theo ngày ghi trên bài, vì Phòng "
            "không biết bài lên trang ngày nào"
        ),
        "—": NO_CELL_MEANS,
    }
    terms = list(cells.items())
    for state in SchoolState:
        means = STATE_MEANS[state.value]
        if state.word in cells:  # "Thiếu bài": a quarter's verdict, and a school's state
            index = [word for word, _ in terms].index(state.word)
            terms[index] = (state.word, f"ở một quý: {cells[state.word]}; ở cột Tình trạng: {means}")
        else:
            terms.append((state.word, means))
        if state is SchoolState.INVALID:  # the same state, for a school that sends no report
            terms.append((INVALID_SOURCE_WORD, INVALID_SOURCE_MEANS))
    terms += [(kind.word, SOURCE_MEANS[kind.value]) for kind in SourceKind]
    terms += [
        (JUDGED_FROM, JUDGED_FROM_MEANS),
        (JUDGED, JUDGED_MEANS),
        (
            f"{ACTION_MONTH} ({rollup.action_month_days})",
            "đợt bắt buộc mỗi năm: trường cần ít nhất một bài ghi ngày trong đợt",
        ),
    ]
    return terms


def district_workbook(rollup: RollUp) -> bytes:
    """district.xlsx: schools by quarter (the CSV's table, typed), the shares per quarter, the Action
    Months, and what the words mean."""
    book = _Book("Tổng hợp chuyên mục bình đẳng giới các trường", "", rollup.as_of)
    book.sheet("Theo trường", *rollup.school_table())
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
    book.sheet(TERMS_SHEET, TERMS_HEADER, district_terms(rollup))
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
        for name, font, wrap in (
            (TEXT_STYLE, DEFAULT_FONT, True),
            (VALUE_STYLE, DEFAULT_FONT, False),
            (
                HEADER_STYLE,
                Font(name=DEFAULT_FONT.name, sz=DEFAULT_FONT.sz, family=DEFAULT_FONT.family, b=True),
                True,
            ),
        ):
            alignment = Alignment(vertical="top", wrap_text=wrap)
            self.book.add_named_style(NamedStyle(name=name, font=font, alignment=alignment))

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
            cell.style = HEADER_STYLE
        for number, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=number, column=column)
                if isinstance(value, str) and value:
                    cell.value = _clean(value)
                    cell.data_type = "s"  # text, even when it starts with "=": never a formula
                    if links == column - 1 and value.startswith(("https://", "http://")):
                        cell.hyperlink = value
                        cell.style = "Hyperlink"
                        cell.alignment = TOP_WRAPPED
                    else:
                        cell.style = TEXT_STYLE
                else:
                    cell.style = TEXT_STYLE if isinstance(value, str) else VALUE_STYLE
                    if value != "":  # an empty text is an empty cell: filters list it as (Blanks)
                        cell.value = value
                if isinstance(value, datetime):
                    cell.number_format = MOMENT
                elif isinstance(value, date):
                    cell.number_format = DAY
                elif percent == column - 1:
                    cell.number_format = PERCENT
                widths[column - 1] = max(widths[column - 1], _width(value))
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, WIDEST)
        sheet.freeze_panes = "A2"
        last = get_column_letter(len(header))
        sheet.auto_filter.ref = f"A1:{last}{max(len(rows) + 1, 1)}"

    def save(self) -> bytes:
        out = io.BytesIO()
        # ExcelWriter rather than Workbook.save, which stamps the clock's time as "modified".
        # Stored, not compressed: stable() writes the package again, compressed once there.
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
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
