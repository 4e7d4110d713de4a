"""The coverage audit against a plain reference, plus its settings and observance edges."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hooks.coverage import audit, text_table
from hooks.coverage_json import to_json
from hooks.dates import zone
from hooks.evidence import Evidence
from hooks.posts import Post, partition
from hooks.quarters import Quarter
from hooks.settings import ACTION_MONTH, CoverageSettings, Observance, SettingsError, coverage_settings

HANOI = zone("Asia/Ho_Chi_Minh")
ACTION = Observance(ACTION_MONTH, (11, 15), (12, 15), required=True)


def make_post(moment_utc: datetime, draft: bool = False, n: int = 0) -> Post:
    local = moment_utc.astimezone(HANOI)
    return Post(
        path=f"posts/{n}.md", rel=f"{n}.md", title=f"Bài {n}", date=local, slug=f"bai-{n}", draft=draft
    )


def reference(
    raw: list[tuple[datetime, bool]], start: Quarter, min_posts: int, excused: set[Quarter], today: date
) -> dict[str, tuple[int, str]]:
    """The rules written out the slow, obvious way: UTC+7 by hand, months by table."""
    local_days = [(moment + timedelta(hours=7)).date() for moment, draft in raw if not draft]
    counted = [d for d in local_days if d <= today]
    out = {}
    year, number = start.year, start.number
    while (year, number) <= (today.year, (today.month - 1) // 3 + 1):
        months = {1: (1, 2, 3), 2: (4, 5, 6), 3: (7, 8, 9), 4: (10, 11, 12)}[number]
        count = sum(1 for d in counted if d.year == year and d.month in months)
        last_month = months[-1]
        end = (date(year + (last_month == 12), last_month % 12 + 1, 1)) - timedelta(days=1)
        if count >= min_posts:
            status = "ok"
        elif Quarter(year, number) in excused:
            status = "excused"
        elif today > end:
            status = "missing"
        else:
            status = "due"
        out[f"{year}-Q{number}"] = (count, status)
        year, number = (year + 1, 1) if number == 4 else (year, number + 1)
    return out


moments = st.datetimes(datetime(2022, 12, 1), datetime(2025, 2, 1), timezones=st.just(timezone.utc))
quarters = st.builds(Quarter, st.integers(2023, 2024), st.integers(1, 4))


@settings(max_examples=300, deadline=None)
@given(
    raw=st.lists(st.tuples(moments, st.booleans()), max_size=25),
    start=quarters,
    min_posts=st.integers(1, 3),
    excused=st.sets(quarters, max_size=3),
    today=st.dates(date(2023, 1, 1), date(2025, 1, 31)),
)
def test_verdicts_match_the_reference(raw, start, min_posts, excused, today) -> None:
    posts = [make_post(moment, draft, n) for n, (moment, draft) in enumerate(raw)]
    published, _, _ = partition(posts, today)
    config = CoverageSettings(start, HANOI, min_posts, {q: "lý do" for q in excused}, ())
    expected = reference(raw, start, min_posts, excused, today)
    if not expected:  # the start is after today: an audit is never vacuous, it is refused
        with pytest.raises(SettingsError, match="extra.coverage.start"):
            audit(published, config, today)
        return
    report = audit(published, config, today)
    got = {v.quarter.key: (v.count, v.status) for v in report.quarters}
    assert got == expected
    assert [v.quarter.key for v in report.missing] == [k for k, (_, s) in got.items() if s == "missing"]
    for v in report.quarters:
        assert (v.reason is not None) == (v.status == "excused")
        if v.status == "due":
            assert v.days_left is not None and v.days_left >= 1
            assert v.days_left == (v.quarter.end - today).days + 1


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (datetime(2024, 11, 14, 16, 59, tzinfo=timezone.utc), False),  # 14/11 23:59 Hà Nội
        (datetime(2024, 11, 14, 17, 0, tzinfo=timezone.utc), True),  # 15/11 00:00 Hà Nội
        (datetime(2024, 12, 15, 16, 59, tzinfo=timezone.utc), True),  # 15/12 23:59 Hà Nội
        (datetime(2024, 12, 15, 17, 0, tzinfo=timezone.utc), False),  # 16/12 00:00 Hà Nội
    ],
)
def test_action_month_includes_both_boundary_days(moment: datetime, inside: bool) -> None:
    config = CoverageSettings(Quarter(2024, 1), HANOI, 1, {}, (ACTION,))
    report = audit([make_post(moment)], config, date(2025, 1, 10))
    (month,) = report.observances
    assert (month.count, month.status) == ((1, "ok") if inside else (0, "missing"))
    assert (month.start, month.end) == (date(2024, 11, 15), date(2024, 12, 15))


def test_action_month_due_then_missing_and_not_before_it_starts() -> None:
    config = CoverageSettings(Quarter(2024, 1), HANOI, 1, {}, (ACTION,))
    assert audit([], config, date(2024, 11, 14)).observances == ()
    (due,) = audit([], config, date(2024, 12, 15)).observances
    assert (due.status, due.days_left) == ("due", 1)
    (missing,) = audit([], config, date(2024, 12, 16)).observances
    assert missing.status == "missing"
    assert not audit([], config, date(2024, 12, 16)).complete


def test_informational_observance_never_fails_the_audit() -> None:
    women = Observance("Ngày Quốc tế Phụ nữ", (3, 1), (3, 8), required=False)
    posts = [make_post(datetime(2024, 2, 1, tzinfo=timezone.utc))]
    report = audit(posts, CoverageSettings(Quarter(2024, 1), HANOI, 1, {}, (women,)), date(2024, 3, 20))
    assert report.observances[0].status == "missing" and report.complete


def test_a_post_late_on_30_june_utc_counts_for_q3() -> None:
    posts = [make_post(datetime(2023, 6, 30, 20, 0, tzinfo=timezone.utc))]
    report = audit(posts, CoverageSettings(Quarter(2023, 2), HANOI), date(2023, 10, 2))
    assert [(v.quarter.key, v.count, v.status) for v in report.quarters] == [
        ("2023-Q2", 0, "missing"),
        ("2023-Q3", 1, "ok"),
        ("2023-Q4", 0, "due"),
    ]
    data = to_json(report, "https://truong.example/")
    assert data["missing"] == ["2023-Q2"]
    assert data["quarters"][1]["posts"] == [
        {
            "title": "Bài 0",
            "date": "2023-07-01",
            "url": "https://truong.example/bai-viet/bai-0/",
            "published_at": None,  # no history: the date written on the post is all there is
            "late": False,
        }
    ]
    assert data["quarters"][2]["days_left"] == 91  # 2 Oct to 31 Dec, today included: 30 + 30 + 31


def test_start_defaults_to_the_oldest_published_post() -> None:
    posts = [
        make_post(datetime(2024, 5, 1, tzinfo=timezone.utc)),
        make_post(datetime(2025, 1, 1, tzinfo=timezone.utc)),
    ]
    report = audit(posts, CoverageSettings(None, HANOI), date(2024, 12, 1))
    assert report.start == Quarter(2024, 2)
    assert [v.quarter.key for v in report.quarters] == ["2024-Q2", "2024-Q3", "2024-Q4"]
    assert audit([], CoverageSettings(None, HANOI), date(2024, 12, 1)).start == Quarter(2024, 4)


def test_posts_before_start_are_not_audited() -> None:
    posts = [make_post(datetime(2022, 5, 1, tzinfo=timezone.utc))]
    report = audit(posts, CoverageSettings(Quarter(2023, 1), HANOI), date(2023, 2, 1))
    assert [(v.quarter.key, v.count) for v in report.quarters] == [("2023-Q1", 0)]


@pytest.mark.parametrize(
    ("coverage", "phrase"),
    [
        ({"start": "2023-Q5"}, "extra.coverage.start"),
        ({"start": "2023-Q1", "min_posts": 0}, "extra.coverage.min_posts"),
        ({"start": "2023-Q1", "min_posts": "một"}, "extra.coverage.min_posts"),
        ({"start": "2023-Q1", "excused": {"2024-3": "x"}}, "extra.coverage.excused"),
        ({"start": "2023-Q1", "excused": {"2024-Q3": ""}}, "extra.coverage.excused.2024-Q3"),
        ({"start": "2023-Q1", "excused": ["2024-Q3"]}, "extra.coverage.excused"),
        ({"start": "2023-Q1", "timezone": "Hanoi"}, "timezone"),
        ({"start": "2023-Q1", "observances": [{"name": "X", "start": "30/2"}]}, "observances[0].start"),
        (
            {"start": "2023-Q1", "observances": [{"name": "X", "start": "20/12", "end": "5/1"}]},
            "observances[0]",
        ),
        ({"start": "2023-Q1", "observances": [{"start": "8/3"}]}, "observances[0].name"),
        ({"start": "2023-Q1", "observances": [{"name": "X", "start": "8/3", "required": "có"}]}, "required"),
        ({"start": "2023-Q1", "action_month": "yes please"}, "action_month"),
        ({"start": "2023-Q1", "minimum": 2}, "extra.coverage.minimum"),
    ],
)
def test_bad_settings_name_the_key(coverage: dict, phrase: str, tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as info:
        coverage_settings({"coverage": coverage}, tmp_path)
    assert phrase in str(info.value)


def test_good_settings(tmp_path: Path) -> None:
    config = coverage_settings(
        {
            "coverage": {
                "start": "2023-Q2",
                "min_posts": 2,
                "excused": {"2024-Q3": "Sửa trường"},
                "observances": [{"name": "8/3", "start": "8/3", "required": True}],
            }
        },
        tmp_path,
    )
    assert config.start == Quarter(2023, 2) and config.min_posts == 2
    assert config.excused == {Quarter(2024, 3): "Sửa trường"}
    assert [o.name for o in config.observances] == [ACTION_MONTH, "8/3"]
    assert config.timezone.key == "Asia/Ho_Chi_Minh"


# --- the late rule: posts that reached the site after their quarter ---------------------------------


def late_reference(
    posts: list[tuple[date, date | None]], judged_from: Quarter | None, grace: int, today: date
) -> dict[str, str]:
    """Quarter by quarter, the slow obvious way: months by arithmetic, deadlines by adding days."""
    out = {}
    first = min(day for day, _ in posts)
    year, number = first.year, (first.month - 1) // 3 + 1
    while (year, number) <= (today.year, (today.month - 1) // 3 + 1):
        last_month = 3 * number
        end = date(year + (last_month == 12), last_month % 12 + 1, 1) - timedelta(days=1)
        judged = judged_from is not None and (year, number) >= (judged_from.year, judged_from.number)
        dated = [(d, p) for d, p in posts if d.year == year and (d.month - 1) // 3 + 1 == number]
        on_time = [d for d, p in dated if not judged or (p or today) <= end + timedelta(days=grace)]
        if on_time:
            status = "ok"
        elif today <= end:
            status = "due"
        else:
            status = "late" if dated else "missing"
        out[f"{year}-Q{number}"] = status
        year, number = (year + 1, 1) if number == 4 else (year, number + 1)
    return out


@settings(max_examples=300, deadline=None)
@given(
    raw=st.lists(
        # A declared day, and when the post went public: not in history (None), or this many
        # days after the end of its quarter (negative: before it), so deadlines are hit exactly.
        st.tuples(st.dates(date(2024, 1, 1), date(2025, 6, 30)), st.one_of(st.none(), st.integers(-20, 15))),
        min_size=1,
        max_size=12,
    ),
    judged_from=st.one_of(st.none(), st.builds(Quarter, st.just(2024), st.integers(1, 4))),
    grace=st.integers(0, 10),
    today=st.dates(date(2025, 7, 1), date(2025, 12, 31)),
)
def test_late_posts_never_fill_their_quarter(raw, judged_from, grace, today) -> None:
    """A post published after its quarter's end plus the grace days makes the quarter late, not ok."""
    posts, published = [], {}
    declared = []
    for n, (day, offset) in enumerate(raw):
        post = Post(
            path=f"posts/{n}.md",
            rel=f"{n}.md",
            title=f"Bài {n}",
            date=datetime(day.year, day.month, day.day, 9, tzinfo=HANOI),
            slug=f"bai-{n}",
        )
        posts.append(post)
        on = None
        if offset is not None:
            on = max(Quarter.of(day).end + timedelta(days=offset), day)  # never before it was written
            published[post.rel] = datetime(on.year, on.month, on.day, 23, 59, tzinfo=HANOI)
        declared.append((day, on))
    evidence = Evidence(published=published, judged_from=judged_from)
    settings = CoverageSettings(None, HANOI, 1, {}, (), late_grace_days=grace)
    report = audit(posts, settings, today, evidence)
    got = {v.quarter.key: str(v.status) for v in report.quarters}
    assert got == late_reference(declared, judged_from, grace, today)
    data = to_json(report)
    assert data["complete"] == (not any(s in ("missing", "late") for s in got.values()))
    assert data["missing"] == [k for k, s in got.items() if s in ("missing", "late")]
    for item in data["quarters"]:
        assert item["on_time"] == sum(1 for post in item["posts"] if not post["late"])


