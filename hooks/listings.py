"""Where each page of the column lives, and what each listing page lists.

Grouping happens here, once per build, so that templates stay loops and no page
rescans every post: each post is placed in a constant number of listings.
"""

from __future__ import annotations

import heapq
import html
import json
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from .dates import format_day
from .posts import Post, image_rel
from .quarters import Quarter
from .slugs import slug as make_slug
from .urls import (
    ARCHIVE_ROOT,
    FRONT_PAGE,
    TAGS_ROOT,
    front_src,
    post_src,
    post_url,
    quarter_src,
    tag_src,
    url_of,
    year_src,
)


class ListingKind(StrEnum):
    """What a listing page lists; the value is the word templates compare, and each kind carries
    the template that prints it, so that a new kind is added here alone."""

    template: str

    def __new__(cls, value: str, template: str) -> ListingKind:
        member = str.__new__(cls, value)
        member._value_ = value
        member.template = template
        return member

    COLUMN = ("column", "column.html")  # the front page and its numbered pages
    ARCHIVE = ("archive", "archive.html")
    YEAR = ("year", "archive.html")
    QUARTER = ("quarter", "listing.html")
    TAGS = ("tags", "tags.html")
    TAG = ("tag", "listing.html")


def page_source(title: str, template: str) -> str:
    """Front matter of a generated page: its title, its template, and kept out of search.

    MkDocs prints a page title as HTML, so a tag written "Nam & nữ" is escaped here.
    """
    return f"---\ntitle: {_quoted(html.escape(title, quote=False))}\ntemplate: {_quoted(template)}\nsearch:\n  exclude: true\n---\n"


# A JSON string is a YAML double-quoted string, once the characters YAML refuses in a document
# (DEL, other controls) or reads as line breaks (NEL, U+2028, U+2029) are escaped as well.
# PyYAML's writer took 0.13 ms a generated page, a sixth of rendering one.
_YAML_UNSAFE = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _quoted(text: str) -> str:
    return _YAML_UNSAFE.sub(lambda match: f"\\u{ord(match[0]):04x}", json.dumps(text, ensure_ascii=False))


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    count: int = 0


@dataclass(frozen=True)
class Picture:
    """A post's cover: where it is, how big, and what it shows."""

    url: str  # site path (bai-viet/2024/anh.jpg) or an absolute web address
    alt: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class Attachment:
    """A document attached to a post, as the post lists it: name, kind and size."""

    name: str
    url: str  # site path
    kind: str  # "PDF", "Word", ...
    size: str  # "245 KB"


@dataclass(frozen=True)
class Media:
    """What the build knows of the files beside posts: photo sizes (site path → width, height)
    and file sizes in bytes (post-relative path → bytes)."""

    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)
    bytes: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Entry:
    """A post as a listing shows it."""

    post: Post
    url: str
    day: str  # "20 tháng 11, 2024"
    quarter: Link
    tags: tuple[Link, ...]
    image: Picture | None = None  # the cover
    attachments: tuple[Attachment, ...] = ()

    @property
    def lead(self) -> str | None:
        """The summary its author wrote (an automatic one repeats the first paragraph)."""
        return self.post.summary if self.post.summary_written else None

    @property
    def iso(self) -> str:
        """Its date and time for ``<time datetime>``: "2024-11-20T00:00:00+07:00"."""
        return self.post.date.isoformat()


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
    kind: ListingKind
    title: str
    entries: list[Entry] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    number: int = 1
    count: int = 1
    previous: Link | None = None
    next: Link | None = None
    trail: tuple[Link, ...] = ()  # breadcrumbs

    @property
    def url(self) -> str:
        return url_of(self.src_uri)


@dataclass(frozen=True)
class PostPage:
    entry: Entry
    newer: Link | None
    older: Link | None
    related: tuple[Link, ...] = ()  # up to RELATED posts sharing the most tags
    trail: tuple[Link, ...] = ()  # breadcrumbs: the column, the year, the quarter


@dataclass
class Column:
    entries: list[Entry]  # newest first
    listings: dict[str, Listing]  # by src_uri
    pages: dict[str, PostPage]  # by post rel
    tags: list[Link]

    @classmethod
    def empty(cls) -> Column:
        return cls([], {}, {}, [])


RELATED = 3
# Related posts are looked for among this many neighbours in time in each shared tag's list:
# the work per post stays constant, however many posts a tag has (no step grows with N²).
RELATED_WINDOW = 25
ATTACHMENT_KINDS = {
    ".pdf": "PDF",
    ".doc": "Word",
    ".docx": "Word",
    ".odt": "OpenDocument",
    ".rtf": "RTF",
    ".xls": "Excel",
    ".xlsx": "Excel",
    ".ods": "OpenDocument",
    ".ppt": "PowerPoint",
    ".pptx": "PowerPoint",
    ".odp": "OpenDocument",
    ".zip": "ZIP",
}


