"""What a page says when its link is shared on Zalo or Facebook: Open Graph and a description.

Parents mostly arrive from a link shared in a Zalo or Facebook group. Those apps read the
page's Open Graph tags for the preview card: its title, a sentence, a picture and the
address. Every value is prepared here, absolute where the apps need it, and the template
(overrides/partials/share-meta.html; not social.html, which is Material's footer icons when a
site sets ``extra.social``) only prints them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urljoin

from .listings import Entry, Listing
from .plans import Plan
from .share_image import SharePicture
from .text import shorten as text_shorten

DESCRIPTION_LIMIT = 200


@dataclass(frozen=True)
class Social:
    title: str
    description: str
    url: str  # absolute
    image: str | None = None  # absolute
    image_alt: str = ""
    image_width: int | None = None
    image_height: int | None = None
    kind: str = "website"  # Open Graph type: article for a post
    published: str | None = None  # ISO 8601 with its offset (+07:00)
    site_name: str = ""


@dataclass(frozen=True)
class SiteCard:
    """The site's own values, the fallback of every page."""

    name: str
    description: str
    url: str  # site_url, ending in "/"
    image: str | None = None  # site path of the share image (extra.school.share_image)
    image_size: tuple[int, int] | None = None
    # Post URL → the share picture cut from its cover (hooks/share_image.py); not part of the
    # card's identity, so that _site_image stays cached by name, address and picture.
    shares: Mapping[str, SharePicture] = field(default_factory=dict, hash=False, compare=False)


def shorten(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    return text_shorten(text, limit)


def for_post(entry: Entry, site: SiteCard) -> Social:
    picture = entry.image
    shared = site.shares.get(entry.url)
    image: str | None
    size: tuple[int | None, int | None]
    if picture is not None and shared is not None:  # the cover, cut as Zalo and Facebook show it
        image, alt, size = urljoin(site.url, shared.src_uri), picture.alt, (shared.width, shared.height)
    elif picture is not None:  # a web address, or a picture no share picture could be made of
        image, alt, size = urljoin(site.url, picture.url), picture.alt, (picture.width, picture.height)
    else:
        image, alt, size = _site_image(site)
    return Social(
        title=entry.post.title,
        description=shorten(entry.post.summary or site.description),
        url=urljoin(site.url, entry.url),
        image=image,
        image_alt=alt or entry.post.title,
        image_width=size[0],
        image_height=size[1],
        kind="article",
        published=entry.post.date.isoformat(),
        site_name=site.name,
    )


def for_listing(listing: Listing, site: SiteCard) -> Social:
    count = len(listing.entries) or sum(link.count for link in listing.links)
    if listing.kind == "column":
        description = site.description
    elif count:
        description = f"{listing.title}: {count} bài viết của chuyên mục {site.name}."
    else:
        description = f"{listing.title} của chuyên mục {site.name}."
    return _plain(listing.title, shorten(description), urljoin(site.url, listing.url), site)


def for_plan(plan: Plan, site: SiteCard) -> Social:
    text = plan.summary or f"{plan.title}, {plan.issuer}, ngày {plan.day}."
    return _plain(plan.title, shorten(text), urljoin(site.url, plan.url), site)


def for_page(title: str, description: str | None, url: str, site: SiteCard) -> Social:
    return _plain(title, shorten(description or site.description), urljoin(site.url, url), site)


def _plain(title: str, description: str, url: str, site: SiteCard) -> Social:
    image, alt, size = _site_image(site)
    return Social(title, description, url, image, alt, size[0], size[1], "website", None, site.name)


@cache  # one site card a build: its picture's address is worked out once, not per page
def _site_image(site: SiteCard) -> tuple[str | None, str, tuple[int | None, int | None]]:
    if site.image is None:
        return None, "", (None, None)
    size = site.image_size or (None, None)
    return urljoin(site.url, site.image), site.name, size
