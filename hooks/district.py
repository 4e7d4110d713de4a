"""District roll-up: every school's column, side by side, against the 100% target.

The district plan's target is that every school's website carries the column every
quarter. A school is read from one of three sources (``data/schools.yml``):

- ``report:`` the ``bao-cao/coverage.json`` this project publishes; ``coverage_json.py``
  checks it against itself, and each post address that fills a quarter of this year or
  the last must answer HTTP 200 from the school's own host (a forged report is caught);
- ``feed:`` the RSS or Atom feed of the column on the school's own portal (NukeViet,
  WordPress, …), read by ``sources.py``;
- ``sitemap:`` a sitemap with ``path:`` the column's URL prefix.

Feed and sitemap schools are judged by the same rule (``verdicts.decide``), Action Month
and grace days as a school's own audit, against the district's own evidence
(``observations.py``): an item first seen after its quarter and the grace days is late.
``fetch.py`` gets every byte within bounds. A school that cannot be read is shown as such
and never counted as ok; a quarter older than what a feed shows is "Không đủ dữ liệu",
neither met nor missing. No MkDocs here: ``python -m hooks.district`` runs it alone.

Memory stays flat in the number of schools (``make bench-district``): each of ``fetch_each``'s
workers finishes a school (its post checks, a sitemap index's sitemaps, its log) before it takes
the next, and a judged school goes to a temporary file (``Spill``), from which every output reads
it again, a school at a time; the schools list itself is read an entry at a time.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import pickle
import re
import sys
import tempfile
import weakref
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, overload
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import yaml

from . import coverage_json, messages, observations, sources
from .coverage_json import ReportedObservance, ReportedPost, ReportedQuarter, ReportError, quarter_anchor
from .dates import DateError, format_day, format_short
from .fetch import Check, FetchFailure, FetchLimits, Follow, fetch_each, is_url
from .messages import os_reason, yaml_error
from .observations import Log
from .quarters import Quarter, quarter_range
from .settings import (
    ACTION_MONTH,
    DEFAULT_SCHOOLS,
    Observance,
    SettingsError,
    column_settings,
    coverage_settings,
    day_option,
    district_settings,
    quarter,
    read_extra,
)
from .sources import Listing, SitemapIndex, SourceError
from .spreadsheet import cell_safe
from .urls import REPORT_JSON
from .verdicts import JUDGED, JUDGED_FROM, Status, decide, is_late, period_label


class SchoolState(StrEnum):
    """Where a school stands in the roll-up; the value is the word in district.json."""

    word: str
    failing: bool  # the roll-up (and the command's exit status) fails on it

    def __new__(cls, value: str, word: str, failing: bool) -> SchoolState:
        member = str.__new__(cls, value)
        member._value_ = value
        member.word = word
        member.failing = failing
        return member

    @classmethod
    def of(cls, value: object) -> SchoolState:
        """The state whose value is ``value``; ValueError for any other."""
        for state in cls:
            if state.value == value:
                return state
        raise ValueError(value)

    OK = ("ok", "Đủ bài", False)
    MISSING = ("missing", "Thiếu bài", True)  # a quarter or a required observance missing or late
    STALE = ("stale", "Báo cáo cũ", False)
    UNREACHABLE = ("unreachable", "Không tải được", True)
    UNREADABLE = ("unreadable", "Không đọc được", True)  # read, but nothing to judge (an empty feed)
    INVALID = ("invalid", "Báo cáo không hợp lệ", True)  # a feed's or sitemap's: SchoolResult.word


# What a feed or a sitemap that is not one is called (the state's own word speaks of a report).
INVALID_SOURCE_WORD = "Nguồn tin không hợp lệ"


class SourceKind(StrEnum):
    """What a school's entry in the schools list points at; the value is its key there."""

    word: str  # as the district page names it

    def __new__(cls, value: str, word: str) -> SourceKind:
        member = str.__new__(cls, value)
        member._value_ = value
        member.word = word
        return member

    REPORT = ("report", "báo cáo của trang")
    FEED = ("feed", "RSS/Atom")
    SITEMAP = ("sitemap", "sitemap")


# A quarter the district cannot judge: neither met nor missing, outside the share.
INSUFFICIENT = "insufficient"
INSUFFICIENT_WORD = "Không đủ dữ liệu"
INSUFFICIENT_WHY = (
    "nguồn tin chỉ có các bài mới nhất, nên các quý cũ hơn không đủ dữ liệu để kết luận; "
    "trường có thể gửi báo cáo (coverage.json) hoặc sitemap"
)
INSUFFICIENT_WHY_SITEMAP = (
    "sitemap không có địa chỉ nào cũ hơn ngày tính được từ, nên các quý trước đó không đủ dữ liệu để "
    "kết luận; nếu đó là lúc trang bắt đầu, hãy ghi 'start:' cho trường này trong danh sách trường"
)
NOT_CHECKED = "chưa đối chiếu"


class SchoolsError(ValueError):
    """The schools list itself is wrong; the message names the file and the entry."""


@dataclass(frozen=True)
class School:
    name: str
    report: str  # the address of the source as written in the list (a report, a feed or a sitemap)
    kind: SourceKind = SourceKind.REPORT
    path: str = "/"  # a sitemap's posts of the column: their URL path starts with this
    published_dates: bool = False  # a sitemap's lastmod is the publish date (dates: published)
    start: Quarter | None = None

    @property
    def address(self) -> str:
        return self.report


@dataclass(frozen=True)
class Rules:
    """What every school is judged by: the same as a school's own audit (``settings.py``)."""

    timezone: ZoneInfo
    action_month: Observance
    min_posts: int = 1
    late_grace_days: int = 7
    start: Quarter | None = None  # for schools without a report, when their entry names none

    @classmethod
    def of(cls, extra: Mapping[str, Any], root: Path, start: Quarter | None = None) -> Rules:
        """From a site's settings; the Action Month as ``settings.coverage_settings`` defines it;
        ``start`` (the command's ``--start``) before ``extra.district.start``."""
        settings = coverage_settings(extra, root)
        if start is None and (district := district_settings(extra, root)) is not None:
            start = district.start
        month = next((o for o in settings.observances if o.name == ACTION_MONTH), None)
        if month is None:  # the office's own column may skip it; the schools' audit never does
            month = next(o for o in coverage_settings({}, root).observances if o.name == ACTION_MONTH)
        return cls(settings.timezone, month, settings.min_posts, settings.late_grace_days, start)

    @property
    def action_month_days(self) -> str:
        """``15/11 – 15/12``: the Action Month as the page and the documents write it."""
        (m1, d1), (m2, d2) = self.action_month.start, self.action_month.end
        return f"{d1}/{m1} – {d2}/{m2}"


def default_rules() -> Rules:
    return Rules.of({}, Path("."))


@dataclass(frozen=True)
class Cell:
    """One school's quarter as the district page shows it: a word and a colour, the posts behind a link."""

    word: str
    css: str
    link: str | None = None  # the quarter on the school's own report page


NO_CELL = Cell("—", "none")


