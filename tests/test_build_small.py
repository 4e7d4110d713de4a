"""Small sites in tmp_path, each one scenario, built with the real `mkdocs build`."""

from __future__ import annotations

import re

import pytest
from conftest import epoch, png, post, run_build, search_records
from test_posts import BAD_INPUTS

pytestmark = pytest.mark.build


def test_bad_posts_stop_the_build_naming_every_file(site) -> None:
    files = {f"xau/{name}": content for name, content, _, _ in BAD_INPUTS}
    files["2024/tot.md"] = post("Bài tốt", "2024-05-01")
    root = site(files)
    for strict in (False, True):
        build = run_build(root, strict=strict)
        assert build.code == 1
        assert "Traceback" not in build.log
        for name, *_ in BAD_INPUTS:
            assert f"posts/xau/{name}" in build.log, name
        assert f"{len(BAD_INPUTS)} chỗ cần sửa" in build.log
        assert "posts/xau/yaml-colon.md:2:" in build.log


def test_same_address_stops_the_build_naming_both(site) -> None:
    root = site({"a.md": post("Gia đình", "2024-01-02"), "b/c.md": post("Gia Đình", "2024-02-02")})
    build = run_build(root)
    assert build.code == 1
    assert "posts/b/c.md" in build.log and "posts/a.md" in build.log and "Traceback" not in build.log


def test_a_docs_page_at_a_post_address_is_a_clash(site) -> None:
    root = site({"a.md": post("Mot", "2024-01-02")}, docs={"bai-viet/mot.md": "# Trang\n"})
    build = run_build(root)
    assert build.code == 1
    assert "posts/a.md" in build.log and "docs/bai-viet/mot.md" in build.log


def test_unknown_key_warns_strict_fails_plain_passes(site) -> None:
    root = site({"a.md": post("Bài", "2024-01-02", tag="[x]")})
    plain = run_build(root)
    assert plain.code == 0 and "WARNING" in plain.log and "posts/a.md" in plain.log
    assert run_build(root, strict=True).code == 1


