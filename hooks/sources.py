"""A school's column as its own portal lists it: an RSS 2.0 or Atom feed, or a sitemap.

Most schools keep the portal they have (NukeViet's news module, WordPress, a vendor's
portal), and every one of them lists a news category in a feed. This module turns the
bytes of one feed or sitemap into dated items, and says what the district can and cannot
conclude from them; ``fetch.py`` got the bytes within bounds, ``district.py`` judges.
Feeds are read by feedparser, sitemaps by defusedxml (no entity, no DTD, no external
reference is ever expanded): a feed is someone else's file and may carry anything.

What real portals do, each handled here and tested on a fixture shaped like its output:

- dates are GMT (RFC 822) or carry an offset: every day is taken in the district's zone;
- NukeViet 4.3-4.5 prints ``H:m:s``, the month number where the minutes belong. The hour
  is right, so in a zone of whole hours (Asia/Ho_Chi_Minh) the day is still exact; the
  minutes are unknown and the report says so. Where the unknown minutes could move the day
  (a zone with a half hour), the day is taken as written and that is said too;
- a feed lists only its newest items (NukeViet 30, WordPress 10): the oldest day it shows
  is where the district's knowledge starts (``Listing.oldest``);
- an empty feed is what NukeViet answers when RSS is turned off: unreadable, never "no post";
- a sitemap's ``lastmod`` is the publish time on NukeViet, the last edit on WordPress: it
  is a post's date only when the schools list says so (``dates: published``).

Pure: no MkDocs, no network.
"""

from __future__ import annotations

import calendar
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError
from zoneinfo import ZoneInfo

import defusedxml.ElementTree as SafeET  # type: ignore[import-untyped]
import feedparser
from defusedxml import DefusedXmlException

TITLE_LIMIT = 200
MAX_ITEMS = 50_000  # the sitemap protocol's own limit; a feed has far fewer
MAX_CHILD_SITEMAPS = 20  # a sitemap index is followed one level, this many sitemaps at most
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

NUKEVIET_MINUTES = (
    "nguồn tin của NukeViet ghi số tháng vào chỗ số phút (lỗi của NukeViet 4.3-4.5): "
    "giờ đăng không rõ phút, ngày đăng vẫn đúng"
)
NUKEVIET_MINUTES_DAY = (
    "nguồn tin của NukeViet ghi số tháng vào chỗ số phút (lỗi của NukeViet 4.3-4.5): "
    "ngày đăng lấy như ghi trong nguồn tin, giờ đăng không rõ"
)
EMPTY_FEED = (
    "nguồn tin RSS không có bài nào (trên NukeViet, đó là khi mô-đun tắt RSS); "
    "hãy nhờ trường bật RSS cho chuyên mục, hoặc gửi báo cáo hay sitemap"
)
NOT_A_FEED = (
    "không phải nguồn tin RSS hay Atom (có thể là một trang web); hãy ghi địa chỉ nguồn tin của chuyên mục"
)
LASTMOD_IS_EDIT = "ngày trong sitemap là ngày sửa gần nhất, không phải ngày đăng: mỗi bài tính từ ngày Phòng thấy nó lần đầu"
LASTMOD_IS_PUBLISHED = "ngày trong sitemap là ngày đăng bài (theo danh sách trường: dates: published)"


class SourceError(ValueError):
    """A feed or sitemap the district cannot use; ``kind`` is the school's state, the message why."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # "unreadable" (read, but nothing to judge) or "invalid" (not what was asked for)


@dataclass(frozen=True)
class Item:
    """One post as the school's portal lists it."""

    url: str
    title: str
    day: date | None  # the declared day in the district's zone; None: the source gives no date
    at: datetime | None = None  # the declared moment, when known to the minute
    time_known: bool = True


@dataclass(frozen=True)
class Listing:
    """What one read of a feed or sitemap shows."""

    items: tuple[Item, ...]
    oldest: date | None  # the oldest declared day the source shows: nothing older can be judged from it
    notes: tuple[str, ...] = ()  # what the page says about this source
    dated: bool = True  # False: the source's dates are not publish dates (items dated by first sight)
    complete: bool = True  # False: a sitemap index some of whose sitemaps could not be read


@dataclass(frozen=True)
class SitemapIndex:
    """A sitemap index: the sitemaps it lists, to be read one level down."""

    children: tuple[str, ...]


# --- feeds --------------------------------------------------------------------------------------


def read_feed(body: bytes, tz: ZoneInfo) -> Listing:
    """An RSS 2.0 or Atom feed's items, dated in ``tz``; SourceError when there is nothing to judge."""
    # A stream, never the bytes themselves: feedparser opens a bytes value that names a file
    # ("/etc/passwd") as that file.
    parsed: Any = feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version"):
        raise SourceError("invalid", NOT_A_FEED)
    entries = parsed.get("entries") or []
    if not entries:
        raise SourceError("unreadable", EMPTY_FEED)
    generator = str(parsed.get("feed", {}).get("generator", ""))
    stamps = [_stamp(entry) for entry in entries]
    dated = [s for s in stamps if s is not None]
    quirk = bool(dated) and _month_in_minutes(dated, "nukeviet" in generator.lower())
    items: list[Item] = []
    undated = 0
    shifted = False
    for entry, stamp in zip(entries, stamps, strict=True):
        url = _http(entry.get("link"))
        if url is None:
            continue
        title = _one_line(entry.get("title")) or url
        if stamp is None:
            undated += 1
            items.append(Item(url, title, None, None, False))
            continue
        if quirk:
            day, exact = _day_without_minutes(stamp, tz)
            shifted |= not exact
            items.append(Item(url, title, day, None, False))
        else:
            local = stamp.astimezone(tz)
            items.append(Item(url, title, local.date(), local))
    notes: list[str] = []
    if quirk:
        notes.append(NUKEVIET_MINUTES_DAY if shifted else NUKEVIET_MINUTES)
    if undated:
        notes.append(f"{undated} bài trong nguồn tin không ghi ngày đăng")
    days = [i.day for i in items if i.day is not None]
    return Listing(tuple(items), min(days, default=None), tuple(notes))


