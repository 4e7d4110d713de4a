"""Nothing a post carries runs on the site or comes from outside the repository (issue 20).

The editor at /admin/ keeps a teacher's GitHub token in the site's origin, so every way content
enters (the body, the front matter, the files beside a post) is checked here through the exact
command the Pages workflow runs: the run fails, names the file and the line in Vietnamese, and
what reaches site/ holds no script, no file from outside the repository and no hidden character.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import post, run_build, write_site
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from test_staff_mistakes import english_lines, publish

from hooks import sanitize

INDEX = {"index.md": "# Chuyên mục\n"}
ROOT_OVERRIDES = Path(__file__).resolve().parent.parent / "overrides"


def with_extensions(root: Path) -> Path:
    """The sample's Markdown extensions: attr_list lets a post add attributes, tables align columns."""
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "markdown_extensions:\n  - attr_list\n  - tables\n",
        encoding="utf-8",
    )
    return root


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


# name: (posts, phrases the output must hold)
REFUSED: dict[str, tuple[dict[str, str | bytes], list[str]]] = {
    "a script in the body": (
        {"2026/a.md": post("Bài A", "2026-11-20", body="Mở đầu.\n\n<script>fetch('/x')</script>")},
        ["posts/2026/a.md:8: đã bỏ thẻ <script>"],
    ),
    "an onerror attribute in raw HTML": (
        {
            "2026/a.md": post("Bài A", "2026-11-20", body='<img src="anh.jpg" onerror="alert(1)">'),
            "2026/anh.jpg": photo(),
        },
        ["posts/2026/a.md:6: đã bỏ thuộc tính onerror (mã chạy khi bấm hay khi tải) của thẻ <img>"],
    ),
    "an attribute added with attr_list": (
        {
            "2026/a.md": post("Bài A", "2026-11-20", body='Mở đầu.\n\n![Ảnh](anh.jpg){: onload="alert(1)" }'),
            "2026/anh.jpg": photo(),
        },
        ["posts/2026/a.md:8: đã bỏ thuộc tính onload"],
    ),
    "a javascript: link": (
        {"2026/a.md": post("Bài A", "2026-11-20", body="Bấm [vào đây](javascript:alert(1)).")},
        ["posts/2026/a.md:6: đã bỏ địa chỉ 'javascript:…' của thẻ <a>"],
    ),
    "an SVG cover": (
        {
            "2026/a.md": post("Bài A", "2026-11-20", image="anh.svg"),
            "2026/anh.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        },
        ["posts/2026/anh.svg: ảnh SVG có thể chứa mã chạy trên trang"],
    ),
    "an HTML attachment": (
        {
            "2026/a.md": post("Bài A", "2026-11-20", attachments="[trang.html]"),
            "2026/trang.html": "<script>alert(1)</script>",
        },
        ["posts/2026/trang.html: tệp HTML là một trang web", "hãy in nó ra PDF"],
    ),
    "a script file": (
        {"2026/a.md": post("Bài A", "2026-11-20"), "2026/ma.js": "alert(1)"},
        ["posts/2026/ma.js: loại tệp '.js' không được đăng kèm bài"],
    ),
    "draft written twice": (
        {"2026/a.md": "---\ntitle: Bài A\ndraft: true\ndate: 2026-11-20\ndraft: false\n---\n\nx\n"},
        ["posts/2026/a.md:5: khóa 'draft' được ghi hai lần (dòng 3 và dòng 5)"],
    ),
    "a cover from outside the repository": (
        {"2026/a.md": post("Bài A", "2026-11-20", image="/etc/passwd")},
        ["posts/2026/a.md:4: 'image': '/etc/passwd' không phải tên một tệp trong kho"],
    ),
    "an attachment above posts/": (
        {"2026/a.md": post("Bài A", "2026-11-20", attachments="[../../mkdocs.yml]")},
        ["posts/2026/a.md:4: 'attachments': '../../mkdocs.yml' trỏ ra ngoài thư mục bài viết"],
    ),
    "a date past the calendar's end": (
        {"2026/a.md": post("Bài A", '"9999-12-31T23:00:00-05:00"')},
        ["posts/2026/a.md:3: 'date': ngày '9999-12-31 23:00:00-05:00' nằm ngoài khoảng năm 1900-2999"],
    ),
    "odd suffixes": (
        {"2026/a.mD": post("Bài A", "2026-11-20"), "2026/b.Markdown": post("Bài B", "2026-11-20")},
        [
            "posts/2026/a.mD: bài viết phải có đuôi .md; hãy đổi tên tệp thành a.md",
            "posts/2026/b.Markdown: bài viết phải có đuôi .md; hãy đổi tên tệp thành b.md",
        ],
    ),
    "a tag of only an emoji": (
        {"2026/a.md": post("Bài A", "2026-11-20", tags="[Gia đình, 🎉]")},
        ["posts/2026/a.md:4: 'tags': chủ đề '🎉' không có chữ hay số nào"],
    ),
    "a tag of only a zero-width space": (
        {"2026/a.md": post("Bài A", "2026-11-20", tags='["\\u200b"]')},
        ["posts/2026/a.md:4: 'tags': một chủ đề chỉ gồm ký tự ẩn"],
    ),
    "a control character pasted into a title": (
        {"2026/a.md": post('"Hội thi\\e gia đình"', "2026-11-20")},
        ["posts/2026/a.md:2: 'title' có ký tự ẩn (U+001B"],
    ),
    "a right-to-left override in a title": (
        {"2026/a.md": post("Hội thi \u202egia đình", "2026-11-20")},
        ["posts/2026/a.md:2: 'title' có ký tự ẩn (U+202E"],
    ),
    "a hidden photo": (
        {"2026/a.md": post("Bài A", "2026-11-20"), "2026/.anh.jpg": photo()},
        ["posts/2026/.anh.jpg: tên tệp hoặc thư mục bắt đầu bằng dấu chấm nên bị ẩn"],
    ),
    "an empty draft": (
        {"2026/a.md": post("Bài A", "2026-11-20", draft="")},
        ["posts/2026/a.md:4: 'draft' đang để trống; hãy viết draft: true (bản nháp) hoặc draft: false"],
    ),
}


@pytest.mark.build
@pytest.mark.parametrize("name", list(REFUSED))
def test_what_a_post_may_not_carry_stops_the_publish_by_name(name: str, tmp_path: Path) -> None:
    posts, phrases = REFUSED[name]
    root = with_extensions(write_site(tmp_path / "site", posts, docs=INDEX))
    result = publish(root)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    for phrase in phrases:
        assert phrase in output, (phrase, output)
    assert "Traceback" not in output and english_lines(output) == [], output
    first = re.search(r"(\d+) chỗ cần sửa trước khi dựng trang", output)
    last = re.search(r"có (\d+) chỗ cần sửa", output)
    assert last is not None and (first is None or first[1] == last[1]), output


def symlinked(tmp_path: Path, make: str) -> tuple[Path, Path]:
    root = write_site(tmp_path / "site", {"2026/a.md": post("Bài A", "2026-11-20")}, docs=INDEX)
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (outside / "bi-mat.txt").write_text("mật khẩu", encoding="utf-8")
    (outside / "bai.md").write_text(post("Bài từ ngoài", "2026-11-21"), encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git/config").write_text("[remote] url = mật khẩu", encoding="utf-8")
    links = {
        "file": (root / "posts/2026/bi-mat.txt", outside / "bi-mat.txt"),
        "folder": (root / "posts/2026/ngoai", outside),
        "loop": (root / "posts/2026/vong", root / "posts"),
        "ancestor": (root / "posts/2026/goc", root),
        "inside": (root / "posts/2026/c.txt", root / ".git/config"),
        "docs": (root / "docs/bi-mat.txt", outside / "bi-mat.txt"),
    }
    link, target = links[make]
    link.symlink_to(target)
    return root, link


@pytest.mark.build
@pytest.mark.parametrize(
    ("make", "phrase"),
    [
        ("file", "posts/2026/bi-mat.txt: đây là một liên kết (symlink) trỏ ra ngoài kho mã"),
        ("folder", "posts/2026/ngoai: đây là một liên kết (symlink) trỏ ra ngoài kho mã"),
        ("loop", "posts/2026/vong: đây là một liên kết (symlink) tới một thư mục chứa nó hoặc nằm trong nó"),
        (
            "ancestor",
            "posts/2026/goc: đây là một liên kết (symlink) tới một thư mục chứa nó hoặc nằm trong nó",
        ),
        ("inside", "posts/2026/c.txt: đây là một liên kết (symlink); chỉ tệp thật mới được đăng"),
        ("docs", "docs/bi-mat.txt: đây là một liên kết (symlink) trỏ ra ngoài kho mã"),
    ],
)
def test_only_files_of_the_repository_are_published(make: str, phrase: str, tmp_path: Path) -> None:
    root, _ = symlinked(tmp_path, make)
    result = publish(root)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert phrase in output and "1 chỗ cần sửa trước khi dựng trang" in output, output
    assert "Traceback" not in output and "trùng địa chỉ" not in output
    site = root / "site"
    assert not site.exists() or "mật khẩu" not in "".join(
        p.read_text(errors="ignore") for p in site.rglob("*") if p.is_file()
    )


@pytest.mark.build
@pytest.mark.parametrize(
    ("name", "content", "phrase"),
    [
        ("ke-hoach/trang.html", "<script>alert(1)</script>", "tệp HTML là một trang web"),
        ("assets/hinh.svg", "<svg><script>alert(1)</script></svg>", "ảnh SVG có thể chứa mã"),
        ("assets/ma.js", "alert(1)", "tệp JavaScript chạy được trên trang"),
    ],
)
def test_a_page_or_script_in_docs_is_refused_unless_mkdocs_yml_names_it(
    name: str, content: str, phrase: str, tmp_path: Path
) -> None:
    root = write_site(
        tmp_path / "site", {"2026/a.md": post("Bài A", "2026-11-20")}, docs={**INDEX, name: content}
    )
    result = publish(root)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and f"docs/{name}: {phrase}" in output, output
    config = root / "mkdocs.yml"  # a file the admin names in mkdocs.yml is the site's own
    config.write_text(
        config.read_text(encoding="utf-8") + f"extra_javascript:\n  - {name}\n", encoding="utf-8"
    )
    assert publish(root).returncode == 0


def word_file(*, gps: bool) -> bytes:
    """A .docx as Word writes one after a phone photo is pasted in: a zip with the JPEG in word/media/."""
    import zipfile

    image = Image.new("RGB", (40, 30), (200, 40, 40))
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (21.0, 0.0, 30.0), 3: "E", 4: (105.0, 48.0, 12.0)}
    photo_bytes = io.BytesIO()
    image.save(photo_bytes, "JPEG", exif=exif)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/image1.jpeg", photo_bytes.getvalue())
    return out.getvalue()


@pytest.mark.build
def test_a_photos_position_inside_a_word_file_stops_the_publish(tmp_path: Path) -> None:
    posts: dict[str, str | bytes] = {
        "2026/a.md": post("Bài A", "2026-11-20", attachments="[ke-hoach.docx, danh-sach.docx]"),
        "2026/ke-hoach.docx": word_file(gps=True),
        "2026/danh-sach.docx": word_file(gps=False),
    }
    root = write_site(tmp_path / "site", posts, docs=INDEX)
    result = publish(root)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "posts/2026/ke-hoach.docx: tệp có ảnh còn vị trí GPS nơi chụp (word/media/image1.jpeg)" in output
    assert "danh-sach.docx" not in output and "1 chỗ cần sửa" in output
    (root / "posts/2026/ke-hoach.docx").write_bytes(word_file(gps=False))
    assert publish(root).returncode == 0


@pytest.mark.build
def test_what_the_sanitizer_removes_never_reaches_a_page(tmp_path: Path) -> None:
    """`make serve` (not strict) shows the page without what was removed; the Pages build stops on it."""
    body = (
        "Mở đầu.\n\n<script>window.bad = 1</script>\n\n"
        '<img src="anh.jpg" alt="Ảnh" onerror="alert(1)">\n\n'
        "[Liên kết](javascript:alert(2)) và [kế hoạch](https://example.org/ke-hoach).\n\n"
        '<p id="__config" style="position: fixed">Chữ</p>\n\n'
        "| Cột | Số |\n|:----|---:|\n| a | 1 |\n"
    )
    root = write_site(
        tmp_path / "site",
        {"2026/a.md": post("Bài A", "2026-11-20", body=body), "2026/anh.jpg": photo()},
        docs=INDEX,
    )
    build = run_build(with_extensions(root))
    assert build.code == 0, build.log
    html = build.page("bai-viet/bai-a")
    article = html[html.index("<article") : html.index("</article>")]
    assert "window.bad" not in html and "onerror" not in html and "javascript:" not in html
    assert 'id="__config"' not in article and "position: fixed" not in article
    assert '<a href="https://example.org/ke-hoach">kế hoạch</a>' in article  # links are kept
    assert '<th style="text-align: left;">Cột</th>' in article or 'style="text-align:left"' in article
    assert '<img src="anh.jpg" alt="Ảnh">' in article  # raw HTML keeps its picture, without the script
    for what in ("thẻ <script>", "thuộc tính onerror", "địa chỉ 'javascript:…'", "thuộc tính style"):
        assert what in build.log, (what, build.log)


@pytest.mark.build
def test_every_page_says_which_scripts_may_run(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"2026/a.md": post("Bài A", "2026-11-20")}, docs=INDEX)
    build = run_build(root, strict=True)
    assert build.code == 0, build.log
    for page in (
        build.site / "index.html",
        build.site / "bai-viet/bai-a/index.html",
        build.site / "404.html",
    ):
        html = page.read_text(encoding="utf-8")
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
        assert policy is not None, page
        assert html.index("Content-Security-Policy") < html.index("<script"), page  # before any script
        script_src = next(d for d in policy[1].split("; ") if d.startswith("script-src"))
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        for inline in re.findall(
            r"<script>(.*?)</script>", html, re.S
        ):  # each inline script is allowed by hash
            assert f"'sha256-{sanitize.sha256(inline)}'" in script_src