@dataclass
class SchoolResult:
    school: School
    state: SchoolState
    as_of: date | None = None
    cells: dict[Quarter, ReportedQuarter] = field(default_factory=dict)
    problem: str | None = None  # why unreachable, unreadable or invalid
    stale: bool = False
    observances: tuple[ReportedObservance, ...] = ()
    insufficient: frozenset[Quarter] = frozenset()  # quarters the source is too short to judge
    judged_from: date | None = None  # a feed's or sitemap's oldest day the district can judge from
    checked_from: Quarter | None = None  # quarters from here are judged by first sight (observations)
    notes: tuple[str, ...] = ()  # what the office should know about this school's source
    failed_posts: tuple[str, ...] = ()  # a report's post addresses that did not answer 200
    min_posts: int = 1  # a report's posts needed a quarter, as the school's own audit asked

    @property
    def word(self) -> str:
        """The state, and that the report is old when that is not already the state."""
        stale = self.stale and self.state is not SchoolState.STALE
        if self.state is SchoolState.INVALID and self.school.kind is not SourceKind.REPORT:
            return INVALID_SOURCE_WORD
        return f"{self.state.word} (báo cáo cũ)" if stale else self.state.word

    @property
    def source_word(self) -> str:
        return self.school.kind.word

    @property
    def as_of_short(self) -> str:
        return format_short(self.as_of) if self.as_of else "—"

    @property
    def judged_from_short(self) -> str:
        return format_short(self.judged_from) if self.judged_from else ""

    @property
    def link(self) -> str | None:
        """The school's report page, when its report is on the web."""
        if self.school.kind is SourceKind.REPORT and is_url(self.school.report):
            return urljoin(self.school.report, "./")
        return None

    @property
    def missing(self) -> list[Quarter]:
        """Quarters missing or late."""
        return [q for q, c in self.cells.items() if c.status.failing]

    @property
    def missing_observances(self) -> list[ReportedObservance]:
        return [o for o in self.observances if o.failing]

    @property
    def shortfalls(self) -> list[str]:
        """Every required item this school misses, as labels."""
        return [q.label for q in self.missing] + [o.label for o in self.missing_observances]

    def verdict(self, quarter: Quarter) -> str | None:
        """The quarter's word in district.json: a verdict, ``insufficient``, or None (no result)."""
        if quarter in self.insufficient:
            return INSUFFICIENT
        cell = self.cells.get(quarter)
        return str(cell.status) if cell is not None else None

    def cell(self, quarter: Quarter, today: date) -> Cell:
        if quarter in self.insufficient:
            return Cell(INSUFFICIENT_WORD, "insufficient")
        reported = self.cells.get(quarter)
        if reported is None:
            return NO_CELL
        link = f"{self.link}#{quarter_anchor(quarter)}" if self.link else None
        if reported.status is Status.DUE and quarter.end < today:
            # The quarter has ended since the report was made: its verdict is not known.
            return Cell("Chưa có kết quả", "stale", link)
        if self.checked_from is not None and quarter < self.checked_from and reported.status.met:
            return Cell(f"{reported.word} ({NOT_CHECKED})", reported.css, link)
        return Cell(reported.word, reported.css, link)

    def month_unknown(self, year: int) -> bool:
        """A feed or sitemap, read at least once, that does not reach back to the Action Month of
        ``year``: not judged for it (a school never read counts as not holding it, as for a quarter)."""
        return self.school.kind is not SourceKind.REPORT and bool(self.cells) and self.held(year) is None

    def held(self, year: int) -> Status | None:
        """This school's Action Month verdict of ``year``, if its report has one."""
        return next((o.status for o in self.observances if o.name == ACTION_MONTH and o.year == year), None)

    @property
    def detail(self) -> str:
        """One line on what the office should do or know, for the command and the page."""
        parts = []
        if self.problem:
            parts.append(self.problem)
        if self.shortfalls:
            parts.append("thiếu " + ", ".join(self.shortfalls))
        if self.failed_posts:
            parts.append("bài không mở được: " + ", ".join(self.failed_posts[:3]))
        if self.insufficient:
            first, last = min(self.insufficient), max(self.insufficient)
            span = first.label if first == last else f"{first.label} – {last.label}"
            parts.append(f"{span}: {INSUFFICIENT_WORD.lower()}")
        if not parts:
            parts.append(f"báo cáo ngày {self.as_of_short}" if self.as_of else "đủ bài")
        return "; ".join(parts)


def _percent(part: int, whole: int) -> str:
    """``66,7%``: a Vietnamese number, rounded to a tenth, never 100% short of the whole."""
    if not whole:
        return "—"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if value == 100 and part < whole:
        value = Decimal("99.9")
    if value == 0 and part > 0:
        value = Decimal("0.1")
    text = f"{value:f}".removesuffix(".0").replace(".", ",")
    return f"{text}%"


@dataclass(frozen=True)
class QuarterShare:
    quarter: Quarter
    schools: int  # the schools judged for the period (those without enough data are not)
    ok_or_excused: int
    running: bool = False  # the quarter has not ended: schools without a post yet are not short
    insufficient: int = 0  # schools whose source is too short to judge this period

    @property
    def share(self) -> float:
        return self.ok_or_excused / self.schools if self.schools else 0.0

    @property
    def percent(self) -> str:
        return _percent(self.ok_or_excused, self.schools)

    @property
    def whole_percent(self) -> int:
        """The share in whole per cent, floored: a number every spreadsheet reads the same."""
        return self.ok_or_excused * 100 // self.schools if self.schools else 0

    @property
    def label(self) -> str:
        return self.quarter.label

    @property
    def shortfall(self) -> str:
        short = self.schools - self.ok_or_excused
        unknown = f"; {self.insufficient} trường không đủ dữ liệu" if self.insufficient else ""
        if not short:
            return "Đạt 100%" + unknown
        return ("Quý đang diễn ra" if self.running else f"{short} trường") + unknown


@dataclass(frozen=True)
class ActionMonthShare(QuarterShare):
    """The share of schools that held one year's Action Month."""

    year: int = 0

    @property
    def label(self) -> str:
        return period_label(ACTION_MONTH, self.year)

    @property
    def shortfall(self) -> str:
        short = self.schools - self.ok_or_excused
        if not short:
            return "Đạt 100%"
        return "Đang diễn ra" if self.running else f"{short} trường"


@dataclass(frozen=True)
class DueSoon:
    """A school whose running period has no post yet: the office can still remind it."""

    name: str
    period: str
    end: date
    days_left: int


class SpillError(Exception):
    """The roll-up's temporary file cannot be made or written (a full disk, a missing TMPDIR)."""

    def __init__(self, exc: OSError) -> None:
        super().__init__(
            f"không ghi được tệp tạm của bản tổng hợp ({os_reason(exc)}); hãy kiểm tra chỗ trống trên "
            "đĩa và thư mục tạm (biến TMPDIR)"
        )


