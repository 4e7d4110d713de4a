"""Reminders while there is still time: one GitHub issue per quarter (or Action Month) without a post.

The audit tells the district, after the fact, that a quarter was missed; this tells the school
while it can still post. The Pages workflow's ``reminders`` job runs it every night: for the
running quarter and every running required observance (the Action Month, 15/11-15/12) that no
post fills yet, it opens one issue when ``extra.coverage.remind_days`` or fewer days are left,
or on the observance's first day. Later nights update the same issue (found by its label and
the hidden marker in its body, never by its title, which staff may edit), close it with a
comment naming the post once one fills the period, or say once that the period ended unfilled
and leave it open. A district office's site (``extra.district``) also gets one "Sắp đến hạn"
issue per quarter listing the schools whose reports show the running quarter still empty,
closed once every school has posted. Nothing here can stop the publication: every problem (no
token, an API error) is written in Vietnamese to the run's summary, and the command exits 0.

    python -m hooks.reminders   (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_STEP_SUMMARY)
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx

from . import evidence, messages
from .coverage import Counted, ObservanceVerdict, Report, Verdict, audit
from .dates import DateError, format_short
from .dates import today as today_in
from .district import RollUp, SchoolsError, collect
from .fetch import FetchLimits
from .posts import Post, load_catalog
from .quarters import Quarter
from .settings import (
    CoverageSettings,
    SettingsError,
    column_settings,
    coverage_settings,
    district_settings,
    read_extra,
    school_settings,
    shown_path,
)
from .slugs import slug
from .urls import post_url
from .verdicts import Status

API_VERSION = "2022-11-28"
LABEL = "nhac-viec"
LABEL_COLOR = "d93f0b"
LABEL_DESCRIPTION = "Chuyên mục sắp hết hạn mà chưa có bài (trang tự mở, tự đóng)"
MARKER = "<!-- chuyen-muc-nhac: {key} -->"
ENDED = "<!-- chuyen-muc-nhac-da-het -->"  # the last comment was written: never twice
_MARKER = re.compile(r"<!-- chuyen-muc-nhac: ([A-Za-z0-9-]+) -->")
GUIDE = "huong-dan/"
EDITOR = "admin/"
MAX_PAGES = 10  # of 100 issues each: more than a century of reminders


class ReminderError(RuntimeError):
    """Why GitHub could not be asked or told; the message is Vietnamese."""


# --- what to remind of --------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A quarter or a required observance, as a reminder speaks of it."""

    key: str  # in the hidden marker: 2026-Q4, 2026-thang-hanh-dong-vi-binh-dang-gioi
    label: str  # Quý IV/2026, Tháng hành động vì bình đẳng giới 2026
    start: date
    end: date
    status: Status
    needed: int
    posts: tuple[Counted, ...]
    days_left: int | None
    reason: str | None = None
    observance: bool = False  # announced on its first day, not only near its end

    @property
    def on_time(self) -> tuple[Counted, ...]:
        return tuple(c for c in self.posts if not c.late)

    @property
    def span(self) -> str:
        return f"{format_short(self.start)} – {format_short(self.end)}"


def quarter_key(quarter: Quarter) -> str:
    return quarter.key


def observance_key(name: str, year: int) -> str:
    return f"{year}-{slug(name)}"


def periods(report: Report) -> list[Period]:
    """Every audited quarter and every required observance, oldest first."""
    found: list[Period] = []
    for v in report.quarters:
        found.append(_quarter_period(v, report.settings.min_posts))
    for o in report.observances:
        if o.required:
            found.append(_observance_period(o))
    return sorted(found, key=lambda p: (p.end, p.key))


def _quarter_period(v: Verdict, needed: int) -> Period:
    q = v.quarter
    return Period(quarter_key(q), q.label, q.start, q.end, v.status, needed, v.posts, v.days_left, v.reason)


def _observance_period(o: ObservanceVerdict) -> Period:
    return Period(
        observance_key(o.name, o.year),
        o.label,
        o.start,
        o.end,
        o.status,
        1,
        o.posts,
        o.days_left,
        o.reason,
        observance=True,
    )


