"""The documents the offices file: Word reports in the decree's layout, Excel workbooks, read back.

A small school site and a small district site are built for real; python-docx and openpyxl
read what they wrote, and every table is compared with coverage.json or district.json, so
the documents cannot say other than the page and the JSON. LibreOffice renders a report
to PDF and pdftoppm to PNG (test-artifacts/), as the office would print it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Build, epoch, post, run_build, write_site
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length
from openpyxl import load_workbook  # type: ignore[import-untyped]

from hooks import coverage_json, office_package, report_docx
from hooks.coverage import audit
from hooks.dates import zone
from hooks.district import QuarterShare, SchoolState, SourceKind
from hooks.evidence import UNCHECKED
from hooks.posts import Post
from hooks.quarters import Quarter
from hooks.settings import coverage_settings
from hooks.verdicts import NO_POST_WORD, Status

TZ = zone("Asia/Ho_Chi_Minh")
TODAY = date(2026, 12, 5)
FONT = "Times New Roman"
ARTIFACTS = ROOT / "test-artifacts"

SCHOOL = """
  school:
    name: Trường Mầm non Thử
    parent: UBND quận Thanh Xuân
    place: Thanh Xuân
    reports_to: Phòng Giáo dục và Đào tạo quận Thanh Xuân
    principal: Nguyễn Thị Mai
  coverage:
    start: 2025-Q3
    excused:
      2025-Q3: "Trường sửa chữa"
"""
POSTS = {
    "2025/thang-hanh-dong.md": post("Phát động Tháng hành động", "2025-11-20"),
    "2026/quy-1.md": post("Bài quý một", "2026-02-10"),
    "2026/cong-thuc.md": post("'=1+1 không phải công thức'", "2026-08-01"),
    "2026/quy-3.md": post("Bài quý ba", "2026-09-30"),
}
PLAN = """
    ---
    title: Kế hoạch bình đẳng giới năm 2026 của Phòng GD&ĐT
    number: 12/KH-PGDĐT
    date: 2026-01-15
    issuer: Phòng Giáo dục và Đào tạo quận Thanh Xuân
    year: 2026
    summary: Mỗi quý có bài trong chuyên mục.
    ---

    Nội dung.