@pytest.mark.build
def test_the_editor_page_prints_the_sites_name_as_text(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"2026/a.md": post("Bài A", "2026-11-20")}, docs=INDEX)
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("site_name: Trường thử", "site_name: 'A & <b>B</b>'"),
        encoding="utf-8",
    )
    build = run_build(root, strict=True)
    assert build.code == 0, build.log
    admin = (build.site / "admin/index.html").read_text(encoding="utf-8")
    assert "A &amp; &lt;b&gt;B&lt;/b&gt;" in admin and "<b>B</b>" not in admin


@pytest.mark.build
def test_hidden_characters_reach_no_output(tmp_path: Path) -> None:
    """A right-to-left override would show "giới" reversed in the page, the feeds and the report."""
    root = write_site(
        tmp_path / "site",
        {
            "2026/a.md": post(
                "Hội thi \u202egia đình", "2026-11-20", tags="[Gia\u200b đình]", author="Cô\u2066 Lan"
            )
        },
        docs=INDEX,
    )
    build = run_build(root)
    assert build.code == 0, build.log
    for path in build.site.rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".csv"):
            text = path.read_text(encoding="utf-8-sig")
            assert not set(text) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), path
    assert "Hội thi gia đình" in build.page("bai-viet/hoi-thi-gia-dinh")


