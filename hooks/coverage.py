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
from datetime import date, datetime
from pathlib import Path

from . import coverage_json, evidence, messages
from .dates import DateError, format_day, format_short, zone_words
from .evidence import IMPORTED, NO_EVIDENCE, UNCHECKED, UNCHECKED_WHY, Evidence
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
from .spreadsheet import cell_safe
from .verdicts import NO_POST_WORD, Status, days_left, decide, is_late, period_label


@dataclass(frozen=True)
class Counted:
    """A post as the audit counted it: when it went public, and whether that was too late."""

    post: Post
    # From history; None: not in it, no history, or a period history does not judge (an imported
    # post: the day it was moved to this site is not when it was published, and would read as
    # back-dating beside a 2023 date).
    published_at: datetime | None
    late: bool = False  # published after its period and the grace days, in a period history judges

    @property
    def published_day(self) -> str:
        return format_short(self.published_at.date()) if self.published_at else "—"


@dataclass(frozen=True)
class Verdict:
    """A quarter's verdict and the posts dated in it."""

    quarter: Quarter
    status: Status
    posts: tuple[Counted, ...] = ()
    reason: str | None = None  # why excused
    days_left: int | None = None  # while due
    checked: bool = False  # judged against history (else: by declared dates alone)

    @property
    def count(self) -> int:
        return len(self.posts)

    @property
    def on_time(self) -> int:
        return sum(1 for c in self.posts if not c.late)

    @property
    def label(self) -> str:
        return self.quarter.label

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
    status: Status
    required: bool
    posts: tuple[Counted, ...] = ()
    reason: str | None = None
    days_left: int | None = None
    checked: bool = False

    @property
    def count(self) -> int:
        return len(self.posts)

    @property
    def on_time(self) -> int:
        return sum(1 for c in self.posts if not c.late)

    @property
    def label(self) -> str:
        return period_label(self.name, self.year)

    @property
    def failing(self) -> bool:
        return self.required and self.status.failing

    @property
    def word(self) -> str:
        return NO_POST_WORD if self.status.failing and not self.required else self.status.word

    @property
    def css(self) -> str:
        """An informational observance without a post is never shown in a failing colour."""
        return "info" if self.status.failing and not self.required else str(self.status)

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
    evidence: Evidence = NO_EVIDENCE

    @property
    def years(self) -> list[int]:
        """Every audited year, the running one included: one Word report each."""
        return sorted({v.quarter.year for v in self.quarters})

    @property
    def missing(self) -> list[Verdict]:
        """Quarters not filled in time: missing, or filled only by late posts."""
        return [v for v in self.quarters if v.status.failing]

    @property
    def missing_observances(self) -> list[ObservanceVerdict]:
        return [o for o in self.observances if o.failing]

    @property
    def excused(self) -> list[Verdict]:
        return [v for v in self.quarters if v.status is Status.EXCUSED]

    @property
    def complete(self) -> bool:
        """No required quarter and no required observance missing or late."""
        return not self.missing and not self.missing_observances

    @property
    def shortfalls(self) -> list[Verdict | ObservanceVerdict]:
        """Every required item that fails, in date order: what the summary names."""
        items: list[Verdict | ObservanceVerdict] = [*self.missing, *self.missing_observances]
        return sorted(items, key=lambda v: v.quarter.end if isinstance(v, Verdict) else v.end)

    @property
    def checked_from(self) -> Quarter | None:
        """The first audited quarter judged by history, or None when none is."""
        first = self.evidence.judged_from
        if first is None or not self.quarters or first > self.quarters[-1].quarter:
            return None
        return max(first, self.start)


# --- verdicts -----------------------------------------------------------------------------------