"""


@pytest.fixture(scope="module")
def school_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = write_site(
        tmp_path_factory.mktemp("truong"), POSTS, extra=SCHOOL, docs={"ke-hoach/2026-pgddt.md": PLAN}
    )
    build = run_build(root, today=epoch(2026, 12, 5))
    assert build.code == 0, build.log
    return build


def coverage(build: Build) -> dict[str, Any]:
    return json.loads((build.site / "bao-cao/coverage.json").read_text(encoding="utf-8"))


def word(build: Build, name: str) -> DocxDocument:
    return Document(str(build.site / name))


def rows_of(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def day_text(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def note(item: dict[str, Any]) -> str:
    """The words the report gives beside a verdict: why excused, or the days left."""
    if item.get("reason"):
        return item["reason"]
    return f"còn {item['days_left']} ngày" if "days_left" in item else ""


# --- the layout, shared by both documents -----------------------------------------------------------


def assert_decree_layout(doc: DocxDocument) -> None:
    """Nghị định 30/2020/NĐ-CP, Phụ lục I: A4, the margins, Times New Roman, page numbers from page 2."""
    section = doc.sections[0]

    def mm(length: Length | None) -> int:
        assert length is not None
        return round(length.mm)

    assert mm(section.page_width) == 210 and mm(section.page_height) == 297
    assert 20 <= mm(section.top_margin) <= 25 and 20 <= mm(section.bottom_margin) <= 25
    assert 30 <= mm(section.left_margin) <= 35 and 15 <= mm(section.right_margin) <= 20
    normal = doc.styles["Normal"]
    assert normal.font.name == FONT and normal.font.size.pt in (13, 14)
    assert normal.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(qn(f"w:{s}")) for s in ("ascii", "hAnsi", "cs", "eastAsia")} == {FONT}
    defaults = doc.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}"
    )
    assert set(defaults.attrib.values()) == {FONT}  # no theme font (Calibri) left to fall back on
    runs = [r for p in all_paragraphs(doc) for r in p.runs]
    assert runs and all(r.font.name in (None, FONT) for r in runs)
    # The body: justified (from Normal), 13-14 pt.
    body = [p for p in doc.paragraphs if p.paragraph_format.first_line_indent and p.text]
    assert body and all(p.alignment in (None, WD_ALIGN_PARAGRAPH.JUSTIFY) for p in body)
    assert all(r.font.size is not None and r.font.size.pt in (13, 14) for p in body for r in p.runs)
    # Page numbers: a PAGE field centred in the header; the first page has its own, empty header.
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert [t.text for t in header._p.iter(qn("w:instrText"))] == [" PAGE "]
    first = section.first_page_header
    assert not first.is_linked_to_previous and not list(first._element.iter(qn("w:instrText")))
    assert all(not p.text for p in first.paragraphs)


def all_paragraphs(doc: DocxDocument) -> list[Any]:
    found = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                found += cell.paragraphs
    return found


def assert_heading(doc: DocxDocument, parent: str | None, issuer: str, dated: str) -> None:
    heading = doc.tables[0]
    assert heading._tbl.tblPr.find(qn("w:tblStyle")) is None  # Normal Table: no borders
    assert not heading._tbl.xpath(".//w:tcBorders")
    (left, right), (number, when) = ([c for c in row.cells] for row in heading.rows)
    lines = [p for p in left.paragraphs if p.text]
    if parent:
        assert lines[0].text == parent and not lines[0].runs[0].bold
        lines = lines[1:]
    assert lines[0].text == issuer and lines[0].runs[0].bold
    rules = [p for p in left.paragraphs + right.paragraphs if p._p.xpath("./w:pPr/w:pBdr/w:top")]
    assert len(rules) == 2  # the short rule under the issuer, the rule under the motto
    national, motto = (p for p in right.paragraphs if p.text)
    assert national.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and national.runs[0].bold
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and motto.runs[0].bold
    assert number.text == "Số: …/BC-…"
    assert when.text == dated and when.paragraphs[0].runs[0].italic


def assert_sign_off(doc: DocxDocument, signer: str, name: str) -> None:
    recipients, signature = doc.tables[-1].rows[0].cells
    lead = recipients.paragraphs[0]
    assert lead.text == "Nơi nhận:" and lead.runs[0].bold and lead.runs[0].italic
    assert lead.runs[0].font.size.pt == 12
    assert [p.text for p in recipients.paragraphs][-1] == "- Lưu: VT."
    lines = [p for p in signature.paragraphs if p.text]
    assert lines[0].text == signer and lines[0].runs[0].bold
    assert [p.text for p in lines[1:]] == ([name] if name else [])


def bold_centred(doc: DocxDocument) -> list[str]:
    return [
        p.text
        for p in doc.paragraphs
        if p.text and p.alignment == WD_ALIGN_PARAGRAPH.CENTER and all(r.bold for r in p.runs)
    ]


# --- the school's report -------------------------------------------------------------------------


@pytest.mark.build
def test_the_schools_report_of_each_year_is_an_administrative_document(school_build: Build) -> None:
    data = coverage(school_build)
    assert sorted(p.name for p in (school_build.site / "bao-cao").glob("*.docx")) == [
        "bao-cao-2025.docx",
        "bao-cao-2026.docx",
    ]
    doc = word(school_build, "bao-cao/bao-cao-2026.docx")
    assert_decree_layout(doc)
    assert_heading(doc, "UBND QUẬN THANH XUÂN", "TRƯỜNG MẦM NON THỬ", "Thanh Xuân, ngày 05 tháng 12 năm 2026")
    assert bold_centred(doc) == [
        "BÁO CÁO",
        "Kết quả duy trì chuyên mục tuyên truyền về bình đẳng giới năm 2026",
    ]
    texts = [p.text for p in doc.paragraphs if p.text]
    assert "Kính gửi: Phòng Giáo dục và Đào tạo quận Thanh Xuân" in texts
    assert texts[3].startswith(
        "Thực hiện Kế hoạch số 12/KH-PGDĐT ngày 15/01/2026 của Phòng Giáo dục và Đào tạo quận Thanh Xuân, "
        "Trường Mầm non Thử báo cáo"
    )
    assert "Trang chuyên mục: https://truong-thu.example/." in texts[4] and "05/12/2026" in texts[4]

    # The quarters: the table's rows are coverage.json's, in the page's words.
    quarters, observances, posts = doc.tables[1:4]
    year = [q for q in data["quarters"] if q["quarter"].startswith("2026")]
    assert rows_of(quarters) == [["Quý", "Số bài", "Số bài đúng hạn", "Kết quả", "Ghi chú"]] + [
        [q["label"], str(q["count"]), str(q["on_time"]), Status.of(q["status"]).word, note(q)] for q in year
    ]
    assert [row[3] for row in rows_of(quarters)[1:]] == ["Đạt", "Thiếu bài", "Đạt", "Đang diễn ra"]
    assert "Thiếu: Quý II/2026 (thiếu bài)" in texts  # the page's summary, of this year
    # The Action Month: running, no post yet.
    assert rows_of(observances)[1:] == [
        [
            f"{o['name']} {o['year']}",
            f"{day_text(o['start'])} – {day_text(o['end'])}",
            "Bắt buộc" if o["required"] else "Tham khảo",
            str(o["count"]),
            Status.of(o["status"]).word if o["required"] or o["status"] != "missing" else NO_POST_WORD,
            note(o),
        ]
        for o in data["observances"]
        if o["year"] == 2026
    ]
    assert rows_of(observances)[1][4:] == ["Đang diễn ra", "còn 11 ngày"]
    # Every post with its dates and its address, oldest quarter first; a quarter without one says so.
    expected = []
    for q in year:
        for p in q["posts"]:
            expected.append([q["label"], f"{p['title']}\n{p['url']}", day_text(p["date"]), "—", UNCHECKED])
        if not q["posts"]:
            expected.append([q["label"]] + ["Không có bài."] * 4)
    assert rows_of(posts)[1:] == expected
    assert posts.rows[0]._tr.xpath("./w:trPr/w:tblHeader")  # the header row repeats on every page
    links = [rel.target_ref for rel in doc.part.rels.values() if rel.reltype.endswith("/hyperlink")]
    assert sorted(links) == sorted(p["url"] for q in year for p in q["posts"])
    # What the dates rest on, in the page's words; then the sign-off.
    assert any(t.startswith("Chưa kiểm tra được ngày lên trang: lần dựng trang") for t in texts)
    assert texts[-1].endswith("./.")
    assert_sign_off(doc, "HIỆU TRƯỞNG", "Nguyễn Thị Mai")
    props = doc.core_properties
    assert props.created == props.modified == datetime(2026, 12, 5, tzinfo=timezone.utc)
    assert props.author == "Trường Mầm non Thử" and "python-docx" not in (props.comments or "")


@pytest.mark.build
def test_an_earlier_year_has_its_own_document(school_build: Build) -> None:
    doc = word(school_build, "bao-cao/bao-cao-2025.docx")
    texts = [p.text for p in doc.paragraphs if p.text]
    assert "Kết quả duy trì chuyên mục tuyên truyền về bình đẳng giới năm 2025" in texts
    assert texts[3].startswith("Trường Mầm non Thử báo cáo")  # no plan of 2025 on the site: none cited
    assert [row[0] for row in rows_of(doc.tables[1])[1:]] == ["Quý III/2025", "Quý IV/2025"]
    assert "- Quý III/2025: Trường sửa chữa." in texts
    assert rows_of(doc.tables[2])[1][4] == "Đạt"  # the 2025 Action Month had its post
    # The date on the document is the day it is made, not the year's end.
    assert doc.tables[0].rows[1].cells[1].text == "Thanh Xuân, ngày 05 tháng 12 năm 2026"


# --- the school's workbook -------------------------------------------------------------------------


def local(iso: str | None) -> datetime | None:
    return datetime.fromisoformat(iso).astimezone(TZ).replace(tzinfo=None) if iso else None


def midnight(iso: str) -> datetime:
    return datetime.combine(date.fromisoformat(iso), datetime.min.time())


def sheet_rows(sheet: Any) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(values_only=True))


def assert_table_sheet(sheet: Any, header: tuple[str, ...], rows: int) -> None:
    """Header bold, frozen and filtered; every column at least as wide as its header; every cell at
    the top of its row, text wrapped (a long title in a narrow column), numbers and dates not."""
    assert sheet_rows(sheet)[0] == header
    assert all(cell.font.bold for cell in sheet[1])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert not cell.font.bold and cell.font.name == "Calibri", cell.coordinate
            assert cell.alignment.vertical == "top", cell.coordinate
            if cell.value is not None:
                assert bool(cell.alignment.wrap_text) == isinstance(cell.value, str), cell.coordinate
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(row=1, column=len(header)).column_letter}{rows + 1}"
    for cell in sheet[1]:
        assert sheet.column_dimensions[cell.column_letter].width >= min(len(cell.value), 60)


@pytest.mark.build
def test_the_workbook_holds_the_json_values_as_typed_cells(school_build: Build) -> None:
    data = coverage(school_build)
    book = load_workbook(school_build.site / "bao-cao/coverage.xlsx")
    assert book.sheetnames == ["Theo quý", "Đợt cao điểm", "Bài viết", "Cách đọc"]
    quarters, observances, posts = (book[name] for name in book.sheetnames[:3])

    assert_table_sheet(quarters, tuple(quarters[1][i].value for i in range(9)), len(data["quarters"]))
    assert sheet_rows(quarters)[1:] == [
        (
            q["label"],
            q["quarter"],
            midnight(q["start"]),
            midnight(q["end"]),
            q["count"],
            q["on_time"],
            Status.of(q["status"]).word,
            note(q) or None,
            "ngày lên trang" if q["checked"] else "ngày ghi trên bài",
        )
        for q in data["quarters"]
    ]
    assert quarters["C2"].number_format == "dd/mm/yyyy" and quarters["C2"].is_date
    assert quarters["E2"].data_type == "n"

    assert_table_sheet(observances, sheet_rows(observances)[0], len(data["observances"]))
    assert sheet_rows(observances)[1:] == [
        (
            o["name"],
            o["year"],
            midnight(o["start"]),
            midnight(o["end"]),
            "Bắt buộc" if o["required"] else "Tham khảo",
            o["count"],
            o["on_time"],
            Status.of(o["status"]).word,
            note(o) or None,
        )
        for o in data["observances"]
    ]

    expected = [
        (
            q["label"],
            p["title"],
            midnight(p["date"]),
            local(p["published_at"]),
            UNCHECKED,
            p["url"],
        )
        for q in data["quarters"]
        for p in q["posts"]
    ]
    assert_table_sheet(posts, sheet_rows(posts)[0], len(expected))
    assert sheet_rows(posts)[1:] == expected
    formula = next(row for row in posts.iter_rows(min_row=2) if row[1].value.startswith("="))
    assert formula[1].data_type == "s"  # a title starting with "=" stays text in Excel
    assert formula[5].hyperlink.target == formula[5].value
    assert book.properties.created == book.properties.modified == datetime(2026, 12, 5)


@pytest.mark.build
def test_the_report_page_links_each_document(school_build: Build) -> None:
    html = school_build.page("bao-cao")
    downloads = html.split('<div class="coverage-downloads">', 1)[1].split("</div>", 1)[0]
    for phrase in (
        '<a href="bao-cao-2026.docx" download>năm 2026</a> · <a href="bao-cao-2025.docx" download>năm 2025</a>',
        '<a href="coverage.xlsx" download>Excel (.xlsx)</a>',
        '<a href="coverage.csv" download>CSV cho phần mềm khác</a>',
        '<a href="coverage.json" download>dữ liệu JSON</a>',
    ):
        assert phrase in downloads, phrase


@pytest.mark.build
def test_the_same_site_gives_the_same_bytes(school_build: Build) -> None:
    again = run_build(
        school_build.site.parent, today=epoch(2026, 12, 5), out=school_build.site.parent / "again"
    )
    assert again.code == 0, again.log
    for name in ("bao-cao/bao-cao-2026.docx", "bao-cao/bao-cao-2025.docx", "bao-cao/coverage.xlsx"):
        first, second = (school_build.site / name).read_bytes(), (again.site / name).read_bytes()
        assert first == second, name
        with zipfile.ZipFile(io.BytesIO(first)) as package:
            assert {info.date_time for info in package.infolist()} == {(2026, 12, 5, 0, 0, 0)}
            assert "docProps/thumbnail.jpeg" not in package.namelist()


# --- rendered as the office prints it --------------------------------------------------------------


@pytest.mark.build
def test_libreoffice_prints_the_report_with_page_numbers_from_page_two(
    school_build: Build, tmp_path: Path
) -> None:
    """`make test` installs LibreOffice, poppler and Liberation Serif (Times New Roman's metrics)."""
    for tool in ("soffice", "pdftoppm", "pdftotext"):
        assert shutil.which(tool), (
            f"{tool} is missing: make test installs it (libreoffice-writer-nogui, poppler-utils)"
        )
    source = tmp_path / "bao-cao-2026.docx"
    shutil.copy(school_build.site / "bao-cao/bao-cao-2026.docx", source)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    pdf = tmp_path / "bao-cao-2026.pdf"
    pages = [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for n in (1, 2)
    ]
    assert pages[1].strip(), "the report fits on one page: the test needs a second one"
    first, second = (page.strip().splitlines() for page in pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first[0] and "BÁO CÁO" in pages[0]
    assert second[0].strip() == "2"  # the number, at the top of page 2; page 1 has none
    assert not first[0].strip().isdigit()
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", str(pdf), str(ARTIFACTS / "bao-cao-2026")], check=True, timeout=120
    )
    assert (ARTIFACTS / "bao-cao-2026-1.png").is_file()


# --- the district --------------------------------------------------------------------------------


def school_report(root: Path, name: str, quarters_with_posts: list[str], action_months: list[int]) -> str:
    """A school's coverage.json from 2026-Q1, written from posts in the quarters named."""
    settings = coverage_settings({"coverage": {"start": "2026-Q1"}}, root)
    posts = []
    for key in quarters_with_posts:
        day = Quarter.parse(key).start + timedelta(days=20)
        posts.append(
            Post(
                f"posts/{key}.md",
                f"{key}.md",
                f"Bài {key}",
                datetime(day.year, day.month, day.day, tzinfo=TZ),
                key,
            )
        )
    for year in action_months:
        posts.append(
            Post(
                f"posts/am{year}.md",
                f"am{year}.md",
                "Tháng hành động",
                datetime(year, 11, 20, tzinfo=TZ),
                f"am{year}",
            )
        )
    text = coverage_json.dumps(audit(posts, settings, date(2026, 11, 23)), f"https://{name}.example/")
    (root / "reports" / f"{name}.json").write_text(text, encoding="utf-8")
    return f"reports/{name}.json"


@pytest.fixture(scope="module")
def district_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("quan")
    (root / "reports").mkdir()
    schools = {
        "Trường Đủ": school_report(root, "du", ["2026-Q1", "2026-Q2", "2026-Q3"], [2026]),
        "Trường Thiếu": school_report(root, "thieu", ["2026-Q1", "2026-Q3"], []),
        "Trường Mất": "reports/khong-co.json",
    }
    (root / "schools.yml").write_text(
        "".join(f"- name: {name}\n  report: {path}\n" for name, path in schools.items()), encoding="utf-8"
    )
    office = """
      school:
        name: Phòng Giáo dục và Đào tạo quận Thử
        parent: UBND quận Thanh Xuân
        place: Thanh Xuân
        reports_to: Sở Giáo dục và Đào tạo Hà Nội
      district:
        schools: schools.yml
    """
    write_site(root, {"2026/a.md": post("Bài", "2026-10-02")}, extra=office)
    build = run_build(root, today=epoch(2026, 11, 23))
    assert build.code == 0, build.log
    return build


@pytest.mark.build
def test_the_district_workbook_holds_district_json(district_build: Build) -> None:
    data = json.loads((district_build.site / "tong-hop/district.json").read_text(encoding="utf-8"))
    book = load_workbook(district_build.site / "tong-hop/district.xlsx")
    assert book.sheetnames == ["Theo trường", "Tỉ lệ theo quý", "Tháng hành động", "Cách đọc"]
    schools, shares, months = (book[name] for name in book.sheetnames[:3])

    labels = [Quarter.parse(q["quarter"]).label for q in data["quarters"]]
    header = (
        "Trường",
        "Địa chỉ báo cáo",
        "Tình trạng",
        "Báo cáo ngày",
        *labels,
        "Nguồn",
        "Tính được từ ngày",
        "Ghi chú",
    )
    assert_table_sheet(schools, header, len(data["schools"]))
    # The CSV's rows, as typed cells: the same words, dates as Excel dates.
    table = list(
        csv.reader(io.StringIO((district_build.site / "tong-hop/district.csv").read_text("utf-8-sig")))
    )
    assert tuple(table[0]) == header
    expected = []
    for s, row in zip(data["schools"], table[1:], strict=False):
        state = SchoolState.of(s["state"])
        cells = [
            Status.of(s["quarters"][q["quarter"]]).word if q["quarter"] in s["quarters"] else "—"
            for q in data["quarters"]
        ]
        expected.append(
            (
                s["name"],
                s["report"],
                state.word + (" (báo cáo cũ)" if s["stale"] and state is not SchoolState.STALE else ""),
                midnight(s["as_of"]) if s["as_of"] else None,
                *cells,
                {k.value: k for k in SourceKind}[s["source"]].word,
                midnight(s["judged_from"]) if s["judged_from"] else None,
                row[-1] or None,
            )
        )
        assert s["problem"] is None or s["problem"] in row[-1]
    assert sheet_rows(schools)[1:] == expected
    assert schools["D2"].is_date

    assert_table_sheet(shares, sheet_rows(shares)[0], len(data["quarters"]))
    assert [row[1:5] for row in sheet_rows(shares)[1:]] == [
        (q["quarter"], q["ok_or_excused"], q["schools"], q["share"]) for q in data["quarters"]
    ]
    assert all(isinstance(c.value, float) and c.number_format == "0.0%" for c in shares["E"][1:])
    assert_table_sheet(months, sheet_rows(months)[0], len(data["action_months"]))
    assert [row[:4] for row in sheet_rows(months)[1:]] == [
        (m["year"], m["held"], m["schools"], m["share"]) for m in data["action_months"]
    ]


@pytest.mark.build
def test_the_district_report_to_the_department(district_build: Build) -> None:
    data = json.loads((district_build.site / "tong-hop/district.json").read_text(encoding="utf-8"))
    doc = word(district_build, "tong-hop/bao-cao-tong-hop-2026.docx")
    assert_decree_layout(doc)
    assert_heading(
        doc,
        "UBND QUẬN THANH XUÂN",
        "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO QUẬN THỬ",
        "Thanh Xuân, ngày 23 tháng 11 năm 2026",
    )
    texts = [p.text for p in doc.paragraphs if p.text]
    assert "Kính gửi: Sở Giáo dục và Đào tạo Hà Nội" in texts
    shares = rows_of(doc.tables[1])
    assert shares[1:] == [
        [
            Quarter.parse(q["quarter"]).label,
            str(q["ok_or_excused"]),
            str(q["schools"]),
            QuarterShare(Quarter.parse(q["quarter"]), q["schools"], q["ok_or_excused"]).percent.replace(
                ".", ","
            ),
            shares[i + 1][4],
        ]
        for i, q in enumerate(data["quarters"])
    ]
    assert [row[3:] for row in shares[1:]] == [
        ["66,7%", "1 trường"],
        ["33,3%", "2 trường"],
        ["66,7%", "1 trường"],
        ["33,3%", "Quý đang diễn ra"],  # Trường Đủ's Action Month post fills it
    ]
    assert rows_of(doc.tables[2])[1] == ["2026", "1", "3", "33,3%", "Đang diễn ra"]
    assert "- Quý II/2026 (2 trường): Trường Thiếu (thiếu bài), Trường Mất (không tải được)." in texts
    assert "- Quý I/2026 (1 trường): Trường Mất (không tải được)." in texts
    assert any(t.startswith("- Trường Mất (báo cáo của trang): không tải được, ") for t in texts)
    assert "theo báo cáo trên trang chuyên mục của từng trường" in texts[3]
    assert_sign_off(doc, "TRƯỞNG PHÒNG", "")
    html = district_build.page("tong-hop")
    assert '<a href="bao-cao-tong-hop-2026.docx" download>năm 2026</a>' in html
    assert '<a href="district.xlsx" download>Excel (.xlsx)</a>' in html
    assert '<a href="district.csv" download>CSV cho phần mềm khác</a>' in html


# --- units ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "day", "text"),
    [
        ("Thanh Xuân", date(2026, 12, 5), "Thanh Xuân, ngày 05 tháng 12 năm 2026"),
        ("Uông Bí", date(2026, 2, 1), "Uông Bí, ngày 01 tháng 02 năm 2026"),  # months 1-2 with a 0
        ("Uông Bí", date(2026, 3, 9), "Uông Bí, ngày 09 tháng 3 năm 2026"),
        (None, date(2026, 11, 20), "…………, ngày 20 tháng 11 năm 2026"),  # written in by hand
    ],
)
def test_place_and_date_as_the_decree_writes_them(place: str | None, day: date, text: str) -> None:
    assert report_docx.official_date(place, day) == text