def key_quarter(key: str, settings: CoverageSettings) -> Quarter | None:
    """The quarter a marker's period starts in, so that the audit reaches back to it."""
    try:
        return Quarter.parse(key)
    except ValueError:
        pass
    year, _, name = key.partition("-")
    if not year.isdigit():
        return None
    for rule in settings.observances:
        if slug(rule.name) == name:
            return Quarter.of(rule.period(int(year))[0])
    return None


# --- issues as GitHub holds them ----------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    number: int
    title: str
    body: str
    open: bool
    url: str = ""

    @property
    def key(self) -> str | None:
        match = _MARKER.search(self.body)
        return match[1] if match else None

    @property
    def ended(self) -> bool:
        return ENDED in self.body


class Kind(Enum):
    """What a night does to a period's issue; the value is what the summary says."""

    OPEN = "Đã mở việc nhắc"
    UPDATE = "Đã cập nhật việc nhắc"
    CLOSE = "Đã đóng việc nhắc"
    ENDED = "Đã ghi lời nhắc cuối vào việc nhắc"


@dataclass(frozen=True)
class Action:
    kind: Kind
    period: Period
    title: str = ""
    body: str = ""
    comment: str = ""
    issue: Issue | None = None


@dataclass(frozen=True)
class Context:
    """What the texts need besides the period."""

    today: date
    site_url: str | None
    handles: tuple[str, ...] = ()
    remind_days: int = 21
    grace_days: int = 7


def plan(items: Sequence[Period], issues: Sequence[Issue], ctx: Context) -> tuple[list[Action], list[str]]:
    """(the actions of tonight, notes for the summary on what needs none); pure, so rerunnable."""
    by_key = _by_key(issues)
    actions: list[Action] = []
    notes: list[str] = []
    for period in items:
        issue = by_key.get(period.key)
        if period.status is Status.DUE:
            title, body = title_for(period), body_for(period, ctx)
            if issue is None:
                left = period.days_left or 0
                if left <= ctx.remind_days or (period.observance and ctx.today == period.start):
                    actions.append(Action(Kind.OPEN, period, title, body))
                else:
                    notes.append(
                        f"{period.label}: chưa có bài, còn {left} ngày; sẽ nhắc khi còn {ctx.remind_days} ngày."
                    )
            elif not issue.open:
                notes.append(f"{period.label}: việc nhắc #{issue.number} đã được đóng, không nhắc lại.")
            elif (issue.title, _same(issue.body)) != (title, _same(body)):
                actions.append(Action(Kind.UPDATE, period, title, body, issue=issue))
            else:
                notes.append(f"{period.label}: việc nhắc #{issue.number} đã đúng, không cần sửa.")
        elif issue is None or not issue.open:
            continue
        elif period.status.met:
            actions.append(Action(Kind.CLOSE, period, comment=close_comment(period, ctx), issue=issue))
        elif not issue.ended:
            actions.append(
                Action(
                    Kind.ENDED,
                    period,
                    ended_title(period),
                    ended_body(period, ctx),
                    ended_comment(period, ctx),
                    issue,
                )
            )
    return actions, notes


def _by_key(issues: Sequence[Issue]) -> dict[str, Issue]:
    """Each marker's issue; should staff have copied a marker, the open one with the lowest number wins."""
    found: dict[str, Issue] = {}
    for issue in sorted(issues, key=lambda i: (not i.open, i.number)):
        if issue.key is not None:
            found.setdefault(issue.key, issue)
    return found


def _same(body: str) -> str:
    return body.replace("\r\n", "\n").strip()


# --- the texts (Vietnamese: staff read them) ----------------------------------------------------


def title_for(period: Period) -> str:
    left = period.days_left or 0
    have = len(period.on_time)
    what = "chưa có bài" if have == 0 else f"chưa đủ bài ({have}/{period.needed})"
    return f"{period.label} {what}: còn {left} ngày"


def _address(ctx: Context, path: str) -> str:
    return urljoin(ctx.site_url, path) if ctx.site_url else path


def _mentions(ctx: Context) -> list[str]:
    if not ctx.handles:
        return []
    return [" ".join(f"@{h}" for h in ctx.handles) + ": nhờ thầy cô xem việc này.", ""]