@pytest.mark.build
def test_a_title_too_long_for_a_file_name_keeps_its_words(tmp_path: Path) -> None:
    title = "Tuyên truyền " + " ".join(["bình đẳng giới trong gia đình và nhà trường"] * 8)
    assert len(title) > 340
    root = write_site(tmp_path / "site", {"2026/a.md": post(title, "2026-11-20")}, docs=INDEX)
    result = publish(root)
    assert result.returncode == 0, result.stdout + result.stderr
    (page,) = (root / "site/bai-viet").glob("tuyen-truyen-*/index.html")
    assert len(page.parent.name) <= 80
    assert f"<h1>{title}</h1>" in page.read_text(encoding="utf-8")


@pytest.mark.build
def test_a_drafts_photos_wait_however_the_draft_refers_to_them(tmp_path: Path) -> None:
    body = '[anh]: tre-em-1.jpg\n\n![Trẻ em][anh]\n\n<img src="tre-em-2.jpg" alt="Trẻ em">\n\n<a href="ds.pdf">Danh sách</a>'
    root = write_site(
        tmp_path / "site",
        {
            "2026/nhap.md": post("Nháp", "2026-11-21", draft="true", body=body),
            "2026/tre-em-1.jpg": photo(),
            "2026/tre-em-2.jpg": photo(),
            "2026/ds.pdf": b"%PDF-1.4 danh sach",
            "2026/a.md": post("Bài A", "2026-11-20"),
        },
        docs=INDEX,
    )
    result = publish(root)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for name in ("tre-em-1.jpg", "tre-em-2.jpg", "ds.pdf"):
        assert not (root / "site/bai-viet/2026" / name).exists(), name
        assert f"Chờ đăng cùng posts/2026/nhap.md: posts/2026/{name}" in output