class Spill(Sequence[SchoolResult]):
    """Judged schools in a temporary file, one pickled record each, read back one at a time.

    What the roll-up holds in memory for a school is where its record starts (8 bytes): the
    roll-up's memory stays flat in the number of schools, and every output (the JSON, the CSV,
    the workbook, the documents, the page) is written by reading the records again, in the
    schools' order (bench/NOTES.md, item 16). Pickle, because the file is this process's own
    temporary file (removed when it is closed): it reads back exactly the objects it wrote,
    and nothing else writes there.
    """

    def __init__(self) -> None:
        try:
            self._file: IO[bytes] = tempfile.TemporaryFile()
        except OSError as exc:
            raise SpillError(exc) from None
        self._starts = array("q")
        self._end = 0
        # Closed by close(), or when the spill is let go (the next build's roll-up replaces it).
        self.close = weakref.finalize(self, self._file.close)

    def write(self, result: SchoolResult) -> int:
        """Store ``result`` after the others; where it starts (for ``put_in_order``)."""
        data = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        try:
            self._file.seek(self._end)
            self._file.write(data)
        except OSError as exc:  # the disk full: said, not a traceback
            raise SpillError(exc) from None
        start, self._end = self._end, self._end + len(data)
        return start

    def append(self, result: SchoolResult) -> None:
        self._starts.append(self.write(result))

    def put_in_order(self, starts: Iterable[int]) -> None:
        """The records written by ``write`` (in whatever order the schools were judged), in the
        schools' order."""
        self._starts = array("q", starts)

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> SchoolResult: ...

    @overload
    def __getitem__(self, index: slice) -> list[SchoolResult]: ...

    def __getitem__(self, index: int | slice) -> SchoolResult | list[SchoolResult]:
        if isinstance(index, slice):
            return [self._read(start) for start in self._starts[index]]
        return self._read(self._starts[index])

    def __iter__(self) -> Iterator[SchoolResult]:
        # Each record is sought before it is read: two loops over the records may interleave.
        return (self._read(start) for start in self._starts)

    def _read(self, start: int) -> SchoolResult:
        self._file.seek(start)
        result: SchoolResult = pickle.load(self._file)
        return result


@dataclass(frozen=True)
class Selection:
    """The roll-up's schools that ``keep`` accepts: read again at each loop, never held as a list."""

    schools: Sequence[SchoolResult]
    keep: Callable[[SchoolResult], bool]

    def __iter__(self) -> Iterator[SchoolResult]:
        return (r for r in self.schools if self.keep(r))

    def __bool__(self) -> bool:
        return any(True for _ in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass(frozen=True)
class SchoolRows(Sequence[tuple[str | date | None, ...]]):
    """``RollUp.school_table``'s rows, each made as it is read (a row a school, never all at once)."""

    rollup: RollUp

    def __len__(self) -> int:
        return len(self.rollup.schools)

    @overload
    def __getitem__(self, index: int) -> tuple[str | date | None, ...]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[str | date | None, ...]]: ...

    def __getitem__(
        self, index: int | slice
    ) -> tuple[str | date | None, ...] | list[tuple[str | date | None, ...]]:
        if isinstance(index, slice):
            return [self.rollup.school_row(r) for r in self.rollup.schools[index]]
        return self.rollup.school_row(self.rollup.schools[index])

    def __iter__(self) -> Iterator[tuple[str | date | None, ...]]:
        return (self.rollup.school_row(r) for r in self.rollup.schools)


@dataclass
class RollUp:
    as_of: date
    schools: Sequence[SchoolResult]  # a Spill from summarise: read again at each loop
    quarters: list[QuarterShare]
    action_months: list[ActionMonthShare] = field(default_factory=list)
    target: float = 1.0
    rules: Rules = field(default_factory=default_rules)
    notes: list[str] = field(default_factory=list)  # about the run itself (the observation log)
    states: Counter[SchoolState] = field(default_factory=Counter)  # schools in each state
    # Schools whose running quarter, or the Action Month while it runs, has no post yet.
    due_soon: list[DueSoon] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """False when any school misses a quarter or can't be read: the command's exit status."""
        return not any(state.failing for state, n in self.states.items() if n)

    def school_table(self) -> tuple[tuple[str, ...], SchoolRows]:
        """Every school by quarter, as district.csv and district.xlsx print it: the header and the
        rows, dates as dates (None: none)."""
        header = (
            "Trường",
            "Địa chỉ báo cáo",
            "Tình trạng",
            "Báo cáo ngày",
            *(s.label for s in self.quarters),
            "Nguồn",
            JUDGED_FROM,
            "Ghi chú",
        )
        return header, SchoolRows(self)

    def school_row(self, r: SchoolResult) -> tuple[str | date | None, ...]:
        return (
            r.school.name,
            r.school.report,
            r.word,
            r.as_of,
            *(r.cell(s.quarter, self.as_of).word for s in self.quarters),
            r.source_word,
            r.judged_from,
            r.detail,
        )

    def count(self, state: SchoolState) -> int:
        return self.states[state]

    @property
    def short(self) -> Selection:
        """Schools that miss a required quarter or observance."""
        return Selection(self.schools, lambda r: bool(r.shortfalls))

    @property
    def troubled(self) -> Selection:
        """Schools whose report could not be used, with why."""
        return Selection(self.schools, lambda r: bool(r.problem))

    @property
    def noted(self) -> Selection:
        """Schools whose source the office should know about: notes, or posts that did not open."""
        return Selection(self.schools, lambda r: bool(r.notes or r.failed_posts))

    @property
    def action_month_days(self) -> str:
        return self.rules.action_month_days


def due(r: SchoolResult, today: date, rules: Rules) -> Iterator[DueSoon]:
    """This school's running quarter, and the Action Month while it runs, when it has no post yet."""
    current = Quarter.of(today)
    cell = r.cells.get(current)
    if cell is not None and cell.status is Status.DUE and (r.as_of is None or r.as_of >= current.start):
        yield DueSoon(r.school.name, current.label, current.end, (current.end - today).days + 1)
    start, end = rules.action_month.period(today.year)
    if start <= today <= end and r.held(today.year) is Status.DUE:
        yield DueSoon(r.school.name, period_label(ACTION_MONTH, today.year), end, (end - today).days + 1)


# --- the schools list ----------------------------------------------------------------------------

_KINDS = {kind.value: kind for kind in SourceKind}
_KEYS = {"name", "report", "feed", "sitemap", "path", "dates", "start"}


class _NotAList(Exception):
    """The schools list's document is not a list (read whole first, so its YAML mistakes come first)."""


_SEQUENCE_TAG = "tag:yaml.org,2002:seq"


def _entries(stream: IO[str]) -> Iterator[object]:
    """The schools list's entries, each made as it is read: ``yaml.safe_load`` composes the whole
    document before making anything of it, and 4,000 schools' nodes took 17 MiB at once.

    The same loader (PyYAML's SafeLoader, so the same mistakes in the same words), the steps of
    its ``get_single_node`` one entry at a time; anchors stay known to the entries after theirs.
    """
    loader = yaml.SafeLoader(stream)
    try:
        loader.get_event()  # the stream's start
        if loader.check_event(yaml.StreamEndEvent):
            raise _NotAList
        loader.get_event()  # the document's start
        start = loader.peek_event()
        # A list with a tag of its own ("--- !!map", "!foo") is made whole, as safe_load makes it,
        # so that PyYAML says what is wrong with the tag.
        listed = isinstance(start, yaml.SequenceStartEvent) and start.tag in (None, "!", _SEQUENCE_TAG)
        if listed:
            root = loader.get_event().start_mark
            index = 0
            while not loader.check_event(yaml.SequenceEndEvent):
                node = loader.compose_node(None, index)
                yield loader.construct_document(node)
                index += 1
            loader.get_event()
        else:
            node = loader.compose_node(None, None)  # type: ignore[arg-type]
            root = node.start_mark if node is not None else None
            if node is not None and node.tag != "tag:yaml.org,2002:map":
                loader.construct_document(node)
        loader.get_event()  # the document's end
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                root,
                "but found another document",
                event.start_mark,
            )
        if not listed:
            raise _NotAList
    finally:
        loader.dispose()


