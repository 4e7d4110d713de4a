"""The report as an administrative document: Word files in the layout of Nghị định 30/2020/NĐ-CP.

A school reports to the district office, and the office to the department, on paper
signed and stamped; offices edit such documents in Word before signing. So the site
builds them: ``bao-cao/bao-cao-<năm>.docx`` for each audited year, from the same
:class:`~hooks.coverage.Report` the report page and coverage.json show, and the
district's ``tong-hop/bao-cao-tong-hop-<năm>.docx`` from its roll-up. Every verdict
word, date and sentence about the evidence comes from the modules the page uses
(``coverage``, ``report_page``, ``district``): the documents cannot say otherwise.

Layout (Phụ lục I of the decree): A4, margins 20/20/30/15 mm, Times New Roman; the
heading as a borderless two-column table (the governing body over the issuing body,
with its short rule; the national title over the motto, with its rule; the number
left for the clerk; place and date in italics); the kind and subject in bold; body
at 14 pt, justified, first lines indented; "Nơi nhận:" and the signature block; page
numbers from page 2, centred at the top (a PAGE field, first page different).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING
from urllib.parse import urljoin
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsmap, qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from . import office_package, report_page
from .coverage import ObservanceVerdict, Report, Verdict
from .dates import format_short
from .plans import Plan
from .quarters import Quarter
from .report_xlsx import NO_RESULT, district_terms
from .settings import ACTION_MONTH, SchoolSettings
from .verdicts import JUDGED, Status

if TYPE_CHECKING:  # the district's types only: a school's build never imports its HTTP client
    from .district import QuarterShare, RollUp, SchoolResult


FONT = "Times New Roman"
TABLE_STYLE = "Chữ trong bảng"
TABLE_CENTRED_STYLE = "Chữ trong bảng, căn giữa"
BODY_PT = 14  # the decree: 13-14 pt
TABLE_PT = 12
HEADING_PT = 12  # the governing and issuing bodies, the national title: 12-13 pt
MOTTO_PT = 13
RECIPIENTS_PT = 12  # "Nơi nhận:" is 12 pt, its list 11 pt
PAGE_MM = (210, 297)  # A4
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 165
CELL_PAD_MM = 1.9  # Word's default cell margin (108 twips) on each side
INDENT_MM = 12.7  # a paragraph's first line: 1-1.27 cm
HEADING_COLUMNS_MM = (67, TEXT_MM - 67)

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
NUMBER = "Số: …/BC-…"  # left for the clerk, who numbers the document when it is signed
UNKNOWN = "…………"  # a place or a recipient not set in mkdocs.yml: written in by hand
SUBJECT = "Kết quả duy trì chuyên mục tuyên truyền về bình đẳng giới năm {year}"
DISTRICT_SUBJECT = (
    "Tổng hợp kết quả duy trì chuyên mục tuyên truyền về bình đẳng giới của các trường năm {year}"
)
RECIPIENTS = ("- Như trên;", "- Lưu: VT.")  # "Như trên": whom "Kính gửi:" names
SCHOOL_SIGNER = "HIỆU TRƯỞNG"
DISTRICT_SIGNER = "TRƯỞNG PHÒNG"

# Characters XML 1.0 cannot carry (a report read from another school may hold any).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def official_date(place: str | None, day: date) -> str:
    """``Thanh Xuân, ngày 05 tháng 12 năm 2026``: days below 10 and months 1-2 with a leading 0 (the decree)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place or UNKNOWN}, ngày {day.day:02d} tháng {month} năm {day.year}"


# --- the school's report -------------------------------------------------------------------------


def year_slice(report: Report, year: int) -> Report:
    """The audit of one year: its quarters and observances, judged as the whole report judged them.

    The same functions then say the same words of it (``summary_line``, ``evidence_line``,
    ``report_page.build``).
    """
    return replace(
        report,
        start=max(report.start, Quarter(year, 1)),
        quarters=tuple(v for v in report.quarters if v.quarter.year == year),
        observances=tuple(o for o in report.observances if o.year == year),
    )