def audit(
    posts: Sequence[Post], settings: CoverageSettings, today: date, evidence: Evidence = NO_EVIDENCE
) -> Report:
    """Verdicts for every quarter from ``start`` through today's, and every observance so far.

    ``posts`` are the published ones: drafts and scheduled posts never count. In a quarter
    that ``evidence`` judges, a post that went public after the quarter's end plus
    ``late_grace_days`` is late: it cannot fill the quarter, only make it late.
    """
    check_audit_start(settings, today)
    tz = settings.timezone
    grace = settings.late_grace_days

    def counted(found: Sequence[Post], end: date, checked: bool) -> tuple[Counted, ...]:
        return tuple(
            Counted(
                post,
                evidence.published.get(post.rel) if checked else None,
                checked and is_late(evidence.published_on(post.rel, tz, today), end, grace),
            )
            for post in found
        )

    by_quarter: dict[Quarter, list[Post]] = {}
    by_year: dict[int, list[Post]] = {}  # an observance lies within one year
    for post in sorted(posts, key=lambda p: (p.date, p.rel)):
        by_quarter.setdefault(post.quarter, []).append(post)
        by_year.setdefault(post.day.year, []).append(post)
    current = Quarter.of(today)
    start = settings.start or min([p.quarter for p in posts if p.day <= today], default=current)
    verdicts = []
    for quarter in quarter_range(start, current):
        checked = evidence.judges(quarter)
        found = counted(by_quarter.get(quarter, ()), quarter.end, checked)
        excuse = settings.excused.get(quarter)
        on_time = sum(1 for c in found if not c.late)
        status = decide(on_time, len(found) - on_time, settings.min_posts, excuse, quarter.end, today)
        verdicts.append(
            Verdict(
                quarter,
                status,
                found,
                excuse if status is Status.EXCUSED else None,
                days_left(status, quarter.end, today),
                checked,
            )
        )

    observed = []
    for rule in settings.observances:
        for year in range(start.year, today.year + 1):
            first, last = rule.period(year)
            if first < start.start or first > today:
                continue
            checked = evidence.judges(Quarter.of(last))
            found = counted([p for p in by_year.get(year, ()) if first <= p.day <= last], last, checked)
            excuse = rule.excused.get(year)
            on_time = sum(1 for c in found if not c.late)
            status = decide(on_time, len(found) - on_time, 1, excuse, last, today)
            observed.append(
                ObservanceVerdict(
                    rule.name,
                    year,
                    first,
                    last,
                    status,
                    rule.required,
                    found,
                    excuse if status is Status.EXCUSED else None,
                    days_left(status, last, today),
                    checked,
                )
            )
    observed.sort(key=lambda o: (o.start, o.name))
    return Report(today, settings, start, tuple(verdicts), tuple(observed), evidence)


# --- outputs ------------------------------------------------------------------------------------


def summary_line(report: Report) -> str:
    """One sentence that names every required item missing or late, or says there is none."""
    if report.complete:
        return "Đủ bài: không thiếu quý nào, không thiếu đợt bắt buộc nào."
    return "Thiếu: " + ", ".join(f"{v.label} ({v.word.lower()})" for v in report.shortfalls)


def evidence_line(report: Report) -> str:
    """What the dates rest on, in an auditor's words (evidence.py: no word of git)."""
    first = report.checked_from
    late = (
        f"bài lên trang quá {report.settings.late_grace_days} ngày sau khi hết quý (hoặc hết đợt) là "
        "bổ sung muộn, không được tính cho kỳ đó"
    )
    if not report.evidence.available:
        return f"{UNCHECKED}: {UNCHECKED_WHY}, nên kết quả tính theo ngày ghi trên bài."
    if first is None:
        return f"Mọi bài trong báo cáo được {IMPORTED.lower()}: kết quả tính theo ngày ghi trên bài."
    if first <= report.start:
        return f"Kết quả tính theo ngày lên trang: {late}."
    return (
        f"Từ {first.label}, kết quả tính theo ngày lên trang: {late}. Các quý trước đó tính theo ngày "
        f"ghi trên bài, vì bài của các quý ấy được {IMPORTED.lower()}."
    )


def detail(v: Verdict | ObservanceVerdict) -> str:
    """A verdict's word and what it alone doesn't say, as the command and the build's log print it."""
    if v.status is Status.EXCUSED:
        return f"{v.word}: {v.reason}"
    if v.status is Status.DUE:
        return f"{v.word}, {v.note}"
    if v.status is Status.LATE:
        return f"{v.word}: {v.count} bài, lên trang sau hạn"
    return v.word


CSV_HEADER = (
    "Kỳ",
    "Từ ngày",
    "Đến ngày",
    "Yêu cầu",
    "Số bài",
    "Số bài đúng hạn",
    "Kết quả",
    "Ghi chú",
    "Bài viết (ngày ghi trên bài; ngày lên trang)",
)


