"""coverage.json: the machine contract between a school's site and the district office.

The writer (the site build and ``python -m hooks.coverage --format json``) and the
reader (the district roll-up) live side by side so that they never drift apart. The
reader treats a report as untrusted input: it checks every verdict against its own
numbers with the same :func:`hooks.verdicts.decide` the audit used to write it, and a
report that contradicts itself is refused with a Vietnamese reason.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from .listings import post_url
from .quarters import Quarter
from .verdicts import Status, days_left, decide

if TYPE_CHECKING:
    from .coverage import Report
    from .posts import Post

SCHEMA_VERSION = 1
TITLE_LIMIT = 200  # characters of a title or a reason kept from a report: it may carry anything


# --- writing ------------------------------------------------------------------------------------


def to_json(report: Report, site_url: str | None = None) -> dict[str, Any]:
    """The coverage.json document; post links are absolute when ``site_url`` is known."""

    def posts(items: Sequence[Post]) -> list[dict[str, str]]:
        return [
            {
                "title": p.title,
                "date": p.day.isoformat(),
                "url": urljoin(site_url, post_url(p)) if site_url else post_url(p),
            }
            for p in items
        ]

    quarters = []
    for v in report.quarters:
        item: dict[str, Any] = {
            "quarter": v.quarter.key,
            "label": v.quarter.label,
            "start": v.quarter.start.isoformat(),
            "end": v.quarter.end.isoformat(),
            "count": v.count,
            "status": str(v.status),
        }
        if v.reason is not None:
            item["reason"] = v.reason
        if v.days_left is not None:
            item["days_left"] = v.days_left
        item["posts"] = posts(v.posts)
        quarters.append(item)
    observances = []
    for o in report.observances:
        entry: dict[str, Any] = {
            "name": o.name,
            "year": o.year,
            "start": o.start.isoformat(),
            "end": o.end.isoformat(),
            "count": o.count,
            "status": str(o.status),
            "required": o.required,
        }
        if o.reason is not None:
            entry["reason"] = o.reason
        if o.days_left is not None:
            entry["days_left"] = o.days_left
        observances.append(entry)
    return {
        "schema_version": SCHEMA_VERSION,
        "as_of": report.as_of.isoformat(),
        "timezone": report.settings.timezone.key,
        "start": report.start.key,
        "min_posts": report.settings.min_posts,
        "quarters": quarters,
        "missing": [v.quarter.key for v in report.missing],
        "observances": observances,
    }


def dumps(report: Report, site_url: str | None = None) -> str:
    return json.dumps(to_json(report, site_url), ensure_ascii=False, indent=2) + "\n"


# --- reading ------------------------------------------------------------------------------------


class ReportError(ValueError):
    """A report that is not a coverage.json we can trust; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class ReportedPost:
    title: str
    date: str
    url: str | None  # only http(s) addresses are kept


@dataclass(frozen=True)
class ReportedQuarter:
    """One quarter's verdict as a school's report gives it, checked against its numbers."""

    quarter: Quarter
    status: Status
    count: int
    reason: str | None = None
    posts: tuple[ReportedPost, ...] = ()

    @property
    def word(self) -> str:
        return self.status.word

    @property
    def css(self) -> str:
        return str(self.status)


@dataclass(frozen=True)
class ReadReport:
    as_of: date
    quarters: dict[Quarter, ReportedQuarter]  # consecutive, oldest first, through as_of's quarter


