"""Publishing: the GitHub Pages workflow (checked, and its shell steps run here) and `mkdocs gh-deploy`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from conftest import ROOT, TODAY_EPOCH, clean_env, post

pytestmark = pytest.mark.build

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
SITE_PARTS = ("mkdocs.yml", "docs", "posts", "hooks", "overrides", "requirements.txt")


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


def copy_site(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in SITE_PARTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest / name)
    return dest


def test_triggers_push_to_main_by_hand_and_nightly_after_midnight_in_ha_noi(workflow: dict) -> None:
    on = workflow["on"]
    assert on["push"] == {"branches": ["main"]} and on["pull_request"] == {"branches": ["main"]}
    assert "workflow_dispatch" in on
    (schedule,) = on["schedule"]
    minute, hour, *rest = schedule["cron"].split()
    assert rest == ["*", "*", "*"]
    run = datetime(2026, 12, 31, int(hour), int(minute), tzinfo=timezone.utc).astimezone(
        ZoneInfo("Asia/Ho_Chi_Minh")
    )
    assert (run.hour, run.minute) == (0, 5)  # just after the day (and the quarter) turns in Hà Nội


def test_least_permissions_and_deploy_only_after_build(workflow: dict) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    keepalive = workflow["jobs"]["keepalive"]
    assert (
        keepalive["permissions"] == {"actions": "write"}
        and keepalive["if"] == "github.event_name == 'schedule'"
    )
    assert keepalive["steps"][-1]["run"] == "python3 -m hooks.keepalive"
    assert "write" not in build["permissions"].values()
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert workflow["concurrency"]["cancel-in-progress"] is False
    # Only the district's job writes the repository, only on a district office's repository, and
    # only its observation log.
    writers = [
        name
        for name, job in workflow["jobs"].items()
        if job.get("permissions", {}).get("contents") == "write"
    ]
    district = workflow["jobs"]["district"]
    assert writers == ["district"] and district["permissions"] == {"contents": "write"}
    assert "vars.PHONG_GDDT == 'true'" in district["if"]
    assert "git add data/observations" in district["steps"][-1]["run"]


def test_actions_are_pinned_to_commits_and_are_the_official_pages_ones(workflow: dict) -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    uses = re.findall(r"uses: (\S+)@(\S+) # (v[\d.]+)", text)
    assert len(uses) == text.count("uses:")
    assert all(re.fullmatch(r"[0-9a-f]{40}", sha) for _, sha, _ in uses)
    names = [name for name, _, _ in uses]
    assert names == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/cache",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
        "actions/checkout",  # keepalive
        "actions/checkout",  # reminders
        "actions/setup-python",
        "actions/checkout",  # district (a district office's repository only)
        "actions/setup-python",
    ]


def test_the_checkout_has_the_whole_history_for_the_audit(workflow: dict) -> None:
    steps = workflow["jobs"]["build"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0


def test_python_comes_from_the_pinned_requirements_with_a_pip_cache(workflow: dict) -> None:
    steps = workflow["jobs"]["build"]["steps"]
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["cache"] == "pip" and setup["with"]["cache-dependency-path"] == "requirements.txt"
    runs = [s["run"] for s in steps if "run" in s]
    assert "-r requirements.txt" in runs[0]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    after = steps[steps.index(upload) + 1 :]
    assert upload["with"]["path"] == "site" and all(s.get("if") == "failure()" for s in after)
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"].split() == [".cache/images", ".cache/share"]
    assert "posts/**/*.jpg" in cache["with"]["key"] and "posts/**/*.avif" in cache["with"]["key"]
    assert steps.index(cache) < steps.index(next(s for s in steps if s.get("id") == "build"))


def run_workflow_steps(
    workflow: dict, site: Path, summary: Path, outcomes: dict[str, str] | None = None
) -> list[subprocess.CompletedProcess[str]]:
    """The build job's shell steps after the install, in order, as the runner would (bash -e):
    after a failure only the ``if: failure()`` steps run, with each step's outcome in ``steps``."""
    steps = [s for s in workflow["jobs"]["build"]["steps"] if "run" in s][1:]
    env = clean_env(
        TODAY_EPOCH, GITHUB_STEP_SUMMARY=str(summary), SITE_URL="https://truong.example/chuyen-muc/"
    )
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = str(site)
    known = {"pages": "success", **(outcomes or {})}
    failed = any(value == "failure" for value in known.values())
    results = []
    for step in steps:
        if "pull_request" in step.get("if", ""):
            continue  # tests/test_changes.py runs the pull request's own step
        if (step.get("if") == "failure()") != failed:
            continue
        step_env = {}
        for key, value in step.get("env", {}).items():
            match = re.fullmatch(r"\$\{\{ steps\.(\w+)\.outcome \}\}", str(value))
            if match:
                step_env[key] = known.get(match[1], "skipped")
            elif "${{" not in str(value):
                step_env[key] = str(value)
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=site,
            env={**env, **step_env},
            capture_output=True,
            text=True,
            timeout=600,
        )
        results.append(result)
        if "id" in step:
            known[step["id"]] = "success" if result.returncode == 0 else "failure"
        if result.returncode != 0:
            failed = True
    return results


def test_workflow_steps_build_the_site_and_summarise_the_audit(workflow: dict, tmp_path: Path) -> None:
    site = copy_site(tmp_path / "repo")
    summary = tmp_path / "summary.md"
    results = run_workflow_steps(workflow, site, summary)
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    # The sample misses 2023-Q3: shown in the job summary, yet the job goes on to publish.
    text = summary.read_text(encoding="utf-8")
    assert "| Quý | Số bài | Kết quả |" in text
    assert "| Quý III/2023 (2023-Q3) | 0 | Thiếu bài |" in text
    assert "Tính đến ngày 23 tháng 11, 2026" in text
    assert (site / "site" / "index.html").is_file()
    # The address comes from the Pages settings (SITE_URL), not from mkdocs.yml's placeholder.
    assert "https://truong.example/chuyen-muc/feed.xml" in (site / "site" / "index.html").read_text(
        encoding="utf-8"
    )