def body_for(period: Period, ctx: Context) -> str:
    left = period.days_left or 0
    have = len(period.on_time)
    rule = (
        "Đây là đợt cao điểm truyền thông bắt buộc của chuyên mục; hết đợt mà không có bài thì báo cáo "
        "kiểm tra ghi đợt này là “Thiếu bài”."
        if period.observance
        else "Kế hoạch bình đẳng giới của ngành yêu cầu chuyên mục của trường có bài mỗi quý; hết quý mà "
        "không có bài thì báo cáo kiểm tra ghi quý này là “Thiếu bài”."
    )
    missing = (
        "chưa có bài nào trong chuyên mục bình đẳng giới"
        if have == 0
        else f"mới có {have} bài trong chuyên mục bình đẳng giới, cần ít nhất {period.needed} bài"
    )
    when = f"khi còn {ctx.remind_days} ngày"
    if period.observance:
        when = f"khi đợt bắt đầu (hoặc {when})"
    last = "hôm nay là ngày cuối" if left == 1 else f"hạn cuối là ngày {format_short(period.end)}"
    lines = [
        MARKER.format(key=period.key),
        *_mentions(ctx),
        f"**{period.label}** ({period.span}) {missing}.",
        f"Còn **{left} ngày**, tính cả hôm nay ({format_short(ctx.today)}): {last}.",
        "",
        rule,
        "",
        "**Cách viết bài**",
        "",
        f"1. Đọc hướng dẫn viết bài: {_address(ctx, GUIDE)}",
        f"2. Mở trang soạn bài, viết bài và gửi duyệt: {_address(ctx, EDITOR)}",
        f"3. Ghi ngày của bài trong khoảng {period.span}, và đăng bài lên trang trước khi hết "
        f"ngày {format_short(period.end)}.",
        "",
        f"_Việc nhắc này do trang tự mở {when} và cập nhật mỗi đêm; khi có bài đăng, nó tự đóng. "
        "Số ngày nhắc trước là extra.coverage.remind_days trong mkdocs.yml._",
    ]
    return "\n".join(lines) + "\n"


def _shortfall(period: Period) -> str:
    return "chỉ có bài đăng muộn" if period.status is Status.LATE else "chưa có bài"


def ended_title(period: Period) -> str:
    return f"{period.label} đã hết mà {_shortfall(period)}"


def ended_comment(period: Period, ctx: Context) -> str:
    return (
        f"{period.label} đã hết mà {_shortfall(period)}: báo cáo kiểm tra ghi là “{period.status.word}”. "
        f"Việc nhắc này để mở để nhà trường theo dõi. Bài ghi ngày trong khoảng {period.span} mà đăng "
        f"lên trang trong {ctx.grace_days} ngày sau khi hết hạn vẫn được tính; khi đó việc nhắc tự đóng."
    )


def ended_body(period: Period, ctx: Context) -> str:
    lines = [
        MARKER.format(key=period.key),
        ENDED,
        *_mentions(ctx),
        f"**{period.label}** ({period.span}) đã hết mà {_shortfall(period)}.",
        "",
        f"Hướng dẫn viết bài: {_address(ctx, GUIDE)}",
        f"Trang soạn bài: {_address(ctx, EDITOR)}",
    ]
    return "\n".join(lines) + "\n"


def close_comment(period: Period, ctx: Context) -> str:
    if period.status is Status.EXCUSED:
        return f"{period.label} được miễn: {period.reason}. Việc nhắc này đóng lại."
    lines = [f"Đã có bài cho {period.label}:", ""]
    for c in period.on_time:
        lines.append(
            f"- [{c.post.title}]({_address(ctx, post_url(c.post))}) (ngày {format_short(c.post.day)})"
        )
    lines += ["", "Việc nhắc này đã xong, cảm ơn thầy cô."]
    return "\n".join(lines)


# --- the district's "Sắp đến hạn": one issue listing the schools still without a post ---------------

ROLLUP = "tong-hop/"


def district_key(quarter: Quarter) -> str:
    return f"truong-{quarter.key}"


@dataclass(frozen=True)
class Pending:
    """One school that has not filled the quarter yet, as the district's reminder lists it."""

    name: str
    detail: str  # "chưa có bài", "1/2 bài", or why its report could not be read


