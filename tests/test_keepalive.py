"""The nightly run keeps itself on: hooks/keepalive.py against a fake GitHub API on 127.0.0.1."""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
from collections.abc import Iterator

import pytest
import yaml
from conftest import ROOT, serving

from hooks import keepalive


class FakeGitHub(http.server.BaseHTTPRequestHandler):
    """Answers PUT /repos/{repo}/actions/workflows/{file}/enable as GitHub does (204), or with ``status``."""

    status = 204
    seen: list[tuple[str, str, dict[str, str]]] = []

    def do_PUT(self) -> None:  # noqa: N802
        self.seen.append(("PUT", self.path, {k.lower(): v for k, v in self.headers.items()}))
        self.send_response(self.status)
        if self.status == 204:
            self.end_headers()
            return
        body = json.dumps({"message": "Resource not accessible by integration"}).encode()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def api() -> Iterator[str]:
    FakeGitHub.status, FakeGitHub.seen = 204, []
    with serving(FakeGitHub) as address:
        yield address


def env(api: str) -> dict[str, str]:
    return {
        "GITHUB_API_URL": api,
        "GITHUB_REPOSITORY": "mnhoasen/chuyen-muc",
        "GITHUB_WORKFLOW_REF": "mnhoasen/chuyen-muc/.github/workflows/pages.yml@refs/heads/main",
        "GITHUB_TOKEN": "ghs_test",
    }


def run(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """As the keepalive job runs it: the runner's Python, nothing installed (-S: no site-packages)."""
    return subprocess.run(
        [sys.executable, "-S", "-m", "hooks.keepalive"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_the_nightly_run_enables_its_own_workflow(api: str) -> None:
    result = run(env(api))
    assert result.returncode == 0, result.stderr
    assert "Đã giữ lịch chạy hằng đêm của pages.yml" in result.stdout
    ((method, path, headers),) = FakeGitHub.seen
    assert (method, path) == ("PUT", "/repos/mnhoasen/chuyen-muc/actions/workflows/pages.yml/enable")
    assert headers["authorization"] == "Bearer ghs_test"
    assert headers["x-github-api-version"] == keepalive.API_VERSION


def test_a_refusal_says_which_permission_the_job_needs(api: str) -> None:
    FakeGitHub.status = 403
    result = run(env(api))
    assert result.returncode == 1
    assert "HTTP 403: Resource not accessible by integration" in result.stderr
    assert "actions: write" in result.stderr and "Traceback" not in result.stderr


def test_no_api_or_no_token_is_named_in_vietnamese() -> None:
    assert "không kết nối được" in run(env("http://127.0.0.1:9")).stderr
    missing = run({k: v for k, v in env("http://127.0.0.1:9").items() if k != "GITHUB_TOKEN"})
    assert missing.returncode == 2 and "GITHUB_TOKEN" in missing.stderr


def test_the_workflow_runs_it_nightly_with_only_that_permission() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    job = workflow["jobs"]["keepalive"]
    assert job["permissions"] == {"actions": "write"} and job["if"] == "github.event_name == 'schedule'"
    assert job["steps"][-1]["env"] == {"GITHUB_TOKEN": "${{ github.token }}"}
    assert keepalive.workflow_file("o/r/.github/workflows/pages.yml@refs/heads/main") == "pages.yml"