def test_a_broken_post_stops_the_workflow_before_publishing(workflow: dict, tmp_path: Path) -> None:
    site = copy_site(tmp_path / "repo")
    (site / "posts" / "2026" / "hong.md").write_text(post("Bài hỏng", "31/02/2026"), encoding="utf-8")
    summary = tmp_path / "summary.md"
    results = run_workflow_steps(workflow, site, summary)
    assert [r.returncode for r in results] == [1, 0]  # the build, then the explanation
    assert "posts/2026/hong.md" in results[0].stdout + results[0].stderr
    assert "Traceback" not in results[0].stderr
    assert not (site / "site" / "index.html").exists()
    assert "Có bài viết hoặc trang cần sửa" in summary.read_text(encoding="utf-8")


def test_a_first_run_without_pages_explains_what_to_click(workflow: dict, tmp_path: Path) -> None:
    """configure-pages fails on a fork whose Pages is not enabled: the summary says what to do."""
    site = copy_site(tmp_path / "repo")
    summary = tmp_path / "summary.md"
    results = run_workflow_steps(workflow, site, summary, outcomes={"pages": "failure"})
    assert [r.returncode for r in results] == [0]  # only the explanation runs
    text = summary.read_text(encoding="utf-8")
    assert "GitHub Pages chưa được bật" in text and "Settings → Pages" in text and "GitHub Actions" in text


def git(*args: str, cwd: Path) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Quản trị web",
        "GIT_AUTHOR_EMAIL": "web@truong.example",
        "GIT_COMMITTER_NAME": "Quản trị web",
        "GIT_COMMITTER_EMAIL": "web@truong.example",
    }
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def test_gh_deploy_pushes_the_site_to_a_gh_pages_branch(tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git("init", "--bare", "-q", "-b", "main", str(remote), cwd=tmp_path)
    site = copy_site(tmp_path / "repo")
    git("init", "-q", "-b", "main", cwd=site)
    git("add", "-A", cwd=site)
    git("commit", "-q", "-m", "Trang của trường", cwd=site)
    git("remote", "add", "origin", str(remote), cwd=site)
    git("push", "-q", "origin", "main", cwd=site)

    env = clean_env(TODAY_EPOCH)
    for key in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{key}_NAME"] = "Quản trị web"
        env[f"GIT_{key}_EMAIL"] = "web@truong.example"
    deploy = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "mkdocs"), "gh-deploy", "--force", "--no-history"],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert deploy.returncode == 0, deploy.stderr
    names = set(git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split())
    assert {"index.html", ".nojekyll", "bao-cao/index.html", "bao-cao/coverage.json", "feed.xml"} <= names
    assert not any(name.startswith(("posts/", "hooks/")) for name in names)
    report = json.loads(git("show", "gh-pages:bao-cao/coverage.json", cwd=remote))
    assert [q["quarter"] for q in report["quarters"] if q["status"] == "missing"] == ["2023-Q3"]
    assert "main" in git("branch", "--list", cwd=remote)  # the source branch is untouched


def test_a_pull_request_is_built_and_summarised_never_published(workflow: dict) -> None:
    """The editor's "gửi duyệt" opens a pull request: it is built (a mistake shows before merging) and
    its summary names a published post's file it replaces (tests/test_changes.py), but only main deploys."""
    steps = workflow["jobs"]["build"]["steps"]
    (changed,) = [s for s in steps if "hooks.changes" in s.get("run", "")]
    assert changed["if"] == "github.event_name == 'pull_request'"
    assert (
        '--base "origin/${{ github.base_ref }}"' in changed["run"] and "GITHUB_STEP_SUMMARY" in changed["run"]
    )
    assert steps.index(changed) > steps.index(next(s for s in steps if s.get("id") == "build"))
    assert workflow["jobs"]["deploy"]["if"] == "github.ref == 'refs/heads/main'"


def test_the_reminders_job_may_write_issues_only_and_never_holds_up_publishing(
    workflow: dict, tmp_path: Path
) -> None:
    """hooks/reminders.py opens one issue while a quarter can still be filled (tests/test_reminders.py)."""
    jobs = workflow["jobs"]
    job = jobs["reminders"]
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    assert job["if"] == (
        "(github.event_name == 'schedule' || github.event_name == 'workflow_dispatch') "
        "&& github.ref == 'refs/heads/main'"
    )
    assert "needs" not in job and all("reminders" not in str(j.get("needs", "")) for j in jobs.values())
    assert job["continue-on-error"] is True and job["timeout-minutes"] <= 10
    checkout = job["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"] == {"persist-credentials": False, "fetch-depth": 0}  # the audit reads history
    step = job["steps"][-1]
    assert step["run"] == "python -m hooks.reminders" and step["env"] == {
        "GITHUB_TOKEN": "${{ github.token }}"
    }
    # Run as the runner would, without a token: exit 0, and the summary says why in Vietnamese.
    site = copy_site(tmp_path / "repo")
    summary = tmp_path / "summary.md"
    env = clean_env(TODAY_EPOCH, GITHUB_STEP_SUMMARY=str(summary), GITHUB_REPOSITORY="truong/chuyen-muc")
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{env['PATH']}"
    env.pop("GITHUB_TOKEN", None)
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    text = summary.read_text(encoding="utf-8")
    assert "## Nhắc việc chuyên mục bình đẳng giới" in text and "thiếu biến môi trường GITHUB_TOKEN" in text