def pending(rollup: RollUp, quarter: Quarter) -> tuple[list[Pending], list[Pending]]:
    """(schools whose report shows the quarter unfilled, schools whose report says nothing of it)."""
    empty: list[Pending] = []
    unread: list[Pending] = []
    for result in rollup.schools:
        cell = result.cells.get(quarter)
        if cell is None:
            why = result.problem or (
                f"báo cáo ngày {result.as_of_short} chưa có quý này" if result.as_of else "chưa có báo cáo"
            )
            unread.append(Pending(result.school.name, why))
        elif not cell.status.met:
            have = "chưa có bài" if cell.count == 0 else f"có {cell.count} bài, chưa đủ"
            empty.append(Pending(result.school.name, f"{have} (báo cáo ngày {result.as_of_short})"))
    return empty, unread


def district_plan(rollup: RollUp, issues: Sequence[Issue], ctx: Context) -> tuple[list[Action], list[str]]:
    """The running quarter's "Sắp đến hạn" issue, and the end of any earlier one still open."""
    current = Quarter.of(ctx.today)
    by_key = _by_key(issues)
    actions: list[Action] = []
    notes: list[str] = []
    audited = {share.quarter for share in rollup.quarters}
    for quarter in sorted({current, *(q for q in audited if q < current)}):
        key = district_key(quarter)
        issue = by_key.get(key)
        if quarter != current and (issue is None or not issue.open):
            continue
        empty, unread = pending(rollup, quarter)
        left = (quarter.end - ctx.today).days + 1
        filled = not empty and not unread
        status = Status.OK if filled else Status.DUE if quarter == current else Status.MISSING
        period = Period(
            key,
            quarter.label,
            quarter.start,
            quarter.end,
            status,
            1,
            (),
            left if status is Status.DUE else None,
        )
        if status is Status.OK:
            if issue is not None and issue.open:
                comment = (
                    f"Tất cả {len(rollup.schools)} trường đã có bài {quarter.label}. Việc nhắc này đã xong."
                )
                actions.append(Action(Kind.CLOSE, period, comment=comment, issue=issue))
            continue
        if status is Status.MISSING:
            assert issue is not None  # an ended quarter is looked at only with its issue open
            if not issue.ended:
                title = f"{quarter.label} đã hết: {len(empty) + len(unread)} trường chưa có bài"
                body = district_body(period, empty, unread, ctx, ended=True)
                comment = "\n".join(
                    [f"{quarter.label} đã hết; các trường chưa có bài hoặc chưa đọc được báo cáo:", ""]
                    + [f"- {p.name}: {p.detail}" for p in [*empty, *unread]]
                )
                actions.append(Action(Kind.ENDED, period, title, body, comment, issue))
            continue
        title = district_title(quarter, left, empty, unread)
        body = district_body(period, empty, unread, ctx)
        if issue is None:
            if left <= ctx.remind_days:
                actions.append(Action(Kind.OPEN, period, title, body))
            else:
                notes.append(
                    f"Các trường, {quarter.label}: {len(empty)} trường chưa có bài, {len(unread)} trường "
                    f"chưa đọc được báo cáo, còn {left} ngày; "
                    f"sẽ nhắc khi còn {ctx.remind_days} ngày."
                )
        elif not issue.open:
            notes.append(
                f"Các trường, {quarter.label}: việc nhắc #{issue.number} đã được đóng, không nhắc lại."
            )
        elif (issue.title, _same(issue.body)) != (title, _same(body)):
            actions.append(Action(Kind.UPDATE, period, title, body, issue=issue))
        else:
            notes.append(f"Các trường, {quarter.label}: việc nhắc #{issue.number} đã đúng, không cần sửa.")
    return actions, notes


def district_title(quarter: Quarter, left: int, empty: Sequence[Pending], unread: Sequence[Pending]) -> str:
    if not empty:
        return f"Sắp đến hạn: {quarter.label} còn {left} ngày, {len(unread)} trường chưa đọc được báo cáo"
    return f"Sắp đến hạn: {len(empty)} trường chưa có bài {quarter.label}, còn {left} ngày"


