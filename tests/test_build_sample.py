"""The repository's own sample site, built with the real `mkdocs build`: every page a reader needs."""

from __future__ import annotations

import json
import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import ROOT, Build, run_build, search_records

from hooks.posts import KNOWN_KEYS
from hooks.verdicts import Status

pytestmark = pytest.mark.build

NEWEST = "Hưởng ứng Tháng hành động vì bình đẳng giới năm 2026"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_sample_builds_and_lists_unpublished_posts(sample_build: Build) -> None:
    assert sample_build.code == 0, sample_build.log
    assert "Bản nháp, chưa đăng: posts/2026/toa-dam-cha-me.md" in sample_build.log
    assert "Hẹn đăng ngày 08/03/2027: posts/2027/2027-03-08-chao-mung-8-3-2027.md" in sample_build.log


def test_front_page_is_newest_first_with_summaries_and_pages(sample_build: Build) -> None:
    front = sample_build.page("")
    assert '<html lang="vi"' in front
    titles = re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', front)
    assert titles[0] == NEWEST and len(titles) == 10
    assert "18 tháng 11, 2026" in front and "Quý IV/2026" in front
    assert "Nhà trường phát động Tháng hành động năm 2026" in front  # the summary
    assert 'href="trang/2/"' in front
    second = sample_build.page("trang/2")
    assert (
        re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', second)[-1] == "Chào mừng Ngày Quốc tế Phụ nữ 8/3"
    )
    assert "Trang 2/2" in text_of(second)


def test_post_page_has_meta_tags_neighbours_image_and_anchor(sample_build: Build) -> None:
    html = sample_build.page("bai-viet/trien-khai-thang-hanh-dong-vi-binh-dang-gioi-nam-2024")
    text = text_of(html)
    assert "<h1>Triển khai Tháng hành động vì bình đẳng giới năm 2024</h1>" in html
    assert "15 tháng 11, 2024" in text and "Ban Giám hiệu" in text
    assert 'href="../../chu-de/thang-hanh-dong/"' in html
    assert "Bài trước Khai giảng năm học mới: lớp học không định kiến giới" in text
    assert "Bài sau Phòng ngừa bạo lực gia đình: nhận biết sớm, lên tiếng kịp thời" in text
    image = re.search(r'<img alt="Băng rôn[^"]*" src="([^"]+)"', html)
    assert image is not None
    target = (
        sample_build.site / "bai-viet/trien-khai-thang-hanh-dong-vi-binh-dang-gioi-nam-2024" / image[1]
    ).resolve()
    assert target.is_file() and target.read_bytes().startswith(b"\x89PNG")
    anchored = sample_build.page("bai-viet/tuan-le-doi-moi-cach-nghi-ve-nghe-nghiep")
    assert 'id="tuan-le-doi-moi"' in anchored


def test_archives_by_year_and_quarter(sample_build: Build) -> None:
    index = text_of(sample_build.page("luu-tru"))
    assert "Năm 2026" in index and "Quý I/2023 (2 bài)" in index
    assert "Quý III/2023" not in index  # the sample leaves it empty on purpose
    # 2024-03-31T17:30:00Z is 1 April in Hà Nội: quarter II.
    q2 = text_of(sample_build.page("luu-tru/2024/quy-2"))
    assert "Tuần lễ Đổi mới cách nghĩ về nghề nghiệp" in q2 and "1 tháng 4, 2024" in q2
    assert "Tuần lễ Đổi mới" not in text_of(sample_build.page("luu-tru/2024/quy-1"))
    year = text_of(sample_build.page("luu-tru/2025"))
    assert year.index("Quý IV/2025") < year.index("Quý I/2025")


def test_tags_index_and_tag_page(sample_build: Build) -> None:
    index = text_of(sample_build.page("chu-de"))
    assert "Tháng hành động (4 bài)" in index
    tag = text_of(sample_build.page("chu-de/thang-hanh-dong"))
    assert "Chủ đề: Tháng hành động" in tag
    assert tag.index("năm 2026") < tag.index("năm 2023")