def test_late_post_is_named_with_both_dates_and_the_action_month_counts() -> None:
    """Written in December, dated 10 August: Q3 is late, and the audit says why."""
    backdated = Post("posts/a.md", "a.md", "Hè vui", datetime(2025, 8, 10, tzinfo=HANOI), "he-vui")
    month = Post("posts/b.md", "b.md", "Tháng hành động", datetime(2025, 11, 20, tzinfo=HANOI), "thang")
    published = {
        "a.md": datetime(2025, 12, 2, 10, tzinfo=HANOI),
        "b.md": datetime(2025, 12, 20, 10, tzinfo=HANOI),  # after 15/12 + 3 days
    }
    evidence = Evidence(published=published, judged_from=Quarter(2025, 3))
    settings = CoverageSettings(Quarter(2025, 3), HANOI, 1, {}, (ACTION,), late_grace_days=3)
    report = audit([backdated, month], settings, date(2026, 1, 5), evidence)
    q3, q4, q1 = report.quarters
    assert (q3.status, q3.count, q3.on_time) == ("late", 1, 0) and q3.posts[0].late
    assert q4.status == "ok"  # 20/12 is within Q4 itself
    assert q1.status == "due"
    (action,) = report.observances
    assert action.status == "late" and action.failing
    assert not report.complete
    assert [v.label for v in report.shortfalls] == ["Quý III/2025", "Tháng hành động vì bình đẳng giới 2025"]
    text = text_table(report)
    assert "Hè vui — ghi ngày 10/08/2025, lên trang ngày 02/12/2025" in text
    assert "Thiếu: Quý III/2025 (bổ sung muộn), Tháng hành động vì bình đẳng giới 2025 (bổ sung muộn)" in text


def test_quarters_before_history_keep_their_declared_dates() -> None:
    old = Post("posts/a.md", "a.md", "Cũ", datetime(2023, 5, 1, tzinfo=HANOI), "cu")
    published = {"a.md": datetime(2026, 11, 23, 16, tzinfo=HANOI)}  # imported into the repository later
    evidence = Evidence(published=published, judged_from=Quarter(2026, 4))
    report = audit([old], CoverageSettings(Quarter(2023, 2), HANOI), date(2026, 11, 24), evidence)
    assert report.quarters[0].status == "ok" and not report.quarters[0].checked
    # The day it was moved into this site is no publication date: it would read as back-dating.
    assert report.quarters[0].posts[0].published_at is None
    assert report.checked_from == Quarter(2026, 4)