def district_body(
    period: Period, empty: Sequence[Pending], unread: Sequence[Pending], ctx: Context, *, ended: bool = False
) -> str:
    lines = [MARKER.format(key=period.key)]
    if ended:
        lines += [ENDED, *_mentions(ctx), f"**{period.label}** ({period.span}) đã hết."]
    else:
        lines += [
            *_mentions(ctx),
            f"**Sắp đến hạn**: {period.label} ({period.span}) còn **{period.days_left} ngày**, tính cả "
            f"hôm nay ({format_short(ctx.today)}).",
        ]
    if empty:
        lines += ["", "Các trường chưa có bài trong quý:", ""] + [f"- {p.name}: {p.detail}" for p in empty]
    if unread:
        lines += ["", "Chưa đọc được báo cáo của quý này:", ""] + [f"- {p.name}: {p.detail}" for p in unread]
    lines += [
        "",
        f"Bảng tổng hợp các trường: {_address(ctx, ROLLUP)}",
        "",
        f"_Việc nhắc này do trang tổng hợp tự mở khi quý còn {ctx.remind_days} ngày và cập nhật mỗi đêm; "
        "khi mọi trường đã có bài, nó tự đóng._",
    ]
    return "\n".join(lines) + "\n"


# --- GitHub's REST API ----------------------------------------------------------------------------


class GitHub:
    """The few issue calls the reminders make, each with a timeout and a Vietnamese error."""

    def __init__(self, api: str, repository: str, token: str, timeout: float = 20.0) -> None:
        self.api = api.rstrip("/")
        self.timeout = timeout
        self.client = httpx.Client(
            base_url=f"{self.api}/repos/{repository}/",
            headers={
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {token}",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": "chuyen-muc-binh-dang-gioi-reminders",
            },
            timeout=httpx.Timeout(timeout),
        )

    def close(self) -> None:
        self.client.close()

    def call(
        self,
        method: str,
        url: str,
        doing: str,
        *,
        json: Mapping[str, Any] | None = None,
        params: Mapping[str, str | int] | None = None,
        ok: tuple[int, ...] = (200, 201),
    ) -> httpx.Response:
        try:
            response = self.client.request(method, url, json=json, params=params)
        except httpx.TimeoutException:
            raise ReminderError(f"GitHub không trả lời trong {self.timeout:g} giây khi {doing}") from None
        except httpx.HTTPError as exc:
            raise ReminderError(f"không kết nối được tới {self.api} khi {doing} ({exc})") from None
        if response.status_code not in ok:
            detail = _message(response)
            if response.status_code in (401, 403):
                raise ReminderError(
                    f"GitHub từ chối (HTTP {response.status_code}{detail}) khi {doing}: job reminders cần "
                    "quyền 'issues: write' trong .github/workflows/pages.yml"
                )
            raise ReminderError(f"GitHub trả lời HTTP {response.status_code}{detail} khi {doing}")
        return response

    def issues(self) -> list[Issue]:
        """Every issue with the label, open or closed (pull requests left out)."""
        found: list[Issue] = []
        url: str | None = "issues"
        params: Mapping[str, str | int] | None = {"labels": LABEL, "state": "all", "per_page": 100}
        for _ in range(MAX_PAGES):
            if url is None:
                break
            response = self.call("GET", url, "đọc các việc nhắc đã có", params=params)
            items = _json(response, "đọc các việc nhắc đã có")
            if not isinstance(items, list):
                raise ReminderError("GitHub trả lời danh sách việc nhắc không đúng dạng")
            found.extend(
                _issue(item) for item in items if isinstance(item, dict) and "pull_request" not in item
            )
            url, params = response.links.get("next", {}).get("url"), None
        return found

    def ensure_label(self) -> None:
        """GitHub drops an unknown label silently for some tokens: make it first, so the issue is found again."""
        if self.call("GET", f"labels/{LABEL}", "đọc nhãn nhac-viec", ok=(200, 404)).status_code == 404:
            self.call(
                "POST",
                "labels",
                "tạo nhãn nhac-viec",
                json={"name": LABEL, "color": LABEL_COLOR, "description": LABEL_DESCRIPTION},
                ok=(201, 422),  # 422: made meanwhile
            )

    def open(self, title: str, body: str) -> Issue:
        response = self.call(
            "POST", "issues", "mở việc nhắc", json={"title": title, "body": body, "labels": [LABEL]}
        )
        return _issue(_json(response, "mở việc nhắc"))

    def edit(self, number: int, fields: Mapping[str, str]) -> None:
        self.call("PATCH", f"issues/{number}", f"sửa việc nhắc #{number}", json=fields)

    def comment(self, number: int, body: str) -> None:
        self.call(
            "POST", f"issues/{number}/comments", f"ghi bình luận vào việc nhắc #{number}", json={"body": body}
        )