def load_schools(path: Path) -> list[School]:
    """``data/schools.yml``: a list of {name, and one of report, feed or sitemap (with path)}."""
    try:
        with path.open(encoding="utf-8") as stream:
            entries = _entries(stream)
            try:
                return _schools(path, entries)
            except SchoolsError:
                for _ in entries:  # a YAML mistake further down is said first, as when read whole
                    pass
                raise
    except _NotAList:
        raise SchoolsError(f"{path} phải là một danh sách, mỗi mục có 'name:' và 'report:'") from None
    except OSError as exc:
        raise SchoolsError(f"không đọc được danh sách trường {path} ({os_reason(exc)})") from None
    except UnicodeDecodeError:
        raise SchoolsError(f"{path}: hãy lưu tệp dạng UTF-8") from None
    except yaml.YAMLError as exc:
        raise SchoolsError(
            f"{path}, {yaml_error(exc)}; mỗi trường là một mục bắt đầu bằng '- name: …', các dòng "
            "sau của mục thụt vào hai dấu cách (xem data/schools.yml mẫu)"
        ) from None


def _schools(path: Path, entries: Iterable[object]) -> list[School]:
    schools: list[School] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(entries, start=1):
        where = f"{path}, mục {number}"
        if not isinstance(item, Mapping):
            raise SchoolsError(f"{where}: cần 'name:' và 'report:'")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise SchoolsError(f"{where}: thiếu 'name:' (tên trường)")
        where = f"{where} ({name})"
        unknown = set(item) - _KEYS
        if unknown:
            raise SchoolsError(f"{where}: khóa lạ {', '.join(sorted(map(str, unknown)))}")
        given = [key for key in _KINDS if key in item]
        if not given:
            raise SchoolsError(
                f"{where}: thiếu 'report:' (địa chỉ coverage.json của trường), "
                "hoặc 'feed:' (nguồn tin RSS của chuyên mục), hoặc 'sitemap:'"
            )
        if len(given) > 1:
            raise SchoolsError(
                f"{where}: chỉ ghi một trong 'report:', 'feed:', 'sitemap:' (đang có {', '.join(given)})"
            )
        kind = _KINDS[given[0]]
        address = item[given[0]]
        if not isinstance(address, str) or not address.strip():
            raise SchoolsError(f"{where}: '{kind.value}:' phải là một địa chỉ")
        school = School(" ".join(name.split()), address.strip(), kind)
        if kind is SourceKind.SITEMAP:
            prefix = item.get("path")
            if not isinstance(prefix, str) or not prefix.startswith("/"):
                raise SchoolsError(
                    f"{where}: sitemap cần 'path:', phần đầu địa chỉ các bài của chuyên mục, "
                    "ví dụ /vi/news/binh-dang-gioi/"
                )
            dates = item.get("dates")
            if dates not in (None, "published", "edited"):
                raise SchoolsError(
                    f"{where}: 'dates:' là published (ngày trong sitemap là ngày đăng) hoặc edited"
                )
            school = replace(school, path=prefix, published_dates=dates == "published")
        elif "path" in item or "dates" in item:
            raise SchoolsError(f"{where}: 'path:' và 'dates:' chỉ dùng với 'sitemap:'")
        if item.get("start") is not None:
            try:
                school = replace(school, start=quarter(item["start"], f"{where}: start"))
            except SettingsError as exc:
                raise SchoolsError(str(exc)) from None
        # Each school's observation log is named after it without accents: two names that differ
        # only by accents or case would share one log and mix their evidence.
        key = observations.log_path(Path(), school.name).name
        if key in seen:
            first = schools[seen[key] - 1].name
            if first.casefold() == school.name.casefold():
                raise SchoolsError(f"{path}, mục {number}: '{name}' đã có ở mục {seen[key]}")
            raise SchoolsError(
                f"{path}, mục {number}: '{school.name}' chỉ khác '{first}' (mục {seen[key]}) ở dấu, "
                "nên hai trường sẽ dùng chung một nhật ký quan sát; hãy ghi tên phân biệt, ví dụ thêm tên "
                "phường hay xã"
            )
        seen[key] = number
        schools.append(school)
    return schools


# --- one report ----------------------------------------------------------------------------------


def is_stale(as_of: date, today: date) -> bool:
    """A report is stale when it has no final verdict for the last quarter that has ended.

    A quarter's verdict is final only when the report was made after the quarter's last
    day: a report of that very day still shows the quarter as in progress.
    """
    return as_of <= Quarter.of(today).previous().end


WEB_PAGE = (
    "địa chỉ này là một trang web, không phải tệp báo cáo; hãy ghi địa chỉ "
    f"…/{REPORT_JSON} của trang chuyên mục"
)


# coverage.json's keys and verdict values as the district office reads them (ReportError names them).
REPORT_WORDS = {
    "schema_version": "phiên bản báo cáo",
    "missing_observances": "danh sách đợt bắt buộc thiếu bài",
    "history.checked_from": "quý bắt đầu đối chiếu lịch sử",
    "late_grace_days": "số ngày cho phép đăng muộn",
    "published_at": "thời điểm đăng",
    "observances": "các đợt",
    "min_posts": "số bài tối thiểu",
    "days_left": "số ngày còn lại",
    "checked_from": "quý bắt đầu đối chiếu",
    "timezone": "múi giờ",
    "quarters": "quý",
    "complete": "kết luận đủ bài",
    "required": "bắt buộc",
    "checked": "đã đối chiếu",
    "on_time": "số bài đúng hạn",
    "missing": "danh sách quý thiếu bài",
    "history": "lịch sử",
    "reason": "lý do",
    "status": "kết quả",
    "as_of": "ngày lập báo cáo",
    "count": "số bài",
    "posts": "bài",
    "title": "tiêu đề",
    "quarter": "quý",
    "late": "đăng muộn",
    "date": "ngày",
    "start": "ngày bắt đầu",
    "end": "ngày kết thúc",
    "year": "năm",
    "name": "tên",
}
_REPORT_KEY = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, REPORT_WORDS)) + r")(?![\w])")


def report_problem(message: str) -> str:
    """A report's fault as the office reads it: Vietnamese words for coverage.json's keys and values."""
    words = ", ".join(str(status) for status in Status)
    message = message.replace(words, ", ".join(status.word for status in Status))
    for status in Status:
        message = message.replace(f"'{status.value}'", f"'{status.word}'")
    message = message.replace("True", "đúng").replace("False", "sai")
    return _REPORT_KEY.sub(lambda m: REPORT_WORDS[m[1]], message)