def csv_text(report: Report) -> str:
    """The report for a spreadsheet: UTF-8 with a BOM and CRLF, as Excel on Windows opens it.

    Headers and verdicts are Vietnamese words; dates are ISO (YYYY-MM-DD), which Excel reads
    as dates whatever the computer's regional format; counts are plain integers.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    rows: list[Verdict | ObservanceVerdict] = [*report.quarters, *report.observances]
    for v in rows:
        start, end = (v.quarter.start, v.quarter.end) if isinstance(v, Verdict) else (v.start, v.end)
        need = "Bắt buộc" if isinstance(v, Verdict) else v.need
        note = v.reason or v.note or ("" if v.checked else report.evidence.unchecked_note)
        writer.writerow(
            [
                cell_safe(v.label),
                start.isoformat(),
                end.isoformat(),
                need,
                v.count,
                v.on_time,
                v.word,
                cell_safe(note),
                cell_safe(" | ".join(_post_cell(c, v.checked) for c in v.posts)),
            ]
        )
    return "\ufeff" + out.getvalue()


def _post_cell(c: Counted, checked: bool) -> str:
    """``Tiêu đề (2025-08-10; 2025-12-02, bổ sung muộn)``; an imported post shows its own date only."""
    if not checked:
        return f"{c.post.title} ({c.post.day.isoformat()})"
    published = c.published_at.date().isoformat() if c.published_at else "chưa có trong nhật ký của trang"
    late = ", bổ sung muộn" if c.late else ""
    return f"{c.post.title} ({c.post.day.isoformat()}; {published}{late})"


def text_table(report: Report) -> str:
    s = report.settings
    lines = [
        f"Kiểm tra chuyên mục theo quý, tính đến ngày {format_short(report.as_of)} ({zone_words(s.timezone)}), "
        f"cần ít nhất {s.min_posts} bài mỗi quý",
        evidence_line(report),
        "",
        f"{'Quý':<9} {'Nhãn':<14} {'Số bài':>6}  Kết quả",
    ]
    for v in report.quarters:
        lines.append(f"{v.quarter.key:<9} {v.quarter.label:<14} {v.count:>6}  {detail(v)}")
    if report.observances:
        lines += ["", "Ngày kỷ niệm và đợt cao điểm:"]
        for o in report.observances:
            need = "bắt buộc" if o.required else "tham khảo"
            lines.append(
                f"  {o.label} ({format_short(o.start)}-{format_short(o.end)}, {need}): "
                f"{o.count} bài, {detail(o)}"
            )
    periods: list[Verdict | ObservanceVerdict] = [*report.quarters, *report.observances]
    late = [(v.label, c) for v in periods for c in v.posts if c.late]
    if late:
        lines += ["", "Bài bổ sung muộn (lên trang sau hạn, không tính cho kỳ ghi trên bài):"]
        for label, c in late:
            lines.append(
                f"  {label}: {c.post.title} — ghi ngày {format_short(c.post.day)}, lên trang ngày {c.published_day}"
            )
    lines += ["", summary_line(report)]
    return "\n".join(lines) + "\n"


def markdown_table(report: Report) -> str:
    s = report.settings
    lines = [
        "## Kiểm tra chuyên mục bình đẳng giới theo quý",
        "",
        f"Tính đến ngày {format_day(report.as_of)} ({zone_words(s.timezone)}); cần ít nhất {s.min_posts} bài mỗi quý.",
        evidence_line(report),
        "",
        "| Quý | Số bài | Kết quả |",
        "|---|---:|---|",
    ]
    for v in report.quarters:
        lines.append(f"| {v.quarter.label} ({v.quarter.key}) | {v.count} | {detail(v)} |")
    if report.observances:
        lines += ["", "| Đợt | Năm | Số bài | Kết quả |", "|---|---:|---:|---|"]
        for o in report.observances:
            need = "" if o.required else " (tham khảo)"
            lines.append(f"| {o.name}{need} | {o.year} | {o.count} | {detail(o)} |")
    lines += ["", f"**{summary_line(report)}**"]
    return "\n".join(lines) + "\n"


FORMATS = {"text": text_table, "csv": csv_text, "markdown": markdown_table}


# --- the auditors' command --------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    messages.vietnamese_argparse()
    parser = argparse.ArgumentParser(
        prog="python -m hooks.coverage",
        description="Kiểm tra chuyên mục có bài mỗi quý, từ mkdocs.yml và thư mục posts/, không dựng trang.",
    )
    parser.add_argument(
        "--format",
        choices=["text", "json", "csv", "markdown"],
        default="text",
        help="dạng kết quả (mặc định text)",
    )
    parser.add_argument(
        "--config", default="mkdocs.yml", metavar="TỆP", help="tệp cấu hình (mặc định mkdocs.yml)"
    )
    parser.add_argument(
        "--as-of", metavar="NGÀY", help="tính đến ngày YYYY-MM-DD (mặc định: hôm nay hoặc SOURCE_DATE_EPOCH)"
    )
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
    shown = shown_path(posts_dir, root)  # no folder: no post yet, as the build says (every quarter missing)
    # Front matter only: no summaries, and a big folder is read by every core.
    catalog = load_catalog(
        posts_dir, settings.timezone, as_of, shown_as=shown, summaries=False, workers=os.cpu_count() or 1
    )
    if catalog.problems:
        print(f"{messages.fixes(len(catalog.problems))}:", file=sys.stderr)
        for problem in catalog.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    try:
        found, warning = evidence.gather(posts_dir, settings.timezone, settings.history_from)
    except evidence.EvidenceError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    if warning:
        print(f"Cảnh báo: {warning}", file=sys.stderr)
    report = audit(catalog.published, settings, as_of, found)
    if args.format == "json":
        sys.stdout.write(coverage_json.dumps(report, config.get("site_url") or None))
    else:
        sys.stdout.write(FORMATS[args.format](report))
    return 0 if report.complete else 1


if __name__ == "__main__":
    sys.exit(main())