def test_plan_index_newest_first_with_chain(sample_build: Build) -> None:
    html = sample_build.page("ke-hoach")
    text = text_of(html)
    assert text.index("Trường Mầm non Phương Nam)") < text.index("quận Thanh Xuân)")
    assert '<a href="2024-pgddt-uong-bi-1477/">1477/KH-PGDĐT</a>' in html
    assert "59/KH-UBND ngày 27 tháng 2, 2023 của UBND thành phố Hà Nội" in text
    plan = text_of(sample_build.page("ke-hoach/2024-pgddt-uong-bi-1477"))
    assert "Được cụ thể hoá bởi" in plan and "Số hiệu 1477/KH-PGDĐT" in plan
    district = text_of(sample_build.page("ke-hoach/2023-pgddt-thanh-xuan"))
    assert "ít nhất 70%" in district


def test_drafts_and_scheduled_are_published_nowhere(sample_build: Build) -> None:
    site = sample_build.site
    everything = "".join(p.read_text(errors="ignore") for p in site.rglob("*.html"))
    words = json.dumps(search_records(site), ensure_ascii=False)
    for title in ["tọa đàm cha mẹ học sinh về bình đẳng giới", "Chào mừng Ngày Quốc tế Phụ nữ 8/3/2027"]:
        assert title not in everything
        assert title not in words
    assert not list(site.glob("bai-viet/*toa-dam*")) and not list(site.glob("bai-viet/*2027*"))


