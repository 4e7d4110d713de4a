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
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import coverage_json
from .dates import DateError, format_day, format_short
from .posts import Post, load_catalog
from .quarters import Quarter, quarter_range
from .settings import (
    CoverageSettings,
    SettingsError,
    check_audit_start,
    column_settings,
    coverage_settings,
    day_option,
    read_extra,
    shown_path,
)
from .verdicts import NO_POST_WORD, Status, days_left, decide


@dataclass(frozen=True)
class Verdict:
    """A quarter's verdict and the posts behind it."""

    quarter: Quarter
    count: int
    status: Status
    posts: tuple[Post, ...] = ()
    reason: str | None = None  # why excused
    days_left: int | None = None  # while due

    @property
    def word(self) -> str:
        return self.status.word

    @property
    def css(self) -> str:
        return str(self.status)

    @property
    def note(self) -> str | None:
        """What the word alone doesn't say: the days left while the quarter runs."""
        return _note(self.status, self.days_left)


@dataclass(frozen=True)
class ObservanceVerdict:
    name: str
    year: int
    start: date
    end: date
    count: int
    status: Status
    required: bool
    posts: tuple[Post, ...] = ()
    reason: str | None = None
    days_left: int | None = None

    @property
    def failing(self) -> bool:
        return self.required and self.status.failing

    @property
    def word(self) -> str:
        return NO_POST_WORD if self.status.failing and not self.required else self.status.word

    @property
    def css(self) -> str:
        return str(self.status)

    @property
    def note(self) -> str | None:
        return _note(self.status, self.days_left)

    @property
    def need(self) -> str:
        return "Bắt buộc" if self.required else "Tham khảo"

    @property
    def period(self) -> str:
        return f"{format_short(self.start)} – {format_short(self.end)}"


def _note(status: Status, left: int | None) -> str | None:
    return f"còn {left} ngày" if status is Status.DUE else None


@dataclass(frozen=True)
class Report:
    as_of: date
    settings: CoverageSettings
    start: Quarter  # the first audited quarter, from settings or the oldest post
    quarters: tuple[Verdict, ...]
    observances: tuple[ObservanceVerdict, ...]

    @property
    def missing(self) -> list[Verdict]:
        return [v for v in self.quarters if v.status.failing]

    @property
    def missing_observances(self) -> list[ObservanceVerdict]:
        return [o for o in self.observances if o.failing]

    @property
    def excused(self) -> list[Verdict]:
        return [v for v in self.quarters if v.status is Status.EXCUSED]

    @property
    def ok(self) -> bool:
        return not self.missing and not self.missing_observances


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
    check_audit_start(settings, today)
    current = Quarter.of(today)
    start = settings.start or min([p.quarter for p in posts if p.day <= today], default=current)
    verdicts = []
    for quarter in quarter_range(start, current):
        found = tuple(by_quarter.get(quarter, ()))
        excuse = settings.excused.get(quarter)
        status = decide(len(found), settings.min_posts, excuse, quarter.end, today)
        verdicts.append(
            Verdict(
                quarter,
                len(found),
                status,
                found,
                excuse if status is Status.EXCUSED else None,
                days_left(status, quarter.end, today),
            )
        )

    observed = []
    for rule in settings.observances:
        for year in range(start.year, today.year + 1):
            first, last = rule.period(year)
            if first < start.start or first > today:
                continue
            found = tuple(p for p in by_year.get(year, ()) if first <= p.day <= last)
            excuse = rule.excused.get(year)
            status = decide(len(found), 1, excuse, last, today)
            observed.append(
                ObservanceVerdict(
                    rule.name,
                    year,
                    first,
                    last,
                    len(found),
                    status,
                    rule.required,
                    found,
                    excuse if status is Status.EXCUSED else None,
                    days_left(status, last, today),
                )
            )
    observed.sort(key=lambda o: (o.start, o.name))
    return Report(today, settings, start, tuple(verdicts), tuple(observed))


# --- outputs ------------------------------------------------------------------------------------


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
    if v.status is Status.EXCUSED:
        return f"{v.word}: {v.reason}"
    if v.status is Status.DUE:
        return f"{v.word}, {v.note}"
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
        check_audit_start(settings, as_of)  # before reading posts: a settings error is exit 2
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
        sys.stdout.write(coverage_json.dumps(report, config.get("site_url") or None))
    else:
        sys.stdout.write(FORMATS[args.format](report))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
