"""District roll-up: every school's coverage.json, side by side, against the 100% target.

The district plan's target is that every school's website carries the column every
quarter. Each school publishes ``bao-cao/coverage.json``; ``coverage_json.py`` reads and checks
each one (a report is untrusted input), ``fetch.py`` gets the bytes, and this module
sums them up per quarter. A school whose report cannot be
fetched, is not JSON, has another schema or contradicts itself is shown as such and
never counted as ok. No MkDocs here: ``python -m hooks.district`` runs it alone.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import yaml

from . import coverage_json, messages
from .coverage_json import ReportedObservance, ReportedQuarter, ReportError
from .dates import DateError, format_day, format_short
from .fetch import FetchFailure, FetchLimits, fetch_all, is_url
from .listings import quarter_anchor
from .quarters import Quarter, quarter_range
from .settings import ACTION_MONTH, DEFAULT_SCHOOLS, SettingsError, column_settings, day_option, read_extra
from .verdicts import Status


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
    INVALID = ("invalid", "Báo cáo không hợp lệ", True)


class SchoolsError(ValueError):
    """The schools list itself is wrong; the message names the file and the entry."""


@dataclass(frozen=True)
class School:
    name: str
    report: str  # URL or path as written in the list


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
    problem: str | None = None  # why unreachable or invalid
    stale: bool = False
    observances: tuple[ReportedObservance, ...] = ()

    @property
    def word(self) -> str:
        """The state, and that the report is old when that is not already the state."""
        stale = self.stale and self.state is not SchoolState.STALE
        return f"{self.state.word} (báo cáo cũ)" if stale else self.state.word

    @property
    def as_of_short(self) -> str:
        return format_short(self.as_of) if self.as_of else "—"

    @property
    def link(self) -> str | None:
        """The school's report page, when its report is on the web."""
        if is_url(self.school.report):
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
        return [q.label for q in self.missing] + [f"{o.name} {o.year}" for o in self.missing_observances]

    def cell(self, quarter: Quarter, today: date) -> Cell:
        reported = self.cells.get(quarter)
        if reported is None:
            return NO_CELL
        link = f"{self.link}#{quarter_anchor(quarter)}" if self.link else None
        if reported.status is Status.DUE and quarter.end < today:
            # The quarter has ended since the report was made: its verdict is not known.
            return Cell("Chưa có kết quả", "stale", link)
        return Cell(reported.word, reported.css, link)

    def held(self, year: int) -> Status | None:
        """This school's Action Month verdict of ``year``, if its report has one."""
        return next((o.status for o in self.observances if o.name == ACTION_MONTH and o.year == year), None)


@dataclass(frozen=True)
class QuarterShare:
    quarter: Quarter
    schools: int
    ok_or_excused: int
    running: bool = False  # the quarter has not ended: schools without a post yet are not short

    @property
    def share(self) -> float:
        return self.ok_or_excused / self.schools if self.schools else 0.0

    @property
    def percent(self) -> str:
        return f"{math.floor(self.share * 1000) / 10:g}%"  # floored: 99.96% never shows as 100%

    @property
    def whole_percent(self) -> int:
        """The share in whole per cent, floored: a number every spreadsheet reads the same."""
        return math.floor(self.share * 100)

    @property
    def label(self) -> str:
        return self.quarter.label

    @property
    def shortfall(self) -> str:
        short = self.schools - self.ok_or_excused
        if not short:
            return "Đạt 100%"
        return "Quý đang diễn ra" if self.running else f"{short} trường"


@dataclass(frozen=True)
class ActionMonthShare(QuarterShare):
    """The share of schools that held one year's Action Month (15/11-15/12)."""

    year: int = 0

    @property
    def label(self) -> str:
        return f"{ACTION_MONTH} {self.year}"

    @property
    def shortfall(self) -> str:
        short = self.schools - self.ok_or_excused
        if not short:
            return "Đạt 100%"
        return "Đang diễn ra" if self.running else f"{short} trường"


