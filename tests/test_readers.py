"""The sample site as parents read it from a link shared on Zalo or Facebook: what the page says
when shared, the post page of a school portal, whose column it is, and nothing that slows a phone."""

from __future__ import annotations

import re

import pytest
from conftest import Build

pytestmark = pytest.mark.build

POST = "bai-viet/huong-ung-thang-hanh-dong-vi-binh-dang-gioi-nam-2026"
SITE = "https://example.github.io/chuyen-muc-binh-dang-gioi/"


def meta(html: str, key: str) -> list[str]:
    return re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)


def test_a_shared_post_shows_its_title_summary_and_cover(sample_build: Build) -> None:
    html = sample_build.page(POST)
    assert meta(html, "og:title") == ["Hưởng ứng Tháng hành động vì bình đẳng giới năm 2026"]
    assert meta(html, "og:type") == ["article"] and meta(html, "og:locale") == ["vi_VN"]
    assert meta(html, "og:url") == [f"{SITE}{POST}/"]
    # The cover cut to what Zalo and Facebook show (hooks/share_image.py; tests/test_share_image.py).
    assert meta(html, "og:image") == [f"{SITE}anh-chia-se/{POST.removeprefix('bai-viet/')}.jpg"]
    assert meta(html, "og:image:width") == ["1200"] and meta(html, "og:image:height") == ["630"]
    assert meta(html, "article:published_time") == ["2026-11-18T00:00:00+07:00"]
    assert meta(html, "twitter:card") == ["summary_large_image"]
    summary = "Nhà trường phát động Tháng hành động năm 2026 với sinh hoạt dưới cờ"
    assert meta(html, "og:description")[0].startswith(summary)
    assert meta(html, "description")[0].startswith(summary)  # the post's own, not the site's


def test_a_post_without_a_cover_shares_the_sites_picture(sample_build: Build) -> None:
    html = sample_build.page("bai-viet/chia-se-viec-nha-cung-con")
    assert meta(html, "og:image") == [f"{SITE}assets/chia-se.png"]
    assert meta(html, "og:image:width") == ["1200"] and meta(html, "og:image:height") == ["630"]
    listing = sample_build.page("luu-tru/2024/quy-4")
    assert meta(listing, "og:title") == ["Lưu trữ Quý IV/2024"] and meta(listing, "og:type") == ["website"]
    assert "bài viết của chuyên mục" in meta(listing, "description")[0]
    plan = sample_build.page("ke-hoach/2024-mn-phuong-nam")
    assert meta(plan, "og:url") == [f"{SITE}ke-hoach/2024-mn-phuong-nam/"]


def test_the_post_page_holds_what_school_portals_show(sample_build: Build) -> None:
    html = sample_build.page(POST)
    content = html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    assert content.count("<h1") == 1 and "<article" not in content  # one heading, no nested article
    trail = re.search(r'<nav class="column-trail" aria-label="Đường dẫn">(.*?)</nav>', content, re.DOTALL)
    assert trail and [t for t in re.findall(r">([^<>]+)<", trail[1]) if t.strip()] == [
        "Chuyên mục Bình đẳng giới",
        "Năm 2026",
        "Quý IV/2026",
        "Hưởng ứng Tháng hành động vì bình đẳng giới năm 2026",
    ]
    cover = re.search(r'<img class="column-cover-image"([^>]*)>', content)
    assert cover and 'width="1200" height="675"' in cover[1] and 'fetchpriority="high"' in cover[1]
    assert 'alt="Tranh vẽ cô giáo, cha mẹ và các bé' in cover[1]
    assert '<p class="column-lead">Nhà trường phát động' in content
    assert re.search(
        r'<a href="../2026/ke-hoach-thang-hanh-dong-2026.pdf" download>ke-hoach-thang-hanh-dong-2026.pdf</a> <span class="column-file">PDF, \d+ KB</span>',
        content,
    )
    assert (
        (sample_build.site / "bai-viet/2026/ke-hoach-thang-hanh-dong-2026.pdf")
        .read_bytes()
        .startswith(b"%PDF")
    )
    for button in ("In bài", "Sao chép liên kết", "Chia sẻ (Zalo, Messenger…)"):
        assert f">{button}</button>" in content, button
    assert "https://www.facebook.com/sharer/sharer.php?u=https%3A//example.github.io/" in content
    related = re.search(
        r'<h2 id="bai-viet-lien-quan">Bài viết liên quan</h2>\s*<ul>(.*?)</ul>', content, re.DOTALL
    )
    assert related and len(re.findall("<li>", related[1])) == 3
    assert "Tháng hành động 2025: lan toả thông điệp không bạo lực" in related[1]  # shares both tags


def test_no_third_party_script_and_no_extra_stylesheet(sample_build: Build) -> None:
    for url in ("", POST, "luu-tru", "bao-cao"):
        html = sample_build.page(url)
        scripts = re.findall(r'<script[^>]* src="([^"]+)"', html)
        assert scripts and all(not s.startswith(("http:", "https:", "//")) for s in scripts), url
        sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        assert [s.rsplit("/", 1)[-1].split(".")[0] for s in sheets] == ["main"], (
            url,
            sheets,
        )  # Material's own
        assert "column-card" in html or "column-post-header" in html or "coverage" in html


def test_every_picture_has_its_size_and_only_the_first_loads_at_once(sample_build: Build) -> None:
    front = sample_build.page("")
    cards = re.findall(r'<img class="column-card-image"([^>]*)>', front)
    assert len(cards) == 3 and all(re.search(r'width="\d+" height="\d+"', c) for c in cards)
    assert 'fetchpriority="high"' in cards[0] and all('loading="lazy"' in c for c in cards[1:])
    quarter = sample_build.page("luu-tru/2026/quy-4")
    assert re.search(
        r'<img class="column-thumb" src="../../../bai-viet/2026/thang-hanh-dong-2026.png" alt="" width="1200" height="675" loading="lazy"',
        quarter,
    )
    body_image = sample_build.page("bai-viet/trien-khai-thang-hanh-dong-vi-binh-dang-gioi-nam-2024")
    assert re.search(
        r'<img alt="Băng rôn[^"]*" src="[^"]+bang-ron.png" width="\d+" height="\d+" loading="lazy"',
        body_image,
    )


def test_the_school_is_named_in_the_header_and_the_footer(sample_build: Build) -> None:
    html = sample_build.page(POST)
    assert re.search(r'<img src="../../assets/logo.svg" alt="" width="48" height="48">', html)
    footer = html.split('<footer class="md-footer">', 1)[1]
    for phrase in (
        "<strong>Trường Mầm non Hoa Sen (trang mẫu)</strong>",
        "Địa chỉ: Số 1 đường Hoa Sen, phường Thanh Xuân, Hà Nội",
        '<a href="tel:02438580000">024 3858 0000</a>',
        '<a href="mailto:mnhoasen@example.edu.vn">mnhoasen@example.edu.vn</a>',
        "Phụ trách chuyên mục: Cô Nguyễn Thị Lan, Phó Hiệu trưởng",
        '<a href="https://mnhoasen.example.edu.vn/">Trang thông tin điện tử của nhà trường</a>',
    ):
        assert phrase in footer, phrase
    assert "Material for MkDocs" not in footer


def test_the_404_page_is_vietnamese_and_offers_the_front_page_and_search(sample_build: Build) -> None:
    html = (sample_build.site / "404.html").read_text(encoding="utf-8")
    assert "<h1>Không tìm thấy trang</h1>" in html and "404 - Not found" not in html
    assert f'<a href="{SITE}">Về trang đầu của chuyên mục</a>' in html and 'for="__search"' in html