@pytest.mark.build
def test_a_title_with_quotes_and_a_colon_builds_once_written_as_the_message_says(tmp_path: Path) -> None:
    line = 'title: Tọa đàm "Cha mẹ làm gương": chia sẻ kinh nghiệm'
    text = f"---\n{line}\ndate: 2026-11-20\n---\n\nx\n"
    root = write_site(tmp_path / "site", {"2026/a.md": text}, docs=INDEX)
    result = publish(root)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    advice = re.search(r"hãy viết dòng này là: (.+)$", output, re.M)
    assert advice is not None, output
    assert advice[1] == "title: 'Tọa đàm \"Cha mẹ làm gương\": chia sẻ kinh nghiệm'"
    (root / "posts/2026/a.md").write_text(text.replace(line, advice[1]), encoding="utf-8")
    again = publish(root)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Tọa đàm &quot;Cha mẹ làm gương&quot;: chia sẻ kinh nghiệm" in (
        root / "site/bai-viet/toa-dam-cha-me-lam-guong-chia-se-kinh-nghiem/index.html"
    ).read_text(encoding="utf-8") or 'Tọa đàm "Cha mẹ làm gương": chia sẻ kinh nghiệm' in (
        root / "site/bai-viet/toa-dam-cha-me-lam-guong-chia-se-kinh-nghiem/index.html"
    ).read_text(encoding="utf-8")


