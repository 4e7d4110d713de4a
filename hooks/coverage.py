"""The quarterly coverage audit: did the column get a post in every quarter?

Target 2.4 of the district plan asks every school website to keep its gender-equality
column "every quarter"; the district office checks it. This module computes the
verdicts from posts alone (front matter, never rendered Markdown), so the auditors'
command ``python -m hooks.coverage`` and the site build give the same answer.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from .dates import DateError, format_day, format_short
from .listings import post_url
from .posts import Post, load_catalog
from .quarters import Quarter, quarter_range
from .settings import SettingsError, column_settings, day_option, read_extra, shown_path

SCHEMA_VERSION = 1
STATUSES = ("ok", "excused", "missing", "due")
STATUS_WORDS = {"ok": "Đạt", "excused": "Được miễn", "missing": "Thiếu bài", "due": "Đang diễn ra"}
ACTION_MONTH = "Tháng hành động vì bình đẳng giới"
_DAY_MONTH = re.compile(r"^(\d{1,2})/(\d{1,2})$")


@dataclass(frozen=True)
class Observance:
    """A dated period of the year that the column should mark, e.g. 15/11-15/12."""

    name: str
    start: tuple[int, int]  # (month, day)
    end: tuple[int, int]
    required: bool = True
    excused: Mapping[int, str] = field(default_factory=dict)

    def period(self, year: int) -> tuple[date, date]:
        return date(year, *self.start), date(year, *self.end)


@dataclass(frozen=True)
class CoverageSettings:
    start: Quarter | None  # None: from the oldest published post's quarter
    timezone: ZoneInfo
    min_posts: int = 1
    excused: Mapping[Quarter, str] = field(default_factory=dict)
    observances: tuple[Observance, ...] = ()


@dataclass(frozen=True)
class Verdict:
    quarter: Quarter
    count: int
    status: str
    posts: tuple[Post, ...] = ()
    reason: str | None = None
    days_left: int | None = None

    @property
    def word(self) -> str:
        return STATUS_WORDS[self.status]


@dataclass(frozen=True)
class ObservanceVerdict:
    name: str
    year: int
    start: date
    end: date
    count: int
    status: str
    required: bool
    posts: tuple[Post, ...] = ()
    reason: str | None = None
    days_left: int | None = None

    @property
    def word(self) -> str:
        if self.status == "missing" and not self.required:
            return "Không có bài"
        return STATUS_WORDS[self.status]


@dataclass(frozen=True)
class Report:
    as_of: date
    settings: CoverageSettings
    start: Quarter  # the first audited quarter, from settings or the oldest post
    quarters: tuple[Verdict, ...]
    observances: tuple[ObservanceVerdict, ...]

    @property
    def missing(self) -> list[Verdict]:
        return [v for v in self.quarters if v.status == "missing"]

    @property
    def missing_observances(self) -> list[ObservanceVerdict]:
        return [o for o in self.observances if o.status == "missing" and o.required]

    @property
    def ok(self) -> bool:
        return not self.missing and not self.missing_observances


# --- settings -----------------------------------------------------------------------------------


def coverage_settings(extra: Mapping[str, Any], root: Path) -> CoverageSettings:
    """Validate ``extra.coverage``; a bad value names its key and what is allowed."""
    raw = extra.get("coverage")
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise SettingsError("extra.coverage phải là một bảng khóa (start, min_posts, excused, observances)")
    known = {"start", "min_posts", "timezone", "excused", "observances", "action_month"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SettingsError(
            f"extra.coverage.{unknown[0]} không phải khóa hợp lệ; dùng: {', '.join(sorted(known))}"
        )
    column = column_settings(extra, root)
    column_tz = (
        (extra.get("column") or {}).get("timezone") if isinstance(extra.get("column"), Mapping) else None
    )
    if raw.get("timezone") and column_tz and raw["timezone"] != column_tz:
        raise SettingsError(
            f"extra.coverage.timezone ({raw['timezone']}) khác extra.column.timezone ({column_tz}); "
            "trang web chỉ dùng một múi giờ, hãy để hai giá trị giống nhau"
        )
    start = None
    if raw.get("start") is not None:
        try:
            start = Quarter.parse(str(raw["start"]))
        except ValueError:
            raise SettingsError(
                f"extra.coverage.start '{raw['start']}' phải có dạng YYYY-Qn, ví dụ 2023-Q1"
            ) from None
    min_posts = raw.get("min_posts", 1)
    if isinstance(min_posts, bool) or not isinstance(min_posts, int) or min_posts < 1:
        raise SettingsError(
            f"extra.coverage.min_posts phải là số nguyên từ 1 trở lên, không phải '{min_posts}'"
        )
    excused_raw = raw.get("excused") or {}
    if not isinstance(excused_raw, Mapping):
        raise SettingsError('extra.coverage.excused phải có dạng  2024-Q3: "lý do"')
    excused: dict[Quarter, str] = {}
    for key, reason in excused_raw.items():
        try:
            quarter = Quarter.parse(str(key))
        except ValueError:
            raise SettingsError(
                f"extra.coverage.excused: '{key}' phải là một quý dạng YYYY-Qn, ví dụ 2024-Q3"
            ) from None
        if not isinstance(reason, str) or not reason.strip():
            raise SettingsError(
                f"extra.coverage.excused.{quarter.key}: hãy ghi lý do được miễn (một câu chữ)"
            )
        excused[quarter] = reason.strip()

    observances: list[Observance] = []
    action_month = raw.get("action_month", True)
    if not isinstance(action_month, bool):
        raise SettingsError("extra.coverage.action_month phải là true hoặc false")
    if action_month:
        observances.append(Observance(ACTION_MONTH, (11, 15), (12, 15), required=True))
    extra_obs = raw.get("observances") or []
    if not isinstance(extra_obs, list):
        raise SettingsError(
            "extra.coverage.observances phải là danh sách, mỗi mục có name, start (ngày/tháng)"
        )
    for index, item in enumerate(extra_obs):
        observances.append(_observance(item, f"extra.coverage.observances[{index}]"))
    return CoverageSettings(start, column.timezone, min_posts, excused, tuple(observances))


def _observance(item: object, where: str) -> Observance:
    if not isinstance(item, Mapping):
        raise SettingsError(f"{where} phải có dạng  - name: Ngày Quốc tế Phụ nữ  start: 8/3")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SettingsError(f"{where}.name: hãy ghi tên ngày kỷ niệm")
    start = _day_month(item.get("start"), f"{where}.start")
    end = _day_month(item.get("end", item.get("start")), f"{where}.end")
    if end < start:
        raise SettingsError(f"{where}: ngày kết thúc phải sau ngày bắt đầu, trong cùng một năm")
    required = item.get("required", False)
    if not isinstance(required, bool):
        raise SettingsError(f"{where}.required phải là true hoặc false")
    excused_raw = item.get("excused") or {}
    if not isinstance(excused_raw, Mapping) or not all(
        isinstance(k, int) and isinstance(v, str) for k, v in excused_raw.items()
    ):
        raise SettingsError(f'{where}.excused phải có dạng  2024: "lý do"')
    return Observance(name.strip(), start, end, required, dict(excused_raw))


def _day_month(value: object, where: str) -> tuple[int, int]:
    match = _DAY_MONTH.match(str(value).strip()) if value is not None else None
    if match:
        day, month = int(match[1]), int(match[2])
        try:
            date(2023, month, day)  # a year without 29/2: the day must exist every year
            return (month, day)
        except ValueError:
            pass
    raise SettingsError(f"{where} '{value}' phải là ngày/tháng có thật mọi năm, ví dụ 15/11")


# --- verdicts -----------------------------------------------------------------------------------


def audit(posts: Sequence[Post], settings: CoverageSettings, today: date) -> Report:
    """Verdicts for every quarter from ``start`` through today's, and every observance so far.

    ``posts`` are the published ones: drafts and scheduled posts never count.
    """
    by_quarter: dict[Quarter, list[Post]] = {}
    by_year: dict[int, list[Post]] = {}  # an observance lies within one year
    for post in sorted(posts, key=lambda p: (p.date, p.rel)):
        by_quarter.setdefault(post.quarter, []).append(post)
        by_year.setdefault(post.day.year, []).append(post)
    current = Quarter.of(today)
    start = settings.start or min([p.quarter for p in posts if p.day <= today], default=current)
    verdicts = []
    for quarter in quarter_range(start, current):
        found = tuple(by_quarter.get(quarter, ()))
        status, reason, left = _status(
            len(found), settings.min_posts, settings.excused.get(quarter), quarter.end, today
        )
        verdicts.append(Verdict(quarter, len(found), status, found, reason, left))

    observed = []
    for rule in settings.observances:
        for year in range(start.year, today.year + 1):
            first, last = rule.period(year)
            if first < start.start or first > today:
                continue
            found = tuple(p for p in by_year.get(year, ()) if first <= p.day <= last)
            status, reason, left = _status(len(found), 1, rule.excused.get(year), last, today)
            observed.append(
                ObservanceVerdict(
                    rule.name, year, first, last, len(found), status, rule.required, found, reason, left
                )
            )
    observed.sort(key=lambda o: (o.start, o.name))
    return Report(today, settings, start, tuple(verdicts), tuple(observed))


def _status(
    count: int, needed: int, excuse: str | None, end: date, today: date
) -> tuple[str, str | None, int | None]:
    if count >= needed:
        return "ok", None, None
    if excuse is not None:
        return "excused", excuse, None
    if today > end:
        return "missing", None, None
    return "due", None, (end - today).days + 1


# --- outputs ------------------------------------------------------------------------------------


def to_json(report: Report, site_url: str | None = None) -> dict[str, Any]:
    """The coverage.json document (schema_version 1)."""

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
            "status": v.status,
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
            "status": o.status,
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


def json_text(report: Report, site_url: str | None = None) -> str:
    return json.dumps(to_json(report, site_url), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ("quarter", "label", "start", "end", "count", "status", "reason", "days_left", "posts")


def csv_text(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for v in report.quarters:
        writer.writerow(
            [
                v.quarter.key,
                v.quarter.label,
                v.quarter.start.isoformat(),
                v.quarter.end.isoformat(),
                v.count,
                v.status,
                v.reason or "",
                "" if v.days_left is None else v.days_left,
                " | ".join(p.title for p in v.posts),
            ]
        )
    return out.getvalue()


def _detail(v: Verdict | ObservanceVerdict) -> str:
    if v.status == "excused":
        return f"{v.word}: {v.reason}"
    if v.status == "due":
        return f"{v.word}, còn {v.days_left} ngày"
    return v.word


def text_table(report: Report) -> str:
    s = report.settings
    lines = [
        f"Kiểm tra chuyên mục theo quý, tính đến ngày {format_short(report.as_of)} ({s.timezone.key}), "
        f"cần ít nhất {s.min_posts} bài mỗi quý",
        "",
        f"{'Quý':<9} {'Nhãn':<14} {'Số bài':>6}  Kết quả",
    ]
    for v in report.quarters:
        lines.append(f"{v.quarter.key:<9} {v.quarter.label:<14} {v.count:>6}  {_detail(v)}")
    if report.observances:
        lines += ["", "Ngày kỷ niệm và đợt cao điểm:"]
        for o in report.observances:
            need = "bắt buộc" if o.required else "tham khảo"
            lines.append(
                f"  {o.name} {o.year} ({format_short(o.start)}-{format_short(o.end)}, {need}): "
                f"{o.count} bài, {_detail(o)}"
            )
    lines.append("")
    missing = [v.quarter.key for v in report.missing] + [
        f"{o.name} {o.year}" for o in report.missing_observances
    ]
    lines.append("Thiếu: " + ", ".join(missing) if missing else "Không thiếu quý nào.")
    return "\n".join(lines) + "\n"


def markdown_table(report: Report) -> str:
    s = report.settings
    lines = [
        "## Kiểm tra chuyên mục bình đẳng giới theo quý",
        "",
        f"Tính đến ngày {format_day(report.as_of)} ({s.timezone.key}); cần ít nhất {s.min_posts} bài mỗi quý.",
        "",
        "| Quý | Số bài | Kết quả |",
        "|---|---:|---|",
    ]
    for v in report.quarters:
        lines.append(f"| {v.quarter.label} ({v.quarter.key}) | {v.count} | {_detail(v)} |")
    if report.observances:
        lines += ["", "| Đợt | Năm | Số bài | Kết quả |", "|---|---:|---:|---|"]
        for o in report.observances:
            need = "" if o.required else " (tham khảo)"
            lines.append(f"| {o.name}{need} | {o.year} | {o.count} | {_detail(o)} |")
    missing = [v.quarter.key for v in report.missing] + [
        f"{o.name} {o.year}" for o in report.missing_observances
    ]
    lines += ["", f"**Thiếu:** {', '.join(missing)}" if missing else "**Không thiếu quý nào.**"]
    return "\n".join(lines) + "\n"


FORMATS = {"text": text_table, "csv": csv_text, "markdown": markdown_table}


# --- the auditors' command --------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m hooks.coverage",
        description="Kiểm tra chuyên mục có bài mỗi quý, từ mkdocs.yml và thư mục posts/, không dựng trang.",
    )
    parser.add_argument("--format", choices=["text", "json", "csv", "markdown"], default="text")
    parser.add_argument("--config", default="mkdocs.yml", help="tệp cấu hình (mặc định mkdocs.yml)")
    parser.add_argument("--as-of", help="tính đến ngày YYYY-MM-DD (mặc định: hôm nay hoặc SOURCE_DATE_EPOCH)")
    args = parser.parse_args(argv)

    try:
        config, extra, root = read_extra(Path(args.config))
        settings = coverage_settings(extra, root)
        posts_dir = column_settings(extra, root).posts_dir
        as_of = day_option(args.as_of, "--as-of", settings.timezone)
    except (SettingsError, DateError) as exc:
        print(f"Lỗi cấu hình: {exc}", file=sys.stderr)
        return 2
    shown = shown_path(posts_dir, root)
    if not posts_dir.is_dir():
        print(f"Lỗi: không có thư mục bài viết {shown}", file=sys.stderr)
        return 2
    # Front matter only: no summaries, and a big folder is read by every core.
    catalog = load_catalog(
        posts_dir, settings.timezone, as_of, shown_as=shown, summaries=False, workers=os.cpu_count() or 1
    )
    if catalog.problems:
        print(f"{len(catalog.problems)} tệp cần sửa:", file=sys.stderr)
        for problem in catalog.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    report = audit(catalog.published, settings, as_of)
    if args.format == "json":
        sys.stdout.write(json_text(report, config.get("site_url") or None))
    else:
        sys.stdout.write(FORMATS[args.format](report))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