def judge(school: School, body: bytes | FetchFailure, today: date) -> SchoolResult:
    if isinstance(body, FetchFailure):
        return SchoolResult(school, SchoolState.of(body.kind), problem=body.message)
    try:
        report = coverage_json.loads(body, today)
    except ReportError as exc:
        looks_html = body.lstrip()[:1] == b"<"
        problem = WEB_PAGE if looks_html else report_problem(str(exc))
        return SchoolResult(school, SchoolState.INVALID, problem=problem)
    except Exception:  # noqa: BLE001 - one school's report, however odd, never stops the others
        return SchoolResult(school, SchoolState.INVALID, problem="báo cáo không đọc được (lỗi bất ngờ)")
    stale = is_stale(report.as_of, today)
    cells, observances = report.quarters, report.observances
    if school.start is not None:  # the schools list says when this school's audit begins
        cells = {q: c for q, c in cells.items() if q >= school.start}
        observances = tuple(o for o in observances if o.year >= school.start.year)
    # Only the posts the roll-up checks are kept (this year's and last year's): a thousand
    # schools' older posts would otherwise be held to the end, though no output lists them.
    checked = (today.year - 1, today.year)
    cells = {q: c if q.year in checked else replace(c, posts=()) for q, c in cells.items()}
    complete = not any(c.status.failing for c in cells.values()) and not any(o.failing for o in observances)
    state = SchoolState.MISSING if not complete else SchoolState.STALE if stale else SchoolState.OK
    return SchoolResult(
        school, state, report.as_of, cells, stale=stale, observances=observances, min_posts=report.min_posts
    )


def compact(result: SchoolResult) -> SchoolResult:
    """A judged school as every output reads it: each quarter's verdict and count (no output lists
    a school's posts), its Action Months and the observances it misses (no output lists the
    others)."""
    return replace(
        result,
        cells={q: replace(c, posts=()) for q, c in result.cells.items()},
        observances=tuple(o for o in result.observances if o.name == ACTION_MONTH or o.failing),
    )


def posts_to_check(result: SchoolResult, today: date) -> list[str]:
    """A report's post addresses that fill a quarter of this year or the last: each must answer."""
    years = (today.year - 1, today.year)
    return [
        p.url
        for q, cell in result.cells.items()
        if q.year in years and cell.status.met
        for p in cell.posts
        if p.url
    ]


def without_dead_posts(result: SchoolResult, dead: Mapping[str, str], today: date) -> SchoolResult:
    """The report's verdicts again, with the posts that did not answer taken out."""
    failed = [url for url in posts_to_check(result, today) if url in dead]
    if not failed:
        return result
    needed = result.min_posts
    cells = dict(result.cells)
    as_of = result.as_of or today
    for q, cell in result.cells.items():
        kept = tuple(p for p in cell.posts if not (p.url in dead and q.year >= today.year - 1))
        if len(kept) == len(cell.posts):
            continue
        on_time = sum(1 for p in kept if not p.late)
        status = decide(on_time, len(kept) - on_time, needed, cell.reason, q.end, as_of)
        cells[q] = ReportedQuarter(q, status, len(kept), cell.reason, kept)
    failing = any(c.status.failing for c in cells.values()) or bool(result.missing_observances)
    state = SchoolState.MISSING if failing else result.state
    named = tuple(f"{url} ({dead[url]})" for url in dict.fromkeys(failed))
    return replace(result, cells=cells, state=state, failed_posts=named)


# --- one feed or sitemap -------------------------------------------------------------------------


def judge_source(
    school: School,
    read: Listing | FetchFailure | SourceError,
    log: Log,
    rules: Rules,
    today: date,
) -> SchoolResult:
    """A feed or sitemap school's verdicts, from what the district has seen of it (``log``, this
    read already recorded)."""
    tz = rules.timezone
    if not isinstance(read, Listing) and not log.items:  # nothing ever seen: the failure alone
        problem = str(read) if isinstance(read, SourceError) else read.message
        return SchoolResult(school, SchoolState.of(read.kind), problem=problem)
    dated = read.dated if isinstance(read, Listing) else True
    notes: list[str] = list(read.notes) if isinstance(read, Listing) else []
    if log.damaged:
        notes.append(
            f"nhật ký quan sát có {len(log.damaged)} dòng không đọc được (bỏ qua; {log.damaged[0]}): "
            "các quý tính theo ngày ghi trên bài"
        )
    trusted = log.trusted and log.started is not None
    checked_from = Quarter.of(log.started.astimezone(tz).date()) if trusted and log.started else None
    oldest = log.oldest if dated else (log.started.astimezone(tz).date() if log.started else None)
    if isinstance(read, Listing) and read.oldest is not None and dated:
        oldest = read.oldest if oldest is None else min(oldest, read.oldest)

    # An item the log's first run could have shown (dated no earlier than the oldest item it did
    # show) that appeared only in a later run was added since, whatever day it declares: a post
    # backdated into a quarter before the log began is judged by when the district first saw it.
    # The first run is the log's first complete read (not a failed night, nor a sitemap index
    # some of whose sitemaps did not answer); an item on the horizon's own day may have been
    # hidden by a feed's cap, so only items dated after it count as added.
    first_read = log.first_read
    shown_first = [s.day for s in log.items.values() if s.day and first_read and s.first_seen <= first_read]
    horizon = min(shown_first) if trusted and dated and shown_first else None

    def added_later(day: date, post: ReportedPost) -> bool:
        assert post.published_at is not None
        return (
            horizon is not None
            and first_read is not None
            and day > horizon
            and post.published_at > first_read
        )

    # Every item ever seen, on its declared day (or the day first seen, where the source has no dates).
    posts: list[tuple[date, ReportedPost]] = []
    for seen in log.items.values():
        first = seen.first_seen.astimezone(tz)
        day = seen.day if (dated and seen.day is not None) else first.date()
        posts.append((day, ReportedPost(seen.title, day.isoformat(), seen.url, first, False)))
    posts.sort(key=lambda p: (p[0], p[1].url or ""))

    current = Quarter.of(today)
    first_quarter = school.start or rules.start or (Quarter.of(oldest) if oldest else current)
    first_quarter = min(first_quarter, current)
    cells: dict[Quarter, ReportedQuarter] = {}
    unknown: set[Quarter] = set()

    def period(start: date, end: date, checked: bool, needed: int) -> tuple[Status, tuple[ReportedPost, ...]]:
        found = []
        for day, post in posts:
            if start <= day <= end:
                assert post.published_at is not None
                late = (checked or added_later(day, post)) and is_late(
                    post.published_at.date(), end, rules.late_grace_days
                )
                found.append(replace(post, late=late))
        on_time = sum(1 for p in found if not p.late)
        return decide(on_time, len(found) - on_time, needed, None, end, today), tuple(found)

    def judgeable(status: Status, start: date) -> bool:
        return not status.failing or (oldest is not None and oldest <= start)

    for q in quarter_range(first_quarter, current):
        checked = checked_from is not None and q >= checked_from
        status, found = period(q.start, q.end, checked, rules.min_posts)
        if judgeable(status, q.start):
            cells[q] = ReportedQuarter(q, status, len(found), None, found)
        else:
            unknown.add(q)
    observances = []
    for year in range(first_quarter.year, today.year + 1):
        start, end = rules.action_month.period(year)
        if start > today:
            continue
        checked = checked_from is not None and Quarter.of(end) >= checked_from
        status, found = period(start, end, checked, 1)
        if judgeable(status, start):
            observances.append(ReportedObservance(ACTION_MONTH, year, status, True, len(found)))
    if unknown:
        notes.append(INSUFFICIENT_WHY_SITEMAP if school.kind is SourceKind.SITEMAP else INSUFFICIENT_WHY)
    if checked_from is not None and first_quarter < checked_from:
        notes.append(
            f"bài của các quý trước {checked_from.label} tính theo ngày ghi trên bài ({NOT_CHECKED}): "
            f"Phòng bắt đầu ghi nhật ký quan sát ngày {format_short(log.started.astimezone(tz).date())}"
            if log.started
            else ""
        )
    result = SchoolResult(
        school,
        SchoolState.OK,
        cells=cells,
        observances=tuple(observances),
        insufficient=frozenset(unknown),
        judged_from=oldest,
        checked_from=checked_from,
        notes=tuple(n for n in notes if n),
    )
    if isinstance(read, FetchFailure):
        return replace(result, state=SchoolState.of(read.kind), problem=read.message)
    if isinstance(read, SourceError):
        return replace(result, state=SchoolState.of(read.kind), problem=str(read))
    return replace(result, state=SchoolState.MISSING if result.shortfalls else SchoolState.OK)


