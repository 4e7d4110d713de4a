"""Reminders while there is time: hooks/reminders.py against a fake GitHub API on 127.0.0.1.

Each test builds a tiny site in tmp_path, sets "today" through SOURCE_DATE_EPOCH and runs the
nightly command against a fake GitHub that keeps its issues between nights, as the real one does.
"""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT, epoch, post, serving, write_site

from hooks import coverage_json, reminders
from hooks.coverage import audit
from hooks.posts import load_catalog
from hooks.settings import SettingsError, coverage_settings, school_settings

REPO = "mnhoasen/chuyen-muc"
SITE = "https://truong-thu.example/"


class FakeGitHub(http.server.BaseHTTPRequestHandler):
    """Issues, comments and labels of one repository, kept in memory; ``status`` fails every call."""

    status = 200
    failing: set[str] = set()  # methods answered with 500 while ``status`` is 200
    issues: dict[int, dict[str, Any]] = {}
    comments: list[tuple[int, str]] = []
    labels: set[str] = set()
    seen: list[tuple[str, str, dict[str, str]]] = []

    def _answer(self, status: int, body: object = None) -> None:
        data = json.dumps(body if body is not None else {}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"{}")

    def _route(self, method: str) -> None:
        parts = urlsplit(self.path)
        self.seen.append((method, self.path, {k.lower(): v for k, v in self.headers.items()}))
        if self.status != 200 or method in self.failing:
            return self._answer(500 if method in self.failing else self.status, {"message": "Server Error"})
        prefix = f"/repos/{REPO}/"
        if not parts.path.startswith(prefix):
            return self._answer(404, {"message": "Not Found"})
        path = parts.path.removeprefix(prefix).split("/")
        if method == "GET" and path == ["issues"]:
            query = parse_qs(parts.query)
            assert query["labels"] == [reminders.LABEL] and query["state"] == ["all"]
            found = [i for i in self.issues.values() if reminders.LABEL in i["labels"]]
            pull = {"number": 999, "title": "PR", "body": "", "state": "open", "pull_request": {}}
            return self._answer(200, [*found, pull])
        if method == "GET" and path[0] == "labels":
            return self._answer(200 if path[1] in self.labels else 404, {"name": path[1]})
        if method == "POST" and path == ["labels"]:
            self.labels.add(self._body()["name"])
            return self._answer(201, {})
        if method == "POST" and path == ["issues"]:
            body = self._body()
            number = len(self.issues) + 1
            labels = [
                name for name in body.get("labels", []) if name in self.labels
            ]  # as GitHub: unknown dropped
            self.issues[number] = {
                "number": number,
                "title": body["title"],
                "body": body["body"],
                "state": "open",
                "labels": labels,
                "html_url": f"https://github.com/{REPO}/issues/{number}",
            }
            return self._answer(201, self.issues[number])
        if method == "PATCH" and path[0] == "issues":
            issue = self.issues[int(path[1])]
            issue.update(self._body())
            return self._answer(200, issue)
        if method == "POST" and path[0] == "issues" and path[2] == "comments":
            self.comments.append((int(path[1]), self._body()["body"]))
            return self._answer(201, {})
        return self._answer(404, {"message": "Not Found"})

    def do_GET(self) -> None:  # noqa: N802
        self._route("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._route("POST")

    def do_PATCH(self) -> None:  # noqa: N802
        self._route("PATCH")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def api() -> Iterator[str]:
    FakeGitHub.status, FakeGitHub.issues, FakeGitHub.comments, FakeGitHub.failing = 200, {}, [], set()
    FakeGitHub.labels, FakeGitHub.seen = set(), []
    with serving(FakeGitHub) as address:
        yield address


def env(api: str, today: int, summary: Path, **extra: str) -> dict[str, str]:
    return {
        "GITHUB_API_URL": api,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_TOKEN": "ghs_test",
        "GITHUB_STEP_SUMMARY": str(summary),
        "SITE_URL": SITE,
        "SOURCE_DATE_EPOCH": str(today),
        **extra,
    }


def night(root: Path, environment: dict[str, str]) -> str:
    """One nightly run, in-process; returns what it wrote to the run's summary."""
    summary = Path(environment["GITHUB_STEP_SUMMARY"])
    summary.unlink(missing_ok=True)
    assert reminders.main(["--config", str(root / "mkdocs.yml")], environment) == 0
    return summary.read_text(encoding="utf-8")


# An old post fills 2026-Q3, so the audit starts there; Q4 2026 is empty unless a test adds a post.
OLD = {"2026/ngay-gia-dinh.md": post("Ngày Gia đình Việt Nam", "2026-06-28")}


@pytest.fixture
def school(tmp_path: Path) -> Path:
    extra = """
        school:
          name: Trường Mầm non Hoa Sen
          github: [lan-nguyen, "@hieu-truong"]
    """
    return write_site(tmp_path / "site", OLD, extra=extra)


def mutations() -> list[tuple[str, str]]:
    return [(m, p) for m, p, _ in FakeGitHub.seen if m != "GET"]


def test_twelve_days_before_the_quarter_ends_one_issue_is_opened(
    school: Path, api: str, tmp_path: Path
) -> None:
    text = night(school, env(api, epoch(2026, 12, 20), tmp_path / "summary.md"))
    (issue,) = FakeGitHub.issues.values()
    assert issue["title"] == "Quý IV/2026 chưa có bài: còn 12 ngày"
    assert issue["labels"] == [reminders.LABEL]  # the label made first, so the issue is found again
    body = issue["body"]
    assert "<!-- chuyen-muc-nhac: 2026-Q4 -->" in body
    assert "@lan-nguyen @hieu-truong" in body
    assert "Còn **12 ngày**" in body and "01/10/2026 – 31/12/2026" in body
    assert f"{SITE}huong-dan/" in body and f"{SITE}admin/" in body
    assert "Đã mở việc nhắc #1: Quý IV/2026 chưa có bài: còn 12 ngày" in text
    headers = FakeGitHub.seen[0][2]
    assert headers["authorization"] == "Bearer ghs_test"
    assert headers["x-github-api-version"] == reminders.API_VERSION


def test_the_next_night_updates_the_same_issue_and_a_rerun_changes_nothing(
    school: Path, api: str, tmp_path: Path
) -> None:
    night(school, env(api, epoch(2026, 12, 20), tmp_path / "s.md"))
    FakeGitHub.seen.clear()
    night(school, env(api, epoch(2026, 12, 20), tmp_path / "s.md"))  # the run is retried the same night
    assert mutations() == [] and len(FakeGitHub.issues) == 1
    text = night(school, env(api, epoch(2026, 12, 21), tmp_path / "s.md"))
    (issue,) = FakeGitHub.issues.values()
    assert issue["title"] == "Quý IV/2026 chưa có bài: còn 11 ngày" and "Còn **11 ngày**" in issue["body"]
    assert mutations() == [("PATCH", f"/repos/{REPO}/issues/1")]
    assert "Đã cập nhật việc nhắc #1" in text


def test_a_post_closes_the_issue_with_a_comment_naming_it(school: Path, api: str, tmp_path: Path) -> None:
    night(school, env(api, epoch(2026, 12, 20), tmp_path / "s.md"))
    (school / "posts" / "2026" / "ngay-hoi.md").write_text(
        post("Ngày hội bé trai bé gái", "2026-12-22"), encoding="utf-8"
    )
    text = night(school, env(api, epoch(2026, 12, 22), tmp_path / "s.md"))
    issue = FakeGitHub.issues[1]
    assert issue["state"] == "closed" and issue["state_reason"] == "completed"
    ((number, comment),) = FakeGitHub.comments
    assert number == 1 and "Ngày hội bé trai bé gái" in comment
    assert f"[Ngày hội bé trai bé gái]({SITE}bai-viet/ngay-hoi-be-trai-be-gai/) (ngày 22/12/2026)" in comment
    assert "Đã đóng việc nhắc #1: Quý IV/2026 đã có bài" in text
    FakeGitHub.seen.clear()
    night(school, env(api, epoch(2026, 12, 23), tmp_path / "s.md"))
    assert mutations() == [] and len(FakeGitHub.issues) == 1  # closed stays closed, no second one


def test_mid_quarter_with_sixty_days_left_nothing_is_opened(school: Path, api: str, tmp_path: Path) -> None:
    # 1 November: Q4 has 61 days left and the Action Month has not begun.
    text = night(school, env(api, epoch(2026, 11, 1), tmp_path / "s.md"))
    assert FakeGitHub.issues == {} and mutations() == []
    assert "Quý IV/2026: chưa có bài, còn 61 ngày; sẽ nhắc khi còn 21 ngày." in text


def test_the_first_day_of_the_action_month_opens_one(school: Path, api: str, tmp_path: Path) -> None:
    text = night(school, env(api, epoch(2026, 11, 15), tmp_path / "s.md"))
    (issue,) = FakeGitHub.issues.values()
    assert issue["title"] == "Tháng hành động vì bình đẳng giới 2026 chưa có bài: còn 31 ngày"
    assert "<!-- chuyen-muc-nhac: 2026-thang-hanh-dong-vi-binh-dang-gioi -->" in issue["body"]
    assert "15/11/2026 – 15/12/2026" in issue["body"]
    assert "Quý IV/2026: chưa có bài, còn 47 ngày" in text  # the quarter waits for its 21 days
    # The second day updates it (30 days is more than remind_days, but the issue is already open).
    night(school, env(api, epoch(2026, 11, 16), tmp_path / "s.md"))
    assert len(FakeGitHub.issues) == 1 and FakeGitHub.issues[1]["title"].endswith("còn 30 ngày")


def test_a_quarter_that_ends_unfilled_gets_a_last_comment_and_stays_open(tmp_path: Path, api: str) -> None:
    site = write_site(tmp_path / "site", {}, extra="coverage:\n  action_month: false")  # no post at all
    night(site, env(api, epoch(2026, 12, 30), tmp_path / "s.md"))
    assert FakeGitHub.issues[1]["title"] == "Quý IV/2026 chưa có bài: còn 2 ngày"
    # 1 January: Q4 is over (the audit of a site with no post would start at Q1 2027: it reaches back).
    text = night(site, env(api, epoch(2027, 1, 1), tmp_path / "s.md"))
    issue = FakeGitHub.issues[1]
    assert issue["state"] == "open" and issue["title"] == "Quý IV/2026 đã hết mà chưa có bài"
    ((number, comment),) = FakeGitHub.comments
    assert number == 1 and comment.startswith("Quý IV/2026 đã hết mà chưa có bài")
    assert "Thiếu bài" in comment
    assert "Đã ghi lời nhắc cuối vào việc nhắc #1" in text
    night(site, env(api, epoch(2027, 1, 2), tmp_path / "s.md"))
    assert len(FakeGitHub.comments) == 1 and len(FakeGitHub.issues) == 1  # said once


def test_remind_days_is_read_from_the_settings(tmp_path: Path, api: str) -> None:
    site = write_site(tmp_path / "site", OLD, extra="coverage:\n  remind_days: 5\n  action_month: false")
    night(site, env(api, epoch(2026, 12, 20), tmp_path / "s.md"))
    assert FakeGitHub.issues == {}
    night(site, env(api, epoch(2026, 12, 27), tmp_path / "s.md"))
    assert FakeGitHub.issues[1]["title"] == "Quý IV/2026 chưa có bài: còn 5 ngày"


def test_an_api_error_is_said_in_vietnamese_and_the_run_goes_on(
    school: Path, api: str, tmp_path: Path
) -> None:
    FakeGitHub.status = 500
    text = night(school, env(api, epoch(2026, 12, 20), tmp_path / "s.md"))
    assert "Không nhắc việc được: GitHub trả lời HTTP 500: Server Error khi đọc các việc nhắc đã có" in text
    assert "Đêm sau sẽ thử lại" in text and mutations() == []


def test_no_token_or_no_api_is_said_in_vietnamese_with_exit_0(school: Path, tmp_path: Path) -> None:
    environment = env("http://127.0.0.1:9", epoch(2026, 12, 20), tmp_path / "s.md")
    text = night(school, environment)
    assert "không kết nối được tới http://127.0.0.1:9" in text
    del environment["GITHUB_TOKEN"]
    text = night(school, environment)
    assert "thiếu biến môi trường GITHUB_TOKEN" in text and "issues: write" in text
    assert "Cần nhắc (chưa gửi được): Quý IV/2026 chưa có bài: còn 12 ngày" in text


@pytest.mark.build
def test_the_command_runs_as_the_workflow_runs_it(school: Path, api: str, tmp_path: Path) -> None:
    """`python -m hooks.reminders` in the site's folder; the address is the Pages one when SITE_URL is unset."""
    environment = env(api, epoch(2026, 12, 20), tmp_path / "s.md", PYTHONPATH=str(ROOT))
    del environment["SITE_URL"]
    done = subprocess.run(
        [sys.executable, "-m", "hooks.reminders"], cwd=school, env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "Đã mở việc nhắc #1" in done.stdout and "Traceback" not in done.stderr
    assert "https://mnhoasen.github.io/chuyen-muc/huong-dan/" in FakeGitHub.issues[1]["body"]
    refused = subprocess.run(
        [sys.executable, "-m", "hooks.reminders"],
        cwd=school,
        env={**environment, "GITHUB_TOKEN": "", "GITHUB_STEP_SUMMARY": ""},
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 0 and "thiếu biến môi trường GITHUB_TOKEN" in refused.stdout


# --- settings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, -3, "21", True, 2.5])
def test_bad_remind_days_is_refused_by_name(value: object, tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="extra.coverage.remind_days"):
        coverage_settings({"coverage": {"remind_days": value}}, tmp_path)


def test_remind_days_defaults_to_21(tmp_path: Path) -> None:
    assert coverage_settings({}, tmp_path).remind_days == 21
    assert coverage_settings({"coverage": {"remind_days": 30}}, tmp_path).remind_days == 30


@pytest.mark.parametrize(
    ("value", "handles"),
    [
        ("lan-nguyen", ("lan-nguyen",)),
        ("@lan-nguyen", ("lan-nguyen",)),
        (["lan-nguyen", "@hieu-truong", "lan-nguyen"], ("lan-nguyen", "hieu-truong")),
        ("truong-hoa-sen/ban-bien-tap", ("truong-hoa-sen/ban-bien-tap",)),
    ],
)
def test_github_handles_are_one_or_a_list(value: object, handles: tuple[str, ...]) -> None:
    assert school_settings({"school": {"github": value}}, "Trường").github == handles
    assert school_settings({}, "Trường").github == ()


@pytest.mark.parametrize("value", ["Nguyễn Thị Lan", "lan nguyen", "-lan", [], ["ok", 3], {"a": 1}, ""])
def test_bad_github_handles_are_refused_by_name(value: object) -> None:
    with pytest.raises(SettingsError, match="extra.school.github"):
        school_settings({"school": {"github": value}}, "Trường")


# --- pure parts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("repository", "address"),
    [
        ("mnhoasen/chuyen-muc", "https://mnhoasen.github.io/chuyen-muc/"),
        ("MNHoaSen/MNHoaSen.github.io", "https://mnhoasen.github.io/"),
        ("", None),
    ],
)
def test_the_pages_address_of_a_repository(repository: str, address: str | None) -> None:
    assert reminders.pages_address(repository) == address


def test_an_issue_is_known_by_its_marker_not_its_title() -> None:
    issue = reminders.Issue(4, "Tiêu đề do cô Lan sửa", "<!-- chuyen-muc-nhac: 2026-Q4 -->\nabc", True)
    assert issue.key == "2026-Q4" and not issue.ended
    assert reminders.Issue(5, "x", "không có dấu", True).key is None


# --- the district's "Sắp đến hạn" -------------------------------------------------------------------


def school_report(folder: Path, posts: dict[str, str], as_of: date) -> str:
    """A school's coverage.json as its own nightly build would publish it on ``as_of``."""
    root = write_site(folder, posts)
    settings = coverage_settings({}, root)
    catalog = load_catalog(root / "posts", settings.timezone, as_of, summaries=False)
    return coverage_json.dumps(audit(catalog.published, settings, as_of), "https://truong.example/")


@pytest.fixture
def district(tmp_path: Path) -> Path:
    extra = """
        school:
          name: Phòng Giáo dục và Đào tạo quận
          github: hoa-tran
        column:
          posts_dir: posts
        coverage:
          action_month: false
        district:
          schools: schools.yml
    """
    root = write_site(
        tmp_path / "district", {"2026/tin.md": post("Tin của phòng", "2026-10-05")}, extra=extra
    )
    (root / "schools.yml").write_text(
        "- name: Trường Mầm non Hoa Sen\n  report: reports/hoa-sen.json\n"
        "- name: Trường Tiểu học Kim Đồng\n  report: reports/kim-dong.json\n",
        encoding="utf-8",
    )
    return root


def reports(district: Path, as_of: date, kim_dong: dict[str, str]) -> None:
    folder = district / "reports"
    folder.mkdir(exist_ok=True)
    work = district.parent / "schools"
    hoa_sen = {**OLD, "2026/q4.md": post("Bé vui đến trường", "2026-10-10")}
    (folder / "hoa-sen.json").write_text(school_report(work / "hoa-sen", hoa_sen, as_of), encoding="utf-8")
    (folder / "kim-dong.json").write_text(
        school_report(work / f"kim-dong-{as_of}", {**OLD, **kim_dong}, as_of), encoding="utf-8"
    )


def test_the_district_is_told_which_schools_are_still_empty(district: Path, api: str, tmp_path: Path) -> None:
    reports(district, date(2026, 12, 20), {})
    text = night(district, env(api, epoch(2026, 12, 20), tmp_path / "s.md"))
    (issue,) = FakeGitHub.issues.values()  # the office's own column has its post: only the schools' issue
    assert issue["title"] == "Sắp đến hạn: 1 trường chưa có bài Quý IV/2026, còn 12 ngày"
    body = issue["body"]
    assert "<!-- chuyen-muc-nhac: truong-2026-Q4 -->" in body and "@hoa-tran" in body
    assert "- Trường Tiểu học Kim Đồng: chưa có bài (báo cáo ngày 20/12/2026)" in body
    assert "Hoa Sen" not in body and f"{SITE}tong-hop/" in body
    assert "Đã mở việc nhắc #1: Sắp đến hạn" in text
    FakeGitHub.seen.clear()
    night(district, env(api, epoch(2026, 12, 20), tmp_path / "s.md"))
    assert mutations() == []  # a rerun the same night
    # Kim Đồng posts: the next night closes the issue.
    reports(district, date(2026, 12, 21), {"2026/q4.md": post("Ngày hội", "2026-12-21")})
    night(district, env(api, epoch(2026, 12, 21), tmp_path / "s.md"))
    assert FakeGitHub.issues[1]["state"] == "closed"
    ((_, comment),) = FakeGitHub.comments
    assert comment.startswith("Tất cả 2 trường đã có bài Quý IV/2026")


def test_the_district_issue_names_the_schools_that_missed_the_quarter(
    district: Path, api: str, tmp_path: Path
) -> None:
    reports(district, date(2026, 12, 30), {})
    night(district, env(api, epoch(2026, 12, 30), tmp_path / "s.md"))
    reports(district, date(2026, 12, 31), {})  # the schools' last reports of the quarter
    night(district, env(api, epoch(2027, 1, 1), tmp_path / "s.md"))
    issue = FakeGitHub.issues[1]
    assert issue["state"] == "open" and issue["title"] == "Quý IV/2026 đã hết: 1 trường chưa có bài"
    ((_, comment),) = FakeGitHub.comments
    assert "- Trường Tiểu học Kim Đồng: chưa có bài" in comment
    night(district, env(api, epoch(2027, 1, 2), tmp_path / "s.md"))
    assert len(FakeGitHub.comments) == 1 and len(FakeGitHub.issues) == 1


# --- decisions, without GitHub ------------------------------------------------------------------------


def quarter_period(
    status: reminders.Status, left: int | None = None, reason: str | None = None
) -> reminders.Period:
    q = reminders.Quarter(2026, 4)
    return reminders.Period(q.key, q.label, q.start, q.end, status, 1, (), left, reason)


CTX = reminders.Context(date(2026, 12, 20), SITE)
MARKED = "<!-- chuyen-muc-nhac: 2026-Q4 -->\n"


def test_a_reminder_closed_by_hand_is_not_opened_again() -> None:
    closed = reminders.Issue(3, "Quý IV/2026 chưa có bài: còn 15 ngày", MARKED, open=False)
    actions, notes = reminders.plan([quarter_period(reminders.Status.DUE, 12)], [closed], CTX)
    assert actions == [] and notes == ["Quý IV/2026: việc nhắc #3 đã được đóng, không nhắc lại."]


def test_an_excused_quarter_closes_its_reminder_with_the_reason() -> None:
    issue = reminders.Issue(3, "x", MARKED, open=True)
    period = quarter_period(reminders.Status.EXCUSED, reason="trường sáp nhập")
    (action,), _ = reminders.plan([period], [issue], CTX)
    assert action.kind is reminders.Kind.CLOSE and "được miễn: trường sáp nhập" in action.comment


def test_a_post_within_the_grace_days_closes_a_reminder_that_had_said_its_last_word() -> None:
    ended = reminders.Issue(3, "Quý IV/2026 đã hết mà chưa có bài", MARKED + reminders.ENDED, open=True)
    (action,), _ = reminders.plan([quarter_period(reminders.Status.OK)], [ended], CTX)
    assert action.kind is reminders.Kind.CLOSE
    assert reminders.plan([quarter_period(reminders.Status.MISSING)], [ended], CTX) == ([], [])


def test_one_failing_call_is_said_and_the_others_go_on(school: Path, api: str, tmp_path: Path) -> None:
    night(school, env(api, epoch(2026, 11, 15), tmp_path / "s.md"))  # the Action Month's issue
    FakeGitHub.failing = {"PATCH"}
    text = night(school, env(api, epoch(2026, 12, 20), tmp_path / "s.md"))
    assert "Lỗi: GitHub trả lời HTTP 500: Server Error khi sửa việc nhắc #1. Đêm sau sẽ thử lại." in text
    assert "Đã mở việc nhắc #2: Quý IV/2026 chưa có bài: còn 12 ngày" in text
    assert FakeGitHub.comments == []  # the last word waits for its marker: never said twice
