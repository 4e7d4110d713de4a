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

from . import coverage_json
from .coverage_json import ReportedQuarter, ReportError
from .dates import DateError, format_day, format_short
from .fetch import FetchFailure, FetchLimits, fetch_all, is_url
from .quarters import Quarter, quarter_range
from .settings import DEFAULT_SCHOOLS, SettingsError, column_settings, day_option, read_extra


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
    MISSING = ("missing", "Có quý thiếu bài", True)
    STALE = ("stale", "Báo cáo cũ", False)
    UNREACHABLE = ("unreachable", "Không tải được", True)
    INVALID = ("invalid", "Báo cáo không hợp lệ", True)


class SchoolsError(ValueError):
    """The schools list itself is wrong; the message names the file and the entry."""


@dataclass(frozen=True)
class School:
    name: str
    report: str  # URL or path as written in the list


@dataclass
class SchoolResult:
    school: School
    state: SchoolState
    as_of: date | None = None
    cells: dict[Quarter, ReportedQuarter] = field(default_factory=dict)
    problem: str | None = None  # why unreachable or invalid
    stale: bool = False

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
        return [q for q, c in self.cells.items() if c.status.failing]


@dataclass(frozen=True)
class QuarterShare:
    quarter: Quarter
    schools: int
    ok_or_excused: int

    @property
    def share(self) -> float:
        return self.ok_or_excused / self.schools if self.schools else 0.0

    @property
    def percent(self) -> str:
        return f"{math.floor(self.share * 1000) / 10:g}%"  # floored: 99.96% never shows as 100%

    @property
    def shortfall(self) -> str:
        short = self.schools - self.ok_or_excused
        return f"{short} trường" if short else "Đạt 100%"


@dataclass
class RollUp:
    as_of: date
    schools: list[SchoolResult]
    quarters: list[QuarterShare]
    target: float = 1.0

    @property
    def ok(self) -> bool:
        """False when any school misses a quarter or can't be read: the command's exit status."""
        return not any(s.state.failing for s in self.schools)

    def count(self, state: SchoolState) -> int:
        return sum(1 for s in self.schools if s.state is state)

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
    stale = is_stale(report.as_of, today)
    missing = any(c.status.failing for c in report.quarters.values())
    state = SchoolState.MISSING if missing else SchoolState.STALE if stale else SchoolState.OK
    return SchoolResult(school, state, report.as_of, report.quarters, stale=stale)


def roll_up(schools: Sequence[School], bodies: Sequence[bytes | FetchFailure], today: date) -> RollUp:
    results = [judge(school, body, today) for school, body in zip(schools, bodies, strict=True)]
    current = Quarter.of(today)
    firsts = [min(r.cells) for r in results if r.cells]
    first = min(firsts, default=current)
    shares = []
    for quarter in quarter_range(first, current):
        good = sum(1 for r in results if quarter in r.cells and r.cells[quarter].status.met)
        shares.append(QuarterShare(quarter, len(results), good))
    return RollUp(today, results, shares)


def collect(schools_path: Path, today: date, limits: FetchLimits) -> RollUp:
    schools = load_schools(schools_path)
    bodies = fetch_all([s.report for s in schools], schools_path.parent, limits)
    return roll_up(schools, bodies, today)


# --- outputs -------------------------------------------------------------------------------------


def to_json(rollup: RollUp) -> dict[str, Any]:
    return {
        "schema_version": 1,
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
    }


def json_text(rollup: RollUp) -> str:
    return json.dumps(to_json(rollup), ensure_ascii=False, indent=2) + "\n"


def csv_text(rollup: RollUp) -> str:
    """One row a school, one column a quarter: what a spreadsheet at the district office wants."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    keys = [s.quarter.key for s in rollup.quarters]
    writer.writerow(["name", "report", "state", "as_of", *keys])
    for r in rollup.schools:
        row = [_cell_safe(r.school.name), _cell_safe(r.school.report), str(r.state), r.as_of or ""]
        writer.writerow(
            row + [str(r.cells[q.quarter].status) if q.quarter in r.cells else "" for q in rollup.quarters]
        )
    writer.writerow(["Tỉ lệ đạt hoặc được miễn", "", "", "", *(f"{s.share:.4f}" for s in rollup.quarters)])
    return out.getvalue()


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
            "thiếu " + ", ".join(q.key for q in r.missing) if r.missing else f"báo cáo ngày {r.as_of_short}"
        )
        if r.stale and r.state is SchoolState.MISSING:
            detail += " (báo cáo cũ)"
        lines.append(f"{_printable(r.school.name):<{width}}  {r.state.word:<20}  {_printable(detail)}")
    lines += ["", "Quý       Đạt/miễn  Tỉ lệ (mục tiêu 100%)"]
    for s in rollup.quarters:
        lines.append(f"{s.quarter.key}   {s.ok_or_excused:>3}/{s.schools:<4}  {s.percent}")
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
        "| Trường | Tình trạng | Báo cáo ngày | Quý thiếu |",
        "|---|---|---|---|",
    ]
    for r in rollup.schools:
        missing = ", ".join(q.key for q in r.missing) or (esc(r.problem) if r.problem else "")
        day = format_short(r.as_of) if r.as_of else ""
        lines.append(f"| {esc(r.school.name)} | {r.state.word} | {day} | {missing} |")
    lines += ["", "| Quý | Đạt hoặc được miễn | Tỉ lệ |", "|---|---:|---:|"]
    for s in rollup.quarters:
        lines.append(f"| {s.quarter.label} ({s.quarter.key}) | {s.ok_or_excused}/{s.schools} | {s.percent} |")
    return "\n".join(lines) + "\n"


FORMATS = {"text": text_table, "json": json_text, "csv": csv_text, "markdown": markdown_table}


# --- the command ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m hooks.district",
        description="Tổng hợp báo cáo chuyên mục bình đẳng giới của các trường (coverage.json).",
    )
    parser.add_argument(
        "--schools", default=DEFAULT_SCHOOLS, help=f"danh sách trường (mặc định {DEFAULT_SCHOOLS})"
    )
    parser.add_argument("--format", choices=sorted(FORMATS), default="text")
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="giây chờ kết nối và chờ dữ liệu (mặc định 10)"
    )
    parser.add_argument(
        "--retries", type=int, default=2, help="số lần thử lại khi không kết nối được (mặc định 2)"
    )
    parser.add_argument("--as-of", help="tính đến ngày YYYY-MM-DD (mặc định: hôm nay)")
    parser.add_argument(
        "--config", default="mkdocs.yml", help="tệp cấu hình, để lấy múi giờ (mặc định mkdocs.yml)"
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