def read_source(school: School, body: bytes, tz: ZoneInfo) -> Listing | SitemapIndex | SourceError:
    """The bytes of a feed or sitemap, read; never raises for what a school's server sends."""
    try:
        if school.kind is SourceKind.FEED:
            return sources.read_feed(body, tz)
        return sources.read_sitemap(body, tz, school.path, school.published_dates)
    except SourceError as exc:
        return exc
    except Exception:  # noqa: BLE001 - one school's file, however odd, never stops the others
        return SourceError("invalid", "nguồn tin không đọc được (lỗi bất ngờ)")


# --- the roll-up ---------------------------------------------------------------------------------


def roll_up(
    schools: Sequence[School],
    bodies: Sequence[bytes | FetchFailure],
    today: date,
    rules: Rules | None = None,
) -> RollUp:
    """Reports only (no network, no log): the verdicts their bodies give."""
    results = [judge(school, body, today) for school, body in zip(schools, bodies, strict=True)]
    return summarise(results, today, rules or default_rules())


@dataclass
class Span:
    """What the shares must know of every school before counting any: the first quarter a school
    shows, and the years of the Action Months the schools report."""

    first: Quarter | None = None
    years: set[int] = field(default_factory=set)

    def add(self, r: SchoolResult) -> None:
        for earliest in (min(r.cells, default=None), min(r.insufficient, default=None)):
            if earliest is not None and (self.first is None or earliest < self.first):
                self.first = earliest
        self.years.update(o.year for o in r.observances if o.name == ACTION_MONTH)


def summarise(
    results: Iterable[SchoolResult],
    today: date,
    rules: Rules,
    notes: Sequence[str] = (),
    span: Span | None = None,
) -> RollUp:
    """The shares of every period, the states and "Sắp đến hạn", from the judged schools (``results``
    may be a ``Spill``) read once, after their ``span`` (read first when not given)."""
    current = Quarter.of(today)
    if span is None:
        span = Span()
        for r in results:
            span.add(r)
    first = current if span.first is None else span.first
    years = span.years

    def start(r: SchoolResult) -> Quarter | None:
        """The first quarter the schools list (or ``--start``) asks of this school: none before it."""
        return r.school.start or (rules.start if r.school.kind is not SourceKind.REPORT else None)

    quarters = list(quarter_range(first, current))
    asked, good, unknown = [0] * len(quarters), [0] * len(quarters), [0] * len(quarters)
    periods = {year: rules.action_month.period(year) for year in sorted(years)}
    month_asked, held, month_unknown = Counter[int](), Counter[int](), Counter[int]()
    states = Counter[SchoolState]()
    soon: list[DueSoon] = []
    out = Spill()
    for r in results:
        since = start(r)
        # A feed or sitemap school says nothing of the quarters before what it shows: not judged there.
        if r.school.kind is not SourceKind.REPORT and r.cells and min(r.cells) > max(first, since or first):
            before = quarter_range(max(first, since or first), min(r.cells).previous())
            r = replace(r, insufficient=r.insufficient | set(before))
        out.append(r)
        states[r.state] += 1
        soon.extend(due(r, today, rules))
        for column, q in enumerate(quarters):
            unknown[column] += q in r.insufficient
            if since is None or q >= since:
                asked[column] += 1
                good[column] += q in r.cells and r.cells[q].status.met
        for year, (_, end) in periods.items():
            if since is None or Quarter.of(end) >= since:
                month_asked[year] += 1
                held[year] += (status := r.held(year)) is not None and status.met
                # A feed or sitemap school whose source does not reach that year's Action Month is not
                # judged; a school never read counts as not holding it, as it counts for every quarter.
                month_unknown[year] += r.month_unknown(year)
    shares = [
        QuarterShare(q, asked[i] - unknown[i], good[i], running=q == current, insufficient=unknown[i])
        for i, q in enumerate(quarters)
    ]
    months = [
        ActionMonthShare(
            Quarter.of(end),
            month_asked[year] - month_unknown[year],
            held[year],
            begins <= today <= end,
            month_unknown[year],
            year=year,
        )
        for year, (begins, end) in periods.items()
    ]
    soon.sort(key=lambda d: (d.days_left, d.name, d.period))
    return RollUp(today, out, shares, months, rules=rules, notes=list(notes), states=states, due_soon=soon)


@dataclass
class _Run:
    """One roll-up being made: the judged schools' records, and what the run says."""

    schools: list[School]
    spill: Spill = field(default_factory=Spill)
    notes: list[tuple[tuple[bool, int], str]] = field(default_factory=list)  # sorted as listed before
    fed: bool = False  # a feed or sitemap school was read
    all_new: bool = True  # every feed's and sitemap's log starts with this run
    span: Span = field(default_factory=Span)

    def keep(self, result: SchoolResult) -> int:
        """Checked: from here on a school is what the outputs read, on disk; what stays in memory
        is where its record starts."""
        self.span.add(result)
        return self.spill.write(compact(result))

    def saved(self, index: int, log: Log, record: bool) -> None:
        if record and (failure := log.save()):
            self.notes.append(((self.schools[index].kind is SourceKind.REPORT, index), failure))


