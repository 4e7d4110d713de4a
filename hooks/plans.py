"""Plan pages (Kế hoạch): their facts from front matter, and the chain between them.

Every plan cites the plans above it by number and date; the index links a cited plan
when the site holds it, and says who follows whom.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .dates import DateError, format_day, to_local
from .front_matter import FileError, Problem, is_hidden, read_front_matter, walk

PLANS_ROOT = "ke-hoach"


@dataclass(frozen=True)
class PlanRef:
    """A plan as another plan cites it."""

    number: str
    date: date | None = None
    issuer: str | None = None
    url: str | None = None  # set when the site holds that plan

    @property
    def day(self) -> str:
        return format_day(self.date) if self.date else ""


@dataclass(frozen=True)
class Target:
    name: str
    value: str


@dataclass
class Plan:
    src_uri: str  # relative to docs/
    title: str
    number: str | None
    date: date
    issuer: str
    year: int
    summary: str = ""
    follows: list[PlanRef] = field(default_factory=list)
    followed_by: list[PlanRef] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)

    @property
    def url(self) -> str:
        stem = self.src_uri.removesuffix(".md")
        return stem.removesuffix("index") if stem.endswith("/index") else stem + "/"

    @property
    def day(self) -> str:
        return format_day(self.date)


def number_key(number: str) -> str:
    """``3467/KH - SGDĐT`` and ``3467/KH-SGDĐT`` are one plan."""
    return re.sub(r"\s+", "", number).casefold()


def load_plans(docs_dir: Path, tz: ZoneInfo) -> tuple[list[Plan], list[Problem]]:
    """Plans under docs/ke-hoach/, newest first, with the chain resolved."""
    folder = docs_dir / PLANS_ROOT
    plans: list[Plan] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return plans, problems
    for rel in walk(folder, docs_dir.parent).files:  # links refused: misplaced_in_docs names them
        if not rel.endswith(".md") or rel == "index.md" or is_hidden(rel):
            continue
        src_uri = f"{PLANS_ROOT}/{rel}"
        shown = f"{docs_dir.name}/{src_uri}"
        try:
            meta, body, _ = read_front_matter((folder / rel).read_bytes(), shown)
            plans.append(plan_from_meta(meta, src_uri, shown, tz))
        except FileError as exc:
            problems.append(exc.problem)
    link_chain(plans)
    plans.sort(key=lambda p: (p.date, p.number or "", p.src_uri), reverse=True)
    return plans, problems


def plan_from_meta(meta: dict[str, Any], src_uri: str, shown: str, tz: ZoneInfo) -> Plan:
    def fail(message: str) -> FileError:
        return FileError(Problem(shown, message))

    def text(key: str, value: object, required: bool = True) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise fail(f"thiếu '{key}'; thêm dòng '{key}: ...' vào phần đầu trang kế hoạch")
            return None
        if not isinstance(value, str | int):
            raise fail(f"'{key}' phải là chữ; đặt giá trị trong ngoặc kép")
        return str(value).strip()

    def day(key: str, value: object) -> date:
        try:
            return to_local(value, tz).date()
        except DateError as exc:
            raise fail(f"'{key}': {exc}") from None

    title = text("title", meta.get("title"))
    issued = day("date", meta.get("date") if meta.get("date") is not None else "")
    issuer = text("issuer", meta.get("issuer"))
    year = meta.get("year", issued.year)
    if isinstance(year, bool) or not isinstance(year, int):
        raise fail(f"'year' phải là một năm như {issued.year}")

    follows = []
    raw_follows = meta.get("follows") or []
    if not isinstance(raw_follows, list):
        raise fail("'follows' phải là danh sách, mỗi mục có number, date và issuer")
    for item in raw_follows:
        if isinstance(item, str):
            item = {"number": item}
        if not isinstance(item, dict):
            raise fail("mỗi mục của 'follows' phải có dạng: - number: 59/KH-UBND")
        follows.append(
            PlanRef(
                number=text("follows.number", item.get("number")) or "",
                date=day("follows.date", item["date"]) if item.get("date") else None,
                issuer=text("follows.issuer", item.get("issuer"), required=False),
            )
        )

    targets = []
    raw_targets = meta.get("targets") or []
    if not isinstance(raw_targets, list):
        raise fail("'targets' phải là danh sách, mỗi mục có name và value")
    for item in raw_targets:
        if not isinstance(item, dict):
            raise fail("mỗi chỉ tiêu trong 'targets' phải có dạng: - name: ...  value: 90%")
        targets.append(
            Target(
                text("targets.name", item.get("name")) or "", text("targets.value", item.get("value")) or ""
            )
        )

    return Plan(
        src_uri=src_uri,
        title=title or "",
        number=text("number", meta.get("number"), required=False),
        date=issued,
        issuer=issuer or "",
        year=year,
        summary=text("summary", meta.get("summary"), required=False) or "",
        follows=follows,
        targets=targets,
    )


def link_chain(plans: list[Plan]) -> None:
    """Point each citation at the cited plan's page, and fill in who follows whom."""
    by_number = {number_key(p.number): p for p in plans if p.number}
    for plan in plans:
        plan.followed_by = []
    for plan in sorted(plans, key=lambda p: p.src_uri):
        resolved = []
        for ref in plan.follows:
            target = by_number.get(number_key(ref.number))
            if target is not None:
                ref = PlanRef(ref.number, ref.date or target.date, ref.issuer or target.issuer, target.url)
                target.followed_by.append(
                    PlanRef(plan.number or plan.title, plan.date, plan.issuer, plan.url)
                )
            resolved.append(ref)
        plan.follows = resolved
