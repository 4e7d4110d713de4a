"""Where each page of the column lives, and what each listing page lists.

Grouping happens here, once per build, so that templates stay loops and no page
rescans every post: each post is placed in a constant number of listings.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import yaml

from .dates import format_day
from .posts import Post, image_rel
from .quarters import Quarter
from .slugs import slug as make_slug

POSTS_ROOT = "bai-viet"
ARCHIVE_ROOT = "luu-tru"
TAGS_ROOT = "chu-de"
PAGES_ROOT = "trang"
FRONT_PAGE = "index.md"


def post_src(rel: str) -> str:
    """Where a post pretends to live in docs/, so that its relative links to images resolve."""
    return f"{POSTS_ROOT}/{rel}"


def post_url(post: Post) -> str:
    return f"{POSTS_ROOT}/{post.slug}/"


def front_src(number: int) -> str:
    return FRONT_PAGE if number == 1 else f"{PAGES_ROOT}/{number}/index.md"


def year_src(year: int) -> str:
    return f"{ARCHIVE_ROOT}/{year}/index.md"


def quarter_src(quarter: Quarter) -> str:
    return f"{ARCHIVE_ROOT}/{quarter.year}/quy-{quarter.number}/index.md"


def quarter_anchor(quarter: Quarter) -> str:
    """The id of a quarter's cell on the report page (/bao-cao/#quy-2026-4); the district page links it."""
    return f"quy-{quarter.year}-{quarter.number}"


def tag_src(tag_slug: str) -> str:
    return f"{TAGS_ROOT}/{tag_slug}/index.md"


def page_source(title: str, template: str) -> str:
    """Front matter of a generated page: its title, its template, and kept out of search.

    MkDocs prints a page title as HTML, so a tag written "Nam & nữ" is escaped here.
    """
    meta = {"title": html.escape(title, quote=False), "template": template, "search": {"exclude": True}}
    return f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n"


def url_of(src_uri: str) -> str:
    """The directory URL MkDocs gives a generated ``.../index.md``."""
    return "" if src_uri == FRONT_PAGE else src_uri.removesuffix("index.md")


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    count: int = 0


@dataclass(frozen=True)
class Entry:
    """A post as a listing shows it."""

    post: Post
    url: str
    day: str  # "20 tháng 11, 2024"
    quarter: Link
    tags: tuple[Link, ...]
    image: str | None = None  # site URL of the post's picture


@dataclass
class Group:
    """A titled run of links or entries, e.g. a year's quarters on the archive index."""

    title: str
    url: str
    links: list[Link] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Listing:
    """One generated page."""

    src_uri: str
    kind: str  # column | archive | year | quarter | tags | tag
    title: str
    entries: list[Entry] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    number: int = 1
    count: int = 1
    previous: Link | None = None
    next: Link | None = None

    @property
    def url(self) -> str:
        return url_of(self.src_uri)


@dataclass(frozen=True)
class PostPage:
    entry: Entry
    newer: Link | None
    older: Link | None


@dataclass
class Column:
    entries: list[Entry]  # newest first
    listings: dict[str, Listing]  # by src_uri
    pages: dict[str, PostPage]  # by post rel
    tags: list[Link]

    @classmethod
    def empty(cls) -> Column:
        return cls([], {}, {}, [])


def build_column(posts: Sequence[Post], *, per_page: int, site_title: str) -> Column:
    """Every listing page of the column from the published posts (newest first)."""
    tag_names = _tag_names(posts)
    entries = [_entry(post, tag_names) for post in posts]
    listings: dict[str, Listing] = {}

    for listing in _front_pages(entries, per_page, site_title):
        listings[listing.src_uri] = listing
    for listing in _archives(entries):
        listings[listing.src_uri] = listing
    tag_links = []
    by_tag: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        for tag in entry.tags:
            by_tag[tag.url].append(entry)
    for slug, name in sorted(tag_names.items()):
        src = tag_src(slug)
        tagged = by_tag[url_of(src)]
        tag_links.append(Link(name, url_of(src), len(tagged)))
        listings[src] = Listing(src, "tag", f"Chủ đề: {name}", entries=tagged)
    listings[f"{TAGS_ROOT}/index.md"] = Listing(f"{TAGS_ROOT}/index.md", "tags", "Chủ đề", links=tag_links)

    pages = {}
    for index, entry in enumerate(entries):
        newer = entries[index - 1] if index > 0 else None
        older = entries[index + 1] if index + 1 < len(entries) else None
        pages[entry.post.rel] = PostPage(
            entry,
            newer=Link(newer.post.title, newer.url) if newer else None,
            older=Link(older.post.title, older.url) if older else None,
        )
    return Column(entries, listings, pages, tag_links)


def _tag_names(posts: Sequence[Post]) -> dict[str, str]:
    """Tag slug → the spelling used most (ties: the first in sorted order)."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for post in posts:
        for tag in post.tags:
            tag_slug = make_slug(tag)
            if tag_slug:
                spellings[tag_slug][tag] += 1
    return {
        slug: sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]
        for slug, counts in spellings.items()
    }


def _entry(post: Post, tag_names: dict[str, str]) -> Entry:
    quarter = post.quarter
    tags = []
    for tag in post.tags:
        tag_slug = make_slug(tag)
        if tag_slug:
            tags.append(Link(tag_names[tag_slug], url_of(tag_src(tag_slug))))
    return Entry(
        post=post,
        url=post_url(post),
        day=format_day(post.day),
        quarter=Link(quarter.label, url_of(quarter_src(quarter))),
        tags=tuple(dict.fromkeys(tags)),
        image=_image_url(post),
    )


def _image_url(post: Post) -> str | None:
    rel = image_rel(post)
    if rel is not None:
        return post_src(rel)
    return post.image


def _front_pages(entries: list[Entry], per_page: int, title: str) -> list[Listing]:
    chunks = [entries[i : i + per_page] for i in range(0, len(entries), per_page)] or [[]]
    count = len(chunks)
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        src = front_src(number)
        page_title = title if number == 1 else f"{title} (trang {number})"
        pages.append(Listing(src, "column", page_title, entries=chunk, number=number, count=count))
    for index, page in enumerate(pages):
        if index > 0:
            page.previous = Link(f"Trang {index}", pages[index - 1].url)
        if index + 1 < count:
            page.next = Link(f"Trang {index + 2}", pages[index + 1].url)
    return pages


def _archives(entries: list[Entry]) -> list[Listing]:
    by_quarter: dict[Quarter, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_quarter[entry.post.quarter].append(entry)
    years: dict[int, list[Quarter]] = defaultdict(list)
    for quarter in sorted(by_quarter, reverse=True):
        years[quarter.year].append(quarter)

    listings = []
    index = Listing(f"{ARCHIVE_ROOT}/index.md", "archive", "Lưu trữ")
    for year in sorted(years, reverse=True):
        year_url = url_of(year_src(year))
        year_page = Listing(year_src(year), "year", f"Lưu trữ năm {year}")
        summary = Group(f"Năm {year}", year_url)
        for quarter in years[year]:
            link = Link(quarter.label, url_of(quarter_src(quarter)), len(by_quarter[quarter]))
            summary.links.append(link)
            year_page.groups.append(Group(quarter.label, link.url, entries=by_quarter[quarter]))
            listings.append(
                Listing(
                    quarter_src(quarter), "quarter", f"Lưu trữ {quarter.label}", entries=by_quarter[quarter]
                )
            )
        index.groups.append(summary)
        listings.append(year_page)
    listings.append(index)
    return listings