def school_document(
    report: Report, year: int, school: SchoolSettings, plans: Sequence[Plan], site_url: str | None
) -> bytes:
    """``bao-cao-<year>.docx``: the school's report of ``year`` to the district office."""
    sliced = year_slice(report, year)
    view = report_page.build(sliced, school, site_url)
    subject = SUBJECT.format(year=year)
    paper = _Paper(f"Báo cáo {subject[0].lower()}{subject[1:]}", school.name, report.as_of)
    paper.heading(school.parent, school.name, school.place)
    paper.title(subject, school.reports_to)

    opening = f"{school.name} báo cáo {subject[0].lower()}{subject[1:]} trên trang thông tin điện tử của nhà trường như sau:"
    answers = _answers(plans, year)
    paper.body(f"Thực hiện {answers}, {opening}" if answers else opening)
    where = f"Trang chuyên mục: {site_url}. " if site_url else ""
    paper.body(
        f"{where}Số liệu tính đến ngày {format_short(report.as_of)} ({view.zone}); kiểm tra từ "
        f"{sliced.start.label}, mỗi quý cần ít nhất {report.settings.min_posts} bài."
    )

    paper.section("I. KẾT QUẢ THEO QUÝ")
    paper.table(
        ("Quý", "Số bài", "Số bài đúng hạn", "Kết quả", "Ghi chú"),
        [(v.label, str(v.count), str(v.on_time), v.word, _note(v)) for v in sliced.quarters],
        (30, 18, 24, 30, 63),
        centred=(1, 2),
    )
    paper.body(view.summary)

    paper.section(f"II. {ACTION_MONTH.upper()} VÀ CÁC ĐỢT CAO ĐIỂM")
    if sliced.observances:
        paper.table(
            ("Đợt", "Thời gian", "Yêu cầu", "Số bài", "Kết quả", "Ghi chú"),
            [(o.label, o.period, o.need, str(o.count), o.word, _note(o)) for o in sliced.observances],
            (46, 30, 22, 15, 24, 28),
            centred=(3,),
        )
    else:
        paper.body(f"Chưa có đợt nào trong năm {year}.")

    paper.section("III. CÁC BÀI ĐÃ ĐĂNG")
    rows: list[tuple[Cell, ...]] = []
    for year_posts in view.years:
        for period in reversed(
            year_posts.periods
        ):  # the page shows the newest first; a report reads in order
            if not period.rows:
                rows.append((period.label, "Không có bài."))
            for row in period.rows:
                # A site without site_url has no address to give: the title alone.
                title = Linked(row.title, urljoin(site_url, row.url)) if site_url else row.title
                rows.append((period.label, title, row.declared, row.published, row.note))
    paper.table(
        ("Quý", "Bài viết", "Ngày ghi trên bài", "Ngày lên trang", "Ghi chú"),
        rows,
        (24, 53, 24, 24, 40),
        centred=(2, 3),
        merge_first=True,
    )

    paper.section("IV. CÁC QUÝ ĐƯỢC MIỄN")
    excused = sliced.excused
    for v in excused:
        paper.body(f"- {v.label}: {v.reason}.")
    if not excused:
        paper.body("Không có quý nào được miễn.")

    paper.section("V. CÁCH ĐỌC BÁO CÁO")
    paper.body(view.evidence)
    for term in view.terms:
        paper.body(f"- {term.word}: {term.means}")

    paper.body(f"Trên đây là báo cáo {subject[0].lower()}{subject[1:]} của {school.name}./.")
    paper.signature(SCHOOL_SIGNER, school.principal)
    return paper.save()


def _note(v: Verdict | ObservanceVerdict) -> str:
    """What the verdict word alone doesn't say: why excused, or the days left."""
    return v.reason or v.note or ""


def _answers(plans: Sequence[Plan], year: int) -> str:
    """The plans of ``year`` on the site's plan pages, as the report cites them."""
    cited = []
    for plan in sorted((p for p in plans if p.year == year), key=lambda p: (p.date, p.src_uri)):
        if plan.number:
            cited.append(f"Kế hoạch số {plan.number} ngày {format_short(plan.date)} của {plan.issuer}")
        else:
            cited.append(f"{plan.title}, ban hành ngày {format_short(plan.date)}")
    return "; ".join(cited)


