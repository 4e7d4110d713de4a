"""District roll-up: every school's coverage.json, side by side, against the 100% target.

The district plan's target is that every school's website carries the column every
quarter. Each school publishes ``bao-cao/coverage.json`` (schema_version 1); this
module reads them (``fetch.py`` gets the bytes), checks each one, because a report
is untrusted input, and sums them up per quarter. A school whose report cannot be
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
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml

from .coverage import SCHEMA_VERSION, STATUS_WORDS, STATUSES
from .dates import DateError, format_day, format_short
from .fetch import FetchFailure, FetchLimits, fetch_all, is_url
from .quarters import Quarter, quarter_range
from .settings import SettingsError, column_settings, day_option, read_extra

DEFAULT_SCHOOLS = "data/schools.yml"
STATES = ("ok", "missing", "stale", "unreachable", "invalid")
STATE_WORDS = {
    "ok": "Đủ bài",
    "missing": "Có quý thiếu bài",
    "stale": "Báo cáo cũ",
    "unreachable": "Không tải được",
    "invalid": "Báo cáo không hợp lệ",
}
TITLE_LIMIT = 200  # characters of a post title shown; a report may carry anything


class SchoolsError(ValueError):
    """The schools list itself is wrong; the message names the file and the entry."""


class ReportError(ValueError):
    """A report that is not a coverage.json we can trust; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class School:
    name: str
    report: str  # URL or path as written in the list


@dataclass(frozen=True)
class PostLink:
    title: str
    date: str
    url: str | None  # only http(s) addresses are kept


@dataclass(frozen=True)
class Cell:
    """One school's verdict for one quarter, as its report gives it (checked)."""

    quarter: Quarter
    status: str  # ok | excused | missing | due
    count: int
    reason: str | None = None
    posts: tuple[PostLink, ...] = ()

    @property
    def word(self) -> str:
        return STATUS_WORDS[self.status]


@dataclass
class SchoolResult:
    school: School
    state: str
    as_of: date | None = None
    cells: dict[Quarter, Cell] = field(default_factory=dict)
    problem: str | None = None  # why unreachable or invalid
    stale: bool = False

    @property
    def word(self) -> str:
        return STATE_WORDS[self.state]

    @property
    def link(self) -> str | None:
        """The school's report page, when its report is on the web."""
        if is_url(self.school.report):
            return urljoin(self.school.report, "./")
        return None

    @property
    def missing(self) -> list[Quarter]:
        return [q for q, c in self.cells.items() if c.status == "missing"]


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


@dataclass
class RollUp:
    as_of: date
    schools: list[SchoolResult]
    quarters: list[QuarterShare]
    target: float = 1.0

    @property
    def ok(self) -> bool:
        """False when any school misses a quarter or can't be read: the command's exit status."""
        return not any(s.state in ("missing", "unreachable", "invalid") for s in self.schools)

    def count(self, state: str) -> int:
        return sum(1 for s in self.schools if s.state == state)


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