def _json(response: httpx.Response, doing: str) -> Any:
    try:
        return response.json()
    except ValueError:
        raise ReminderError(f"GitHub trả lời không phải JSON khi {doing}") from None


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return f": {body['message']}" if isinstance(body, dict) and isinstance(body.get("message"), str) else ""


def _issue(item: object) -> Issue:
    if not isinstance(item, dict) or not isinstance(item.get("number"), int):
        raise ReminderError("GitHub trả lời một việc nhắc không đúng dạng")
    return Issue(
        item["number"],
        str(item.get("title") or ""),
        str(item.get("body") or ""),
        item.get("state") == "open",
        str(item.get("html_url") or ""),
    )


def apply(github: GitHub, actions: Sequence[Action]) -> Iterator[str]:
    """Carry the actions out, one summary line each; one failing does not stop the others."""
    labelled = False
    for action in actions:
        try:
            if action.kind is Kind.OPEN:
                if not labelled:
                    github.ensure_label()
                    labelled = True
                issue = github.open(action.title, action.body)
                yield f"{action.kind.value} #{issue.number}: {action.title}"
                continue
            assert action.issue is not None
            number = action.issue.number
            if action.kind is Kind.UPDATE:
                github.edit(number, {"title": action.title, "body": action.body})
                yield f"{action.kind.value} #{number}: {action.title}"
            elif action.kind is Kind.CLOSE:
                github.comment(number, action.comment)
                reason = "not_planned" if action.period.status is Status.EXCUSED else "completed"
                github.edit(number, {"state": "closed", "state_reason": reason})
                yield f"{action.kind.value} #{number}: {action.period.label} đã có bài"
            else:  # the body's marker first: a failed comment is never written twice
                github.edit(number, {"title": action.title, "body": action.body})
                github.comment(number, action.comment)
                yield f"{action.kind.value} #{number}: {action.title}"
        except ReminderError as exc:
            yield f"Lỗi: {exc}. Đêm sau sẽ thử lại."


# --- the nightly command ------------------------------------------------------------------------


def pages_address(repository: str) -> str | None:
    """The GitHub Pages address of ``owner/name``; it redirects to the school's own domain if any."""
    owner, _, name = repository.partition("/")
    if not owner or not name:
        return None
    owner = owner.lower()
    if name.lower() == f"{owner}.github.io":
        return f"https://{owner}.github.io/"
    return f"https://{owner}.github.io/{name}/"


def audit_reaching(
    posts: Sequence[Post],
    settings: CoverageSettings,
    today: date,
    found: evidence.Evidence,
    keys: Sequence[str],
) -> Report:
    """The audit, reaching back to the periods of open reminders (a site with no post yet starts today)."""
    if settings.start is None:
        wanted = [q for q in (key_quarter(k, settings) for k in keys) if q is not None]
        natural = min([p.quarter for p in posts if p.day <= today], default=Quarter.of(today))
        if wanted and min(wanted) < natural:
            settings = replace(settings, start=min(wanted))
    return audit(posts, settings, today, found)