# --- the district's report -----------------------------------------------------------------------


def district_years(rollup: RollUp) -> list[int]:
    return sorted({s.quarter.year for s in rollup.quarters})


def district_document(rollup: RollUp, year: int, office: SchoolSettings, plans: Sequence[Plan]) -> bytes:
    """``bao-cao-tong-hop-<year>.docx``: the district office's roll-up of ``year`` to the department."""
    from .district import INSUFFICIENT_WORD  # the district's build only: it fetches over HTTP

    subject = DISTRICT_SUBJECT.format(year=year)
    paper = _Paper(f"Báo cáo {subject[0].lower()}{subject[1:]}", office.name, rollup.as_of)
    paper.heading(office.parent, office.name, office.place)
    paper.title(subject, office.reports_to)

    count = len(rollup.schools)
    opening = (
        f"{office.name} báo cáo {subject[0].lower()}{subject[1:]} ({count} trường), theo "
        f"{_sources(rollup)}, số liệu tính đến ngày {format_short(rollup.as_of)}, như sau:"
    )
    answers = _answers(plans, year)
    paper.body(f"Thực hiện {answers}, {opening}" if answers else opening)
    paper.body(
        "Mục tiêu của kế hoạch: 100% trang thông tin điện tử của các trường có chuyên mục nâng cao "
        "nhận thức về bình đẳng giới, được cập nhật mỗi quý."
    )

    quarters = [s for s in rollup.quarters if s.quarter.year == year]
    paper.section("I. TỈ LỆ TRƯỜNG CÓ BÀI THEO QUÝ")
    paper.table(
        ("Quý", "Số trường đạt hoặc được miễn", JUDGED, "Tỉ lệ", "So với mục tiêu 100%"),
        [_share_row(s, s.label) for s in quarters],
        (30, 35, 30, 25, 45),
        centred=(1, 2, 3),
    )

    month = next((m for m in rollup.action_months if m.year == year), None)
    paper.section(f"II. {ACTION_MONTH.upper()} ({rollup.action_month_days})")
    if month is not None:
        paper.table(
            ("Năm", "Số trường tổ chức", JUDGED, "Tỉ lệ", "So với mục tiêu 100%"),
            [_share_row(month, str(year))],
            (30, 35, 30, 25, 45),
            centred=(1, 2, 3),
        )
    else:
        paper.body(f"Chưa có trường nào báo cáo {ACTION_MONTH} năm {year}.")

    paper.section("III. CÁC TRƯỜNG CHƯA ĐẠT TỪNG KỲ")
    for share in quarters:
        asked = [r for r in rollup.schools if _asked(rollup, r, share.quarter)]
        unknown = [r for r in asked if share.quarter in r.insufficient]
        words = [
            (r, _quarter_word(r, share.quarter, rollup.as_of))
            for r in asked
            if share.quarter not in r.insufficient
        ]
        paper.body(_short_of(share.label, words, unknown, INSUFFICIENT_WORD))
    if month is not None:
        end = rollup.rules.action_month.period(year)[1]
        asked = [r for r in rollup.schools if _asked(rollup, r, Quarter.of(end))]
        unknown = [r for r in asked if r.month_unknown(year)]
        words = [(r, _month_word(r, year, end, rollup.as_of)) for r in asked if not r.month_unknown(year)]
        paper.body(_short_of(month.label, words, unknown, INSUFFICIENT_WORD))

    paper.section("IV. CÁC TRƯỜNG CHƯA CÓ SỐ LIỆU ĐẦY ĐỦ")
    told = [line for r in rollup.schools if (line := _source_line(r, INSUFFICIENT_WORD))]
    for line in told:
        paper.body(line)
    for note in rollup.notes:
        paper.body(note)
    if not told:
        paper.body("Nguồn dữ liệu của tất cả các trường đều đọc được, cập nhật và đủ để xét mọi quý.")

    paper.section("V. CÁCH ĐỌC BÁO CÁO")
    for term, means in district_terms(rollup):
        paper.body(f"- {term}: {means}.")

    paper.body(f"Trên đây là báo cáo {subject[0].lower()}{subject[1:]} của {office.name}./.")
    paper.signature(DISTRICT_SIGNER, office.principal)
    return paper.save()