@dataclass
class RollUp:
    as_of: date
    schools: list[SchoolResult]
    quarters: list[QuarterShare]
    action_months: list[ActionMonthShare] = field(default_factory=list)
    target: float = 1.0

    @property
    def ok(self) -> bool:
        """False when any school misses a quarter or can't be read: the command's exit status."""
        return not any(s.state.failing for s in self.schools)

    def count(self, state: SchoolState) -> int:
        return sum(1 for s in self.schools if s.state is state)

    @property
    def short(self) -> list[SchoolResult]:
        """Schools that miss a required quarter or observance."""
        return [s for s in self.schools if s.shortfalls]

    @property
    def troubled(self) -> list[SchoolResult]:
        """Schools whose report could not be used, with why."""
        return [s for s in self.schools if s.problem]


# --- the schools list ----------------------------------------------------------------------------


def load_schools(path: Path) -> list[School]:
    """``data/schools.yml``: a list of {name, report}."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SchoolsError(f"không đọc được danh sách trường {path} ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise SchoolsError(f"{path}: hãy lưu tệp dạng UTF-8") from None
    except yaml.YAMLError as exc:
        raise SchoolsError(f"{path} không phải YAML hợp lệ: {exc}") from None
    if not isinstance(data, list):
        raise SchoolsError(f"{path} phải là một danh sách, mỗi mục có 'name:' và 'report:'")
    schools = []
    seen: dict[str, int] = {}
    for number, item in enumerate(data, start=1):
        where = f"{path}, mục {number}"
        if not isinstance(item, Mapping):
            raise SchoolsError(f"{where}: cần 'name:' và 'report:'")
        name, report = item.get("name"), item.get("report")
        if not isinstance(name, str) or not name.strip():
            raise SchoolsError(f"{where}: thiếu 'name:' (tên trường)")
        if not isinstance(report, str) or not report.strip():
            raise SchoolsError(f"{where} ({name}): thiếu 'report:' (địa chỉ coverage.json của trường)")
        unknown = set(item) - {"name", "report"}
        if unknown:
            raise SchoolsError(f"{where} ({name}): khóa lạ {', '.join(sorted(map(str, unknown)))}")
        key = " ".join(name.split()).casefold()
        if key in seen:
            raise SchoolsError(f"{where}: '{name}' đã có ở mục {seen[key]}")
        seen[key] = number
        schools.append(School(" ".join(name.split()), report.strip()))
    return schools


# --- one report ----------------------------------------------------------------------------------


def is_stale(as_of: date, today: date) -> bool:
    """A report is stale when it has no final verdict for the last quarter that has ended.

    A quarter's verdict is final only when the report was made after the quarter's last
    day: a report of that very day still shows the quarter as in progress.
    """
    return as_of <= Quarter.of(today).previous().end


def judge(school: School, body: bytes | FetchFailure, today: date) -> SchoolResult:
    if isinstance(body, FetchFailure):
        return SchoolResult(school, SchoolState.of(body.kind), problem=body.message)
    try:
        report = coverage_json.loads(body, today)
    except ReportError as exc:
        return SchoolResult(school, SchoolState.INVALID, problem=str(exc))
    except Exception as exc:  # noqa: BLE001 - one school's report, however odd, never stops the others
        return SchoolResult(
            school, SchoolState.INVALID, problem=f"báo cáo không đọc được ({type(exc).__name__})"
        )
    stale = is_stale(report.as_of, today)
    state = SchoolState.MISSING if not report.complete else SchoolState.STALE if stale else SchoolState.OK
    return SchoolResult(
        school, state, report.as_of, report.quarters, stale=stale, observances=report.observances
    )


def roll_up(schools: Sequence[School], bodies: Sequence[bytes | FetchFailure], today: date) -> RollUp:
    results = [judge(school, body, today) for school, body in zip(schools, bodies, strict=True)]
    current = Quarter.of(today)
    firsts = [min(r.cells) for r in results if r.cells]
    first = min(firsts, default=current)
    shares = []
    for quarter in quarter_range(first, current):
        good = sum(1 for r in results if quarter in r.cells and r.cells[quarter].status.met)
        shares.append(QuarterShare(quarter, len(results), good, running=quarter == current))
    years = sorted({o.year for r in results for o in r.observances if o.name == ACTION_MONTH})
    months = []
    for year in years:
        held = sum(1 for r in results if (status := r.held(year)) is not None and status.met)
        running = date(year, 11, 15) <= today <= date(year, 12, 15)
        months.append(ActionMonthShare(Quarter(year, 4), len(results), held, running, year))
    return RollUp(today, results, shares, months)


def collect(schools_path: Path, today: date, limits: FetchLimits) -> RollUp:
    schools = load_schools(schools_path)
    bodies = fetch_all([s.report for s in schools], schools_path.parent, limits)
    return roll_up(schools, bodies, today)


# --- outputs -------------------------------------------------------------------------------------


def to_json(rollup: RollUp) -> dict[str, Any]:
    return {
        "schema_version": 2,
        "as_of": rollup.as_of.isoformat(),
        "target": rollup.target,
        "schools": [
            {
                "name": r.school.name,
                "report": r.school.report,
                "state": str(r.state),
                "as_of": r.as_of.isoformat() if r.as_of else None,
                "stale": r.stale,
                "problem": r.problem,
                "quarters": {q.key: str(c.status) for q, c in r.cells.items()},
                "missing_observances": [{"name": o.name, "year": o.year} for o in r.missing_observances],
            }
            for r in rollup.schools
        ],
        "quarters": [
            {
                "quarter": s.quarter.key,
                "schools": s.schools,
                "ok_or_excused": s.ok_or_excused,
                "share": round(s.share, 4),
            }
            for s in rollup.quarters
        ],
        "action_months": [
            {"year": m.year, "schools": m.schools, "held": m.ok_or_excused, "share": round(m.share, 4)}
            for m in rollup.action_months
        ],
    }


def json_text(rollup: RollUp) -> str:
    return json.dumps(to_json(rollup), ensure_ascii=False, indent=2) + "\n"


def csv_text(rollup: RollUp) -> str:
    """One row a school, one column a quarter, for Excel on Windows: UTF-8 with a BOM, CRLF,
    Vietnamese words, and the shares as whole numbers (schools, and floored per cent) that
    every regional format reads as numbers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["Trường", "Địa chỉ báo cáo", "Tình trạng", "Báo cáo ngày", *(s.label for s in rollup.quarters)]
    )
    for r in rollup.schools:
        row = [
            _cell_safe(r.school.name),
            _cell_safe(r.school.report),
            r.word,
            r.as_of.isoformat() if r.as_of else "",
        ]
        writer.writerow(row + [r.cell(s.quarter, rollup.as_of).word for s in rollup.quarters])
    blank = ["", "", ""]
    writer.writerow(["Số trường đạt hoặc được miễn", *blank, *(s.ok_or_excused for s in rollup.quarters)])
    writer.writerow(["Tổng số trường", *blank, *(s.schools for s in rollup.quarters)])
    writer.writerow(["Tỉ lệ (%)", *blank, *(s.whole_percent for s in rollup.quarters)])
    if rollup.action_months:
        writer.writerow([])
        writer.writerow(["Tháng hành động", "Số trường tổ chức", "Tổng số trường", "Tỉ lệ (%)"])
        for m in rollup.action_months:
            writer.writerow([m.year, m.ok_or_excused, m.schools, m.whole_percent])
    return "\ufeff" + out.getvalue()


