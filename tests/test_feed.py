"""The Atom and RSS feeds, read back by feedparser as a feed reader would."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import feedparser
import pytest
from conftest import ROOT, Build, post, run_build

from hooks.dates import zone
from hooks.posts import load_catalog

SITE_URL = "https://example.github.io/chuyen-muc-binh-dang-gioi/"


def sample_published() -> list:
    return load_catalog(ROOT / "posts", zone("Asia/Ho_Chi_Minh"), date(2026, 11, 23)).published


@pytest.mark.parametrize("name, version", [("feed.xml", "atom10"), ("rss.xml", "rss20")])
def test_feed_lists_the_newest_published_posts(sample_build: Build, name: str, version: str) -> None:
    parsed = feedparser.parse((sample_build.site / name).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == version
    assert parsed.feed.title == "Chuyên mục Bình đẳng giới"
    assert parsed.feed.link == SITE_URL

    published = sample_published()
    assert len(published) == 19  # the sample's published posts, all within the feed's 20
    assert [e.title for e in parsed.entries] == [p.title for p in published]
    newest = parsed.entries[0]
    assert newest.title == "Hưởng ứng Tháng hành động vì bình đẳng giới năm 2026"
    assert newest.link == SITE_URL + "bai-viet/huong-ung-thang-hanh-dong-vi-binh-dang-gioi-nam-2026/"
    assert newest.summary.startswith("Nhà trường phát động Tháng hành động năm 2026")
    for entry, source in zip(parsed.entries, published, strict=True):
        assert entry.link.startswith(SITE_URL) and entry.link.endswith(f"/bai-viet/{source.slug}/")
        raw = entry.published
        assert raw.endswith("+07:00") or raw.endswith("+0700"), raw
        # feedparser's UTC reading of the date is the post's own instant.
        assert entry.published_parsed[:6] == source.date.utctimetuple()[:6]


def test_feed_never_carries_drafts_or_scheduled_posts(sample_build: Build) -> None:
    for name in ("feed.xml", "rss.xml"):
        text = (sample_build.site / name).read_text(encoding="utf-8")
        assert "Tọa đàm" not in text and "toa-dam-cha-me" not in text  # the draft
        assert "2027" not in text  # the post scheduled for 8/3/2027


def test_every_page_announces_the_feeds(sample_build: Build) -> None:
    pages = [
        sample_build.page(""),
        sample_build.page("bai-viet/chia-se-viec-nha-cung-con"),
        sample_build.page("bao-cao"),
    ]
    for html in pages:
        links = re.findall(
            r'<link rel="alternate" type="application/(atom|rss)\+xml"[^>]*href="([^"]+)"', html
        )
        assert links == [("atom", SITE_URL + "feed.xml"), ("rss", SITE_URL + "rss.xml")]


def test_feed_keeps_the_newest_twenty_and_escapes_titles(site) -> None:
    posts = {f"p{i:02}.md": post(f"Bài số {i}", f"2024-01-{i:02}") for i in range(1, 26)}
    posts["markup.md"] = post("'Tôi <b>không</b> & bạn'", "2024-02-01")
    build = run_build(site(posts))
    assert build.code == 0, build.log
    parsed = feedparser.parse((build.site / "feed.xml").read_bytes())
    assert not parsed.bozo
    titles = [e.title for e in parsed.entries]
    assert len(titles) == 20
    assert titles[0] == "Tôi <b>không</b> & bạn"  # text, as written, not markup
    assert titles[1:] == [f"Bài số {i}" for i in range(25, 6, -1)]
    assert parsed.entries[0].link == "https://truong-thu.example/bai-viet/toi-b-khong-b-ban/"


def test_without_site_url_there_is_no_feed_and_a_warning(site) -> None:
    root: Path = site({"a.md": post("Bài", "2024-01-02")})
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("site_url: https://truong-thu.example/\n", "")
    )
    build = run_build(root)
    assert build.code == 0
    assert "chưa có site_url" in build.log and "feed.xml" in build.log
    assert not (build.site / "feed.xml").exists()
    assert run_build(root, strict=True).code == 1


@pytest.mark.build
def test_a_summary_is_words_in_a_feed_readers_app(tmp_path: Path) -> None:
    """Readers show RSS's description (and an Atom summary of type html) as HTML: a summary is text."""
    from conftest import write_site

    typed = "Xem <img src=x onerror=alert(2)> & <b>đậm</b>"
    root = write_site(tmp_path / "site", {"2026/a.md": post("Bài A", "2026-11-20", summary=f"'{typed}'")})
    build = run_build(root, strict=True)
    assert build.code == 0, build.log
    for name in ("feed.xml", "rss.xml"):
        parsed = feedparser.parse((build.site / name).read_bytes())
        (entry,) = parsed.entries
        # feedparser hands over the HTML the reader would render: the tags are escaped text in it.
        assert "<img" not in entry.summary and "<b>" not in entry.summary, (name, entry.summary)
        assert "&lt;img src=x onerror=alert(2)&gt;" in entry.summary and "&amp;" in entry.summary