def build_column(
    posts: Sequence[Post], *, per_page: int, site_title: str, media: Media | None = None
) -> Column:
    """Every listing page of the column from the published posts (newest first)."""
    tag_names = _tag_names(posts)
    media = media or Media()
    entries = [_entry(post, tag_names, media) for post in posts]
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
        listings[src] = Listing(src, ListingKind.TAG, f"Chủ đề: {name}", entries=tagged)
    listings[f"{TAGS_ROOT}/index.md"] = Listing(
        f"{TAGS_ROOT}/index.md", ListingKind.TAGS, "Chủ đề", links=tag_links
    )

    related = _related(entries, by_tag)
    home = Link(site_title, url_of(FRONT_PAGE))
    pages = {}
    for index, entry in enumerate(entries):
        newer = entries[index - 1] if index > 0 else None
        older = entries[index + 1] if index + 1 < len(entries) else None
        pages[entry.post.rel] = PostPage(
            entry,
            newer=Link(newer.post.title, newer.url) if newer else None,
            older=Link(older.post.title, older.url) if older else None,
            related=related[index],
            trail=(home, _year_link(entry.post.day.year), entry.quarter),
        )
    for listing in listings.values():
        listing.trail = _trail(listing, home)
    return Column(entries, listings, pages, tag_links)


def _related(entries: list[Entry], by_tag: dict[str, list[Entry]]) -> list[tuple[Link, ...]]:
    """For each entry, up to RELATED others sharing the most tags, the nearest in time first.

    Each tag's list is newest first, so an entry's neighbours in it are the posts closest in
    time; only RELATED_WINDOW of them on each side are counted.
    """
    position = {id(entry): index for index, entry in enumerate(entries)}
    members = {url: [position[id(entry)] for entry in tagged] for url, tagged in by_tag.items()}
    places: list[dict[str, int]] = [{} for _ in entries]  # entry → {tag: its place in the tag's list}
    for url, indexes in members.items():
        for at, index in enumerate(indexes):
            places[index][url] = at
    out = []
    for index in range(len(entries)):
        shared: dict[int, int] = {}
        for url, at in places[index].items():
            for other in members[url][max(0, at - RELATED_WINDOW) : at + RELATED_WINDOW + 1]:
                shared[other] = shared.get(other, 0) + 1
        shared.pop(index, None)
        best = heapq.nsmallest(RELATED, shared, key=lambda other: (-shared[other], abs(other - index), other))
        out.append(tuple(Link(entries[i].post.title, entries[i].url) for i in best))
    return out


def _trail(listing: Listing, home: Link) -> tuple[Link, ...]:
    """Breadcrumbs above a listing: where it sits in the column."""
    archive = Link("Lưu trữ", url_of(f"{ARCHIVE_ROOT}/index.md"))
    if listing.kind is ListingKind.QUARTER:
        year = listing.src_uri.split("/")[1]
        return (home, archive, _year_link(int(year)))
    if listing.kind is ListingKind.YEAR:
        return (home, archive)
    if listing.kind is ListingKind.TAG:
        return (home, Link("Chủ đề", url_of(f"{TAGS_ROOT}/index.md")))
    if listing.kind in (ListingKind.ARCHIVE, ListingKind.TAGS):
        return (home,)
    return ()


def _year_link(year: int) -> Link:
    return Link(f"Năm {year}", url_of(year_src(year)))


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


def _entry(post: Post, tag_names: dict[str, str], media: Media) -> Entry:
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
        image=_picture(post, media),
        attachments=tuple(_attachment(post, name, media) for name in post.attachments),
    )


def _picture(post: Post, media: Media) -> Picture | None:
    if not post.image:
        return None
    rel = image_rel(post)
    url = post_src(rel) if rel is not None else post.image
    size = media.sizes.get(url)
    alt = post.image_alt or ""
    return Picture(url, alt, *(size or (None, None)))


def _attachment(post: Post, name: str, media: Media) -> Attachment:
    rel = posixpath.normpath(posixpath.join(posixpath.dirname(post.rel), name))
    suffix = posixpath.splitext(name)[1].lower()
    kind = ATTACHMENT_KINDS.get(suffix, suffix.lstrip(".").upper() or "Tệp")
    return Attachment(posixpath.basename(name), post_src(rel), kind, file_size(media.bytes.get(rel)))


def file_size(size: int | None) -> str:
    """``245 KB``, ``1,2 MB``: Vietnamese writes a decimal comma."""
    if size is None:
        return ""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def _front_pages(entries: list[Entry], per_page: int, title: str) -> list[Listing]:
    chunks = [entries[i : i + per_page] for i in range(0, len(entries), per_page)] or [[]]
    count = len(chunks)
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        src = front_src(number)
        page_title = title if number == 1 else f"{title} (trang {number})"
        pages.append(Listing(src, ListingKind.COLUMN, page_title, entries=chunk, number=number, count=count))
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
    index = Listing(f"{ARCHIVE_ROOT}/index.md", ListingKind.ARCHIVE, "Lưu trữ")
    for year in sorted(years, reverse=True):
        year_url = url_of(year_src(year))
        year_page = Listing(year_src(year), ListingKind.YEAR, f"Lưu trữ năm {year}")
        summary = Group(f"Năm {year}", year_url)
        for quarter in years[year]:
            link = Link(quarter.label, url_of(quarter_src(quarter)), len(by_quarter[quarter]))
            summary.links.append(link)
            year_page.groups.append(Group(quarter.label, link.url, entries=by_quarter[quarter]))
            listings.append(
                Listing(
                    quarter_src(quarter),
                    ListingKind.QUARTER,
                    f"Lưu trữ {quarter.label}",
                    entries=by_quarter[quarter],
                )
            )
        index.groups.append(summary)
        listings.append(year_page)
    listings.append(index)
    return listings