def test_search_index_holds_posts_plans_and_the_guide_in_vietnamese(sample_build: Build) -> None:
    entry = json.loads((sample_build.site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["vi"]
    records = search_records(sample_build.site)
    urls = {record["url"] for record in records}
    assert "/bai-viet/phong-ngua-bao-luc-gia-dinh-nhan-biet-som-len-tieng-kip-thoi/" in urls
    assert {"/ke-hoach/2023-pgddt-thanh-xuan/", "/huong-dan/"} <= urls
    assert not any(
        url.startswith(("/luu-tru/", "/chu-de/", "/trang/", "/bao-cao/")) for url in urls
    )  # found once
    assert "/" not in urls  # the front page is a listing too
    assert len(urls) == len(records) == 19 + 3 + 1  # the published posts, the plans, the guide
    assert any("bạo lực gia đình" in record["content"].lower() for record in records)
    post = next(r for r in records if r["url"].startswith("/bai-viet/huong-ung-thang-hanh-dong"))
    assert "In bài" not in post["content"] and "Bài viết liên quan" not in post["content"]


class _Searchable(HTMLParser):
    """The text inside a page's ``data-pagefind-body`` element."""

    VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth and tag not in self.VOID:
            self.depth += 1
        elif not self.depth and any(name == "data-pagefind-body" for name, _ in attrs):
            self.depth = 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        self.depth = max(self.depth - 1, 0)

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def test_search_holds_the_words_each_page_shows_word_for_word(sample_build: Build) -> None:
    """What Pagefind indexed of a page is what the page shows as searchable, split into the same
    words (a plan's facts, written tag to tag, were glued: "hiệu1477" found neither word)."""
    records = search_records(sample_build.site)
    assert len(records) == 23
    for record in records:
        page = _Searchable()
        page.feed(sample_build.page(record["url"].strip("/")))
        shown = re.findall(r"\w+", " ".join(page.parts).lower())
        assert shown and re.findall(r"\w+", record["content"].lower()) == shown, record["url"]


def test_every_reader_label_is_vietnamese(sample_build: Build) -> None:
    for url in ["", "bai-viet/ngay-gia-dinh-viet-nam-2026", "luu-tru", "ke-hoach"]:
        html = sample_build.page(url)
        for english in ["Made with", "Initializing search", "Previous", "Next", "Table of contents"]:
            assert english not in html, (url, english)
    # Tooltips (the ¶ beside a heading said "Permanent link"), labels read aloud, placeholders and
    # picture descriptions on every page: each has Vietnamese letters.
    untranslated = []
    for path in sample_build.site.rglob("*.html"):
        if "pagefind" in path.parts or path.parts[-2:] == ("admin", "index.html"):
            continue  # Pagefind's own UI is not used; the editor is the admin's (tests/test_editor.py)
        for value in re.findall(
            r'\b(?:title|aria-label|placeholder|alt)="([^"]+)"', path.read_text(encoding="utf-8")
        ):
            if not re.search(r"[^\x00-\x7f]", value) and value not in ("RSS", "Atom"):
                untranslated.append((path.relative_to(sample_build.site).as_posix(), value))
    assert untranslated == []


def test_staff_guide_covers_every_field_and_verdict(sample_build: Build) -> None:
    html = sample_build.page("huong-dan")
    text = text_of(html)
    for heading in (
        "Viết và đăng một bài từ trình duyệt",
        "Phần thông tin của bài",
        "Ảnh",
        "Báo cáo theo quý",
    ):
        assert f">{heading}<" in html, heading
    for key in KNOWN_KEYS:  # a field the build accepts is a field the guide explains
        assert f"<td><code>{key}</code></td>" in html, key
    for word in (status.word for status in Status):
        assert f"<strong>{word}</strong>" in html, word
    assert "Create new file" in text and "Commit changes" in text and "Actions" in text
    assert 'href="../bao-cao/"' in html


def test_shared_chrome_is_what_each_page_would_render_itself(sample_build: Build, tmp_path) -> None:
    """Nav, tabs, search box and config script are reused between pages (overrides/main.html):
    a build that renders them for every page must give the same HTML, page for page."""
    out = tmp_path / "site"
    fresh_build = run_build(ROOT, out=out, env={"COLUMN_CHROME_CACHE": "0"})
    assert fresh_build.code == 0, fresh_build.log

    def normal(html: str) -> str:
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()

    pages = sorted(p.relative_to(out) for p in out.rglob("*.html"))
    assert len(pages) > 60
    for page in pages:
        fresh = (out / page).read_text(encoding="utf-8")
        shared = (sample_build.site / page).read_text(encoding="utf-8")
        assert normal(shared) == normal(fresh), page


def test_posts_converted_by_the_child_are_what_the_build_would_convert(sample_build: Build, tmp_path) -> None:
    """hooks/convert_beside.py (on by itself from 100 posts; the sample has fewer; ``1`` gives the
    child the last post from the start): a build whose forked child converts part of the posts
    writes the same pages and says the same things."""
    out = tmp_path / "site"
    shared = run_build(ROOT, out=out, env={"COLUMN_CONVERT_BESIDE": "1"}, verbose=True)
    assert shared.code == 0, shared.log
    converted = re.search(r"Tiến trình phụ đã chuyển (\d+) bài sang HTML; (\d+) bài nó không", shared.log)
    assert converted is not None and int(converted[1]) >= 1 and converted[2] == "0", shared.log

    def said(log: str, site: Path) -> list[str]:
        lines = log.replace(str(site), "").splitlines()
        return [line for line in lines if not line.startswith("DEBUG") and "built in" not in line]

    assert said(shared.log, out) == said(sample_build.log, sample_build.site)
    pages = sorted(p.relative_to(out) for p in out.rglob("*.html"))
    assert len(pages) > 60
    for page in pages:
        assert (out / page).read_bytes() == (sample_build.site / page).read_bytes(), page


def test_the_sample_report_shows_when_its_posts_reached_the_site(sample_build: Build) -> None:
    """The sample's own repository is its evidence: a post of a quarter it judges has the commit that
    added it as published_at; an older post (moved in with the rest) keeps its own date only."""
    import subprocess

    shallow = subprocess.run(
        ["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    if shallow != "false":
        pytest.skip("this checkout has no full git history (not a repository, or a shallow clone)")
    data = json.loads((sample_build.site / "bao-cao/coverage.json").read_text(encoding="utf-8"))
    assert data["history"]["reason"] is None and data["history"]["checked_from"] is not None
    posts = {p["url"].rsplit("/", 2)[-2]: p for q in data["quarters"] for p in q["posts"]}
    path = "posts/2026/2026-11-18-huong-ung-thang-hanh-dong-2026.md"
    added = subprocess.run(
        ["git", "log", "--first-parent", "--diff-filter=A", "--format=%cI", "--", path],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert added, path
    expected = datetime.fromisoformat(added[-1]).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    slug = "huong-ung-thang-hanh-dong-vi-binh-dang-gioi-nam-2026"
    assert datetime.fromisoformat(posts[slug]["published_at"]) == expected, slug
    assert posts["chao-mung-ngay-quoc-te-phu-nu-8-3"]["published_at"] is None  # a 2023 post
    page = sample_build.page("bao-cao")
    assert "Ngày lên trang" in page and "Đăng trước khi chuyên mục chuyển sang trang này" in page
