"""Keep the nightly publication alive: GitHub turns a scheduled workflow off after 60 days
without activity in a public repository, and a column that posts once a quarter, or is
quiet over Tết, would then stop publishing its scheduled posts and its new quarters.

The Pages workflow's ``keepalive`` job runs this on its nightly run. It asks GitHub's REST
API to enable the workflow (``PUT /repos/{repo}/actions/workflows/{file}/enable``), which
needs only ``actions: write`` and writes no commit. Standard library only: the job runs it
with the runner's own Python, before anything is installed.

    python -m hooks.keepalive   (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_WORKFLOW_REF, GITHUB_API_URL)
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping
from urllib.parse import quote

API_VERSION = "2022-11-28"


class KeepaliveError(RuntimeError):
    """Why the workflow could not be kept on; the message is Vietnamese."""


def workflow_file(ref: str) -> str:
    """``owner/repo/.github/workflows/pages.yml@refs/heads/main`` → ``pages.yml``."""
    path = ref.split("@", 1)[0]
    if "/.github/workflows/" not in path:
        raise KeepaliveError(f"GITHUB_WORKFLOW_REF '{ref}' không chỉ tới một tệp trong .github/workflows/")
    return path.rsplit("/", 1)[-1]


def enable(api: str, repository: str, workflow: str, token: str, timeout: float = 20.0) -> None:
    """Enable (keep enabled) ``workflow`` of ``repository``; raises KeepaliveError."""
    url = f"{api.rstrip('/')}/repos/{repository}/actions/workflows/{quote(workflow)}/enable"
    request = urllib.request.Request(
        url,
        method="PUT",
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token}",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": "chuyen-muc-binh-dang-gioi-keepalive",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if response.status != 204:
                raise KeepaliveError(f"GitHub trả lời HTTP {response.status}, cần 204")
    except urllib.error.HTTPError as exc:
        detail = _message(exc)
        if exc.code in (401, 403):
            raise KeepaliveError(
                f"GitHub từ chối (HTTP {exc.code}{detail}): job keepalive cần quyền 'actions: write' "
                "trong .github/workflows/pages.yml"
            ) from None
        raise KeepaliveError(f"GitHub trả lời HTTP {exc.code}{detail}") from None
    except (urllib.error.URLError, TimeoutError) as exc:
        raise KeepaliveError(f"không kết nối được tới {api} ({getattr(exc, 'reason', exc)})") from None


def _message(exc: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(exc.read() or b"{}")
    except ValueError:
        return ""
    return f": {body['message']}" if isinstance(body, dict) and isinstance(body.get("message"), str) else ""


def main(environ: Mapping[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    missing = [
        name for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_WORKFLOW_REF") if not env.get(name)
    ]
    if missing:
        print(
            f"Lỗi: thiếu biến môi trường {', '.join(missing)} (lệnh này chạy trong GitHub Actions)",
            file=sys.stderr,
        )
        return 2
    try:
        workflow = workflow_file(env["GITHUB_WORKFLOW_REF"])
        enable(
            env.get("GITHUB_API_URL", "https://api.github.com"),
            env["GITHUB_REPOSITORY"],
            workflow,
            env["GITHUB_TOKEN"],
        )
    except KeepaliveError as exc:
        print(f"Lỗi: không giữ được lịch chạy hằng đêm: {exc}", file=sys.stderr)
        return 1
    print(f"Đã giữ lịch chạy hằng đêm của {workflow} (GitHub không tắt nó sau 60 ngày không có thay đổi).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