def _sources(rollup: RollUp) -> str:
    """Where the figures come from, by the kinds of source the schools list names."""
    from .district import SourceKind

    counts = {kind: sum(1 for r in rollup.schools if r.school.kind is kind) for kind in SourceKind}
    kinds = {
        SourceKind.REPORT: "báo cáo trên trang chuyên mục của {n} trường",
        SourceKind.FEED: "nguồn tin (RSS/Atom) của chuyên mục trên cổng thông tin của {n} trường",
        SourceKind.SITEMAP: "sitemap của cổng thông tin của {n} trường",
    }
    parts = [kinds[kind].format(n=n) for kind, n in counts.items() if n]
    if len(parts) == 1:  # one kind for every school
        parts = [kinds[next(kind for kind, n in counts.items() if n)].format(n="từng")]
    if not parts:
        return "danh sách trường"
    text = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} và {parts[-1]}"
    if counts[SourceKind.FEED] or counts[SourceKind.SITEMAP]:
        text += ", đối chiếu với nhật ký quan sát của Phòng (ngày Phòng thấy mỗi bài lần đầu)"
    return text


def _asked(rollup: RollUp, result: SchoolResult, quarter: Quarter) -> bool:
    """Whether the share of ``quarter`` asks anything of this school, as ``district.summarise``
    decides: not before the school's own ``start:`` (or, for a feed or sitemap, the district's)."""
    from .district import SourceKind

    start = result.school.start or (
        rollup.rules.start if result.school.kind is not SourceKind.REPORT else None
    )
    return start is None or quarter >= start


# A period the school's own report does not cover: counted as not met, and not "Chưa có kết quả"
# (that is a stale report's period that has ended since).
NOT_IN_REPORT = "báo cáo không có kỳ này"


def _quarter_word(result: SchoolResult, quarter: Quarter, today: date) -> str | None:
    """Why a school judged for a quarter does not count for it, in the page's words; None when it counts."""
    reported = result.cells.get(quarter)
    if reported is not None and reported.status.met:
        return None
    if reported is None:
        return result.state.word if result.problem else NOT_IN_REPORT
    return result.cell(quarter, today).word


def _month_word(result: SchoolResult, year: int, end: date, today: date) -> str | None:
    """Why a school judged for the Action Month of ``year`` does not count for it; None when it counts."""
    status = result.held(year)
    if status is not None and status.met:
        return None
    if status is None:
        return result.state.word if result.problem else NOT_IN_REPORT
    if status is Status.DUE and end < today:  # a stale report, made while the month ran
        return NO_RESULT
    return status.word


def _short_of(
    label: str,
    words: Sequence[tuple[SchoolResult, str | None]],
    unknown: Sequence[SchoolResult],
    insufficient: str,
) -> str:
    """``- Quý I/2026 (2 trường): Trường A (thiếu bài), Trường B (không tải được).``: the share's
    shortfall by name, then the schools not judged for the period (``Không đủ dữ liệu``), which the
    share leaves out."""
    short = [f"{r.school.name} ({word.lower()})" for r, word in words if word is not None]
    if short:
        text = f"- {label} ({len(short)} trường): {', '.join(short)}."
    elif unknown and not words:
        text = f"- {label}: không có trường nào xét được."
    else:
        text = f"- {label}: tất cả các trường{' xét được' if unknown else ''} đều đạt."
    if unknown:
        # A source that could not be read this time is not judged either: it says why.
        names = ", ".join(
            f"{r.school.name} ({r.word.lower()})" if r.problem else r.school.name for r in unknown
        )
        text += f" {insufficient} ({len(unknown)} trường, không xét, không tính vào tỉ lệ): {names}."
    return text


