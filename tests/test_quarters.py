"""Quarter arithmetic against a plain reference: month → quarter by table."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hooks.quarters import Quarter, quarter_range

MONTH_TO_QUARTER = {1: 1, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2, 7: 3, 8: 3, 9: 3, 10: 4, 11: 4, 12: 4}
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


@given(days)
def test_day_falls_in_its_quarter(day: date) -> None:
    quarter = Quarter.of(day)
    assert quarter == Quarter(day.year, MONTH_TO_QUARTER[day.month])
    assert quarter.start <= day <= quarter.end
    assert day in quarter


@given(days)
def test_quarters_tile_the_calendar(day: date) -> None:
    quarter = Quarter.of(day)
    assert Quarter.of(quarter.end + timedelta(days=1)) == quarter.next()
    assert Quarter.of(quarter.start - timedelta(days=1)) == quarter.previous()
    assert quarter.next().previous() == quarter
    assert 90 <= (quarter.end - quarter.start).days + 1 <= 92


@given(days, days)
def test_range_counts_every_quarter_once(a: date, b: date) -> None:
    first, last = sorted([Quarter.of(a), Quarter.of(b)])
    quarters = quarter_range(first, last)
    expected = (last.year - first.year) * 4 + last.number - first.number + 1
    assert len(quarters) == expected
    assert quarters == sorted(set(quarters))
    assert quarters[0] == first and quarters[-1] == last


@given(st.integers(1000, 9999), st.integers(1, 4))
def test_key_round_trips(year: int, number: int) -> None:
    quarter = Quarter(year, number)
    assert Quarter.parse(quarter.key) == quarter


@pytest.mark.parametrize(
    ("quarter", "label", "start", "end"),
    [
        (Quarter(2024, 1), "Quý I/2024", date(2024, 1, 1), date(2024, 3, 31)),
        (Quarter(2024, 2), "Quý II/2024", date(2024, 4, 1), date(2024, 6, 30)),
        (Quarter(2023, 3), "Quý III/2023", date(2023, 7, 1), date(2023, 9, 30)),
        (Quarter(2024, 4), "Quý IV/2024", date(2024, 10, 1), date(2024, 12, 31)),
    ],
)
def test_labels_and_bounds(quarter: Quarter, label: str, start: date, end: date) -> None:
    assert (quarter.label, quarter.start, quarter.end) == (label, start, end)


@pytest.mark.parametrize("bad", ["2024-Q5", "2024Q1", "Q1-2024", "2024-q1x", "", "24-Q1"])
def test_bad_keys_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="YYYY-Qn"):
        Quarter.parse(bad)