def _safe_url(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    parts = urlsplit(value.strip())
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return value.strip()
    return None


def _reject_constant(name: str) -> None:
    raise ReportError(f"có số không hợp lệ ({name})")


def parse_report(body: bytes, today: date) -> tuple[date, dict[Quarter, Cell]]:
    """Check a coverage.json against itself; return its date and its verdicts per quarter."""
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

    cells: dict[Quarter, Cell] = {}
    for item in items:
        if not isinstance(item, dict):
            raise ReportError("một mục của quarters không phải đối tượng JSON")
        try:
            quarter = Quarter.parse(_text(item.get("quarter"), "quarter"))
        except ValueError:
            raise ReportError(f"quý {item.get('quarter')!r} không viết dạng YYYY-Qn"[:300]) from None
        key = quarter.key
        if cells and quarter != next(reversed(cells)).next():
            raise ReportError(f"các quý không liền nhau hoặc lặp lại ở {key}")
        status = item.get("status")
        if status not in STATUSES:
            raise ReportError(f"{key}: kết quả {status!r} không có trong {', '.join(STATUSES)}"[:300])
        count = _int(item.get("count"), f"{key}: count")
        # The verdict must follow from the numbers and the date, as coverage.audit computes it.
        if (status == "ok") != (count >= min_posts):
            raise ReportError(f"{key}: {count} bài mà kết quả '{status}' với min_posts {min_posts}")
        if status == "missing" and not as_of > quarter.end:
            raise ReportError(f"{key}: 'missing' cho quý chưa kết thúc ngày {as_of.isoformat()}")
        if status == "due" and as_of > quarter.end:
            raise ReportError(f"{key}: 'due' cho quý đã kết thúc trước ngày {as_of.isoformat()}")
        reason = item.get("reason")
        if status == "excused":
            reason = _text(reason, f"{key}: reason")[:TITLE_LIMIT]
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
            links.append(PostLink(title, day.isoformat(), _safe_url(entry.get("url"))))
        cells[quarter] = Cell(quarter, status, count, reason if status == "excused" else None, tuple(links))

    if next(reversed(cells)) != Quarter.of(as_of):
        raise ReportError(
            f"quý cuối {next(reversed(cells)).key} không phải quý của as_of {as_of.isoformat()}"
        )
    missing = data.get("missing")
    if missing is not None and missing != [q.key for q, c in cells.items() if c.status == "missing"]:
        raise ReportError("danh sách missing không khớp với các quý thiếu bài")
    return as_of, cells


def _length(value: object) -> str:
    return str(len(value)) if isinstance(value, list) else "không phải danh sách"


def last_finished_quarter_end(today: date) -> date:
    return Quarter.of(today).previous().end


def judge(school: School, body: bytes | FetchFailure, today: date) -> SchoolResult:
    if isinstance(body, FetchFailure):
        return SchoolResult(school, body.kind, problem=body.message)
    try:
        as_of, cells = parse_report(body, today)
    except ReportError as exc:
        return SchoolResult(school, "invalid", problem=str(exc))
    stale = as_of < last_finished_quarter_end(today)
    missing = any(c.status == "missing" for c in cells.values())
    state = "missing" if missing else "stale" if stale else "ok"
    return SchoolResult(school, state, as_of, cells, stale=stale)


def roll_up(schools: Sequence[School], bodies: Sequence[bytes | FetchFailure], today: date) -> RollUp:
    results = [judge(school, body, today) for school, body in zip(schools, bodies, strict=True)]
    current = Quarter.of(today)
    firsts = [min(r.cells) for r in results if r.cells]
    first = min(firsts, default=current)
    shares = []
    for quarter in quarter_range(first, current):
        good = sum(1 for r in results if quarter in r.cells and r.cells[quarter].status in ("ok", "excused"))
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
                "state": r.state,
                "as_of": r.as_of.isoformat() if r.as_of else None,
                "stale": r.stale,
                "problem": r.problem,
                "quarters": {q.key: c.status for q, c in r.cells.items()},
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
        row = [_cell_safe(r.school.name), _cell_safe(r.school.report), r.state, r.as_of or ""]
        writer.writerow(
            row + [r.cells[q.quarter].status if q.quarter in r.cells else "" for q in rollup.quarters]
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
        + ", ".join(f"{rollup.count(state)} {STATE_WORDS[state].lower()}" for state in STATES),
        "",
    ]
    width = max((len(r.school.name) for r in rollup.schools), default=10)
    for r in rollup.schools:
        detail = r.problem or (
            "thiếu " + ", ".join(q.key for q in r.missing)
            if r.missing
            else f"báo cáo ngày {format_short(r.as_of)}"
        )
        if r.stale and r.state == "missing":
            detail += " (báo cáo cũ)"
        lines.append(f"{_printable(r.school.name):<{width}}  {r.word:<20}  {_printable(detail)}")
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
        lines.append(f"| {esc(r.school.name)} | {r.word} | {day} | {missing} |")
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
