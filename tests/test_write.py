"""`make write`'s launcher: what it refuses, in Vietnamese, and how it stops.

decap-server's git mode breaks on uncommitted changes, sweeps untracked files into a post's
commit and merges into whatever branch is checked out: the launcher starts nothing then.
The editor end to end is in tests/test_editor_browser.py.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, clean_env, post, write_site

from hooks.write import GIT_HOOKS, proxy_environment, served_at

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Cô Lan",
    "GIT_AUTHOR_EMAIL": "lan@truong.example",
    "GIT_COMMITTER_NAME": "Cô Lan",
    "GIT_COMMITTER_EMAIL": "lan@truong.example",
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = write_site(
        tmp_path / "kho", {"2026/2026-11-20-a.md": post("Bài A")}, docs={"index.md": "# Chuyên mục\n"}
    )
    (root / ".gitignore").write_text("site/\n.cache/\nnode_modules\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Bắt đầu")
    return root


def write(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hooks.write", "-f", str(root / "mkdocs.yml"), *args],
        cwd=root,
        env={**clean_env(), **GIT_ENV, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_uncommitted_changes_stop_it(repo: Path) -> None:
    (repo / "posts/2026/2026-11-20-a.md").write_text(post("Bài A đã sửa"), encoding="utf-8")
    (repo / "posts/2026/ghi-chu.txt").write_text("nháp", encoding="utf-8")
    result = write(repo)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("Không mở trình soạn bài:")
    assert "có 1 tệp đã sửa mà chưa commit (posts/2026/2026-11-20-a.md)" in result.stderr
    assert "có 1 tệp mới chưa commit (posts/2026/ghi-chu.txt)" in result.stderr
    assert "gộp chúng vào bài lưu tiếp theo" in result.stderr


def test_another_branch_stops_it(repo: Path) -> None:
    git(repo, "switch", "-q", "-c", "thu-nghiem")
    result = write(repo)
    assert result.returncode == 1
    assert "kho đang ở nhánh 'thu-nghiem', không phải nhánh đăng bài 'main'" in result.stderr
    assert "git switch main" in result.stderr
    # The publishing branch is extra.editor.branch when the site sets one.
    config = repo / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "  editor:\n    branch: thu-nghiem\n", encoding="utf-8"
    )
    git(repo, "commit", "-q", "-am", "Nhánh đăng bài")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = write(repo, "--port", str(busy.getsockname()[1]))
    assert result.returncode == 1 and "nhánh" not in result.stderr  # refused for its port only


def test_a_busy_port_and_bad_settings_stop_it(repo: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = write(repo, "--port", str(port))
    assert result.returncode == 1 and f"cổng {port} (trang xem thử) đang được dùng" in result.stderr
    config = repo / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "  editor:\n    repo: truong/kho\n", encoding="utf-8"
    )
    result = write(repo)
    assert result.returncode == 2 and "Lỗi cấu hình: extra.editor.base_url" in result.stderr


def test_not_a_repository_stops_it(tmp_path: Path) -> None:
    root = write_site(tmp_path / "thu-muc", {"2026/2026-11-20-a.md": post("Bài A")})
    result = write(root)
    assert result.returncode == 1 and "không phải kho git" in result.stderr


def test_decap_server_merges_with_a_merge_commit(tmp_path: Path) -> None:
    env = proxy_environment(
        {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "user.useConfigOnly"}, tmp_path, 8081
    )
    assert (
        env["GIT_CONFIG_COUNT"] == "3" and env["GIT_CONFIG_KEY_0"] == "user.useConfigOnly"
    )  # the user's kept
    assert (env["GIT_CONFIG_KEY_1"], env["GIT_CONFIG_VALUE_1"]) == ("merge.ff", "false")
    assert (env["GIT_CONFIG_KEY_2"], env["GIT_CONFIG_VALUE_2"]) == ("core.hooksPath", str(GIT_HOOKS))
    assert env["BIND_HOST"] == "127.0.0.1" and env["MODE"] == "git" and env["GIT_MERGE_AUTOEDIT"] == "no"


@pytest.mark.parametrize(
    ("title_line", "title"),
    [
        ("title: Bài B", "Bài B"),
        ("title: 'Hội thi \"Gia đình em\" năm 2026'", 'Hội thi "Gia đình em" năm 2026'),
        ("title: 'Bé ''khoẻ'' 2026'", "Bé 'khoẻ' 2026"),
    ],
)
def test_a_published_posts_merge_names_it_in_vietnamese(repo: Path, title_line: str, title: str) -> None:
    """decap-server merges as `git merge`: with make write's git settings the message names the post."""
    rel = "posts/2026/2026-12-05-bai-b.md"
    git(repo, "switch", "-q", "-c", "cms/posts/2026/2026-12-05-bai-b")
    (repo / rel).write_text(f"---\n{title_line}\ndate: 2026-12-05\n---\nNội dung.\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Thêm bài 2026/2026-12-05-bai-b")
    git(repo, "switch", "-q", "main")
    env = proxy_environment({**os.environ, **GIT_ENV}, repo, 8081)
    subprocess.run(
        ["git", "merge", "cms/posts/2026/2026-12-05-bai-b"],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
    )
    message = subprocess.run(
        ["git", "log", "-1", "--format=%s%n%P"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert message[0] == f"Công bố bài: {title} ({rel})"
    assert len(message[1].split()) == 2  # a merge commit, as GitHub merges a pull request


def test_the_address_printed_is_where_the_preview_serves(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: A\nsite_url: !ENV [SITE_URL, https://a.github.io/kho/]\n", encoding="utf-8")
    assert served_at(config, 8000) == "http://127.0.0.1:8000/"
    config.write_text("site_name: A\nsite_url: https://truong.edu.vn/chuyen-muc/\n", encoding="utf-8")
    assert served_at(config, 8000) == "http://127.0.0.1:8000/chuyen-muc/"
    config.write_text("site_name: A\n", encoding="utf-8")
    assert served_at(config, 8000) == "http://127.0.0.1:8000/"


@pytest.mark.build
def test_either_server_stopping_stops_both(repo: Path) -> None:
    """A decap-server that dies at once: the preview is stopped too, and the launcher says so."""
    if shutil.which("node") is None:
        pytest.skip("node is missing: `make test` installs the npm packages with it")
    server = repo / "node_modules" / "decap-server" / "dist" / "index.js"
    server.parent.mkdir(parents=True)
    server.write_text("setTimeout(() => process.exit(3), 1500);\n", encoding="utf-8")  # node_modules: ignored
    port = free_port()
    started = time.monotonic()
    result = write(repo, "--port", str(port), "--proxy-port", str(free_port()))
    assert result.returncode == 1, result.stderr
    assert "LỖI - máy chủ soạn bài (decap-server) đã dừng (mã 3); đã tắt cả hai" in result.stderr
    assert time.monotonic() - started < 40
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