@pytest.mark.build
def test_text_typed_decomposed_is_published_composed(tmp_path: Path) -> None:
    """A keyboard that writes "ọ" as "o" + U+0323 (NFD): page, share tags, feed and search see NFC."""
    import unicodedata

    title = unicodedata.normalize("NFD", "An toàn học đường")
    body = unicodedata.normalize("NFD", "Bạo lực học đường là điều cần phòng ngừa.")
    root = write_site(tmp_path / "site", {"2026/a.md": post(title, "2026-11-20", body=body)}, docs=INDEX)
    build = run_build(root, strict=True)
    assert build.code == 0, build.log
    composed = "An toàn học đường"
    page = build.page("bai-viet/an-toan-hoc-duong")
    assert f"<h1>{composed}</h1>" in page and f'content="{composed}"' in page
    assert "Bạo lực học đường" in page
    assert composed in (build.site / "feed.xml").read_text(encoding="utf-8")
    from conftest import search_records

    records = [r for r in search_records(build.site) if r["url"].endswith("/an-toan-hoc-duong/")]
    assert (
        records and composed in records[0]["meta"]["title"] and "Bạo lực học đường" in records[0]["content"]
    )
    for path in build.site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), path


# --- the sanitizer alone: whatever HTML comes in, nothing that runs comes out -------------------

