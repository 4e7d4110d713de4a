"""The audit judged against the site's git history: a real repository, commit dates set per commit,
built with the real `mkdocs build` and audited by the auditors' command; both agree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, Build, clean_env, epoch, post, run_build, run_coverage, write_site

pytestmark = pytest.mark.build

TODAY = epoch(2026, 1, 10)


@pytest.fixture(scope="module")
def git_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """No system or user git config, a fixed author, and no repository above the test folders."""
    home = tmp_path_factory.mktemp("git-home")
    config = home / "gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    return {
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(config),
        "GIT_CEILING_DIRECTORIES": str(home.parent),
        "GIT_AUTHOR_NAME": "Cô Lan",
        "GIT_AUTHOR_EMAIL": "lan@example.edu.vn",
        "GIT_COMMITTER_NAME": "Cô Lan",
        "GIT_COMMITTER_EMAIL": "lan@example.edu.vn",
    }


def git(root: Path, env: dict[str, str], *args: str, when: str | None = None) -> str:
    dated = {**os.environ, **env}
    if when:
        dated.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    done = subprocess.run(["git", *args], cwd=root, env=dated, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def commit(root: Path, env: dict[str, str], when: str, message: str = "cập nhật") -> None:
    git(root, env, "add", "-A")
    git(root, env, "commit", "-q", "-m", message, when=when)


@pytest.fixture(scope="module")
def history_site(tmp_path_factory: pytest.TempPathFactory, git_env: dict[str, str]) -> Path:
    """A column kept in git through 2025, with the mistakes an audit must see through.

    - Q1: a post committed on time, later renamed (keeps its first publication);
    - Q2: a draft written in May, published in late July: late;
    - Q3: a post written in December and dated 10 August (backdated): late;
    - Q4: the Action Month post written on a branch on 21/11 and merged on 28/12: the quarter
      is filled in time, the Action Month (15/11-15/12, 7 days' grace) is not.
    """
    root = write_site(
        tmp_path_factory.mktemp("history"),
        {"2025/q1.md": post("Bài quý một", "2025-01-04")},
        extra="coverage:\n  start: 2025-Q1\n",
        docs={"index.md": "# Chuyên mục\n"},
    )
    env = git_env
    git(root, env, "init", "-q")
    commit(root, env, "2025-01-05T09:00:00+07:00", "Mở chuyên mục")
    (root / "posts/2025/q2.md").write_text(post("Bài quý hai", "2025-05-01", draft="true"), encoding="utf-8")
    commit(root, env, "2025-05-02T09:00:00+07:00")
    git(root, env, "mv", "posts/2025/q1.md", "posts/2025/2025-01-04-bai-quy-mot.md")
    commit(root, env, "2025-06-01T09:00:00+07:00", "Đổi tên tệp")
    (root / "posts/2025/q2.md").write_text(post("Bài quý hai", "2025-05-01"), encoding="utf-8")
    commit(root, env, "2025-07-20T09:00:00+07:00", "Đăng bài quý hai")
    git(root, env, "checkout", "-q", "-b", "thang-hanh-dong")
    (root / "posts/2025/thang.md").write_text(post("Tháng hành động 2025", "2025-11-20"), encoding="utf-8")
    commit(root, env, "2025-11-21T09:00:00+07:00", "Bài Tháng hành động")
    git(root, env, "checkout", "-q", "main")
    git(
        root,
        env,
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Duyệt bài",
        "thang-hanh-dong",
        when="2025-12-28T09:00:00+07:00",
    )
    (root / "posts/2025/he.md").write_text(post("Hè vui", "2025-08-10"), encoding="utf-8")
    commit(root, env, "2025-12-02T09:00:00+07:00", "Bài viết bù")
    return root


@pytest.fixture(scope="module")
def history_build(history_site: Path, git_env: dict[str, str]) -> Build:
    return run_build(history_site, today=TODAY, env=git_env)


def test_history_decides_what_filled_each_quarter(history_build: Build) -> None:
    assert history_build.code == 0, history_build.log
    data = json.loads((history_build.site / "bao-cao/coverage.json").read_text(encoding="utf-8"))
    assert data["history"] == {"checked_from": "2025-Q1", "reason": None}
    assert [(q["quarter"], q["status"], q["count"], q["on_time"]) for q in data["quarters"]] == [
        ("2025-Q1", "ok", 1, 1),
        ("2025-Q2", "late", 1, 0),
        ("2025-Q3", "late", 1, 0),
        ("2025-Q4", "ok", 1, 1),
        ("2026-Q1", "due", 0, 0),
    ]
    posts = {p["title"]: p for q in data["quarters"] for p in q["posts"]}
    assert posts["Bài quý một"]["published_at"] == "2025-01-05T09:00:00+07:00"  # renamed since
    assert posts["Bài quý hai"]["published_at"] == "2025-07-20T09:00:00+07:00"  # not the draft's commit
    assert posts["Hè vui"]["published_at"] == "2025-12-02T09:00:00+07:00" and posts["Hè vui"]["late"]
    assert posts["Tháng hành động 2025"]["published_at"] == "2025-12-28T09:00:00+07:00"  # the merge
    (action,) = data["observances"]
    assert (action["year"], action["status"], action["on_time"]) == (2025, "late", 0)
    assert data["complete"] is False and data["missing"] == ["2025-Q2", "2025-Q3"]
    assert data["missing_observances"] == [
        {"name": "Tháng hành động vì bình đẳng giới", "year": 2025, "status": "late"}
    ]
    gaps = [line for line in history_build.log.splitlines() if "BÁO CÁO:" in line]
    assert len(gaps) == 3 and all("bổ sung muộn" in line for line in gaps)
    assert "posts/2025/he.md ngày 02/12/2025" in history_build.log


def test_report_page_and_csv_show_both_dates(history_build: Build) -> None:
    page = history_build.page("bao-cao")
    for phrase in (
        "Chưa đạt: còn thiếu 3 mục bắt buộc",
        "<strong>Quý III/2025</strong>: Bổ sung muộn (1 bài, 0 đúng hạn)",
        "<strong>Tháng hành động vì bình đẳng giới 2025</strong>: Bổ sung muộn",
        "<td>10/08/2025</td>",
        "<td>02/12/2025</td>",
        "Bổ sung muộn: lên trang sau hạn 07/10/2025 (7 ngày sau khi hết quý), nên không tính cho quý này",
        "theo đồng hồ máy của người công bố bài",
    ):
        assert phrase in page, phrase
    csv_text = (history_build.site / "bao-cao/coverage.csv").read_bytes().decode("utf-8-sig")
    assert "Hè vui (2025-08-10; 2025-12-02, bổ sung muộn)" in csv_text


def test_command_agrees_with_the_build(
    history_site: Path, history_build: Build, git_env: dict[str, str]
) -> None:
    built = (history_build.site / "bao-cao/coverage.json").read_text(encoding="utf-8")
    result = run_coverage(history_site, "--format", "json", today=TODAY, env=git_env)
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout) == json.loads(built)
    text = run_coverage(history_site, today=TODAY, env=git_env).stdout
    assert "Hè vui — ghi ngày 10/08/2025, lên trang ngày 02/12/2025" in text


def test_history_from_keeps_older_quarters_on_their_declared_dates(
    history_site: Path, git_env: dict[str, str], tmp_path: Path
) -> None:
    config = history_site / "later.yml"
    config.write_text(
        (history_site / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .replace("start: 2025-Q1", "start: 2025-Q1\n    history_from: 2025-Q4"),
        encoding="utf-8",
    )
    data = json.loads(
        run_coverage(
            history_site, "--format", "json", "--config", "later.yml", today=TODAY, env=git_env
        ).stdout
    )
    assert [q["status"] for q in data["quarters"]] == ["ok", "ok", "ok", "ok", "due"]
    assert [q["checked"] for q in data["quarters"]] == [False, False, False, True, True]
    assert data["missing_observances"][0]["status"] == "late"  # the Action Month lies in 2025-Q4


def test_a_shallow_clone_is_an_error_in_actions_and_a_warning_elsewhere(
    history_site: Path, git_env: dict[str, str], tmp_path: Path
) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, git_env, "clone", "-q", "--depth", "1", f"file://{history_site}", str(clone))
    in_actions = run_build(clone, today=TODAY, env={**git_env, "GITHUB_ACTIONS": "true"})
    assert in_actions.code == 1 and "fetch-depth: 0" in in_actions.log and "Traceback" not in in_actions.log
    local = run_build(clone, today=TODAY, env=git_env)
    assert local.code == 0 and "shallow clone" in local.log
    data = json.loads((local.site / "bao-cao/coverage.json").read_text(encoding="utf-8"))
    assert data["history"]["checked_from"] is None and "shallow" in data["history"]["reason"]
    assert run_coverage(clone, today=TODAY, env={**git_env, "GITHUB_ACTIONS": "true"}).returncode == 2


def test_a_missed_action_month_fails_the_command_the_page_the_json_and_the_district(tmp_path: Path) -> None:
    """Every quarter of 2025 has a post, but none falls in 15/11-15/12."""
    posts = {
        "q1.md": post("Quý một", "2025-02-01"),
        "q2.md": post("Quý hai", "2025-05-01"),
        "q3.md": post("Quý ba", "2025-08-01"),
        "q4.md": post("Ngày Phụ nữ Việt Nam", "2025-10-20"),
    }
    root = write_site(tmp_path / "site", posts, extra="coverage:\n  start: 2025-Q1\n")
    today = epoch(2025, 12, 20)
    build = run_build(root, today=today)
    assert build.code == 0, build.log
    data = json.loads((build.site / "bao-cao/coverage.json").read_text(encoding="utf-8"))
    assert data["missing"] == [] and data["complete"] is False
    assert data["missing_observances"] == [
        {"name": "Tháng hành động vì bình đẳng giới", "year": 2025, "status": "missing"}
    ]
    page = build.page("bao-cao")
    assert "admonition success" not in page
    assert "<strong>Tháng hành động vì bình đẳng giới 2025</strong>: Thiếu bài" in page
    result = run_coverage(root, "--format", "json", today=today)
    assert result.returncode == 1 and json.loads(result.stdout) == data
    schools = tmp_path / "schools.yml"
    schools.write_text(
        f"- name: Trường A\n  report: {build.site / 'bao-cao/coverage.json'}\n", encoding="utf-8"
    )
    district = subprocess.run(
        [sys.executable, "-m", "hooks.district", "--schools", str(schools), "--format", "json"],
        cwd=tmp_path,
        env=clean_env(today, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
    )
    assert district.returncode == 1, district.stderr
    (school,) = json.loads(district.stdout)["schools"]
    assert school["state"] == "missing" and school["missing_observances"] == [
        {"name": "Tháng hành động vì bình đẳng giới", "year": 2025}
    ]
