"""The district's own evidence: what each run of the roll-up saw of a school, and when.

A portal can backdate a post (NukeViet lets an admin set "Thời gian đăng" in the past) and
a feed forgets old items, so a school's declared dates alone prove little. Every run
appends what it saw to one JSON Lines file per school (``data/observations/<school>.jsonl``
in the district's repository): text that diffs well, appended, never rewritten. Lines:

- ``{"kind": "run", "at": …, "ok": true, "oldest": "YYYY-MM-DD" | null, "items": n}``: a read;
  ``"ok": false`` with ``"problem"`` for a failed one;
- ``{"kind": "item", "at": …, "url": …, "title": …, "date": "YYYY-MM-DD" | null}``: an item
  the first time it is seen, and again when its declared date changes (``at`` is then
  the time of the change; the first sighting stays the first);
- ``{"kind": "gone", "at": …, "url": …, "last_seen": …}``: an item missing from a read
  that was in the one before (it stays in the evidence);
- ``{"kind": "check", "at": …, "url": …, "status": 200 | null, "problem": …}``: a post
  address of a report, checked (at most once a day).

The log is read without trust: a line that is not one of these, or is dated after now,
is named and skipped, and the school's quarters are then judged by declared dates, with
that said. "Now" is ``SOURCE_DATE_EPOCH`` when it is set, as in the build.

Pure: no MkDocs, no network.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .dates import DateError
from .messages import os_reason
from .slugs import slug, slug_whole
from .sources import Item, Listing

MAX_LINE = 8192  # characters: a longer line was not written by this module
MAX_BYTES = 32 * 1024 * 1024  # one school's log; past this it is not read (and is said so)


def now(tz: ZoneInfo, environ: Mapping[str, str] | None = None) -> datetime:
    """The run's moment: ``SOURCE_DATE_EPOCH`` when set (reproducible runs and tests), else the clock."""
    env = os.environ if environ is None else environ
    raw = env.get("SOURCE_DATE_EPOCH", "").strip()
    if raw:
        try:
            return datetime.fromtimestamp(int(raw), UTC).astimezone(tz)
        except (ValueError, OverflowError, OSError) as exc:
            raise DateError(
                f"SOURCE_DATE_EPOCH='{raw}' không phải số giây kể từ 1970 (ví dụ 1732060800)"
            ) from exc
    return datetime.now(tz)


@dataclass
class Seen:
    """One item as the district knows it."""

    url: str
    title: str
    day: date | None  # declared (latest declaration)
    first_seen: datetime
    last_seen: datetime
    present: bool = True  # in the latest successful read


@dataclass
class Log:
    """One school's log, read back."""

    path: Path
    started: datetime | None = None  # the first run the log records: evidence starts here
    oldest: date | None = None  # the oldest declared day any successful read showed
    items: dict[str, Seen] = field(default_factory=dict)
    checks: dict[str, tuple[datetime, int | None, str | None]] = field(default_factory=dict)
    damaged: list[str] = field(default_factory=list)  # "tệp:dòng: why" for every line skipped
    last_run: datetime | None = None
    first_read: datetime | None = None  # the first complete successful read: what it showed was there
    new_lines: list[dict[str, object]] = field(default_factory=list)  # to append

    @property
    def trusted(self) -> bool:
        return not self.damaged

    def first_seen_day(self, url: str, tz: ZoneInfo) -> date | None:
        seen = self.items.get(url)
        return seen.first_seen.astimezone(tz).date() if seen else None

    def checked_today(self, url: str, today: date, tz: ZoneInfo) -> tuple[int | None, str | None] | None:
        """The result of checking ``url`` earlier the same day, if it was."""
        found = self.checks.get(url)
        if found is None or found[0].astimezone(tz).date() != today:
            return None
        return found[1], found[2]

    # --- recording a run ---------------------------------------------------------------------

    def _add(self, line: dict[str, object]) -> None:
        self.new_lines.append(line)

    def record_read(self, listing: Listing, at: datetime) -> None:
        """A successful read of the school's feed or sitemap."""
        stamp = at.isoformat()
        if self.started is None:
            self.started = at
        current = {item.url: item for item in listing.items}
        for url, seen in self.items.items():
            if seen.present and url not in current:
                seen.present = False
                self._add({"kind": "gone", "at": stamp, "url": url, "last_seen": seen.last_seen.isoformat()})
        for item in current.values():
            self._see(item, at)
        if listing.oldest is not None and (self.oldest is None or listing.oldest < self.oldest):
            self.oldest = listing.oldest
        oldest = listing.oldest.isoformat() if listing.oldest else None
        if listing.complete and self.first_read is None:
            self.first_read = at
        line: dict[str, object] = {
            "kind": "run",
            "at": stamp,
            "ok": True,
            "oldest": oldest,
            "items": len(current),
        }
        if not listing.complete:
            line["complete"] = False
        self._add(line)
        self.last_run = at

    def _see(self, item: Item, at: datetime) -> None:
        seen = self.items.get(item.url)
        declared = item.day.isoformat() if item.day else None
        if seen is None or seen.day != item.day:
            self._add(
                {"kind": "item", "at": at.isoformat(), "url": item.url, "title": item.title, "date": declared}
            )
        if seen is None:
            self.items[item.url] = Seen(item.url, item.title, item.day, at, at)
        else:
            seen.day, seen.title, seen.last_seen, seen.present = item.day, item.title, at, True

    def record_failure(self, problem: str, at: datetime) -> None:
        if self.started is None:
            self.started = at
        self._add({"kind": "run", "at": at.isoformat(), "ok": False, "problem": problem})

    def record_check(self, url: str, status: int | None, problem: str | None, at: datetime) -> None:
        self.checks[url] = (at, status, problem)
        self._add({"kind": "check", "at": at.isoformat(), "url": url, "status": status, "problem": problem})

    def save(self) -> str | None:
        """Append this run's lines; the reason in Vietnamese when the file cannot be written."""
        if not self.new_lines:
            return None
        text = "".join(_line(line) + "\n" for line in self.new_lines)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8", newline="\n") as out:
                out.write(text)
        except OSError as exc:
            return f"không ghi được nhật ký quan sát {self.path} ({os_reason(exc)})"
        self.new_lines = []
        return None