def _source_line(result: SchoolResult, insufficient: str) -> str | None:
    """What the office should know of one school's source, as the page says it: why it could not
    be read, a stale report, the periods it cannot be judged for, and the notes on its source."""
    parts = []
    if result.problem:
        parts.append(f"{result.word.lower()}, {result.problem} ({result.school.report})")
    elif result.stale:
        parts.append(
            f"báo cáo cũ, lập ngày {result.as_of_short}, chưa có kết quả các quý kết thúc sau ngày đó"
        )
    if result.insufficient:
        first, last = min(result.insufficient), max(result.insufficient)
        span = first.label if first == last else f"{first.label} – {last.label}"
        since = f" (tính được từ {result.judged_from_short})" if result.judged_from else ""
        parts.append(f"{span}: {insufficient.lower()}{since}")
    parts += [note.rstrip(".") for note in result.notes]
    if result.failed_posts:
        parts.append("bài không mở được, không được tính: " + ", ".join(result.failed_posts))
    if not parts:
        return None
    return f"- {result.school.name} ({result.source_word}): {'; '.join(parts)}."


def _share_row(share: QuarterShare, label: str) -> tuple[str, ...]:
    """A share as the district page shows it, with the decimal comma of Vietnamese documents."""
    return (
        label,
        str(share.ok_or_excused),
        str(share.schools),
        share.percent.replace(".", ","),
        share.shortfall,
    )


# --- the layout ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Linked:
    """A table cell's text with its web address under it (a post and where it is)."""

    text: str
    url: str


Cell = str | Linked


