"""Search benchmark: what search costs a reader, this project (Pagefind) against Material's search.

Both sites are built from the same N generated posts (bench/corpus.py) and served on 127.0.0.1;
Debian's chromium, driven by Playwright at Lighthouse's mobile CPU slowdown (4×), measures:
- a page view with no search: the bytes of search data it downloads;
- a first search for a two-word query ("bạo lực"): the bytes downloaded from opening the box to
  the results, and the time from the last keystroke to the results on screen (median of --runs);
- the index on disk at several N (it must grow linearly).
Sizes are counted as GitHub Pages sends them: text (HTML, JS, JSON, CSS) gzipped, Pagefind's
chunks (already gzipped) and WebAssembly as they are. Writes bench/SEARCH.md; `make bench` runs it.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from sites import make_plain, make_project  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Request

BIN = ROOT / ".venv" / "bin"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TEXT = (".html", ".js", ".json", ".css", ".xml", ".svg", ".txt")
QUERY = "bạo lực"
TARGET_BYTES = 300 * 1024
TARGET_MS = 300


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def transfer(site: Path, url: str) -> int:
    """The bytes GitHub Pages would send for ``url`` of ``site``."""
    path = site / unquote(urlsplit(url).path).lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    if not path.is_file():
        return 0
    data = path.read_bytes()
    return len(gzip.compress(data, 6)) if path.suffix in TEXT else len(data)


def is_search_data(url: str) -> bool:
    path = urlsplit(url).path
    return "/pagefind/" in path or "search_index" in path or "/workers/search" in path or "/lunr/" in path


def build(kind: str, folder: Path, count: int, url: str) -> Path:
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "SITE_URL": url,
        "PYTHONPATH": str(ROOT),
        "SOURCE_DATE_EPOCH": "1795500000",
    }
    if kind == "project":
        make_project(folder, count)
        command = [str(BIN / "python"), "-m", "hooks.site", "build"]
    else:
        make_plain(folder, count)
        command = [str(BIN / "mkdocs"), "build"]
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(done.stderr[-3000:])
    return folder / "site"


def index_size(site: Path) -> int:
    pagefind = site / "pagefind"
    if pagefind.is_dir():  # the index and its runtime, not Pagefind's optional ready-made UIs (unused)
        ui = ("pagefind-ui", "pagefind-component-ui", "pagefind-modular-ui", "pagefind-highlight")
        return sum(p.stat().st_size for p in pagefind.rglob("*") if p.is_file() and not p.name.startswith(ui))
    index = site / "search" / "search_index.json"
    return index.stat().st_size if index.is_file() else 0


def measure(site: Path, url: str, post: str, runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {"view": [], "search": [], "ms": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for _ in range(runs):
            context = browser.new_context(
                viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True, locale="vi-VN"
            )
            page = context.new_page()
            seen: list[str] = []
            page.on("request", _recorder(seen))
            page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
            page.goto(url + post, wait_until="networkidle")
            page.wait_for_timeout(500)
            out["view"].append(sum(transfer(site, u) for u in seen if is_search_data(u)))
            before = len(seen)
            page.locator("label.md-header__button[for=__search]").click()
            box = page.locator("input[data-column-search-query], input[data-md-component=search-query]")
            page.evaluate(
                "() => { window.__shown = 0; window.__key = 0;"
                " document.addEventListener('keydown', () => { window.__key = performance.now(); }, true);"
                " new MutationObserver(() => { window.__shown = performance.now(); })"
                ".observe(document.querySelector('.md-search-result'), {childList: true, subtree: true, characterData: true}); }"
            )
            box.press_sequentially(QUERY, delay=120)
            try:  # the answer to the last keystroke (an answer may also have come before it)
                page.wait_for_function("() => window.__shown > window.__key", timeout=10000)
            except Exception:  # noqa: BLE001 - nothing changed after the last key: shown already
                pass
            page.wait_for_timeout(800)  # what else the search fetches after the first results
            typed, shown = page.evaluate("() => [window.__key, window.__shown]")
            out["ms"].append(max(0.0, shown - typed))
            out["search"].append(sum(transfer(site, u) for u in seen[before:]))
            if os.environ.get("SEARCH_BENCH_DEBUG"):
                for u in seen[before:]:
                    print(f"  {transfer(site, u):>8}  {u}", file=sys.stderr)
            context.close()
        browser.close()
    return {key: statistics.median(values) for key, values in out.items()}


def _recorder(seen: list[str]) -> Callable[[Request], None]:
    def record(request: Request) -> None:
        seen.append(request.url)

    return record


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--growth", default="250,1000,4000")
    parser.add_argument("--out", default=str(HERE / "SEARCH.md"))
    args = parser.parse_args()
    started = time.perf_counter()
    rows = {}
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        for kind in ("plain", "project"):
            folder = Path(tmp) / kind
            folder.mkdir()
            (folder / "site").mkdir()
            server, url = serve(folder / "site")
            # make_* want an empty folder: build beside the served one, then move the site in.
            work = Path(tmp) / f"{kind}-src"
            site = build(kind, work, args.n, url)
            shutil.rmtree(folder / "site")
            shutil.copytree(site, folder / "site")
            pattern = "bai-viet/*/index.html" if kind == "project" else "posts/*/*/index.html"
            post = (
                sorted((folder / "site").glob(pattern))[0].parent.relative_to(folder / "site").as_posix()
                + "/"
            )
            rows[kind] = {
                **measure(folder / "site", url, post, args.runs),
                "disk": index_size(folder / "site"),
            }
            server.shutdown()
        growth = {}
        for n in [int(x) for x in args.growth.split(",") if x]:
            growth[n] = index_size(
                build("project", Path(tmp) / f"growth-{n}", n, "https://example.github.io/")
            )
    names = {
        "plain": "Material's search (lunr, the whole index per page view)",
        "project": "this project (Pagefind, on demand)",
    }
    lines = [
        "# Search benchmark",
        "",
        f"`make bench` ({time.strftime('%Y-%m-%d')}, {time.perf_counter() - started:.0f} s): N = {args.n} generated posts "
        f"(bench/corpus.py), served on 127.0.0.1, Debian's chromium at 412 px with the CPU slowed 4× (Lighthouse's "
        f'mobile setting); query "{QUERY}" typed one key every 120 ms; median of {args.runs}. Bytes as GitHub Pages '
        f"sends them (text gzipped; Pagefind's chunks, already gzipped, and WebAssembly as they are). "
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        "| search | page view: search data | first search: downloaded | last keystroke → results | index on disk |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, row in rows.items():
        lines.append(
            f"| {names[kind]} | {row['view'] / 1024:.0f} KB | {row['search'] / 1024:.0f} KB | {row['ms']:.0f} ms | {row['disk'] / 1024 / 1024:.2f} MB |"
        )
    ours = rows["project"]
    per_post = {n: size / n for n, size in growth.items()}
    spread = max(per_post.values()) / min(per_post.values()) if per_post else 1.0
    checks = [
        ("page view downloads no search data", ours["view"] == 0),
        (f"first search ≤ {TARGET_BYTES // 1024} KB", ours["search"] <= TARGET_BYTES),
        (f"results ≤ {TARGET_MS} ms after the last keystroke", ours["ms"] <= TARGET_MS),
        ("index on disk grows linearly (bytes per post, max/min ≤ 1.5)", spread <= 1.5),
    ]
    lines += [
        "",
        "Index on disk, this project: "
        + ", ".join(
            f"N = {n}: {size / 1024 / 1024:.2f} MB ({size / n / 1024:.1f} KB a post)"
            for n, size in growth.items()
        )
        + ".",
        "",
        "| target | met |",
        "|---|---|",
        *[f"| {name} | {'yes' if ok else '**no**'} |" for name, ok in checks],
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
