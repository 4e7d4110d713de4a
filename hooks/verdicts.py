"""The audit's verdicts: one vocabulary, one rule.

A verdict carries its JSON word, its Vietnamese word and what it means for the audit,
so that the report page, the auditors' command, coverage.json and the district
roll-up never compare strings of their own. :func:`decide` is the one rule that turns
numbers and dates into a verdict: the audit uses it to judge, and the coverage.json
reader uses it to check that a report follows from its own numbers.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum


class Status(StrEnum):
    """A quarter's or an observance's verdict; the value is the word in coverage.json."""

    word: str  # Vietnamese, as readers see it
    met: bool  # counts towards the target
    failing: bool  # the audit fails on it (when it is required)

    def __new__(cls, value: str, word: str, met: bool, failing: bool) -> Status:
        member = str.__new__(cls, value)
        member._value_ = value
        member.word = word
        member.met = met
        member.failing = failing
        return member

    @classmethod
    def of(cls, value: object) -> Status:
        """The verdict whose JSON word is ``value``; ValueError for any other."""
        for status in cls:
            if status.value == value:
                return status
        raise ValueError(value)

    OK = ("ok", "Đạt", True, False)
    EXCUSED = ("excused", "Được miễn", True, False)
    MISSING = ("missing", "Thiếu bài", False, True)
    LATE = ("late", "Bổ sung muộn", False, True)  # posts dated in the period, published after it
    DUE = ("due", "Đang diễn ra", False, False)


# An informational observance without a post: shown, never as a failure.
NO_POST_WORD = "Không có bài"

# A district share's denominator, as every output heads it: a school without enough data for a
# period is not judged for it.
JUDGED = "Số trường xét được"
# The oldest day a feed's or a sitemap's school can be judged from, as the tables head it.
JUDGED_FROM = "Tính được từ ngày"


def decide(on_time: int, late: int, needed: int, excuse: str | None, end: date, as_of: date) -> Status:
    """The verdict for a period ending on ``end`` (inclusive), judged on ``as_of``.

    ``on_time`` posts fill the period; ``late`` ones (dated in it, published after it and
    its grace days) only turn a missing period into a late one.
    """
    if on_time >= needed:
        return Status.OK
    if excuse is not None:
        return Status.EXCUSED
    if as_of > end:
        return Status.LATE if on_time + late >= needed else Status.MISSING
    return Status.DUE


def period_label(name: str, year: int) -> str:
    """An observance as every output names it: ``Tháng hành động vì bình đẳng giới 2026``."""
    return f"{name} {year}"


def is_late(published_on: date, end: date, grace_days: int) -> bool:
    """A post reached the site after the period ending on ``end`` and its grace days."""
    return published_on > end + timedelta(days=grace_days)


def days_left(status: Status, end: date, as_of: date) -> int | None:
    """Days still open for a period in progress, counting ``as_of`` and ``end``."""
    return (end - as_of).days + 1 if status is Status.DUE else None