def collect(
    schools_path: Path,
    today: date,
    limits: FetchLimits,
    rules: Rules | None = None,
    observations_dir: Path | None = None,
    record: bool = False,
    at: datetime | None = None,
) -> RollUp:
    """Read every school's source, check reports' posts, judge, and (``record``) append to the log.

    One pass of ``fetch_each``'s workers: each school is read, judged (a report's posts checked,
    a sitemap index's sitemaps read, by the same worker), its log saved and its result written to
    the spill before the worker takes the next school; nothing of it stays in memory but where
    its record starts.
    """
    rules = rules or default_rules()
    tz = rules.timezone
    at = at or observations.now(tz)
    folder = observations_dir or schools_path.parent / "observations"
    schools = load_schools(schools_path)
    run = _Run(schools)

    def digest(index: int, body: bytes | FetchFailure) -> int | Check[int] | Follow[int]:
        school = schools[index]
        if school.kind is SourceKind.REPORT:
            return checked(index, judge(school, body, today))
        if isinstance(body, FetchFailure):
            return source_judged(index, body)
        read = read_source(school, body, tz)
        if isinstance(read, SitemapIndex):  # followed one level: its sitemaps on its own host
            children = [
                urljoin(school.report, c) for c in read.children if sources.child_allowed(school.report, c)
            ]
            return Follow(children, lambda bodies: source_judged(index, _merged(school, bodies, tz)))
        return source_judged(index, read)

    def source_judged(index: int, read: Listing | SourceError | FetchFailure) -> int:
        school = schools[index]
        log = observations.load(observations.log_path(folder, school.name), at)
        if isinstance(read, Listing):
            log.record_read(read, at)
        else:
            log.record_failure(str(read) if isinstance(read, SourceError) else read.message, at)
        start = run.keep(judge_source(school, read, log, rules, today))
        run.fed, run.all_new = True, run.all_new and log.started == at
        run.saved(index, log, record)
        return start

    def checked(index: int, result: SchoolResult) -> int | Check[int]:
        """Each post that fills a report's quarter must answer HTTP 200 from the report's own host.

        An address checked earlier the same day (the school's own log says so) is not asked again.
        What a school's own rules say of an address (another host, its log's answer of today) stays
        that school's: a report that lists another school's posts never fails that school's.
        """
        school = schools[index]
        urls = list(dict.fromkeys(posts_to_check(result, today))) if is_url(school.report) else []
        if not urls:
            return run.keep(result)
        log = observations.load(observations.log_path(folder, school.name), at)
        host = urlsplit(school.report).hostname
        found: dict[str, str | None] = {}  # address → why it fails, or None
        ask: list[str] = []
        for url in urls:
            if urlsplit(url).hostname != host:
                found[url] = f"không ở máy chủ của trường ({host})"
                continue
            earlier = log.checked_today(url, at.astimezone(tz).date(), tz) if log.trusted else None
            if earlier is not None:
                found[url] = None if earlier[0] == 200 else (earlier[1] or f"HTTP {earlier[0]}")
            else:
                ask.append(url)

        def answered(statuses: list[int | FetchFailure]) -> int:
            for url, status in zip(ask, statuses, strict=True):
                why = status.message if isinstance(status, FetchFailure) else None
                why = why or (None if status == 200 else f"máy chủ trả về HTTP {status}")
                found[url] = why
                log.record_check(url, status if isinstance(status, int) else None, why, at)
            dead = {url: why for url in urls if (why := found[url]) is not None}
            start = run.keep(without_dead_posts(result, dead, today) if dead else result)
            run.saved(index, log, record)
            return start

        return Check(ask, answered) if ask else answered([])

    run.spill.put_in_order(fetch_each([s.report for s in schools], schools_path.parent, limits, digest))
    notes = [note for _, note in sorted(run.notes)]
    if record and run.fed and run.all_new:
        notes.append(
            f"Nhật ký quan sát bắt đầu từ hôm nay ({format_short(at.date())}): từ nay, bài nào Phòng "
            "thấy lần đầu sau khi quý kết thúc (và quá số ngày cho phép) là bổ sung muộn."
        )
    rollup = summarise(run.spill, today, rules, notes, run.span)
    run.spill.close()  # read again into the roll-up's own, in order
    return rollup


def _merged(
    school: School, bodies: list[bytes | FetchFailure], tz: ZoneInfo
) -> Listing | SourceError | FetchFailure:
    """A sitemap index's sitemaps, read as one."""
    listings: list[Listing] = []
    problem: SourceError | FetchFailure | None = None
    for body in bodies:
        read = body if isinstance(body, FetchFailure) else read_source(school, body, tz)
        if isinstance(read, Listing):
            listings.append(read)
        elif not isinstance(read, SitemapIndex):
            problem = problem or read
    if listings:
        # Some sitemaps missing: what this read lacks says nothing of when posts appeared.
        return replace(sources.merge(listings), complete=problem is None)
    return problem or SourceError("unreadable", "chỉ mục sitemap không có sitemap nào trên cùng máy chủ")


# --- outputs -------------------------------------------------------------------------------------


def school_json(rollup: RollUp, r: SchoolResult) -> dict[str, Any]:
    """One school as district.json lists it."""
    return {
        "name": r.school.name,
        "source": str(r.school.kind),
        "report": r.school.report,
        "state": str(r.state),
        "as_of": r.as_of.isoformat() if r.as_of else None,
        "stale": r.stale,
        "problem": r.problem,
        "judged_from": r.judged_from.isoformat() if r.judged_from else None,
        "quarters": {s.quarter.key: v for s in rollup.quarters if (v := r.verdict(s.quarter)) is not None},
        "missing_observances": [{"name": o.name, "year": o.year} for o in r.missing_observances],
        "failed_posts": list(r.failed_posts),
        "notes": list(r.notes),
    }


def _json(value: object, depth: int) -> str:
    """``value`` as ``json.dumps(…, indent=2)`` writes it ``depth`` levels down a document."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)


def json_chunks(rollup: RollUp) -> Iterator[str]:
    """district.json a school at a time: the same text as ``json.dumps`` of the whole (indent 2),
    never the whole in memory."""
    yield "{\n"
    head = {"schema_version": 3, "as_of": rollup.as_of.isoformat(), "target": rollup.target}
    for key, value in head.items():
        yield f'  "{key}": {_json(value, 1)},\n'
    yield '  "schools": ['
    empty = True
    for r in rollup.schools:
        yield ("\n    " if empty else ",\n    ") + _json(school_json(rollup, r), 2)
        empty = False
    yield "]" if empty else "\n  ]"
    tail = {
        "quarters": [
            {
                "quarter": s.quarter.key,
                "schools": s.schools,
                "ok_or_excused": s.ok_or_excused,
                "insufficient": s.insufficient,
                "share": round(s.share, 4),
                "percent": s.percent,
            }
            for s in rollup.quarters
        ],
        "action_months": [
            {"year": m.year, "schools": m.schools, "held": m.ok_or_excused, "share": round(m.share, 4)}
            for m in rollup.action_months
        ],
        "due_soon": [
            {"name": d.name, "period": d.period, "end": d.end.isoformat(), "days_left": d.days_left}
            for d in rollup.due_soon
        ],
        "notes": rollup.notes,
    }
    for key, value in tail.items():
        yield f',\n  "{key}": {_json(value, 1)}'
    yield "\n}\n"


def json_text(rollup: RollUp) -> str:
    return "".join(json_chunks(rollup))


def csv_chunks(rollup: RollUp) -> Iterator[str]:
    """One row a school, one column a quarter, for Excel on Windows: UTF-8 with a BOM, CRLF,
    Vietnamese words, and the shares as whole numbers (schools, and floored per cent) that
    every regional format reads as numbers. Written a row at a time."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")

    def written() -> str:
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text

    yield "\ufeff"
    header, rows = rollup.school_table()
    writer.writerow(header)
    for row in rows:  # dates as ISO, which every regional format reads as a date
        writer.writerow([v.isoformat() if isinstance(v, date) else cell_safe(v or "") for v in row])
        yield written()
    blank = ["", "", ""]
    writer.writerow(["Số trường đạt hoặc được miễn", *blank, *(s.ok_or_excused for s in rollup.quarters)])
    writer.writerow([JUDGED, *blank, *(s.schools for s in rollup.quarters)])
    writer.writerow(["Tỉ lệ (%)", *blank, *(s.whole_percent for s in rollup.quarters)])
    writer.writerow(["Không đủ dữ liệu", *blank, *(s.insufficient for s in rollup.quarters)])
    if rollup.action_months:
        writer.writerow([])
        writer.writerow(["Tháng hành động", "Số trường tổ chức", JUDGED, "Tỉ lệ (%)"])
        for m in rollup.action_months:
            writer.writerow([m.year, m.ok_or_excused, m.schools, m.whole_percent])
    writer.writerow([])
    writer.writerow(["Sắp đến hạn", "Kỳ", "Hạn cuối", "Còn (ngày)"])
    for d in rollup.due_soon:
        writer.writerow([cell_safe(d.name), d.period, d.end.isoformat(), d.days_left])
    yield written()