class _Paper:
    """One administrative document being written: the decree's page, fonts and blocks."""

    def __init__(self, title: str, author: str, day: date) -> None:
        self.day = day
        self.doc: DocxDocument = Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        section.header_distance = section.footer_distance = Mm(10)
        self._fonts()
        # Page numbers from page 2, centred at the top: a PAGE field, and a first page of its own.
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        number = section.header.paragraphs[0]
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(number)
        self._properties(title, author)

    def _fonts(self) -> None:
        """Times New Roman for every script (Vietnamese is "complex" to no one, but Word asks each)."""
        styles = self.doc.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        fonts = (
            defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
            if defaults is not None
            else None
        )
        if fonts is not None:
            for name in list(fonts.attrib):
                del fonts.attrib[name]  # theme fonts (Calibri, Cambria) out
            _all_scripts(fonts)
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_PT)
        rpr = normal.element.get_or_add_rPr()
        _all_scripts(rpr.get_or_add_rFonts())
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), "vi-VN")
        form = normal.paragraph_format
        form.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        form.space_before, form.space_after = Pt(0), Pt(6)
        form.line_spacing = 1.15
        # Tables' text as styles of their own: one place to change it in Word, and a small file.
        self.cells = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        self.cells.base_style = normal
        self.cells.font.size = Pt(TABLE_PT)
        form = self.cells.paragraph_format
        form.alignment = WD_ALIGN_PARAGRAPH.LEFT
        form.space_before = form.space_after = Pt(0)
        form.line_spacing = 1.0
        self.centred = styles.add_style(TABLE_CENTRED_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        self.centred.base_style = self.cells
        self.centred.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def _properties(self, title: str, author: str) -> None:
        """Dated the build's day, never the clock's: the same site gives the same file."""
        props = self.doc.core_properties
        moment = datetime(self.day.year, self.day.month, self.day.day, tzinfo=timezone.utc)
        props.title = _clean(title)
        props.author = props.last_modified_by = _clean(author)
        props.comments = ""
        props.language = "vi-VN"
        props.revision = 1
        props.created = props.modified = moment
        package = self.doc.part.package
        for rel_id, rel in list(package.rels.items()):
            if rel.reltype == RT.THUMBNAIL:  # python-docx's template's picture of another document
                del package.rels[rel_id]

    # --- blocks ---

    def heading(self, parent: str | None, issuer: str, place: str | None) -> None:
        """The decree's heading: two columns, no borders."""
        table = self.doc.add_table(rows=2, cols=2)
        _widths(table, HEADING_COLUMNS_MM)
        left, right = table.rows[0].cells
        first = True
        if parent:
            _text(_line(left, first), parent.upper(), size=HEADING_PT)
            first = False
        _text(_line(left, first), issuer.upper(), bold=True, size=HEADING_PT)
        _rule(left, 22, HEADING_COLUMNS_MM[0])
        _text(_line(right, True), NATIONAL_TITLE, bold=True, size=HEADING_PT)
        _text(_line(right, False), MOTTO, bold=True, size=MOTTO_PT)
        _rule(right, 56, HEADING_COLUMNS_MM[1])
        number, when = table.rows[1].cells
        _text(_line(number, True, before=6), NUMBER, size=MOTTO_PT)
        _text(_line(when, True, before=6), official_date(place, self.day), italic=True, size=BODY_PT)

    def title(self, subject: str, addressee: str | None) -> None:
        for text, before in (("BÁO CÁO", 18), (subject, 0)):
            paragraph = self.doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_before = Pt(before)
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.keep_with_next = True
            _text(paragraph, text, bold=True)
        to = self.doc.add_paragraph()
        to.alignment = WD_ALIGN_PARAGRAPH.CENTER
        to.paragraph_format.space_before = Pt(12)
        to.paragraph_format.space_after = Pt(12)
        _text(to, f"Kính gửi: {addressee or UNKNOWN}")

    def section(self, text: str) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Mm(INDENT_MM)
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.paragraph_format.keep_with_next = True
        _text(paragraph, text, bold=True)

    def body(self, text: str) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Mm(INDENT_MM)
        _text(paragraph, text)

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[Cell]],
        widths: Sequence[float],
        *,
        centred: Sequence[int] = (),
        merge_first: bool = False,
    ) -> None:
        """A bordered table at 12 pt, its header row repeated on every page it spans.

        A row shorter than the header has its last value span the rest of the row; with
        ``merge_first``, rows with the same first value share one merged cell for it.

        python-docx makes the table and its grid; the rows are written as WordprocessingML
        text and parsed at once: its object model places each element by searching its
        siblings, which took a second a build at 1,000 posts (bench/NOTES.md, item 13).
        """
        table = self.doc.add_table(rows=0, cols=len(header), style="Table Grid")
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _widths(table, widths)
        twips = [Mm(width).twips for width in widths]
        styles = [
            (self.centred if column in centred else self.cells).style_id for column in range(len(header))
        ]
        out = [f"<w:tbl {_NAMESPACES}><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"]
        for text, width in zip(header, twips, strict=True):
            out.append(
                _cell_xml(width, "", [_paragraph_xml(self.centred.style_id, _run_xml(text, bold=True))])
            )
        out.append("</w:tr>")
        for index, row in enumerate(rows):
            out.append("<w:tr>")
            first = not merge_first or index == 0 or row[0] != rows[index - 1][0]
            spans_down = merge_first and index + 1 < len(rows) and rows[index + 1][0] == row[0]
            for column, value in enumerate(row):
                span = len(header) - column if column == len(row) - 1 else 1
                width = sum(twips[column : column + span])
                merge = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
                if column == 0 and merge_first and not first:
                    out.append(_cell_xml(width, merge + "<w:vMerge/>", ["<w:p/>"]))  # the label is above
                    continue
                if column == 0 and spans_down:
                    merge += '<w:vMerge w:val="restart"/>'
                out.append(_cell_xml(width, merge, self._cell_paragraphs(value, styles[column])))
            out.append("</w:tr>")
        out.append("</w:tbl>")
        for tr in parse_xml("".join(out)).findall(qn("w:tr")):
            table._tbl.append(tr)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def _cell_paragraphs(self, value: Cell, style: str) -> list[str]:
        if isinstance(value, Linked):
            rel_id = self.doc.part.relate_to(value.url, RT.HYPERLINK, is_external=True)
            return [
                _paragraph_xml(style, _run_xml(value.text)),
                _paragraph_xml(style, _link_xml(rel_id, value.url)),
            ]
        return [_paragraph_xml(style, _run_xml(value))]

    def signature(self, title: str, name: str | None) -> None:
        """ "Nơi nhận:" on the left; the signer's title, room to sign and stamp, and the name on the right."""
        table = self.doc.add_table(rows=1, cols=2)
        _widths(table, (80, TEXT_MM - 80))
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        recipients, signer = table.rows[0].cells
        left = WD_ALIGN_PARAGRAPH.LEFT
        _text(
            _line(recipients, True, align=left, before=6),
            "Nơi nhận:",
            bold=True,
            italic=True,
            size=RECIPIENTS_PT,
        )
        for item in RECIPIENTS:
            _text(_line(recipients, False, align=left), item, size=RECIPIENTS_PT - 1)
        _text(_line(signer, True, before=6), title, bold=True)
        for _ in range(4):
            _line(signer, False)
        _text(_line(signer, False), name or "", bold=True)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return office_package.stable(out.getvalue(), self.day)


