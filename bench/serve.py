"""`mkdocs serve` on an N-post column: seconds from saving a post to the rebuilt page being served.

The post's first paragraph is edited (so its page and the front page's summary both
change); the clock stops when both pages, fetched over HTTP, carry the new text. Done
for three posts (newest, middle, oldest), with `--dirty` (what `make serve` runs) and
once without it, for comparison.
"""

from __future__ import annotations

import re
import socket
import statistics
import subprocess
import time
import urllib.request
from pathlib import Path

from sites import make_project

MOUNT = "/chuyen-muc-binh-dang-gioi/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(urls: list[str], text: str, limit: float = 120.0) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if all(text in _get(url) for url in urls):
            return time.perf_counter()
        time.sleep(0.05)
    raise SystemExit(f"'{text}' never appeared on {urls}")


def _slug_of(path: Path) -> str:
    title = re.search(r"^title: (.+)$", path.read_text(encoding="utf-8"), re.M).group(1)  # type: ignore[union-attr]
    from slugify import slugify

    return slugify(title)


def _one_session(
    site: Path, env: dict[str, str], bin_dir: Path, dirty: bool, posts: list[Path]
) -> list[float]:
    port = _free_port()
    args = [str(bin_dir / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"] + (["--dirty"] if dirty else [])
    server = subprocess.Popen(args, cwd=site, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}{MOUNT}"
    try:
        deadline = time.perf_counter() + 300
        while "column-card" not in _get(base):
            if time.perf_counter() > deadline or server.poll() is not None:
                raise SystemExit("mkdocs serve did not start")
            time.sleep(0.2)
        time.sleep(1.0)  # let the watcher settle after the first build
        seconds = []
        for number, path in enumerate(posts):
            marker = f"Ghi chú sửa lần {number} {time.time_ns()}"
            text = path.read_text(encoding="utf-8")
            head, body = text.split("\n---\n\n", 1)
            page = f"{base}bai-viet/{_slug_of(path)}/"
            listed = base if number == 0 else page  # the newest post's summary is on the front page
            saved = time.perf_counter()
            path.write_text(f"{head}\n---\n\n{marker}. {body}", encoding="utf-8")
            seconds.append(_wait_for([page, listed], marker) - saved)
            time.sleep(1.0)
        return seconds
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def measure_serve(folder: Path, n: int, env: dict[str, str], bin_dir: Path) -> tuple[float, str]:
    site = make_project(folder, n)
    posts = sorted((site / "posts").rglob("*.md"))
    chosen = [posts[-1], posts[len(posts) // 2], posts[0]]
    dirty = _one_session(site, env, bin_dir, True, chosen)
    full = _one_session(site, env, bin_dir, False, [posts[-1]])
    median = statistics.median(dirty)
    text = "\n".join(
        [
            f"{n} posts. Seconds from saving a post's first paragraph to its page and the listing that shows",
            "its summary both serving the new text (polled over HTTP every 50 ms):",
            "",
            "| mode | newest | middle | oldest | median |",
            "|---|---:|---:|---:|---:|",
            f"| `make serve` (`mkdocs serve --dirty`, hooks/preview.py) | {dirty[0]:.2f} | {dirty[1]:.2f} "
            f"| {dirty[2]:.2f} | **{median:.2f}** |",
            f"| `mkdocs serve` (every page rebuilt) | {full[0]:.2f} | | | {full[0]:.2f} |",
        ]
    )
    return median, text