def _line(line: Mapping[str, object]) -> str:
    """One line of the log, Vietnamese kept readable; a text no UTF-8 can carry (half a UTF-16
    pair from a hostile feed) is written escaped rather than stopping the log."""
    text = json.dumps(line, ensure_ascii=False, sort_keys=True)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(line, ensure_ascii=True, sort_keys=True)
    return text


def log_path(folder: Path, school: str) -> Path:
    """``truong-tieu-hoc-hoa-mai.jsonl``; a name longer than a slug keeps its end in a short hash, so
    two long names that differ only after the cut never share a log. ``slug`` without its memo:
    each school's name is asked for twice a run, and 4,000 names memoised held 0.5 MiB to the end."""
    name = slug.__wrapped__(school) or "truong"
    whole = slug_whole(school)
    if whole != name:
        name = f"{name}-{hashlib.sha256(whole.encode()).hexdigest()[:8]}"
    return folder / f"{name}.jsonl"


def load(path: Path, until: datetime) -> Log:
    """A school's log as far as it can be trusted; a missing file is an empty log."""
    log = Log(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return log
    except OSError as exc:
        log.damaged.append(f"{path}: không đọc được ({os_reason(exc)})")
        return log
    if size > MAX_BYTES:
        log.damaged.append(f"{path}: tệp lớn {size} byte, quá giới hạn {MAX_BYTES} byte")
        return log
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        log.damaged.append(f"{path}: không phải văn bản UTF-8")
        return log
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        why = _apply(log, line, until)
        if why is not None:
            log.damaged.append(f"{path}, dòng {number}: {why}")
    if text and not text.endswith("\n"):
        log.damaged.append(f"{path}: dòng cuối bị cắt dở")
    return log


def _apply(log: Log, line: str, until: datetime) -> str | None:
    """Replay one line onto ``log``; why it is skipped, or None."""
    if len(line) > MAX_LINE:
        return "dòng quá dài"
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        return "không phải JSON"
    if not isinstance(data, dict):
        return "không phải một bản ghi"
    try:
        at = datetime.fromisoformat(str(data.get("at")))
    except ValueError:
        return "thời điểm 'at' không đọc được"
    if at.tzinfo is None:
        return "thời điểm 'at' không ghi múi giờ"
    if at > until:
        return f"thời điểm {at.isoformat()} ở sau lần chạy này"
    kind = data.get("kind")
    url = data.get("url")
    if kind == "run":
        if log.started is None or at < log.started:
            log.started = at
        if data.get("ok") is True:
            if data.get("complete", True) is True and (log.first_read is None or at < log.first_read):
                log.first_read = at
            oldest = _day(data.get("oldest"))
            if oldest is not None and (log.oldest is None or oldest < log.oldest):
                log.oldest = oldest
            log.last_run = at if log.last_run is None or at > log.last_run else log.last_run
            for seen in log.items.values():  # what this read lacked was marked gone just before it
                if seen.present:
                    seen.last_seen = max(seen.last_seen, at)
        return None
    if not isinstance(url, str) or not url:
        return "thiếu địa chỉ 'url'"
    if kind == "item":
        day = _day(data.get("date"))
        if data.get("date") is not None and day is None:
            return "ngày 'date' không đọc được"
        title = str(data.get("title") or url)[:200]
        known = log.items.get(url)
        if known is None:
            log.items[url] = Seen(url, title, day, at, at)
        else:
            seen = known
            seen.first_seen = min(seen.first_seen, at)
            seen.last_seen = max(seen.last_seen, at)
            seen.day, seen.title, seen.present = day, title, True
        return None
    if kind == "gone":
        if url in log.items:
            log.items[url].present = False
        return None
    if kind == "check":
        status = data.get("status")
        if status is not None and (isinstance(status, bool) or not isinstance(status, int)):
            return "mã trả lời 'status' không phải số"
        problem = data.get("problem")
        log.checks[url] = (at, status, str(problem)[:300] if problem is not None else None)
        return None
    return f"loại bản ghi '{str(kind)[:40]}' không có"


def _day(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
