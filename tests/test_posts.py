"""The post model: front matter through a schema, and every kind of bad input named."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hooks.dates import zone
from hooks.posts import load_catalog, summarise

HANOI = zone("Asia/Ho_Chi_Minh")
TODAY = date(2026, 11, 23)

# Each bad file: (name, content, a phrase the message must contain, the line it must name or None).
BAD_INPUTS: list[tuple[str, str | bytes, str, int | None]] = [
    ("yaml-broken.md", "---\ntitle: Bài một\ndate: [2024-01-01\n---\nx\n", "YAML", None),
    ("yaml-colon.md", "---\ntitle: Ngày 8/3: chào mừng: vui\n---\nx\n", "YAML", 2),
    ("no-title.md", "---\ndate: 2024-01-05\n---\nx\n", "title:", None),
    ("empty-title.md", "---\ntitle: '  '\ndate: 2024-01-05\n---\nx\n", "title:", None),
    ("title-list.md", "---\ntitle: [a, b]\ndate: 2024-01-05\n---\nx\n", "'title' phải là chữ", None),
    ("impossible-date.md", "---\ntitle: Bài\ndate: 2024-02-30\n---\nx\n", "không có thật", None),
    ("month-first.md", "---\ntitle: Bài\ndate: 03/25/2024\n---\nx\n", "ngày/tháng/năm", None),
    ("words-date.md", "---\ntitle: Bài\ndate: 8 tháng 3 năm 2024\n---\nx\n", "2024-11-20", None),
    ("no-date.md", "---\ntitle: Bài không ngày\n---\nx\n", "date:", None),
    ("2024-13-01-bad-prefix.md", "---\ntitle: Bài tên tệp sai\n---\nx\n", "tên tệp", None),
    ("no-front-matter.md", "Chỉ có nội dung, không có phần đầu bài.\n", "---", 1),
    ("unclosed.md", "---\ntitle: Bài\ndate: 2024-01-05\nNội dung\n", "đóng lại", 1),
    ("empty.md", "", "---", 1),
    ("not-utf8.md", "---\ntitle: Bài\ndate: 2024-01-05\n---\nNgày\n".encode("cp1258"), "UTF-8", None),
    ("list-front-matter.md", "---\n- title\n- date\n---\nx\n", "khóa: giá trị", 2),
    ("scalar-front-matter.md", "---\nChỉ một câu\n---\nx\n", "khóa: giá trị", 2),
    ("tags-number.md", "---\ntitle: Bài\ndate: 2024-01-05\ntags: 5\n---\nx\n", "'tags'", None),
    ("tags-string.md", "---\ntitle: Bài\ndate: 2024-01-05\ntags: Gia đình\n---\nx\n", "danh sách", None),
    ("tags-nested.md", "---\ntitle: Bài\ndate: 2024-01-05\ntags: [{a: 1}]\n---\nx\n", "'tags'", None),
    ("draft-word.md", "---\ntitle: Bài\ndate: 2024-01-05\ndraft: có\n---\nx\n", "'draft'", None),
    ("draft-number.md", "---\ntitle: Bài\ndate: 2024-01-05\ndraft: 1\n---\nx\n", "true hoặc false", None),
    ("summary-list.md", "---\ntitle: Bài\ndate: 2024-01-05\nsummary: [a]\n---\nx\n", "'summary'", None),
    ("bad-suffix.markdown", "---\ntitle: Bài\ndate: 2024-01-05\n---\nx\n", ".md", None),
    (".an.md", "---\ntitle: Bài ẩn\ndate: 2024-01-05\n---\nx\n", "dấu chấm", None),
    ("only-symbols.md", "---\ntitle: '!!!'\ndate: 2024-01-05\n---\nx\n", "slug", None),
]


def write(folder: Path, files: Mapping[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


@pytest.mark.parametrize(("name", "content", "phrase", "line"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_each_bad_input_is_named_with_a_fix(tmp_path: Path, name: str, content, phrase: str, line) -> None:
    catalog = load_catalog(write(tmp_path, {name: content}), HANOI, TODAY)
    assert not catalog.published and not catalog.drafts and not catalog.scheduled
    assert len(catalog.problems) == 1
    problem = catalog.problems[0]
    assert problem.path == f"posts/{name}"
    assert phrase in problem.message
    if line is not None:
        assert problem.line == line


def test_nothing_is_lost(tmp_path: Path) -> None:
    """Every file ends up published, draft, scheduled, asset or a problem: exactly once."""
    good: dict[str, str | bytes] = {
        "2024/2024-03-08-mot.md": "---\ntitle: Một\nattachments: [tai-lieu.pdf]\n---\nx\n",
        "2024/nhap.md": "---\ntitle: Nháp\ndate: 2024-05-01\ndraft: true\n---\nx\n",
        "2027/hen.md": "---\ntitle: Hẹn\ndate: 2027-01-01\n---\nx\n",
        "2024/anh.png": b"\x89PNG\r\n",
        "2024/tai-lieu.pdf": b"%PDF-1.4",
    }
    ignored: dict[str, str | bytes] = {
        ".gitkeep": b"",
        "2024/.DS_Store": b"\0",
    }  # not post files: neither published nor errors
    files = {**good, **{f"bad/{b[0]}": b[1] for b in BAD_INPUTS}}
    catalog = load_catalog(write(tmp_path, {**files, **ignored}), HANOI, TODAY)
    placed = (
        [p.rel for p in catalog.published + catalog.drafts + catalog.scheduled]
        + catalog.assets
        + [p.path.removeprefix("posts/") for p in catalog.problems]
    )
    assert sorted(placed) == sorted(files)
    assert [p.title for p in catalog.published] == ["Một"]
    assert [p.title for p in catalog.drafts] == ["Nháp"]
    assert [p.title for p in catalog.scheduled] == ["Hẹn"]


def test_a_good_post_is_read_through_the_schema(tmp_path: Path) -> None:
    text = (
        "---\ntitle: '  Đẩy mạnh bình đẳng giới '\ndate: 2024-03-31T17:30:00Z\n"
        "tags: [Gia đình, Gia đình, Bình đẳng giới]\nauthor: Cô Lan\nimage: anh.png\n---\n\n"
        "# Tiêu đề\n\nĐoạn **đầu** có [liên kết](a.md) và `mã`.\nDòng hai.\n\nĐoạn sau.\n"
    )
    catalog = load_catalog(write(tmp_path, {"2024/bai.md": text, "2024/anh.png": b"x"}), HANOI, TODAY)
    (post,) = catalog.published
    assert post.title == "Đẩy mạnh bình đẳng giới"
    assert post.slug == "day-manh-binh-dang-gioi"
    assert post.date == datetime(2024, 4, 1, 0, 30, tzinfo=HANOI)
    assert post.quarter.key == "2024-Q2"
    assert post.tags == ("Gia đình", "Bình đẳng giới")
    assert post.summary == "Đoạn đầu có liên kết và mã. Dòng hai."
    assert catalog.notices == []


def test_file_name_gives_the_date_and_front_matter_must_agree(tmp_path: Path) -> None:
    files = {
        "2024-03-08-ten.md": "---\ntitle: Theo tên tệp\n---\nx\n",
        "2024-03-08-gio.md": "---\ntitle: Có giờ\ndate: 08/03/2024 09:30\n---\nx\n",
        "2024-03-08-trong.md": "---\ntitle: Ngày để trống\ndate: ''\n---\nx\n",
        # A post copied from an old one: the file is named for 2026, the front matter still says 2024.
        "2026-11-25-hoi-thi.md": "---\ntitle: Hội thi\ndate: 05/11/2024\n---\nx\n",
    }
    catalog = load_catalog(write(tmp_path, files), HANOI, TODAY)
    assert {p.title: p.day for p in catalog.published} == {
        "Theo tên tệp": date(2024, 3, 8),
        "Có giờ": date(2024, 3, 8),
        "Ngày để trống": date(2024, 3, 8),  # the editor's "clear" leaves date: '' behind
    }
    (problem,) = catalog.problems
    assert problem.path == "posts/2026-11-25-hoi-thi.md"
    assert "tên tệp ghi ngày 25/11/2026 nhưng 'date' là 05/11/2024" in problem.message


def test_today_is_published_tomorrow_is_scheduled(tmp_path: Path) -> None:
    files = {
        "hom-nay.md": "---\ntitle: Hôm nay\ndate: 2026-11-23T23:59:00+07:00\n---\nx\n",
        "ngay-mai.md": "---\ntitle: Ngày mai\ndate: 2026-11-23T17:00:00Z\n---\nx\n",  # 24/11 00:00 Hà Nội
    }
    catalog = load_catalog(write(tmp_path, files), HANOI, TODAY)
    assert [p.title for p in catalog.published] == ["Hôm nay"]
    assert [p.title for p in catalog.scheduled] == ["Ngày mai"]


def test_two_posts_at_one_address_are_both_named(tmp_path: Path) -> None:
    files = {
        "2024/a.md": "---\ntitle: Ngày Gia đình Việt Nam\ndate: 2024-06-28\n---\nx\n",
        "2025/b.md": "---\ntitle: Ngày gia đình Việt Nam\ndate: 2025-06-28\n---\nx\n",
        "2025/c.md": "---\ntitle: Ngày gia đình Việt Nam\ndate: 2025-06-28\nslug: gia-dinh-2025\n---\nx\n",
    }
    catalog = load_catalog(write(tmp_path, files), HANOI, TODAY)
    assert len(catalog.problems) == 1
    message = str(catalog.problems[0])
    assert "posts/2025/b.md" in message and "posts/2024/a.md" in message


def test_unknown_keys_and_missing_images_are_warnings(tmp_path: Path) -> None:
    files = {"bai.md": "---\ntitle: Bài\ndate: 2024-01-05\ntag: [x]\nimage: khong-co.jpg\n---\nx\n"}
    catalog = load_catalog(write(tmp_path, files), HANOI, TODAY)
    assert len(catalog.published) == 1
    messages = [str(n) for n in catalog.notices]
    assert any("'tag'" in m and "tags" in m for m in messages)
    assert any("khong-co.jpg" in m for m in messages)


def test_order_is_newest_first_and_stable(tmp_path: Path) -> None:
    files = {
        "b.md": "---\ntitle: B\ndate: 2024-01-05\n---\nx\n",
        "a.md": "---\ntitle: A\ndate: 2024-01-05\n---\nx\n",
        "c.md": "---\ntitle: C\ndate: 2024-02-01\n---\nx\n",
    }
    catalog = load_catalog(write(tmp_path, files), HANOI, TODAY)
    assert [p.title for p in catalog.published] == ["C", "B", "A"]


def test_summary_skips_headings_images_and_fences() -> None:
    body = "# Tiêu đề\n\n![ảnh](a.png)\n\n```\nmã\n```\n\n> Trích **dẫn** [x](y)\n\nsau\n"
    assert summarise(body) == "Trích dẫn x"
    assert summarise("chữ " * 200).endswith("…")
    assert len(summarise("chữ " * 200)) <= 281


PIECES = [
    "Chữ thường",
    "**đậm**",
    "_nghiêng_",
    "`mã`",
    "[liên kết](a.md)",
    "![ảnh](b.png)",
    "<b>thẻ</b>",
    "> trích",
    "- ý",
    "+",
    "1. bước",
    "2.",
    "  ",
    "a ~ b",
    "\u2028",
    "\t",
    "\n",
    "<",
    ">",
    "]",
    "(",
]


@given(st.lists(st.sampled_from(PIECES), max_size=8).map("".join))
def test_plain_text_removes_markup_only_where_there_is_some(markdown: str) -> None:
    """plain_text() skips the removals where a paragraph has nothing to remove: the same text as always running them."""
    import re

    from hooks.posts import _LINK, _MARKUP, plain_text

    assert plain_text(markdown) == re.sub(r"\s+", " ", _MARKUP.sub("", _LINK.sub(r"\1", markdown))).strip()


def test_the_guides_field_table_is_the_schema() -> None:
    """docs/huong-dan.md's table of front-matter keys lists exactly posts.FIELDS, required ones as "có"."""
    from conftest import ROOT

    from hooks.posts import FIELDS

    guide = (ROOT / "docs" / "huong-dan.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \|", guide, re.M))
    assert list(rows) == [field.name for field in FIELDS]
    assert [name for name, need in rows.items() if need.strip() == "có"] == [
        f.name for f in FIELDS if f.required
    ]