# --- small XML helpers -----------------------------------------------------------------------------


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _text(
    paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False, size: int | None = BODY_PT
) -> None:
    """A run of ``text``; ``size`` None leaves it to the paragraph's style."""
    run = paragraph.add_run(_clean(text))
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if size is not None:
        run.font.size = Pt(size)


def _line(
    cell: _Cell,
    first: bool,
    *,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    before: float = 0,
) -> Paragraph:
    """A table cell's paragraph: its first (every cell has one) or a new one; single-spaced."""
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = align
    form = paragraph.paragraph_format
    form.space_before, form.space_after = Pt(before), Pt(0)
    form.line_spacing = 1.0
    return paragraph


def _all_scripts(fonts: object) -> None:
    for script in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{script}"), FONT)  # type: ignore[attr-defined]


def _widths(table: Table, widths_mm: Sequence[float], grid: Sequence[Sequence[_Cell]] | None = None) -> None:
    """Fixed column widths, in the grid (LibreOffice reads it) and in every cell (Word reads those)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for cells in grid if grid is not None else [row.cells for row in table.rows]:
        for cell, width in zip(cells, widths_mm, strict=True):
            cell.width = Mm(width)


# What may follow <w:pBdr> in a <w:pPr> (ECMA-376 order), so that the border goes in its place.
_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
    "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _rule(cell: _Cell, length_mm: float, cell_mm: float) -> None:
    """The decree's short line under a name: a top border on a tiny paragraph, centred by its indents."""
    paragraph = cell.add_paragraph()
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "auto")):
        top.set(qn(f"w:{key}"), value)
    border.append(top)
    ppr.insert_element_before(border, *_AFTER_BORDER)
    side = max((cell_mm - 2 * CELL_PAD_MM - length_mm) / 2, 0)
    form = paragraph.paragraph_format
    form.left_indent = form.right_indent = Mm(side)
    form.space_before, form.space_after = Pt(4), Pt(0)
    form.line_spacing = Pt(4)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _page_field(paragraph: Paragraph) -> None:
    """A PAGE field (Word and LibreOffice fill in the number); "2" shows until they do."""
    for kind, text in (
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "2"),
        ("end", None),
    ):
        run = paragraph.add_run()
        run.font.size = Pt(BODY_PT - 1)
        if kind == "text":
            run.text = text or ""
            continue
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


# --- a table's rows as text (_Paper.table) ---------------------------------------------------------

_NAMESPACES = f'xmlns:w="{nsmap["w"]}" xmlns:r="{nsmap["r"]}"'
# What python-docx writes for a run's text: tabs and line breaks as elements of their own.
_RUN_BREAKS = re.compile(r"(\t|\r|\n)")


def _cell_xml(width: int, merge: str, paragraphs: list[str]) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{merge}</w:tcPr>{"".join(paragraphs)}</w:tc>'


def _paragraph_xml(style: str, content: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{escape(style, _QUOTE)}"/></w:pPr>{content}</w:p>'


_QUOTE = {'"': "&quot;"}


def _run_xml(text: str, *, bold: bool = False) -> str:
    """The run :func:`_text` makes (``size=None``), as python-docx would write it."""
    parts = []
    for piece in _RUN_BREAKS.split(_clean(text)):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            parts.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if piece.strip() != piece else ""
            parts.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return f"<w:r>{'<w:rPr><w:b/></w:rPr>' if bold else ''}{''.join(parts)}</w:r>"


def _link_xml(rel_id: str, url: str) -> str:
    """A web address that opens when clicked, in the blue and underline Word gives links."""
    return (
        f'<w:hyperlink r:id="{rel_id}"><w:r><w:rPr><w:color w:val="0563C1"/>'
        f'<w:sz w:val="{2 * (TABLE_PT - 1)}"/><w:u w:val="single"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(_clean(url))}</w:t></w:r></w:hyperlink>'
    )
