"""The front matter of the pages the column generates (tags, years, quarters): MkDocs must read
back exactly the title and template written, whatever a staff-written tag holds."""

from __future__ import annotations

import html
from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from hooks import listings
from hooks.dates import zone
from hooks.posts import Post


@given(st.text(), st.sampled_from(["listing.html", "archive.html", "report.html"]))
def test_a_generated_page_reads_back_as_written(title: str, template: str) -> None:
    body, meta = get_data(listings.page_source(title, template))
    assert meta == {
        "title": html.escape(title, quote=False),
        "template": template,
        "search": {"exclude": True},
    }
    assert body == ""


def test_a_tag_with_quotes_and_markup_stays_one_title() -> None:
    _, meta = get_data(listings.page_source('Nam & nữ: "bình đẳng" \\ <b>', "listing.html"))
    assert meta["title"] == 'Nam &amp; nữ: "bình đẳng" \\ &lt;b&gt;'


HANOI = zone("Asia/Ho_Chi_Minh")


def _post(n: int, month: int, *tags: str) -> Post:
    return Post(
        f"posts/{n}.md", f"{n}.md", f"Bài {n}", datetime(2024, month, 1, tzinfo=HANOI), f"bai-{n}", tags=tags
    )


def test_related_posts_share_the_most_tags_then_the_nearest_in_time() -> None:
    posts = sorted(
        [
            _post(1, 1, "Gia đình", "Bạo lực"),
            _post(2, 2, "Gia đình"),
            _post(3, 3, "Gia đình", "Bạo lực"),
            _post(4, 4, "Trường học"),
            _post(5, 5, "Gia đình"),
            _post(6, 6, "Bạo lực", "Gia đình"),
        ],
        key=lambda p: p.date,
        reverse=True,
    )
    column = listings.build_column(posts, per_page=10, site_title="Chuyên mục")
    related = {rel: [link.title for link in page.related] for rel, page in column.pages.items()}
    # Bài 3 shares two tags with 1 and 6 (newest first, 1 is two places away, 6 three), then one with 2 and 5 (2 is nearer).
    assert related["3.md"] == ["Bài 1", "Bài 6", "Bài 2"]
    assert related["4.md"] == []  # no tag in common with anyone
    assert all(
        len(titles) <= listings.RELATED and f"Bài {rel[:-3]}" not in titles for rel, titles in related.items()
    )


def test_the_column_pages_years_quarters_tags_and_neighbours() -> None:
    """build_column, without a build: what each listing holds and how posts link to each other."""
    posts = sorted(
        [_post(1, 1, "Gia đình"), _post(2, 2), _post(3, 5, "Gia đình", "Trường học"), _post(4, 11)],
        key=lambda p: p.date,
        reverse=True,
    )
    column = listings.build_column(posts, per_page=3, site_title="Chuyên mục")
    front = [column.listings[src] for src in sorted(column.listings) if column.listings[src].kind == "column"]
    assert [len(page.entries) for page in front] == [3, 1] and [page.number for page in front] == [1, 2]
    assert [e.post.title for e in front[0].entries] == ["Bài 4", "Bài 3", "Bài 2"]  # newest first
    quarters = {
        listing.title: [e.post.title for e in listing.entries]
        for listing in column.listings.values()
        if listing.kind == "quarter"
    }
    assert quarters == {
        "Lưu trữ Quý I/2024": ["Bài 2", "Bài 1"],
        "Lưu trữ Quý II/2024": ["Bài 3"],
        "Lưu trữ Quý IV/2024": ["Bài 4"],
    }
    tag = next(listing for listing in column.listings.values() if listing.title == "Chủ đề: Gia đình")
    assert [e.post.title for e in tag.entries] == ["Bài 3", "Bài 1"]
    assert {link.title: link.count for link in column.tags} == {"Gia đình": 2, "Trường học": 1}
    middle = column.pages["2.md"]
    assert middle.newer is not None and middle.newer.title == "Bài 3"
    assert middle.older is not None and middle.older.title == "Bài 1"
    assert column.pages["4.md"].newer is None and column.pages["1.md"].older is None
    assert [link.title for link in middle.trail][0] == "Chuyên mục"
