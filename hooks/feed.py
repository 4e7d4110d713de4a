"""Atom and RSS feeds of the newest published posts, written by feedgen.

Feeds carry absolute URLs (readers fetch them out of the site's context), so they
need ``site_url``. Only what a listing shows goes in: title, date with its UTC
offset, summary, tags. Drafts and scheduled posts never reach here because the
caller passes the published entries only.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

from .listings import Entry

ATOM_PATH = "feed.xml"
RSS_PATH = "rss.xml"
FEED_SIZE = 20


@dataclass(frozen=True)
class FeedSite:
    title: str
    url: str  # site_url, ending in "/"
    description: str
    language: str = "vi"


def _generator(site: FeedSite, entries: Sequence[Entry], self_path: str) -> FeedGenerator:
    newest = list(entries[:FEED_SIZE])
    gen = FeedGenerator()
    gen.id(site.url)
    gen.title(site.title)
    gen.subtitle(site.description or site.title)  # RSS requires a description
    gen.author({"name": site.title})
    # feedgen takes RSS's channel <link> from the last link given: the site, not the feed.
    gen.link(href=urljoin(site.url, self_path), rel="self")
    gen.link(href=site.url, rel="alternate")
    gen.language(site.language)
    gen.generator("Chuyên mục Bình đẳng giới (feedgen)")
    if newest:
        # The newest post's time, not the build's: an unchanged column gives an unchanged feed.
        gen.updated(newest[0].post.date)
        gen.lastBuildDate(newest[0].post.date)
    # feedgen prepends each added entry, so add oldest first to keep the feed newest first.
    for entry in reversed(newest):
        item = gen.add_entry()
        url = urljoin(site.url, entry.url)
        item.id(url)
        item.guid(url, permalink=True)
        item.title(entry.post.title)
        item.link(href=url)
        item.published(entry.post.date)
        item.updated(entry.post.date)
        if entry.post.summary:
            # Also RSS's description, which readers show as HTML: the summary is text, so escaped
            # ("<img onerror=…>" typed in a summary stays words in a reader's app).
            item.summary(html.escape(entry.post.summary, quote=False), type="html")
        if entry.post.author:
            item.author({"name": entry.post.author})
        for tag in entry.tags:
            item.category(term=tag.title, label=tag.title)
    return gen


def atom(site: FeedSite, entries: Sequence[Entry]) -> bytes:
    """The Atom document; ``entries`` newest first."""
    return _generator(site, entries, ATOM_PATH).atom_str(pretty=True)


def rss(site: FeedSite, entries: Sequence[Entry]) -> bytes:
    """The RSS 2.0 document; ``entries`` newest first."""
    return _generator(site, entries, RSS_PATH).rss_str(pretty=True)