def _cell_safe(text: str) -> str:
    """A name starting with = + - @ would be a formula in a spreadsheet."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def text_table(rollup: RollUp) -> str:
    lines = [
        f"Tổng hợp chuyên mục bình đẳng giới, tính đến {format_day(rollup.as_of)}",
        f"{len(rollup.schools)} trường: "
        + ", ".join(f"{rollup.count(state)} {state.word.lower()}" for state in SchoolState),
        "",
    ]
    width = max((len(r.school.name) for r in rollup.schools), default=10)
    for r in rollup.schools:
        detail = r.problem or (
            "thiếu " + ", ".join(r.shortfalls) if r.shortfalls else f"báo cáo ngày {r.as_of_short}"
        )
        if r.stale and r.state is SchoolState.MISSING:
            detail += " (báo cáo cũ)"
        lines.append(f"{_printable(r.school.name):<{width}}  {r.state.word:<20}  {_printable(detail)}")
    lines += ["", f"{'Quý':<14}  Đạt/miễn  Tỉ lệ (mục tiêu 100%)"]
    for s in rollup.quarters:
        running = "  (đang diễn ra)" if s.running else ""
        lines.append(f"{s.label:<14}  {s.ok_or_excused:>3}/{s.schools:<4}  {s.percent}{running}")
    if rollup.action_months:
        lines += ["", "Tháng hành động vì bình đẳng giới (15/11-15/12): số trường tổ chức"]
        for m in rollup.action_months:
            running = "  (đang diễn ra)" if m.running else ""
            lines.append(f"{m.year:<14}  {m.ok_or_excused:>3}/{m.schools:<4}  {m.percent}{running}")
    return "\n".join(lines) + "\n"


def _printable(text: str) -> str:
    """No terminal control characters from a report or a list reach the auditor's screen."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def markdown_table(rollup: RollUp) -> str:
    def esc(text: str) -> str:
        return _printable(text).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")

    lines = [
        "## Tổng hợp chuyên mục bình đẳng giới các trường",
        "",
        f"Tính đến ngày {format_day(rollup.as_of)}; mục tiêu: 100% trường có bài mỗi quý.",
        "",
        "| Trường | Tình trạng | Báo cáo ngày | Còn thiếu |",
        "|---|---|---|---|",
    ]
    for r in rollup.schools:
        missing = esc(", ".join(r.shortfalls)) or (esc(r.problem) if r.problem else "")
        day = format_short(r.as_of) if r.as_of else ""
        lines.append(f"| {esc(r.school.name)} | {r.state.word} | {day} | {missing} |")
    lines += ["", "| Quý | Đạt hoặc được miễn | Tỉ lệ |", "|---|---:|---:|"]
    for s in rollup.quarters:
        lines.append(f"| {s.label} | {s.ok_or_excused}/{s.schools} | {s.percent} |")
    if rollup.action_months:
        lines += ["", "| Tháng hành động | Số trường tổ chức | Tỉ lệ |", "|---|---:|---:|"]
        for m in rollup.action_months:
            lines.append(f"| {m.year} | {m.ok_or_excused}/{m.schools} | {m.percent} |")
    return "\n".join(lines) + "\n"


FORMATS = {"text": text_table, "json": json_text, "csv": csv_text, "markdown": markdown_table}


# --- the command ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    messages.vietnamese_argparse()
    parser = argparse.ArgumentParser(
        prog="python -m hooks.district",
        description="Tổng hợp báo cáo chuyên mục bình đẳng giới của các trường (coverage.json).",
    )
    parser.add_argument(
        "--schools",
        default=DEFAULT_SCHOOLS,
        metavar="TỆP",
        help=f"danh sách trường (mặc định {DEFAULT_SCHOOLS})",
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
        help="tệp cấu hình, để lấy múi giờ (mặc định mkdocs.yml)",
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
        as_of = day_option(args.as_of, "--as-of", column_settings(extra, root).timezone)
        rollup = collect(Path(args.schools), as_of, FetchLimits(timeout=args.timeout, retries=args.retries))
    except (SettingsError, DateError, SchoolsError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(FORMATS[args.format](rollup))
    return 0 if rollup.ok else 1


if __name__ == "__main__":
    sys.exit(main())