def _stamp(entry: Any) -> datetime | None:
    """The entry's declared publish moment in UTC (feedparser normalises every offset to UTC)."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _month_in_minutes(stamps: list[datetime], says_nukeviet: bool) -> bool:
    """Whether the minutes are the month number: NukeViet's ``H:m:s``.

    A NukeViet feed (its generator says so) with every minute equal to its month; without
    the generator's word, five items or more all so, which chance does not give.
    """
    if not all(s.minute == s.month for s in stamps):
        return False
    return says_nukeviet or len(stamps) >= 5


def _day_without_minutes(stamp: datetime, tz: ZoneInfo) -> tuple[date, bool]:
    """(the day in ``tz``, whether it is exact) for a UTC moment whose hour is right and minutes unknown."""
    hour = stamp.replace(minute=0, second=0)
    first, last = hour.astimezone(tz).date(), (hour + timedelta(minutes=59, seconds=59)).astimezone(tz).date()
    if first == last:
        return first, True
    return stamp.date(), False  # the day as written in the feed (GMT)


# --- sitemaps -----------------------------------------------------------------------------------


def read_sitemap(body: bytes, tz: ZoneInfo, prefix: str, published: bool) -> Listing | SitemapIndex:
    """A sitemap's posts under the column's ``prefix`` (a URL path), or the sitemaps an index lists.

    ``published``: the schools list says ``lastmod`` is the publish date (NukeViet's news
    sitemap); otherwise the dates are ignored and each post counts from when the district
    first saw it.
    """
    root = _xml(body)
    tag = root.tag.removeprefix(_SITEMAP_NS)
    if tag == "sitemapindex":
        children = [_http(_text(node, "loc")) for node in root.iter(f"{_SITEMAP_NS}sitemap")]
        found = tuple(dict.fromkeys(c for c in children if c is not None))
        if not found:
            raise SourceError("unreadable", "chỉ mục sitemap không liệt kê sitemap nào")
        return SitemapIndex(found[:MAX_CHILD_SITEMAPS])
    if tag != "urlset":
        raise SourceError("invalid", f"không phải sitemap (thẻ gốc là <{_printable(tag)[:40]}>)")
    items: list[Item] = []
    days: list[date] = []
    total = 0
    for node in root.iter(f"{_SITEMAP_NS}url"):
        total += 1
        if total > MAX_ITEMS:
            break
        url = _http(_text(node, "loc"))
        if url is None:
            continue
        day = _lastmod(_text(node, "lastmod"), tz) if published else None
        if day is not None:
            days.append(day)
        if not urlsplit(url).path.startswith(prefix):
            continue
        title = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] or url
        items.append(Item(url, title[:TITLE_LIMIT], day, None, False))
    if total == 0:
        raise SourceError("unreadable", "sitemap không có địa chỉ nào")
    note = LASTMOD_IS_PUBLISHED if published else LASTMOD_IS_EDIT
    return Listing(tuple(items), min(days, default=None), (note,), dated=published)


def merge(listings: list[Listing]) -> Listing:
    """The sitemaps an index listed, read as one."""
    items = tuple(item for listing in listings for item in listing.items)
    oldest = min((listing.oldest for listing in listings if listing.oldest is not None), default=None)
    notes = tuple(dict.fromkeys(note for listing in listings for note in listing.notes))
    return Listing(items, oldest, notes, all(listing.dated for listing in listings))


def child_allowed(index_url: str, child: str) -> bool:
    """A sitemap index is followed only to sitemaps on its own host."""
    return urlsplit(index_url).hostname == urlsplit(urljoin(index_url, child)).hostname


def _xml(body: bytes) -> Element:
    try:
        root = SafeET.fromstring(body, forbid_dtd=True)
    except DefusedXmlException:
        raise SourceError("invalid", "sitemap có khai báo DTD hoặc thực thể XML, không được phép") from None
    except (ParseError, ValueError):
        raise SourceError("invalid", "không phải sitemap XML (có thể là một trang web)") from None
    return root


def _text(node: Element, name: str) -> str | None:
    child = node.find(f"{_SITEMAP_NS}{name}")
    return child.text.strip() if child is not None and child.text else None


_W3C_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _lastmod(value: str | None, tz: ZoneInfo) -> date | None:
    """A W3C datetime (``2026-11-20``, ``2026-11-20T08:30:00+07:00``) as a day in ``tz``."""
    if not value:
        return None
    try:
        if _W3C_DAY.match(value):
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = datetime.combine(moment.date(), time(moment.hour, moment.minute), tzinfo=tz)
    try:
        return moment.astimezone(tz).date()
    except OverflowError:
        return None


# --- shared ------------------------------------------------------------------------------------


def _http(value: object) -> str | None:
    """Only http(s) addresses are kept from a source: a link is shown to the office."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() in ("http", "https") and parts.netloc and len(text) <= 2000:
        return text
    return None


def _one_line(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return _printable(" ".join(value.split()))[:TITLE_LIMIT]


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)
