"""``make write``: the browser editor on this computer, with the site's preview beside it.

    python -m hooks.write [--port 8000] [--proxy-port 8081] [-f mkdocs.yml]

Starts decap-server (pinned in package.json, installed by ``npm ci``) in git mode and
``make serve``'s preview, both on 127.0.0.1 only (decap-server has no sign-in of its own),
and prints the address to open: http://127.0.0.1:8000/admin/. Ctrl+C stops both, and so
does either one stopping.

decap-server's git mode works in this repository's working tree: each post is a branch
``cms/posts/...``, "Sẵn sàng" marks it, "Công bố" merges it into the branch that is checked
out. It fails on uncommitted changes, sweeps untracked files into the next post's commit and
would merge into any branch. So this refuses to start, in Vietnamese, unless the working tree
is clean and HEAD is the publishing branch (``extra.editor.branch``, main by default). It
merges with a merge commit, as GitHub merges a pull request, so that the audit's history
(hooks/history.py) counts a post from the moment it was published, not from its first save.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from . import messages
from .editor import PROXY_ENV, PROXY_PATH, editor_settings
from .settings import SettingsError, read_config, read_extra

HOST = "127.0.0.1"  # never anything else: decap-server commits for whoever reaches it
SERVER = Path("node_modules") / "decap-server" / "dist" / "index.js"
READY_TIMEOUT = 180.0  # seconds: the preview builds the whole site before it listens
GRACE = 5.0  # seconds a stopped server gets to finish before it is ended
# decap-server's git only: the merge of a published post names it (prepare-commit-msg).
GIT_HOOKS = Path(__file__).resolve().parent.parent / "editor" / "git-hooks"


class Refusal(Exception):
    """Why make write did not start; the message says what to do."""


@dataclass
class Child:
    """One of the two servers."""

    name: str  # Vietnamese, for messages
    process: subprocess.Popen[bytes]
    stop_signal: signal.Signals  # mkdocs serve cleans up on SIGINT, node on SIGTERM


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "core.quotePath=false", *args], cwd=root, capture_output=True, text=True, timeout=60
    )


def preflight(root: Path, branch: str) -> list[str]:
    """What stops decap-server's git mode from working safely here, in Vietnamese (empty: go)."""
    if shutil.which("git") is None:
        return ["chưa cài git; hãy cài git rồi chạy lại make write"]
    top = git(root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        return [f"{root} không phải kho git; trình soạn bài lưu bài bằng git, hãy chạy trong bản sao của kho"]
    problems = []
    head = git(root, "symbolic-ref", "--quiet", "--short", "HEAD").stdout.strip()
    if head != branch:
        where = f"nhánh '{head}'" if head else "một commit (không ở nhánh nào)"
        problems.append(
            f"kho đang ở {where}, không phải nhánh đăng bài '{branch}': bài Công bố sẽ vào nhầm chỗ. "
            f"Hãy chạy: git switch {branch}"
        )
    status = git(root, "status", "--porcelain=v1", "--untracked-files=all").stdout.splitlines()
    changed = [line[3:] for line in status if not line.startswith("??")]
    untracked = [line[3:] for line in status if line.startswith("??")]
    if changed:
        problems.append(
            f"có {len(changed)} tệp đã sửa mà chưa commit ({_some(changed)}); trình soạn bài sẽ lỗi khi lưu. "
            'Hãy commit (git commit -am "...") hoặc bỏ các thay đổi đó (git restore <tệp>)'
        )
    if untracked:
        problems.append(
            f"có {len(untracked)} tệp mới chưa commit ({_some(untracked)}); trình soạn bài sẽ gộp chúng vào bài "
            "lưu tiếp theo. Hãy commit (git add rồi git commit) hoặc xoá chúng"
        )
    if git(root, "var", "GIT_COMMITTER_IDENT").returncode != 0:
        problems.append(
            'git chưa biết tên người lưu bài; hãy chạy: git config --global user.name "Tên bạn" và '
            'git config --global user.email "ban@truong.edu.vn"'
        )
    return problems


def _some(paths: list[str], limit: int = 5) -> str:
    shown = ", ".join(paths[:limit])
    return shown + (f" và {len(paths) - limit} tệp khác" if len(paths) > limit else "")


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def listening(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def proxy_environment(base: Mapping[str, str], root: Path, port: int) -> dict[str, str]:
    """decap-server's settings, and git told to merge with a merge commit, without an editor,
    whose message names the published post in Vietnamese (editor/git-hooks: decap-server's
    merge message is git's own "Merge branch 'cms/posts/...'" and cannot be configured)."""
    env = dict(base)
    count = int(env.get("GIT_CONFIG_COUNT", "0") or 0)
    settings = {"merge.ff": "false", "core.hooksPath": str(GIT_HOOKS)}
    for offset, (key, value) in enumerate(settings.items()):
        env[f"GIT_CONFIG_KEY_{count + offset}"] = key
        env[f"GIT_CONFIG_VALUE_{count + offset}"] = value
    env.update(
        {
            "MODE": "git",
            "GIT_REPO_DIRECTORY": str(root),
            "PORT": str(port),
            "BIND_HOST": HOST,
            "LOG_LEVEL": "warn",
            "GIT_CONFIG_COUNT": str(count + len(settings)),
            "GIT_MERGE_AUTOEDIT": "no",
        }
    )
    return env


def commands(root: Path, config: Path, port: int, proxy_port: int) -> tuple[list[str], list[str]]:
    """(decap-server, the preview): node and this Python, nothing from the PATH's other tools."""
    node = shutil.which("node")
    if node is None:
        raise Refusal("chưa cài Node.js (lệnh node); hãy cài Node.js 20 trở lên rồi chạy lại make write")
    server = root / SERVER
    if not server.is_file():
        raise Refusal(
            f"chưa cài decap-server ({SERVER.as_posix()}); hãy chạy npm ci (make write tự chạy lệnh này)"
        )
    serve = [sys.executable, "-m", "hooks.site", "serve", "-f", str(config), "-a", f"{HOST}:{port}"]
    return [node, str(server)], serve


def served_at(config: Path, port: int) -> str:
    """The preview's address: make serve serves under site_url's path, given here as SITE_URL."""
    saved = os.environ.get("SITE_URL")
    os.environ["SITE_URL"] = f"http://{HOST}:{port}/"
    try:
        site_url = read_config(config).get("site_url")
    finally:
        if saved is None:
            del os.environ["SITE_URL"]
        else:
            os.environ["SITE_URL"] = saved
    path = urlsplit(site_url).path if isinstance(site_url, str) else ""
    return f"http://{HOST}:{port}/{path.strip('/')}/".replace(f"{port}//", f"{port}/")


def _relay(stream: IO[bytes], prefix: str) -> None:
    """decap-server speaks English; its warnings and errors are marked as its own."""
    for raw in stream:
        line = raw.decode("utf-8", "replace").rstrip()
        if line:
            print(f"{prefix}{line}", file=sys.stderr, flush=True)


def run(root: Path, config: Path, port: int, proxy_port: int) -> int:
    try:
        _, extra, _ = read_extra(config)
        branch = editor_settings(extra).branch
    except SettingsError as exc:
        print(f"Lỗi cấu hình: {exc}", file=sys.stderr)
        return 2
    try:
        problems = preflight(root, branch)
        for what, number in (("trang xem thử", port), ("máy chủ soạn bài", proxy_port)):
            if not port_free(number):
                problems.append(
                    f"cổng {number} ({what}) đang được dùng, có thể make serve hay make write đang chạy; "
                    "hãy tắt nó, hoặc chọn cổng khác: make write PORT=8010 PROXY_PORT=8091"
                )
        if problems:
            raise Refusal("\n".join(f"  - {problem}" for problem in problems))
        proxy_cmd, serve_cmd = commands(root, config, port, proxy_port)
        address = served_at(config, port)
    except Refusal as exc:
        text = str(exc)
        print(f"Không mở trình soạn bài:{chr(10) if text.startswith('  - ') else ' '}{text}", file=sys.stderr)
        return 1

    stop = threading.Event()
    interrupted = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        if signum == signal.SIGINT:
            interrupted.set()
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    proxy = f"http://{HOST}:{proxy_port}{PROXY_PATH}"
    print(f"Đang mở trình soạn bài (chỉ máy này vào được, địa chỉ {HOST})...", file=sys.stderr, flush=True)
    children: list[Child] = []
    try:
        server = subprocess.Popen(
            proxy_cmd,
            cwd=root,
            env=proxy_environment(os.environ, root, proxy_port),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        children.append(Child("máy chủ soạn bài (decap-server)", server, signal.SIGTERM))
        assert server.stdout is not None
        threading.Thread(target=_relay, args=(server.stdout, "decap-server: "), daemon=True).start()
        # SITE_URL: the preview at the root of 127.0.0.1:PORT, as the address printed.
        env = {**os.environ, PROXY_ENV: proxy, "SITE_URL": f"http://{HOST}:{port}/"}
        preview = subprocess.Popen(serve_cmd, cwd=root, env=env, stdin=subprocess.DEVNULL)
        children.append(Child("trang xem thử (make serve)", preview, signal.SIGINT))
        code = _watch(children, stop, address, port, proxy_port)
    finally:
        _stop(children, grace=GRACE if interrupted.is_set() else 0.0)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if code == 0:
        print("Đã dừng trình soạn bài và trang xem thử.", file=sys.stderr)
    return code


def _watch(children: list[Child], stop: threading.Event, address: str, port: int, proxy_port: int) -> int:
    """Wait for both servers to listen, say where to go, then until Ctrl+C or one of them stops."""
    started = time.monotonic()
    ready = False
    while not stop.is_set():
        for child in children:
            code = child.process.poll()
            if code is not None:
                print(
                    f"LỖI - {child.name} đã dừng (mã {code}); đã tắt cả hai. Đọc các dòng ở trên để biết vì sao.",
                    file=sys.stderr,
                )
                return 1
        if not ready and listening(proxy_port) and listening(port):
            ready = True
            print(f"Trình soạn bài: {address}admin/", flush=True)
            print(
                f"Mở địa chỉ trên trong trình duyệt để viết bài; trang xem thử ở {address}. "
                "Bấm Ctrl+C ở cửa sổ này để dừng.",
                file=sys.stderr,
                flush=True,
            )
        elif not ready and time.monotonic() - started > READY_TIMEOUT:
            print(
                f"LỖI - sau {READY_TIMEOUT:.0f} giây trình soạn bài vẫn chưa mở được; đã tắt.",
                file=sys.stderr,
            )
            return 1
        stop.wait(0.2)
    return 0


def _stop(children: list[Child], grace: float) -> None:
    """After Ctrl+C both servers got it too (same terminal): give them time before asking again."""
    deadline = time.monotonic() + grace
    for child in children:
        try:
            child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    for child in children:
        if child.process.poll() is None:
            child.process.send_signal(child.stop_signal)
    for child in children:
        try:
            child.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.process.kill()
            child.process.wait()


def main(argv: Sequence[str] | None = None) -> int:
    messages.vietnamese_argparse()
    parser = argparse.ArgumentParser(
        prog="python -m hooks.write",
        description="Mở trình soạn bài trên trình duyệt (decap-server) cùng trang xem thử, trên máy này.",
    )
    parser.add_argument("--port", type=int, default=8000, help="cổng của trang xem thử (mặc định 8000)")
    parser.add_argument(
        "--proxy-port", type=int, default=8081, help="cổng của máy chủ soạn bài decap-server (mặc định 8081)"
    )
    parser.add_argument(
        "-f", "--config-file", default="mkdocs.yml", metavar="TỆP", help="tệp cấu hình (mặc định mkdocs.yml)"
    )
    args = parser.parse_args(argv)
    config = Path(args.config_file).resolve()
    return run(config.parent, config, args.port, args.proxy_port)


if __name__ == "__main__":
    sys.exit(main())
