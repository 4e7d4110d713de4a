"""The front matter of the pages the column generates (tags, years, quarters): MkDocs must read
back exactly the title and template written, whatever a staff-written tag holds."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from hooks import listings


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