def csv_text(rollup: RollUp) -> str:
    return "".join(csv_chunks(rollup))


def text_lines(rollup: RollUp) -> Iterator[str]:
    """The command's table for a person, a line at a time."""
    yield f"Tổng hợp chuyên mục bình đẳng giới, tính đến {format_day(rollup.as_of)}\n"
    yield (
        f"{len(rollup.schools)} trường: "
        + ", ".join(f"{rollup.count(state)} {state.word.lower()}" for state in SchoolState)
        + "\n"
    )
    yield from (f"{note}\n" for note in rollup.notes)
    yield "\n"
    width = max((len(r.school.name) for r in rollup.schools), default=10)
    for r in rollup.schools:
        detail = r.detail
        if r.stale and r.state is SchoolState.MISSING:
            detail += " (báo cáo cũ)"
        yield f"{_printable(r.school.name):<{width}}  {r.state.word:<20}  {r.source_word:<17}  {_printable(detail)}\n"
        for note in r.notes:
            yield f"{'':<{width}}  - {_printable(note)}\n"
    yield f"\n{'Quý':<14}  Đạt/miễn  Tỉ lệ (mục tiêu 100%)\n"
    for s in rollup.quarters:
        running = "  (đang diễn ra)" if s.running else ""
        unknown = f"  ({s.insufficient} trường không đủ dữ liệu)" if s.insufficient else ""
        yield f"{s.label:<14}  {s.ok_or_excused:>3}/{s.schools:<4}  {s.percent}{running}{unknown}\n"
    if rollup.action_months:
        yield f"\n{ACTION_MONTH} ({rollup.action_month_days}): số trường tổ chức\n"
        for m in rollup.action_months:
            running = "  (đang diễn ra)" if m.running else ""
            yield f"{m.year:<14}  {m.ok_or_excused:>3}/{m.schools:<4}  {m.percent}{running}\n"
    if rollup.due_soon:
        yield "\nSắp đến hạn (chưa có bài):\n"
        for d in rollup.due_soon:
            yield f"{_printable(d.name):<{width}}  {d.period}, còn {d.days_left} ngày (đến {format_short(d.end)})\n"


def text_table(rollup: RollUp) -> str:
    return "".join(text_lines(rollup))


def _printable(text: str) -> str:
    """No terminal control characters from a report or a list reach the auditor's screen."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def markdown_lines(rollup: RollUp) -> Iterator[str]:
    def esc(text: str) -> str:
        return _printable(text).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")

    yield from (
        "## Tổng hợp chuyên mục bình đẳng giới các trường\n",
        "\n",
        f"Tính đến ngày {format_day(rollup.as_of)}; mục tiêu: 100% trường có bài mỗi quý.\n",
        "\n",
        "| Trường | Nguồn | Tình trạng | Báo cáo ngày | Còn thiếu |\n",
        "|---|---|---|---|---|\n",
    )
    for r in rollup.schools:
        missing = esc(", ".join(r.shortfalls)) or (esc(r.problem) if r.problem else "")
        day = format_short(r.as_of) if r.as_of else ""
        yield f"| {esc(r.school.name)} | {r.source_word} | {r.state.word} | {day} | {missing} |\n"
    yield "\n| Quý | Đạt hoặc được miễn | Tỉ lệ | Không đủ dữ liệu |\n|---|---:|---:|---:|\n"
    for s in rollup.quarters:
        yield f"| {s.label} | {s.ok_or_excused}/{s.schools} | {s.percent} | {s.insufficient} |\n"
    if rollup.action_months:
        yield "\n| Tháng hành động | Số trường tổ chức | Tỉ lệ |\n|---|---:|---:|\n"
        for m in rollup.action_months:
            yield f"| {m.year} | {m.ok_or_excused}/{m.schools} | {m.percent} |\n"
    if rollup.due_soon:
        yield "\n| Sắp đến hạn | Kỳ | Còn (ngày) |\n|---|---|---:|\n"
        for d in rollup.due_soon:
            yield f"| {esc(d.name)} | {d.period} | {d.days_left} |\n"


def markdown_table(rollup: RollUp) -> str:
    return "".join(markdown_lines(rollup))


# Each form a piece at a time: the command writes each piece as it is made.
FORMATS: dict[str, Callable[[RollUp], Iterable[str]]] = {
    "text": text_lines,
    "json": json_chunks,
    "csv": csv_chunks,
    "markdown": markdown_lines,
}


# --- the command ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    messages.vietnamese_argparse()
    parser = argparse.ArgumentParser(
        prog="python -m hooks.district",
        description="Tổng hợp chuyên mục bình đẳng giới của các trường (báo cáo, RSS/Atom hoặc sitemap).",
    )
    parser.add_argument(
        "--schools",
        metavar="TỆP",
        help=f"danh sách trường (mặc định extra.district.schools của tệp cấu hình, hoặc {DEFAULT_SCHOOLS})",
    )
    parser.add_argument(
        "--format", choices=sorted(FORMATS), default="text", help="dạng kết quả (mặc định text)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="GIÂY",
        help="giây chờ kết nối và chờ dữ liệu (mặc định 10)",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=2,
        metavar="SỐ_LẦN",
        help="số lần thử lại khi không kết nối được (mặc định 2)",
    )
    parser.add_argument("--as-of", metavar="NGÀY", help="tính đến ngày YYYY-MM-DD (mặc định: hôm nay)")
    parser.add_argument(
        "--config",
        default="mkdocs.yml",
        metavar="TỆP",
        help="tệp cấu hình, để lấy múi giờ và số ngày cho phép đăng muộn (mặc định mkdocs.yml)",
    )
    parser.add_argument(
        "--observations",
        metavar="THƯ_MỤC",
        help="thư mục nhật ký quan sát (mặc định: thư mục observations cạnh danh sách trường)",
    )
    parser.add_argument(
        "--start",
        metavar="QUÝ",
        help="quý bắt đầu tính cho trường không gửi báo cáo, dạng YYYY-Qn (mặc định: quý của bài cũ nhất thấy được)",
    )
    args = parser.parse_args(argv)
    if not args.timeout > 0 or args.retries < 0:
        print("Lỗi: --timeout phải lớn hơn 0 và --retries không âm", file=sys.stderr)
        return 2
    try:
        config_path = Path(args.config)
        # The schools list works without a site config: the zone is then the default one.
        extra, root = (
            read_extra(config_path)[1:] if config_path.exists() else ({}, config_path.resolve().parent)
        )
        start = quarter(args.start, "--start") if args.start else None
        rules = Rules.of(extra, root, start)
        office = district_settings(extra, root)
        schools = Path(args.schools) if args.schools else office.schools if office else Path(DEFAULT_SCHOOLS)
        as_of = day_option(args.as_of, "--as-of", column_settings(extra, root).timezone)
        rollup = collect(
            schools,
            as_of,
            FetchLimits(timeout=args.timeout, retries=args.retries),
            rules,
            Path(args.observations) if args.observations else None,
            record=True,
        )
    except (SettingsError, DateError, SchoolsError, SpillError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    for piece in FORMATS[args.format](rollup):
        sys.stdout.write(piece)
    return 0 if rollup.ok else 1


if __name__ == "__main__":
    sys.exit(main())