_NAMES = st.sampled_from(
    ["p", "a", "img", "script", "svg", "iframe", "div", "table", "td", "style", "object", "math", "form", "x"]
)
_ATTRIBUTES = st.sampled_from(
    [
        "href",
        "src",
        "onerror",
        "onclick",
        "ONLOAD",
        "style",
        "id",
        "class",
        "srcdoc",
        "formaction",
        "xlink:href",
    ]
)
_VALUES = st.one_of(
    st.sampled_from(
        [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "java\tscript:x",
            "vbscript:x",
            "data:text/html,x",
            "__config",
        ]
    ),
    st.text(max_size=12),
)


@st.composite
def html_soup(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 8))):
        name = draw(_NAMES)
        attrs = " ".join(
            f'{draw(_ATTRIBUTES)}="{draw(_VALUES).replace(chr(34), "")}"'
            for _ in range(draw(st.integers(0, 3)))
        )
        parts.append(f"<{name} {attrs}>{draw(st.text(max_size=10))}")
        if draw(st.booleans()):
            parts.append(f"</{name}>")
    return draw(st.sampled_from(["", "<", "&"])).join(parts) + draw(st.text(max_size=20))


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


@settings(max_examples=400, deadline=None)
@given(st.one_of(html_soup(), st.text()))
def test_the_sanitizer_never_lets_script_through(html: str) -> None:
    collector = collected(sanitize.clean(html))
    assert not {"script", "svg", "iframe", "object", "embed", "style", "math", "form"} & set(collector.tags)
    for name, value in collector.attributes:
        assert not name.startswith("on"), name
        plain = re.sub(r"[\x00-\x20]", "", value).lower()
        if name in ("href", "src", "cite", "action", "formaction", "xlink:href", "poster"):
            assert not plain.startswith(("javascript:", "vbscript:", "data:")), value
        assert not (name == "id" and value.startswith("__")), value


def collected(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


@given(html_soup())
def test_what_is_reported_is_what_is_removed(html: str) -> None:
    """Every tag and attribute the report names is one the sanitizer takes out."""
    cleaned = collected(sanitize.clean(html))
    for item in sanitize.removed(html):
        if item.what.startswith("thẻ <"):
            assert item.needle[1:] not in cleaned.tags, (item, cleaned.tags)
        elif item.what.startswith("thuộc tính") and item.needle.startswith(("on", "srcdoc", "formaction")):
            assert item.needle not in {name for name, _ in cleaned.attributes}, (item, cleaned.attributes)


def test_only_the_themes_own_inline_scripts_are_allowed_by_the_policy() -> None:
    """Defence in depth: the policy allows the scripts the theme's templates print (a {{ slot }} may
    only hold a name or a string's text), never one inside the page's content nor any other."""
    allowed = sanitize.theme_scripts(
        [
            '<script>var scope = new URL("{{ base_url }}", location)</script>',
            "<script>var n = {{ count }}</script>",
        ]
    )
    theme = '<script>var scope = new URL("../..", location)</script><script>var n = 12</script>'
    planted = '<script>var scope = new URL("", location); steal()</script><script>var n = steal()</script>'
    content = "<p>Bài</p><script>var n = 3</script>"
    page = f'<html><head><meta charset="utf-8">{theme}</head><body>{planted}<article>{content}</article></body></html>'
    out, refused = sanitize.with_policy(page, content, allowed)
    policy = re.search(r'content="([^"]+)"', out)
    assert policy is not None
    allowed_hashes = re.findall(r"'sha256-([^']+)'", policy[1])
    assert allowed_hashes == [
        sanitize.sha256('var scope = new URL("../..", location)'),
        sanitize.sha256("var n = 12"),
    ]
    assert refused == ['var scope = new URL("", location); steal()', "var n = steal()", "var n = 3"]


@pytest.mark.build
def test_the_sample_themes_scripts_are_all_allowed(tmp_path: Path) -> None:
    """Material's inline scripts (scope, palette, tabs) are the theme's: every page runs them."""
    from conftest import ROOT

    build = run_build(ROOT, strict=True, out=tmp_path / "site")
    assert build.code == 0 and "không phải của giao diện" not in build.log, build.log
    html = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert policy is not None
    for inline in re.findall(r"<script>(.*?)</script>", html, re.S):
        assert f"'sha256-{sanitize.sha256(inline)}'" in policy[1]


@pytest.mark.build
def test_a_script_in_a_pages_front_matter_is_text_and_one_a_template_prints_does_not_run(
    tmp_path: Path,
) -> None:
    """A title or author of a page of docs/ (a plan, the guide) is printed as text; and were a template
    to print front matter as HTML, the script it carries is named and left out of the policy."""
    plan = "---\ntitle: Kế hoạch\nnumber: 1/KH\ndate: 2026-01-05\nissuer: Trường\nauthor: '\"><script>alert(8)</script>'\n---\n\nx\n"
    root = write_site(
        tmp_path / "site",
        {"2026/a.md": post("Bài A", "2026-11-20")},
        docs={
            "index.md": "# Chuyên mục\n",
            "trang.md": "---\ntitle: '<script>alert(1)</script>'\n---\n\nx\n",
            "ke-hoach/kh.md": plan,
        },
    )
    build = run_build(root, strict=True)
    assert build.code == 0, build.log
    for page in ("trang", "ke-hoach/kh", ""):
        assert "<script>alert(" not in build.page(page), page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in build.page("trang")
    theme = tmp_path / "theme"
    shutil.copytree(ROOT_OVERRIDES, theme)  # the project's templates, one of them careless
    main = (theme / "main.html").read_text(encoding="utf-8")
    (theme / "main.html").write_text(
        main.replace(
            "{% block extrahead %}", "{% block extrahead %}{{ (page.meta.evil if page else '') | safe }}", 1
        ),
        encoding="utf-8",
    )
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(f"custom_dir: {ROOT_OVERRIDES}", f"custom_dir: {theme}"),
        encoding="utf-8",
    )
    (root / "docs/trang.md").write_text(
        "---\ntitle: Trang\nevil: '<script>alert(9)</script>'\n---\n\nx\n", encoding="utf-8"
    )
    again = run_build(root, strict=True)
    assert (
        again.code == 1
        and "docs/trang.md: trang có mã <script> không phải của giao diện (alert(9)" in again.log
    )
    html = (again.site / "trang/index.html").read_text(encoding="utf-8")
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', html)
    assert policy is not None and sanitize.sha256("alert(9)") not in policy[1]


