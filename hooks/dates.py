"""Dates as the column reads and prints them: site time zone, Vietnamese order and words.

A post's day, quarter and order are all taken in the site time zone, so that a post
written at 00:30 in Hà Nội on 1 April counts for April even though it is still
31 March in UTC.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

ACCEPTED_FORMS = "2024-11-20, 2024-11-20T08:30:00+07:00 hoặc 20/11/2024"

# Day first, the Vietnamese order: 20/11/2024, 20-11-2024, 20.11.2024 (time optional).
_DAY_FIRST = re.compile(
    r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
# Year first with slashes or dots: 2024/11/20.
_YEAR_FIRST = re.compile(r"^(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})$")


class DateError(ValueError):
    """A date that cannot be read; the message says what to write instead."""


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise DateError(
            f"múi giờ '{name}' không tồn tại; hãy viết tên IANA, ví dụ {DEFAULT_TIMEZONE}"
        ) from exc


def today(tz: ZoneInfo, environ: Mapping[str, str] | None = None) -> date:
    """Today in the site zone; ``SOURCE_DATE_EPOCH`` (reproducible builds) wins over the clock."""
    env = os.environ if environ is None else environ
    raw = env.get("SOURCE_DATE_EPOCH", "").strip()
    if raw:
        try:
            seconds = int(raw)
        except ValueError as exc:
            raise DateError(
                f"SOURCE_DATE_EPOCH='{raw}' không phải số giây kể từ 1970 (ví dụ 1732060800)"
            ) from exc
        return datetime.fromtimestamp(seconds, tz=timezone.utc).astimezone(tz).date()
    return datetime.now(tz).date()


def to_local(value: object, tz: ZoneInfo) -> datetime:
    """Normalise a front-matter date to an aware datetime in ``tz``.

    Accepts a ``datetime`` (naive means the site zone), a ``date`` (midnight in the
    site zone) or a string in ISO form or day/month/year. Never reads month/day.
    """
    # datetime before date: a datetime is also a date.
    if isinstance(value, datetime):
        try:
            local = value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
        except OverflowError:  # 9999-12-31T23:00:00-05:00 is past the last day Python knows
            local = datetime.max.replace(tzinfo=tz)
        return _in_range(local, value)
    if isinstance(value, date):
        return _in_range(datetime.combine(value, time(0, 0), tzinfo=tz), value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise DateError(f"ngày phải là chữ, ví dụ {ACCEPTED_FORMS}")
    text = str(value).strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        try:
            parsed = datetime.fromisoformat(text.replace(" ", "T", 1))
        except ValueError as exc:
            raise DateError(f"ngày '{text}' không có thật hoặc sai dạng; viết {ACCEPTED_FORMS}") from exc
        return to_local(parsed, tz)
    match = _DAY_FIRST.match(text) or _YEAR_FIRST.match(text)
    if not match:
        raise DateError(f"không đọc được ngày '{text}'; viết {ACCEPTED_FORMS}")
    parts = match.groupdict()
    try:
        when = datetime(
            int(parts["y"]),
            int(parts["m"]),
            int(parts["d"]),
            int(parts.get("H") or 0),
            int(parts.get("M") or 0),
            int(parts.get("S") or 0),
            tzinfo=tz,
        )
    except ValueError as exc:
        raise DateError(
            f"ngày '{text}' không có thật (đọc theo thứ tự ngày/tháng/năm); viết {ACCEPTED_FORMS}"
        ) from exc
    return _in_range(when, text)


# Years a post may carry: quarter arithmetic near year 1 or 9999 would leave the calendar.
FIRST_YEAR = 1900
LAST_YEAR = 2999


def _in_range(local: datetime, written: object) -> datetime:
    if not FIRST_YEAR <= local.year <= LAST_YEAR:
        raise DateError(
            f"ngày '{written}' nằm ngoài khoảng năm {FIRST_YEAR}-{LAST_YEAR}; hãy kiểm tra lại năm, "
            f"viết {ACCEPTED_FORMS}"
        )
    return local


def zone_words(tz: ZoneInfo) -> str:
    """The site zone as a reader says it: "giờ Việt Nam", or the zone's name elsewhere."""
    return "giờ Việt Nam" if tz.key in ("Asia/Ho_Chi_Minh", "Asia/Saigon") else f"múi giờ {tz.key}"


def format_day(day: date) -> str:
    """``20 tháng 11, 2024``."""
    return f"{day.day} tháng {day.month}, {day.year}"


def format_short(day: date) -> str:
    """``20/11/2024``."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"
