"""The report as an auditor reads it: plain Vietnamese, no developer's words, no date that reads
like back-dating.

A column moved from an older site keeps its old posts (dated 2024 and early 2025, all brought in
with one commit in July 2025, before ``history_from``), then posts on time in Q3 and writes a Q4
post after the quarter's grace days. Built with the real ``mkdocs build`` over a real git
repository; the page, the Word report, the workbook, the CSV, the JSON and the auditors' command
are read back as the office would, and must say the same.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from conftest import Build, epoch, post, run_build, run_coverage, write_site
from docx import Document
from openpyxl import load_workbook  # type: ignore[import-untyped]
from test_evidence import commit, git, git_env  # noqa: F401  (git_env is a fixture)

from hooks.evidence import IMPORTED, PUBLISHED_MEANS, UNCHECKED
from hooks.verdicts import Status

pytestmark = pytest.mark.build

TODAY = epoch(2026, 1, 25)
MOVED_ON = "2025-07-05T09:00:00+07:00"  # the day the old posts were brought in: never a publication date
OLD = {  # file -> (title, date written on it)
    "2024/thang-hanh-dong.md": ("Bài cũ Tháng hành động 2024", "2024-11-20"),
    "2025/quy-mot.md": ("Bài cũ quý một", "2025-02-14"),
    "2025/quy-hai.md": ("Bài cũ quý hai", "2025-05-20"),
}
ON_TIME = ("Bài quý ba", "2025-08-15")
LATE = ("Viết bù quý bốn", "2025-12-10")  # reached the site on 20/01/2026: after 31/12 + 7 days

# Words of git and GitHub that mean nothing to the district office.
JARGON = re.compile(
    r"\bgit\b|github|kho mã|kho git|\bkho\b|nhánh|commit|repository|lịch sử|shallow|xuất bản|"
    r"pull request|\bmerge\b|\bclone\b",
    re.IGNORECASE,
)
EXPLAINED = (
    "Cách đọc báo cáo",
    "Ngày lên trang",
    PUBLISHED_MEANS,
    IMPORTED,
    "Bổ sung muộn",
    "chỉ đủ bài khi tính cả bài lên trang sau hạn, tức là quá 7 ngày sau khi hết quý",
)
LATE_NOTE = "Bổ sung muộn: lên trang sau hạn 07/01/2026 (7 ngày sau khi hết quý), nên không tính cho quý này"


@pytest.fixture(scope="module")
def moved_site(tmp_path_factory: pytest.TempPathFactory, git_env: dict[str, str]) -> Path:  # noqa: F811
    root = write_site(
        tmp_path_factory.mktemp("chuyen-trang"),
        {name: post(title, day) for name, (title, day) in OLD.items()},
        extra="""
            school:
              name: Trường Mầm non Chuyển Trang
            coverage:
              start: 2024-Q4
              history_from: 2025-Q3
        """,
        docs={"index.md": "# Chuyên mục\n"},
    )
    git(root, git_env, "init", "-q")
    commit(root, git_env, MOVED_ON, "Chuyển bài từ trang cũ")
    (root / "posts/2025/quy-ba.md").write_text(post(*ON_TIME), encoding="utf-8")
    commit(root, git_env, "2025-08-15T09:00:00+07:00", "Bài quý ba")
    (root / "posts/2025/viet-bu.md").write_text(post(*LATE), encoding="utf-8")
    commit(root, git_env, "2026-01-20T09:00:00+07:00", "Bài viết bù")
    return root


@pytest.fixture(scope="module")
def moved(moved_site: Path, git_env: dict[str, str]) -> Build:  # noqa: F811
    build = run_build(moved_site, today=TODAY, env=git_env, strict=True)
    assert build.code == 0, build.log
    return build


def article(build: Build) -> str:
    """The report's own HTML, without the site's header, footer and HTML comments."""
    html = build.page("bao-cao")
    body = html[html.index("<article") : html.index("</article>")]
    return re.sub(r"<!--.*?-->", "", body, flags=re.S)


def visible(html: str) -> str:
    return " ".join(
        unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", html, flags=re.S))).split()
    )


def row_of(html: str, title: str) -> list[str]:
    """The cells of the posts table's row that links ``title``."""
    rows = [r for r in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S) if f">{title}</a>" in r]
    assert len(rows) == 1, title
    return [visible(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", rows[0], flags=re.S)]


def dates_in(texts: list[str]) -> set[str]:
    return {d for text in texts for d in re.findall(r"\d{2}/\d{2}/\d{4}", text)}


def slash(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def coverage(build: Build) -> dict[str, Any]:
    return json.loads((build.site / "bao-cao/coverage.json").read_text(encoding="utf-8"))


def docx_texts(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    doc = Document(str(path))
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]
    return [p.text for p in doc.paragraphs if p.text], tables


def assert_plain(text: str, where: str) -> None:
    found = JARGON.findall(text)
    assert not found, f"{where}: {sorted(set(found))}"


# --- the page ----------------------------------------------------------------------------------


def test_the_page_explains_its_dates_in_plain_words(moved: Build) -> None:
    html = article(moved)
    text = visible(html)
    assert_plain(text, "bao-cao/")
    for phrase in EXPLAINED:
        assert phrase in text, phrase
    assert "Từ Quý III/2025, kết quả tính theo ngày lên trang" in text
    assert "các quý trước Quý III/2025 được đăng ở nơi khác rồi chuyển sang trang này" in text
    assert '<th scope="col">Ngày lên trang</th><th scope="col">Ghi chú</th>' in html


@pytest.mark.parametrize(("name", "title_day"), sorted(OLD.items()))
def test_an_imported_post_shows_its_own_date_only(
    moved: Build, name: str, title_day: tuple[str, str]
) -> None:
    title, day = title_day
    cells = row_of(article(moved), title)
    assert dates_in(cells) == {slash(day)}, cells  # never 05/07/2025, the day it was moved in
    assert cells[-2:] == ["—", IMPORTED]


def test_a_late_post_says_bo_sung_muon_with_its_deadline(moved: Build) -> None:
    html = article(moved)
    title, day = LATE
    cells = row_of(html, title)
    assert cells[-3:] == [slash(day), "20/01/2026", LATE_NOTE]
    assert row_of(html, ON_TIME[0])[-3:] == [slash(ON_TIME[1]), slash(ON_TIME[1]), "Đúng hạn"]
    grid = re.search(r'<td id="quy-2025-4"[^>]*>(.*?)</td>', html, flags=re.S)
    assert grid and "Bổ sung muộn" in visible(grid.group(1))


# --- the documents -------------------------------------------------------------------------------


def test_the_word_report_says_the_same_in_the_same_words(moved: Build) -> None:
    texts, tables = docx_texts(moved.site / "bao-cao/bao-cao-2025.docx")
    everything = "\n".join(texts + [cell for table in tables for row in table for cell in row])
    assert_plain(everything, "bao-cao-2025.docx")
    assert "V. CÁCH ĐỌC BÁO CÁO" in texts
    for phrase in EXPLAINED[1:]:
        assert phrase in everything, phrase
    assert "05/07/2025" not in everything
    posts = next(t for t in tables if t[0][:4] == ["Quý", "Bài viết", "Ngày ghi trên bài", "Ngày lên trang"])
    by_title = {row[1].split("\n")[0]: row for row in posts[1:]}
    for title, day in [v for k, v in OLD.items() if k.startswith("2025/")]:
        assert by_title[title][2:] == [slash(day), "—", IMPORTED]
    assert by_title[LATE[0]][2:] == [slash(LATE[1]), "20/01/2026", LATE_NOTE]
    # The verdicts are coverage.json's.
    quarters = next(t for t in tables if t[0][:2] == ["Quý", "Số bài"])
    expected = [Status.of(q["status"]).word for q in coverage(moved)["quarters"] if q["quarter"] < "2026"]
    assert [row[3] for row in quarters[1:]] == expected[1:]  # the 2025 document: Q1-Q4
    assert expected == ["Đạt", "Đạt", "Đạt", "Đạt", "Bổ sung muộn"]


def test_the_earlier_years_document_has_no_later_date(moved: Build) -> None:
    texts, tables = docx_texts(moved.site / "bao-cao/bao-cao-2024.docx")
    everything = "\n".join(texts + [cell for table in tables for row in table for cell in row])
    assert_plain(everything, "bao-cao-2024.docx")
    assert f"Mọi bài trong báo cáo được {IMPORTED.lower()}" in everything
    assert dates_in([everything]) <= {"20/11/2024", "15/11/2024", "15/12/2024", "25/01/2026"}


def test_the_workbook_and_the_csv_show_no_moved_in_date(moved: Build) -> None:
    book = load_workbook(moved.site / "bao-cao/coverage.xlsx")
    assert book.sheetnames[-1] == "Cách đọc"
    cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert_plain(" ".join(str(c) for c in cells if isinstance(c, str)), "coverage.xlsx")
    terms = dict(list(book["Cách đọc"].iter_rows(values_only=True))[1:])
    assert terms["Ngày lên trang"] == PUBLISHED_MEANS and IMPORTED in terms
    posts = {row[1]: row for row in list(book["Bài viết"].iter_rows(values_only=True))[1:]}
    for title, _ in OLD.values():
        assert posts[title][3:5] == (None, IMPORTED)
    assert posts[LATE[0]][4] == LATE_NOTE and posts[LATE[0]][3].date().isoformat() == "2026-01-20"
    assert [r[8] for r in list(book["Theo quý"].iter_rows(values_only=True))[1:]] == [
        "ngày ghi trên bài"
    ] * 3 + ["ngày lên trang"] * 3

    raw = (moved.site / "bao-cao/coverage.csv").read_bytes().decode("utf-8-sig")
    assert_plain(raw, "coverage.csv")
    assert "2025-07-05" not in raw
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    column = "Bài viết (ngày ghi trên bài; ngày lên trang)"
    by_period = {r["Kỳ"]: r for r in rows}
    assert by_period["Quý I/2025"][column] == "Bài cũ quý một (2025-02-14)"
    assert by_period["Quý I/2025"]["Ghi chú"] == IMPORTED
    assert by_period["Quý IV/2025"][column] == "Viết bù quý bốn (2025-12-10; 2026-01-20, bổ sung muộn)"


def test_the_json_gives_an_imported_post_no_publication_time(moved: Build) -> None:
    data = coverage(moved)
    posts = {p["title"]: p for q in data["quarters"] for p in q["posts"]}
    for title, _ in OLD.values():
        assert posts[title]["published_at"] is None and posts[title]["late"] is False
    assert posts[ON_TIME[0]]["published_at"] == "2025-08-15T09:00:00+07:00"
    assert posts[LATE[0]]["published_at"] == "2026-01-20T09:00:00+07:00" and posts[LATE[0]]["late"]
    assert "2025-07-05" not in json.dumps(data)


def test_the_command_agrees_and_speaks_plainly(
    moved_site: Path,
    moved: Build,
    git_env: dict[str, str],  # noqa: F811
) -> None:
    assert run_coverage(moved_site, "--format", "json", today=TODAY, env=git_env).stdout == (
        moved.site / "bao-cao/coverage.json"
    ).read_text(encoding="utf-8")
    for form in ("text", "markdown"):
        out = run_coverage(moved_site, "--format", form, today=TODAY, env=git_env)
        assert out.returncode == 1, out.stderr
        assert_plain(out.stdout, form)
        assert "Từ Quý III/2025, kết quả tính theo ngày lên trang" in out.stdout
    text = run_coverage(moved_site, today=TODAY, env=git_env).stdout
    assert "Viết bù quý bốn — ghi ngày 10/12/2025, lên trang ngày 20/01/2026" in text


# --- a site built without its record -------------------------------------------------------------


def test_without_the_record_the_report_says_so_plainly(tmp_path: Path) -> None:
    """Built from a folder that is not a repository: the admin's log names git, the report does not."""
    root = write_site(tmp_path, {"2025/bai.md": post(*ON_TIME)}, extra="coverage:\n  start: 2025-Q3\n")
    build = run_build(root, today=TODAY)
    assert build.code == 0, build.log
    text = visible(article(build))
    assert_plain(text, "bao-cao/")
    assert f"{UNCHECKED}: lần dựng trang này không đọc được nhật ký của trang" in text
    assert row_of(article(build), ON_TIME[0])[-2:] == ["—", UNCHECKED]
    assert IMPORTED not in text  # nothing was moved in: the term is not explained
    texts, tables = docx_texts(build.site / "bao-cao/bao-cao-2025.docx")
    assert_plain("\n".join(texts + [c for t in tables for r in t for c in r]), "bao-cao-2025.docx")