def test_the_sanitizer_keeps_what_staff_write() -> None:
    html = (
        '<h2 id="muc-1">Mục 1<a class="headerlink" href="#muc-1" title="Liên kết">¶</a></h2>'
        '<div class="admonition note"><p class="admonition-title">Lưu ý</p><p>Chữ <strong>đậm</strong></p></div>'
        '<p><img alt="Ảnh" src="../2026/anh.jpg" /></p>'
        '<table><thead><tr><th style="text-align: left;">A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>'
        '<p><a href="mailto:a@b.vn">thư</a> <a href="tel:0243">gọi</a> <a href="ke-hoach.pdf">tệp</a></p>'
        "<details><summary>Xem thêm</summary><p>Nội dung</p></details>"
    )
    cleaned = sanitize.clean(html)
    for kept in (
        'id="muc-1"',
        'class="headerlink"',
        'class="admonition note"',
        '<img alt="Ảnh" src="../2026/anh.jpg">',
        "text-align",
        'href="mailto:a@b.vn"',
        'href="tel:0243"',
        'href="ke-hoach.pdf"',
        "<details><summary>Xem thêm</summary>",
    ):
        assert kept in cleaned, (kept, cleaned)
    assert sanitize.removed(html) == []


@pytest.mark.build
def test_the_sample_site_loses_nothing_to_the_sanitizer(tmp_path: Path) -> None:
    """Every page of the sample builds without a word from the sanitizer."""
    from conftest import ROOT

    build = run_build(ROOT, strict=True, out=tmp_path / "site")
    assert build.code == 0, build.log
    assert "đã bỏ" not in build.log
    report = json.loads((tmp_path / "site/bao-cao/coverage.json").read_text(encoding="utf-8"))
    assert report["quarters"], report
    assert os.path.exists(tmp_path / "site/bai-viet/2024/thang-hanh-dong-2024/bang-ron.png")