def test_a_years_slice_keeps_the_reports_verdicts() -> None:
    settings = coverage_settings({"coverage": {"start": "2025-Q3"}}, ROOT)
    posts = [Post("posts/a.md", "a.md", "A", datetime(2026, 2, 1, tzinfo=TZ), "a")]
    report = audit(posts, settings, TODAY)
    sliced = report_docx.year_slice(report, 2026)
    assert [v.quarter.key for v in sliced.quarters] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert sliced.start == Quarter(2026, 1) and sliced.quarters == report.quarters[2:]
    assert [o.year for o in sliced.observances] == [2026]
    assert report.years == [2025, 2026]


def test_a_package_is_dated_the_builds_day_whatever_the_clock() -> None:
    def package(when: tuple[int, int, int, int, int, int]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr(zipfile.ZipInfo("[Content_Types].xml", when), b"<Types/>")
            z.writestr(zipfile.ZipInfo("word/document.xml", when), b"<w:document/>")
        return out.getvalue()

    first = office_package.stable(package((2026, 1, 1, 8, 0, 0)), TODAY)
    assert first == office_package.stable(package((2030, 5, 6, 23, 59, 58)), TODAY)
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert z.namelist() == ["[Content_Types].xml", "word/document.xml"]
        assert z.read("word/document.xml") == b"<w:document/>"


def test_what_another_schools_report_carries_stays_text(tmp_path: Path) -> None:
    """A name from the schools list may hold control characters or start with "="; neither breaks a file."""
    from hooks import district, report_xlsx
    from hooks.fetch import FetchFailure
    from hooks.settings import SchoolSettings

    (tmp_path / "reports").mkdir()
    body = (tmp_path / school_report(tmp_path, "a", ["2026-Q1"], [])).read_bytes()
    schools = [district.School('=HYPERLINK("http://x")\x01 Trường', "a.json"), district.School("B", "b.json")]
    rollup = district.roll_up(
        schools, [body, FetchFailure("unreachable", "HTTP 404\x07")], date(2026, 11, 23)
    )
    book = load_workbook(io.BytesIO(report_xlsx.district_workbook(rollup)))
    name = book["Theo trường"]["A2"]
    assert name.value == '=HYPERLINK("http://x") Trường' and name.data_type == "s"
    assert sheet_rows(book["Theo trường"])[2][-1] == "HTTP 404"
    doc = Document(io.BytesIO(report_docx.district_document(rollup, 2026, SchoolSettings("Phòng"), [])))
    texts = [p.text for p in doc.paragraphs]
    assert (
        any('=HYPERLINK("http://x") Trường' in t for t in texts)
        and "- B (báo cáo của trang): không tải được, HTTP 404 (b.json)." in texts
    )


# --- the district's documents for every kind of source ---------------------------------------------


def mixed_rollup(root: Path) -> Any:
    """Two report schools, a feed school that reaches back only to 2026-Q3 (Quý I-II/2026: "Không đủ
    dữ liệu"), and a feed that answers empty (unreadable), as ``district.collect`` would judge them."""
    from hooks import district
    from hooks.coverage_json import ReportedPost, ReportedQuarter

    (root / "reports").mkdir()
    day = date(2026, 11, 23)
    reports = []
    for name, quarters in (("du", ["2026-Q1", "2026-Q2", "2026-Q3"]), ("thieu", ["2026-Q1", "2026-Q3"])):
        path = school_report(root, name, quarters, [2026])
        school = district.School(f"Trường {name.title()}", path)
        reports.append(district.judge(school, (root / path).read_bytes(), day))
    reports[0] = replace_result(
        reports[0], failed_posts=("https://du.example/bai-viet/cu/ (máy chủ trả về HTTP 404)",)
    )
    seen = datetime(2026, 8, 1, 9, 0, tzinfo=TZ)
    post_q3 = ReportedPost("Bài quý ba", "2026-07-10", "https://tin.example/bai/1", seen)
    feed = district.SchoolResult(
        district.School(
            "Trường Tin", "https://tin.example/vi/news/rss/binh-dang-gioi/", district.SourceKind.FEED
        ),
        SchoolState.OK,
        cells={
            Quarter(2026, 3): ReportedQuarter(Quarter(2026, 3), Status.OK, 1, None, (post_q3,)),
            Quarter(2026, 4): ReportedQuarter(Quarter(2026, 4), Status.DUE, 0),
        },
        insufficient=frozenset(),  # summarise adds Quý I-II/2026: the feed starts at 2026-Q3
        judged_from=date(2026, 7, 10),
        checked_from=Quarter(2026, 3),
        notes=(district.INSUFFICIENT_WHY,),
    )
    empty = district.SchoolResult(
        district.School(
            "Trường Tắt", "https://tat.example/vi/news/rss/binh-dang-gioi/", district.SourceKind.FEED
        ),
        SchoolState.UNREADABLE,
        problem="nguồn tin rỗng: cổng thông tin đã tắt RSS",
    )
    return district.summarise([*reports, feed, empty], day, district.default_rules())


def replace_result(result: Any, **changes: Any) -> Any:
    from dataclasses import replace

    return replace(result, **changes)


def district_csv(rollup: Any) -> list[list[str]]:
    from hooks import district

    text = district.csv_text(rollup).removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_the_district_report_tells_not_judged_from_short_and_names_every_source(tmp_path: Path) -> None:
    from hooks import district, report_xlsx
    from hooks.settings import SchoolSettings

    rollup = mixed_rollup(tmp_path)
    tin = next(r for r in rollup.schools if r.school.name == "Trường Tin")
    assert tin.insufficient == {Quarter(2026, 1), Quarter(2026, 2)}
    doc = Document(
        io.BytesIO(report_docx.district_document(rollup, 2026, SchoolSettings("Phòng GD&ĐT quận Thử"), []))
    )
    assert_decree_layout(doc)
    texts = [p.text for p in doc.paragraphs if p.text]

    # Where the figures come from: each kind of source, and the district's own observation log.
    opening = texts[3]
    assert "báo cáo trên trang chuyên mục của 2 trường" in opening
    assert "nguồn tin (RSS/Atom) của chuyên mục trên cổng thông tin của 2 trường" in opening
    assert "nhật ký quan sát của Phòng" in opening
    assert "theo báo cáo trên trang web của từng trường" not in opening

    # III: a quarter the feed cannot reach is not a shortfall; the school is named as not judged.
    word = district.INSUFFICIENT_WORD
    third = texts.index("III. CÁC TRƯỜNG CHƯA ĐẠT TỪNG KỲ")
    lines = {t.split(" (", 1)[0].split(":", 1)[0].removeprefix("- "): t for t in texts[third + 1 : third + 6]}
    assert lines["Quý I/2026"] == (
        f"- Quý I/2026 (1 trường): Trường Tắt (không đọc được). {word} (1 trường, không xét, không tính vào "
        "tỉ lệ): Trường Tin."
    )
    assert lines["Quý II/2026"] == (
        f"- Quý II/2026 (2 trường): Trường Thieu (thiếu bài), Trường Tắt (không đọc được). {word} (1 trường, "
        "không xét, không tính vào tỉ lệ): Trường Tin."
    )
    assert lines["Quý III/2026"] == "- Quý III/2026 (1 trường): Trường Tắt (không đọc được)."
    for share in rollup.quarters:
        line = lines[share.label]
        short = line.split(f" {word} (", 1)[0]
        assert "chưa có kết quả" not in line.lower()
        if share.quarter in tin.insufficient:
            assert "Trường Tin" not in short
        if not share.running:  # the names add up to the share's shortfall
            assert short.count("(") - 1 == share.schools - share.ok_or_excused
        assert (f"{word} ({share.insufficient} trường" in line) == bool(share.insufficient)
    # The Action Month: the feed's does not reach it (not judged); the empty feed, never read, counts
    # as not holding it, as it counts for every quarter, and as the share counts it.
    month = next(t for t in texts[third:] if t.startswith(f"- {report_docx.ACTION_MONTH} 2026"))
    assert month == (
        f"- {report_docx.ACTION_MONTH} 2026 (1 trường): Trường Tắt (không đọc được). "
        f"{word} (1 trường, không xét, không tính vào tỉ lệ): Trường Tin."
    )
    share = next(m for m in rollup.action_months if m.year == 2026)
    assert share.insufficient == 1 and share.schools - share.ok_or_excused >= 1

    # IV: the unreadable school with its reason and address, the feed's unjudged quarters and why,
    # the report's post that did not answer; never "all readable".
    fourth = texts.index("IV. CÁC TRƯỜNG CHƯA CÓ SỐ LIỆU ĐẦY ĐỦ")
    fifth = texts.index("V. CÁCH ĐỌC BÁO CÁO")
    told = texts[fourth + 1 : fifth]
    assert (
        "- Trường Tắt (RSS/Atom): không đọc được, nguồn tin rỗng: cổng thông tin đã tắt RSS "
        "(https://tat.example/vi/news/rss/binh-dang-gioi/)." in told
    )
    tin_line = next(t for t in told if t.startswith("- Trường Tin (RSS/Atom): "))
    assert f"Quý I/2026 – Quý II/2026: {word.lower()} (tính được từ 10/07/2026)" in tin_line
    assert district.INSUFFICIENT_WHY in tin_line
    assert any(t.startswith("- Trường Du (báo cáo của trang): ") and "HTTP 404" in t for t in told)
    assert not any("đều đọc được" in t for t in told)

    # V: what the words mean, the same as the workbook's "Cách đọc" sheet.
    terms = report_xlsx.district_terms(rollup)
    assert texts[fifth + 1 : fifth + 1 + len(terms)] == [f"- {w}: {m}." for w, m in terms]
    assert texts[-1].endswith("./.")
    assert_sign_off(doc, "TRƯỞNG PHÒNG", "")


def test_a_district_of_readable_reports_says_so(tmp_path: Path) -> None:
    from hooks import district
    from hooks.settings import SchoolSettings

    (tmp_path / "reports").mkdir()
    path = school_report(tmp_path, "du", ["2026-Q1", "2026-Q2", "2026-Q3"], [2026])
    rollup = district.roll_up(
        [district.School("Trường Đủ", path)], [(tmp_path / path).read_bytes()], date(2026, 11, 23)
    )
    doc = Document(io.BytesIO(report_docx.district_document(rollup, 2026, SchoolSettings("Phòng"), [])))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert "theo báo cáo trên trang chuyên mục của từng trường" in texts[3] and "nhật ký" not in texts[3]
    assert "- Quý I/2026: tất cả các trường đều đạt." in texts
    assert "Nguồn dữ liệu của tất cả các trường đều đọc được, cập nhật và đủ để xét mọi quý." in texts


def test_the_district_workbook_holds_the_csv_and_says_what_its_words_mean(tmp_path: Path) -> None:
    from hooks import district, report_xlsx
    from hooks.spreadsheet import cell_safe
    from hooks.verdicts import JUDGED

    rollup = mixed_rollup(tmp_path)
    book = load_workbook(io.BytesIO(report_xlsx.district_workbook(rollup)))
    assert book.sheetnames == ["Theo trường", "Tỉ lệ theo quý", "Tháng hành động", "Cách đọc"]
    schools = book["Theo trường"]
    table = district_csv(rollup)
    header = tuple(table[0])
    assert header[-3:] == ("Nguồn", "Tính được từ ngày", "Ghi chú")
    assert_table_sheet(schools, header, len(rollup.schools))

    def as_csv(value: Any) -> str:
        if isinstance(value, datetime):
            return value.date().isoformat()
        return "" if value is None else cell_safe(str(value))

    rows = sheet_rows(schools)[1:]
    assert [[as_csv(v) for v in row] for row in rows] == table[1 : 1 + len(rollup.schools)]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    tin, tat, du = by_name["Trường Tin"], by_name["Trường Tắt"], by_name["Trường Du"]
    assert tin["Nguồn"] == "RSS/Atom" and tin["Tính được từ ngày"] == datetime(2026, 7, 10)
    assert schools.cell(row=2 + list(by_name).index("Trường Tin"), column=len(header) - 1).is_date
    assert tin["Quý I/2026"] == district.INSUFFICIENT_WORD
    assert tin["Ghi chú"] == f"Quý I/2026 – Quý II/2026: {district.INSUFFICIENT_WORD.lower()}"
    assert (
        tat["Ghi chú"] == "nguồn tin rỗng: cổng thông tin đã tắt RSS"
        and tat["Tình trạng"] == "Không đọc được"
    )
    assert du["Nguồn"] == "báo cáo của trang" and du["Tính được từ ngày"] is None
    assert "bài không mở được: https://du.example/bai-viet/cu/" in du["Ghi chú"]

    terms = book["Cách đọc"]
    assert_table_sheet(terms, ("Từ ngữ", "Nghĩa"), len(report_xlsx.district_terms(rollup)))
    meaning = {word: means for word, means in sheet_rows(terms)[1:]}
    words = [s.word for s in SchoolState] + [
        district.INVALID_SOURCE_WORD,
        district.INSUFFICIENT_WORD,
        Status.LATE.word,
        district.NOT_CHECKED,
        JUDGED,
        "Chưa có kết quả",
        report_xlsx.JUDGED_FROM,
        *(k.word for k in district.SourceKind),
    ]
    assert all(meaning.get(w) for w in words), [w for w in words if not meaning.get(w)]
    assert "quá 7 ngày" in meaning[Status.LATE.word]
    assert "nhật ký quan sát" in meaning[district.NOT_CHECKED]
    assert "không tính vào" not in meaning[JUDGED] and "không đủ dữ liệu" in meaning[JUDGED]
    assert meaning[Status.MISSING.word].startswith("ở một quý: ")  # a verdict and a state, one row