def loads(body: bytes, today: date) -> ReadReport:
    """Check a coverage.json against itself; ``today`` is the roll-up's day."""
    try:
        data = json.loads(body, parse_constant=_reject_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ReportError("không phải JSON") from None
    if not isinstance(data, dict):
        raise ReportError("không phải một báo cáo coverage.json (cần một đối tượng JSON)")
    version = data.get("schema_version")
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise ReportError(f"schema_version là {version!r}, cần {SCHEMA_VERSION}"[:300])
    as_of = _day(data.get("as_of"), "as_of")
    if as_of > today + timedelta(days=1):  # a day's slack for time zones
        raise ReportError(f"as_of {as_of.isoformat()} ở sau ngày tổng hợp {today.isoformat()}")
    min_posts = _int(data.get("min_posts"), "min_posts", 1)
    items = data.get("quarters")
    if not isinstance(items, list) or not items:
        raise ReportError("thiếu danh sách quarters")

    quarters: dict[Quarter, ReportedQuarter] = {}
    for item in items:
        reported = _quarter(item, min_posts, as_of)
        if quarters and reported.quarter != next(reversed(quarters)).next():
            raise ReportError(f"các quý không liền nhau hoặc lặp lại ở {reported.quarter.key}")
        quarters[reported.quarter] = reported

    last = next(reversed(quarters))
    if last != Quarter.of(as_of):
        raise ReportError(f"quý cuối {last.key} không phải quý của as_of {as_of.isoformat()}")
    missing = data.get("missing")
    if missing is not None and missing != [q.key for q, c in quarters.items() if c.status.failing]:
        raise ReportError("danh sách missing không khớp với các quý thiếu bài")
    return ReadReport(as_of, quarters)


def _quarter(item: object, min_posts: int, as_of: date) -> ReportedQuarter:
    if not isinstance(item, dict):
        raise ReportError("một mục của quarters không phải đối tượng JSON")
    try:
        quarter = Quarter.parse(_text(item.get("quarter"), "quarter"))
    except ValueError:
        raise ReportError(f"quý {item.get('quarter')!r} không viết dạng YYYY-Qn"[:300]) from None
    key = quarter.key
    try:
        status = Status.of(item.get("status"))
    except ValueError:
        words = ", ".join(str(s) for s in Status)
        raise ReportError(f"{key}: kết quả {item.get('status')!r} không có trong {words}"[:300]) from None
    count = _int(item.get("count"), f"{key}: count")
    reason = None
    if status is Status.EXCUSED:
        reason = " ".join(_text(item.get("reason"), f"{key}: reason").split())[:TITLE_LIMIT]
    # The verdict must follow from the numbers and the date, by the rule the audit used.
    expected = decide(count, min_posts, reason, quarter.end, as_of)
    if status is not expected:
        raise ReportError(
            f"{key}: {count} bài mà kết quả '{status}' (min_posts {min_posts}, tính đến "
            f"{as_of.isoformat()}); theo số liệu phải là '{expected}'"
        )
    if "days_left" in item and item["days_left"] != days_left(status, quarter.end, as_of):
        raise ReportError(f"{key}: days_left {item['days_left']!r} không khớp với ngày kết thúc quý"[:300])
    posts = item.get("posts", [])
    if not isinstance(posts, list) or len(posts) != count:
        raise ReportError(f"{key}: count {count} nhưng danh sách posts có {_length(posts)} bài")
    links = []
    for entry in posts:
        if not isinstance(entry, dict):
            raise ReportError(f"{key}: một bài trong posts không phải đối tượng JSON")
        day = _day(entry.get("date"), f"{key}: date của bài")
        if day not in quarter:
            raise ReportError(f"{key}: bài ngày {day.isoformat()} không thuộc quý này")
        title = " ".join(_text(entry.get("title"), f"{key}: title").split())[:TITLE_LIMIT]
        links.append(ReportedPost(title, day.isoformat(), _safe_url(entry.get("url"))))
    return ReportedQuarter(quarter, status, count, reason, tuple(links))


def _int(value: object, what: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ReportError(f"{what} phải là số nguyên từ {minimum} trở lên, không phải {value!r}"[:300])
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ReportError(f"{what} phải là chữ")
    return value


def _day(value: object, what: str) -> date:
    try:
        return date.fromisoformat(_text(value, what))
    except ValueError:
        raise ReportError(f"{what} phải là ngày YYYY-MM-DD, không phải {value!r}"[:300]) from None


def _length(value: object) -> str:
    return str(len(value)) if isinstance(value, list) else "không phải danh sách"


def _safe_url(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    parts = urlsplit(value.strip())
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return value.strip()
    return None


def _reject_constant(name: str) -> None:
    raise ReportError(f"có số không hợp lệ ({name})")