@dataclass
class Summary:
    """What the run's summary says; every line is for the school's web admin."""

    lines: list[str]

    def add(self, line: str) -> None:
        self.lines.append(f"- {line}")

    def text(self) -> str:
        return "\n".join(["## Nhắc việc chuyên mục bình đẳng giới", "", *self.lines]) + "\n"


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Always 0 once the arguments are read: a reminder that cannot be sent never fails the run."""
    env = os.environ if environ is None else environ
    messages.vietnamese_argparse()
    parser = argparse.ArgumentParser(
        prog="python -m hooks.reminders",
        description="Mở, cập nhật hoặc đóng việc nhắc trên GitHub khi quý (hoặc Tháng hành động) sắp hết mà chưa có bài.",
    )
    parser.add_argument(
        "--config", default="mkdocs.yml", metavar="TỆP", help="tệp cấu hình (mặc định mkdocs.yml)"
    )
    args = parser.parse_args(argv)
    summary = Summary([])
    try:
        run(Path(args.config), env, summary)
    finally:
        _write(summary.text(), env)
    return 0


def run(config_path: Path, env: Mapping[str, str], summary: Summary) -> None:
    try:
        config, extra, root = read_extra(config_path)
        settings = coverage_settings(extra, root)
        school = school_settings(extra, str(config.get("site_name") or ""))
        posts_dir = column_settings(extra, root).posts_dir
        district = district_settings(extra, root)
        today = today_in(settings.timezone, env)
    except (SettingsError, DateError) as exc:
        summary.add(f"Chưa nhắc việc được: lỗi cấu hình ({exc}). Bước dựng trang cũng báo lỗi này.")
        return
    catalog = load_catalog(
        posts_dir, settings.timezone, today, shown_as=shown_path(posts_dir, root), summaries=False
    )
    if catalog.problems:
        summary.add(
            f"Chưa nhắc việc được: có {len(catalog.problems)} lỗi trong bài viết (xem bước dựng trang), "
            f"đầu tiên: {catalog.problems[0]}"
        )
        return
    try:
        found, warning = evidence.gather(posts_dir, settings.timezone, settings.history_from, env)
    except evidence.EvidenceError as exc:
        summary.add(f"Chưa nhắc việc được: {exc}")
        return
    if warning:
        summary.add(f"Cảnh báo: {warning}")
    repository = env.get("GITHUB_REPOSITORY", "")
    ctx = Context(
        today,
        env.get("SITE_URL") or pages_address(repository) or config.get("site_url") or None,
        school.github,
        settings.remind_days,
        settings.late_grace_days,
    )
    rollup: RollUp | None = None
    if district is not None:
        try:
            rollup = collect(
                district.schools, today, FetchLimits(timeout=district.timeout, retries=district.retries)
            )
        except SchoolsError as exc:
            summary.add(f"Chưa nhắc các trường được: {exc}")

    def decide(issues: Sequence[Issue]) -> tuple[list[Action], list[str]]:
        keys = [i.key for i in issues if i.open and i.key is not None]
        report = audit_reaching(catalog.published, settings, today, found, keys)
        actions, notes = plan(periods(report), issues, ctx)
        if rollup is not None:
            more, more_notes = district_plan(rollup, issues, ctx)
            actions, notes = [*actions, *more], [*notes, *more_notes]
        return actions, notes

    token = env.get("GITHUB_TOKEN", "")
    missing = [
        name for name, value in (("GITHUB_TOKEN", token), ("GITHUB_REPOSITORY", repository)) if not value
    ]
    if missing:
        actions, notes = decide([])
        summary.add(
            f"Không nhắc việc được: thiếu biến môi trường {', '.join(missing)}. Trong "
            ".github/workflows/pages.yml, bước nhắc việc cần `env: GITHUB_TOKEN: ${{ github.token }}` "
            "và job cần quyền `issues: write`."
        )
        for action in actions:
            summary.add(f"Cần nhắc (chưa gửi được): {action.title or action.period.label}")
        _notes(summary, actions, notes)
        return
    github = GitHub(env.get("GITHUB_API_URL") or "https://api.github.com", repository, token)
    try:
        try:
            issues = github.issues()
        except ReminderError as exc:
            summary.add(f"Không nhắc việc được: {exc}. Đêm sau sẽ thử lại.")
            return
        actions, notes = decide(issues)
        for line in apply(github, actions):
            summary.add(line)
        _notes(summary, actions, notes)
    finally:
        github.close()


def _notes(summary: Summary, actions: Sequence[Action], notes: Sequence[str]) -> None:
    for note in notes:
        summary.add(note)
    if not actions and not notes:
        summary.add("Không có kỳ nào cần nhắc đêm nay: quý đang chạy và các đợt bắt buộc đã có bài.")


def _write(text: str, env: Mapping[str, str]) -> None:
    sys.stdout.write(text)
    path = env.get("GITHUB_STEP_SUMMARY")
    if path:
        try:
            with open(path, "a", encoding="utf-8") as out:
                out.write(text)
        except OSError as exc:
            print(f"Cảnh báo: không ghi được tóm tắt vào {path} ({messages.os_reason(exc)})", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
