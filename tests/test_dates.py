"""Dates: time zones, the Vietnamese order, SOURCE_DATE_EPOCH, Vietnamese labels."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hooks.dates import DateError, format_day, to_local, today, zone

HANOI = zone("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-31T17:30:00Z", datetime(2024, 4, 1, 0, 30, tzinfo=HANOI)),
        ("2024-03-31T16:59:59+00:00", datetime(2024, 3, 31, 23, 59, 59, tzinfo=HANOI)),
        ("2024-03-08", datetime(2024, 3, 8, tzinfo=HANOI)),
        ("2024-03-08 10:15", datetime(2024, 3, 8, 10, 15, tzinfo=HANOI)),
        ("2024-11-20T08:30:00+07:00", datetime(2024, 11, 20, 8, 30, tzinfo=HANOI)),
        ("8/3/2024", datetime(2024, 3, 8, tzinfo=HANOI)),
        ("08-03-2024", datetime(2024, 3, 8, tzinfo=HANOI)),
        ("20.11.2024 07:05", datetime(2024, 11, 20, 7, 5, tzinfo=HANOI)),
        ("2024/11/20", datetime(2024, 11, 20, tzinfo=HANOI)),
        (date(2024, 6, 28), datetime(2024, 6, 28, tzinfo=HANOI)),
        (datetime(2024, 6, 28, 9), datetime(2024, 6, 28, 9, tzinfo=HANOI)),
    ],
)
def test_accepted_forms(raw: object, expected: datetime) -> None:
    got = to_local(raw, HANOI)
    assert got == expected
    assert got.utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize(
    "raw",
    [
        "2024-02-30",
        "31/4/2024",
        "03/25/2024",
        "March 8, 2024",
        "8 tháng 3 2024",
        "2024-13-01",
        "hôm nay",
        "",
        True,
        20240308,
    ],
)
def test_refused_forms_say_what_to_write(raw: object) -> None:
    with pytest.raises(DateError, match="2024-11-20"):
        to_local(raw, HANOI)


@given(st.integers(1, 12), st.integers(13, 28), st.integers(2000, 2099))
def test_never_month_first(month: int, day: int, year: int) -> None:
    """'m/d/Y' with a day over 12 is refused, never silently swapped."""
    with pytest.raises(DateError):
        to_local(f"{month}/{day}/{year}", HANOI)


@given(st.dates(date(2000, 1, 1), date(2099, 12, 31)))
def test_day_first_reads_every_real_day(day: date) -> None:
    assert to_local(f"{day.day}/{day.month}/{day.year}", HANOI).date() == day


@given(st.datetimes(datetime(2000, 1, 1), datetime(2099, 1, 1), timezones=st.just(timezone.utc)))
def test_local_day_is_utc_plus_seven(moment: datetime) -> None:
    assert to_local(moment, HANOI).date() == (moment + timedelta(hours=7)).date()


def test_source_date_epoch_wins_over_the_clock() -> None:
    # 2024-03-31T17:30:00Z is already 1 April in Hà Nội.
    epoch = int(datetime(2024, 3, 31, 17, 30, tzinfo=timezone.utc).timestamp())
    assert today(HANOI, {"SOURCE_DATE_EPOCH": str(epoch)}) == date(2024, 4, 1)
    before = datetime.now(HANOI).date()
    clock = today(HANOI, {})
    after = datetime.now(HANOI).date()
    assert clock in (before, after)  # the clock may pass midnight between the calls
    with pytest.raises(DateError, match="SOURCE_DATE_EPOCH"):
        today(HANOI, {"SOURCE_DATE_EPOCH": "hôm qua"})


def test_vietnamese_day_label() -> None:
    assert format_day(date(2024, 11, 20)) == "20 tháng 11, 2024"
    assert format_day(date(2024, 3, 8)) == "8 tháng 3, 2024"


def test_unknown_zone_is_refused() -> None:
    with pytest.raises(DateError, match="Asia/Ho_Chi_Minh"):
        zone("Asia/Hanoi_City")
