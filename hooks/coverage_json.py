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
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .quarters import Quarter
from .urls import post_url
from .verdicts import Status, days_left, decide, is_late, period_label

if TYPE_CHECKING:
    from .coverage import Counted, ObservanceVerdict, Report, Verdict

SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)  # the reader takes reports of sites not yet rebuilt with schema 2
# A report's quarters run consecutively up to its as_of: 50 years is more than any column has.
MAX_QUARTERS = 200
TITLE_LIMIT = 200  # characters of a title or a reason kept from a report: it may carry anything


def quarter_anchor(quarter: Quarter) -> str:
    """The id of a quarter's cell on the report page (/bao-cao/#quy-2026-4); the district page links it."""
    return f"quy-{quarter.year}-{quarter.number}"


# --- writing ------------------------------------------------------------------------------------


def to_json(report: Report, site_url: str | None = None) -> dict[str, Any]:
    """The coverage.json document (schema 2); post links are absolute when ``site_url`` is known."""

    def posts(items: Sequence[Counted]) -> list[dict[str, Any]]:
        return [
            {
                "title": c.post.title,
                "date": c.post.day.isoformat(),
                "url": urljoin(site_url, post_url(c.post)) if site_url else post_url(c.post),
                "published_at": c.published_at.isoformat() if c.published_at else None,
                "late": c.late,
            }
            for c in items
        ]

    def period(v: Verdict | ObservanceVerdict, start: date, end: date) -> dict[str, Any]:
        item: dict[str, Any] = {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "count": v.count,
            "on_time": v.on_time,
            "status": str(v.status),
            "checked": v.checked,
        }
        if v.reason is not None:
            item["reason"] = v.reason
        if v.days_left is not None:
            item["days_left"] = v.days_left
        item["posts"] = posts(v.posts)
        return item

    checked_from = report.evidence.judged_from
    return {
        "schema_version": SCHEMA_VERSION,
        "as_of": report.as_of.isoformat(),
        "timezone": report.settings.timezone.key,
        "start": report.start.key,
        "min_posts": report.settings.min_posts,
        "late_grace_days": report.settings.late_grace_days,
        "history": {
            "checked_from": checked_from.key if checked_from else None,
            "reason": report.evidence.reason,
        },
        "complete": report.complete,
        "missing": [v.quarter.key for v in report.missing],
        "missing_observances": [
            {"name": o.name, "year": o.year, "status": str(o.status)} for o in report.missing_observances
        ],
        "quarters": [
            {"quarter": v.quarter.key, "label": v.quarter.label, **period(v, v.quarter.start, v.quarter.end)}
            for v in report.quarters
        ],
        "observances": [
            {"name": o.name, "year": o.year, "required": o.required, **period(o, o.start, o.end)}
            for o in report.observances
        ],
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
    published_at: datetime | None = None
    late: bool = False


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
class ReportedObservance:
    name: str
    year: int
    status: Status
    required: bool
    count: int

    @property
    def label(self) -> str:
        return period_label(self.name, self.year)

    @property
    def failing(self) -> bool:
        return self.required and self.status.failing


@dataclass(frozen=True)
class ReadReport:
    version: int
    as_of: date
    quarters: dict[Quarter, ReportedQuarter]  # consecutive, oldest first, through as_of's quarter
    observances: tuple[ReportedObservance, ...] = ()
    min_posts: int = 1  # a quarter's posts needed, as the school's own audit asked

    @property
    def complete(self) -> bool:
        return not any(c.status.failing for c in self.quarters.values()) and not any(
            o.failing for o in self.observances
        )


@dataclass(frozen=True)
class _Rules:
    """What a report says about itself that every verdict in it must follow."""

    version: int
    as_of: date
    min_posts: int
    tz: ZoneInfo | None
    grace: int
    checked_from: Quarter | None


def loads(body: bytes, today: date) -> ReadReport:
    """Check a coverage.json (schema 1 or 2) against itself; ``today`` is the roll-up's day."""
    try:
        data = json.loads(body, parse_constant=_reject_constant)
    except ReportError:
        raise
    except (ValueError, RecursionError):  # JSONDecodeError, bad UTF-8, a 5,000-digit number
        raise ReportError("không phải JSON") from None
    if not isinstance(data, dict):
        raise ReportError("không phải một báo cáo coverage.json (cần một đối tượng JSON)")
    try:  # "\ud800" is valid JSON but no text: it would stop the observation log being written
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ReportError("có ký tự không hợp lệ (một nửa ký tự UTF-16 đứng riêng)") from None
    rules = _rules(data, today)
    items = data.get("quarters")
    if not isinstance(items, list) or not items:
        raise ReportError("thiếu danh sách quarters")
    if len(items) > MAX_QUARTERS:  # consecutive through as_of: this reaches back further than any column
        raise ReportError(f"có {len(items)} quý, quá {MAX_QUARTERS} quý ({MAX_QUARTERS // 4} năm)")

    quarters: dict[Quarter, ReportedQuarter] = {}
    for item in items:
        reported = _quarter(item, rules)
        if quarters and reported.quarter != next(reversed(quarters)).next():
            raise ReportError(f"các quý không liền nhau hoặc lặp lại ở {reported.quarter.key}")
        quarters[reported.quarter] = reported

    last = next(reversed(quarters))
    if last != Quarter.of(rules.as_of):
        raise ReportError(f"quý cuối {last.key} không phải quý của as_of {rules.as_of.isoformat()}")
    missing = data.get("missing")
    if missing is not None and missing != [q.key for q, c in quarters.items() if c.status.failing]:
        raise ReportError("danh sách missing không khớp với các quý thiếu bài")

    raw_observances = data.get("observances", [])
    if not isinstance(raw_observances, list):
        raise ReportError("observances phải là một danh sách")
    observances = tuple(_observance(item, rules) for item in raw_observances)
    read = ReadReport(rules.version, rules.as_of, quarters, observances, rules.min_posts)
    if rules.version >= 2:
        named = data.get("missing_observances")
        failing = [
            {"name": o.name, "year": o.year, "status": str(o.status)} for o in observances if o.failing
        ]
        if named != failing:
            raise ReportError("danh sách missing_observances không khớp với các đợt bắt buộc thiếu bài")
        if data.get("complete") is not read.complete:
            raise ReportError(f"complete là {data.get('complete')!r} nhưng các kết quả nói ngược lại"[:300])
    return read


def _rules(data: dict[str, Any], today: date) -> _Rules:
    version = data.get("schema_version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        wanted = " hoặc ".join(str(v) for v in READABLE_VERSIONS)
        raise ReportError(f"schema_version là {version!r}, cần {wanted}"[:300])
    as_of = _day(data.get("as_of"), "as_of")
    if as_of > today + timedelta(days=1):  # a day's slack for time zones
        raise ReportError(f"as_of {as_of.isoformat()} ở sau ngày tổng hợp {today.isoformat()}")
    min_posts = _int(data.get("min_posts"), "min_posts", 1)
    if version == 1:
        return _Rules(1, as_of, min_posts, None, 0, None)
    try:
        tz = ZoneInfo(_text(data.get("timezone"), "timezone"))
    except (ValueError, KeyError, OSError, ZoneInfoNotFoundError):  # "America" is a folder: OSError
        raise ReportError(f"timezone {repr(data.get('timezone'))[:60]} không phải múi giờ") from None
    grace = _int(data.get("late_grace_days"), "late_grace_days")
    history = data.get("history")
    if not isinstance(history, dict):
        raise ReportError("thiếu history")
    checked_from = None
    if history.get("checked_from") is not None:
        try:
            checked_from = Quarter.parse(_text(history["checked_from"], "history.checked_from"))
        except ValueError:
            raise ReportError("history.checked_from không viết dạng YYYY-Qn") from None
    return _Rules(2, as_of, min_posts, tz, grace, checked_from)


def _quarter(item: object, rules: _Rules) -> ReportedQuarter:
    if not isinstance(item, dict):
        raise ReportError("một mục của quarters không phải đối tượng JSON")
    try:
        quarter = Quarter.parse(_text(item.get("quarter"), "quarter"))
    except ValueError:
        raise ReportError(f"quý {item.get('quarter')!r} không viết dạng YYYY-Qn"[:300]) from None
    status, count, reason, posts = _period(
        item, quarter.key, quarter.start, quarter.end, rules.min_posts, rules, quarter
    )
    return ReportedQuarter(quarter, status, count, reason, posts)


def _observance(item: object, rules: _Rules) -> ReportedObservance:
    if not isinstance(item, dict):
        raise ReportError("một mục của observances không phải đối tượng JSON")
    name = " ".join(_text(item.get("name"), "observances: name").split())[:TITLE_LIMIT]
    year = _int(item.get("year"), f"{name}: year", 1)
    where = period_label(name, year)
    start, end = _day(item.get("start"), f"{where}: start"), _day(item.get("end"), f"{where}: end")
    if not start.year == end.year == year or end < start:
        raise ReportError(
            f"{where}: thời gian {start.isoformat()} – {end.isoformat()} không thuộc năm {year}"
        )
    required = item.get("required")
    if not isinstance(required, bool):
        raise ReportError(f"{where}: required phải là true hoặc false")
    status, count, _, _ = _period(item, where, start, end, 1, rules, Quarter.of(end))
    return ReportedObservance(name, year, status, required, count)


def _period(
    item: dict[str, Any], where: str, start: date, end: date, needed: int, rules: _Rules, judged_as: Quarter
) -> tuple[Status, int, str | None, tuple[ReportedPost, ...]]:
    """A period's verdict, checked: its posts lie in it, its late flags and its verdict follow the rules."""
    try:
        status = Status.of(item.get("status"))
    except ValueError:
        words = ", ".join(str(s) for s in Status)
        raise ReportError(f"{where}: kết quả {item.get('status')!r} không có trong {words}"[:300]) from None
    count = _int(item.get("count"), f"{where}: count")
    reason = None
    if status is Status.EXCUSED:
        reason = " ".join(_text(item.get("reason"), f"{where}: reason").split())[:TITLE_LIMIT]
    checked = rules.checked_from is not None and judged_as >= rules.checked_from
    if rules.version >= 2 and item.get("checked") is not checked:
        raise ReportError(
            f"{where}: checked {item.get('checked')!r} không khớp với history.checked_from"[:300]
        )
    if rules.version == 1 and "quarter" not in item:  # schema 1 listed no posts for observances
        posts: tuple[ReportedPost, ...] = ()
        on_time = count
    else:
        raw_posts = item.get("posts")
        if not isinstance(raw_posts, list) or len(raw_posts) != count:
            raise ReportError(f"{where}: count {count} nhưng danh sách posts có {_length(raw_posts)} bài")
        posts = tuple(_post(entry, where, start, end, checked, rules) for entry in raw_posts)
        on_time = sum(1 for p in posts if not p.late)
    if rules.version >= 2 and item.get("on_time") != on_time:
        raise ReportError(f"{where}: on_time {item.get('on_time')!r} nhưng có {on_time} bài đúng hạn"[:300])
    # The verdict must follow from the numbers and the date, by the rule the audit used.
    expected = decide(on_time, count - on_time, needed, reason, end, rules.as_of)
    if status is not expected:
        raise ReportError(
            f"{where}: {count} bài mà kết quả '{status}' (cần {needed}, tính đến "
            f"{rules.as_of.isoformat()}); theo số liệu phải là '{expected}'"
        )
    if "days_left" in item and item["days_left"] != days_left(status, end, rules.as_of):
        raise ReportError(f"{where}: days_left {item['days_left']!r} không khớp với ngày kết thúc"[:300])
    return status, count, reason, posts


def _post(entry: object, where: str, start: date, end: date, checked: bool, rules: _Rules) -> ReportedPost:
    if not isinstance(entry, dict):
        raise ReportError(f"{where}: một bài trong posts không phải đối tượng JSON")
    day = _day(entry.get("date"), f"{where}: date của bài")
    if not start <= day <= end:
        raise ReportError(f"{where}: bài ngày {day.isoformat()} không thuộc kỳ này")
    title = " ".join(_text(entry.get("title"), f"{where}: title").split())[:TITLE_LIMIT]
    if rules.version == 1:
        return ReportedPost(title, day.isoformat(), _safe_url(entry.get("url")))
    published_at = _moment(entry.get("published_at"), f"{where}: published_at")
    late = entry.get("late")
    assert rules.tz is not None
    on = published_at.astimezone(rules.tz).date() if published_at else rules.as_of
    if late is not (checked and is_late(on, end, rules.grace)):
        raise ReportError(
            f"{where}: bài ngày {day.isoformat()} có late {late!r} không khớp với ngày đăng"[:300]
        )
    return ReportedPost(title, day.isoformat(), _safe_url(entry.get("url")), published_at, late)


def _moment(value: object, what: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(_text(value, what))
    except ValueError:
        raise ReportError(f"{what} phải là thời điểm ISO 8601, không phải {value!r}"[:300]) from None
    if moment.tzinfo is None:
        raise ReportError(f"{what} phải ghi múi giờ (ví dụ +07:00)")
    return moment


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