def test_pagination_and_zone_edges(site) -> None:
    posts = {f"p{i}.md": post(f"Bài số {i}", f"2024-0{i}-10") for i in range(1, 8)}
    posts["bien.md"] = post("Bài biên", "2023-06-30T20:00:00Z")  # 1/7/2023 in Hà Nội
    build = run_build(site(posts))
    assert build.code == 0, build.log
    pages = [build.page(""), build.page("trang/2"), build.page("trang/3")]
    titles = [re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', html) for html in pages]
    assert titles == [
        ["Bài số 7", "Bài số 6", "Bài số 5"],
        ["Bài số 4", "Bài số 3", "Bài số 2"],
        ["Bài số 1", "Bài biên"],
    ]
    assert not (build.site / "trang/4").exists()
    assert "Bài biên" in build.page("luu-tru/2023/quy-3") and "1 tháng 7, 2023" in build.page(
        "luu-tru/2023/quy-3"
    )


def test_scheduled_post_appears_on_its_day(site) -> None:
    root = site({"a.md": post("Bài hẹn", "2025-03-08")})
    before = run_build(root, today=epoch(2025, 3, 7))
    assert before.code == 0 and "Hẹn đăng ngày 08/03/2025: posts/a.md" in before.log
    assert "Bài hẹn" not in before.page("")
    # Nothing to search yet: no index (Pagefind refuses an empty site) and a search box that says so.
    assert not (before.site / "pagefind").exists() and "data-column-search-empty" in before.page("")
    after = run_build(root, today=epoch(2025, 3, 8))
    assert "Bài hẹn" in after.page("") and (after.site / "bai-viet/bai-hen/index.html").is_file()
    assert [r["url"] for r in search_records(after.site)] == ["/bai-viet/bai-hen/"]
    assert "data-column-search-empty" not in after.page("")


def test_assets_beside_posts_are_published_and_linked(site) -> None:
    body = "![Ảnh lớp học](anh/lop.png) và [tài liệu](tai-lieu.pdf)"
    root = site(
        {
            "2024/bai.md": post("Bài có ảnh", "2024-01-02", body=body),
            "2024/anh/lop.png": png(40, 30),
            "2024/tai-lieu.pdf": b"%PDF-1.4\n",
        }
    )
    build = run_build(root, strict=True, today=epoch(2024, 1, 10))  # strict: no warning at all
    assert build.code == 0, build.log
    html = build.page("bai-viet/bai-co-anh")
    assert (
        'src="../2024/anh/lop.png" width="40" height="30"' in html and 'href="../2024/tai-lieu.pdf"' in html
    )
    assert (build.site / "bai-viet/2024/anh/lop.png").read_bytes().startswith(b"\x89PNG")


def test_no_posts_folder_is_an_empty_column(site) -> None:
    """Deleting every sample post deletes posts/ (git keeps no empty folder): the column says it is empty."""
    root = site({})
    (root / "posts").rmdir()
    build = run_build(root, strict=True)
    assert build.code == 0 and "Traceback" not in build.log, build.log
    assert "Chuyên mục chưa có bài viết nào." in build.page("")


def test_titles_and_tags_are_text_not_markup(site) -> None:
    title = "'Bé <script>alert(1)</script> & bạn'"
    fields = {
        "tags": "['<i>Nam</i> & nữ']",
        "summary": "'Tóm <b>tắt</b>'",
        "author": "'<u>Tổ</u> \"Văn phòng\"'",
        "body": "Nội dung.",
    }
    root = site({"a.md": post(title, "2024-03-08", **fields)})
    build = run_build(root)
    assert build.code == 0, build.log
    shown = "Bé &lt;script&gt;alert(1)&lt;/script&gt; &amp; bạn"
    post_page = build.page("bai-viet/be-script-alert-1-script-ban")
    for html in (
        post_page,
        build.page(""),
        build.page("chu-de/i-nam-i-nu"),
        build.page("luu-tru/2024/quy-1"),
    ):
        assert "<script>alert(1)" not in html and "<i>Nam</i>" not in html and "<b>tắt</b>" not in html
        assert "<u>Tổ</u>" not in html and '"Văn phòng"' not in html
    assert f"<h1>{shown}</h1>" in post_page and f"<title>{shown} - Trường thử</title>" in post_page
    assert "&lt;i&gt;Nam&lt;/i&gt; &amp; nữ" in build.page("chu-de/i-nam-i-nu")
    assert "Tóm &lt;b&gt;tắt&lt;/b&gt;" in build.page("")


SCRIPT = "<script>alert(1)</script>"
SHOWN = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_every_reader_visible_field_of_a_post_and_a_plan_is_text(site) -> None:
    """Autoescape in the project's templates: a <script> typed in any field shows as text."""
    fields = {
        "tags": f"['Tag {SCRIPT}']",
        "summary": f"'Tóm tắt {SCRIPT}'",
        "author": f"'Tác giả {SCRIPT}'",
        "image": "'anh.png?<script>'",
        "body": "Nội dung.",
    }
    plan = f"""\
        ---
        title: "Kế hoạch {SCRIPT}"
        number: "12/KH {SCRIPT}"
        date: 2024-11-05
        issuer: "Phòng {SCRIPT}"
        summary: "Tóm tắt kế hoạch {SCRIPT}"
        follows:
          - number: "99/KH {SCRIPT}"
            issuer: "UBND {SCRIPT}"
        targets:
          - name: "Chỉ tiêu {SCRIPT}"
            value: "90% {SCRIPT}"
        ---

        Nội dung kế hoạch.
        """
    root = site(
        {"a.md": post(f"'Bài {SCRIPT}'", "2024-03-08", **fields), "anh.png": png(20, 10)},
        docs={"index.md": "# Trang chủ\n", "ke-hoach/ke-hoach-a.md": plan},
    )
    build = run_build(root)
    assert build.code == 0, build.log
    pages = {
        "post": build.page("bai-viet/bai-script-alert-1-script"),
        "front": build.page(""),
        "tag": build.page("chu-de/tag-script-alert-1-script"),
        "quarter": build.page("luu-tru/2024/quy-1"),
        "plan": build.page("ke-hoach/ke-hoach-a"),
        "plans": build.page("ke-hoach"),
    }
    for name, html in pages.items():
        assert "alert(1)</script>" not in html and "<script>'" not in html, name
    for field in ("Bài", "Tag", "Tác giả"):
        assert f"{field} {SHOWN}" in pages["post"], field
    assert f"Tóm tắt {SHOWN}" in pages["front"]
    for field in ("Kế hoạch", "12/KH", "Phòng", "99/KH", "UBND", "Chỉ tiêu", "90%"):
        assert f"{field} {SHOWN}" in pages["plan"], field
    assert f"Tóm tắt kế hoạch {SHOWN}" in pages["plans"]
    assert 'src="bai-viet/anh.png?&lt;script&gt;"' in pages["front"]


def test_use_directory_urls_false_is_refused_by_name(site) -> None:
    root = site({"a.md": post("Bài", "2024-03-08")})
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8")
    build = run_build(root)
    assert build.code == 1 and "use_directory_urls" in build.log and "Traceback" not in build.log
    assert not (build.site / "bai-viet").exists()


def test_an_unknown_column_setting_is_refused_by_name(site) -> None:
    root = site({"a.md": post("Bài", "2024-03-08")}, extra="column:\n    per_pages: 5\n")
    build = run_build(root)
    assert build.code == 1 and "extra.column.per_pages" in build.log and "per_page" in build.log


def test_footer_icons_leave_each_page_its_own_share_tags(site) -> None:
    """``extra.social`` is Material's row of icons in the footer, which pages share; the tags a
    shared link shows (Open Graph) are each page's own, printed once in its head."""
    icons = "social:\n    - icon: fontawesome/brands/facebook\n      link: https://www.facebook.com/truong.hoa.sen\n"
    root = site({"a.md": post("Bài An", "2024-03-08"), "b.md": post("Bài Bình", "2024-04-08")}, extra=icons)
    build = run_build(root, strict=True)
    assert build.code == 0, build.log
    for slug, title in (("bai-an", "Bài An"), ("bai-binh", "Bài Bình")):
        html = build.page(f"bai-viet/{slug}")
        assert re.findall(r'<meta property="og:title" content="([^"]*)"', html) == [title]
        assert 'href="https://www.facebook.com/truong.hoa.sen"' in html


def test_the_hook_files_work_in_any_order(site) -> None:
    """Each hook file reads the settings and posts through build_state, whichever asks first: mkdocs.yml
    may list them in any order, and the audit, the district page and the column agree."""
    root = site({"2026/a.md": post("Bài A", "2026-11-20")}, extra="coverage:\n  start: 2026-Q4\n")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    lines = text.splitlines()
    hooks = [i for i, line in enumerate(lines) if line.strip().startswith("- ") and "_hooks.py" in line]
    reordered = [lines[i] for i in reversed(hooks)]
    for i, line in zip(hooks, reordered, strict=True):
        lines[i] = line
    assert lines != text.splitlines() and "coverage_hooks" in lines[hooks[1]]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    build = run_build(root, strict=True)
    assert build.code == 0, build.log
    assert "Bài A" in build.page("") and "Bài A" in build.page("bao-cao")
