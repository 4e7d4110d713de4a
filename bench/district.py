"""Benchmark: the district roll-up of N schools of every kind, served on 127.0.0.1.

Run with `make bench-district` (N=1000 by default): half the schools publish this project's
coverage.json (the sample posts' audit, every fifth with a gap) with their post pages, 30% a
NukeViet-shaped category feed (30 items, H:m:s), 15% a WordPress-shaped feed (10 items), 5% a
NukeViet news sitemap. A separate process serves them all. Each size is rolled up twice the
same night: a cold run (an empty observation log, every post address checked) and a warm
one (the log says what was checked today). Peak memory is measured at N/4, N and 4N: it must
stay flat in the number of schools, the peak at 4N within FLAT times the peak at N/4.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hooks.coverage import audit  # noqa: E402
from hooks.coverage_json import dumps as json_text  # noqa: E402
from hooks.posts import load_catalog  # noqa: E402
from hooks.settings import coverage_settings, read_config  # noqa: E402

AS_OF = date(2026, 11, 23)
COLD_TARGET, WARM_TARGET = 10.0, 5.0  # seconds at N schools
FLAT = 1.15  # the peak memory at 4N schools, at most this many times the peak at N/4
SERVER = """
import http.server, sys
class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args): pass
handler = lambda *a, **k: Quiet(*a, directory=sys.argv[2], **k)
Server(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
"""


NV_DATES = [  # NukeViet's 'D, j M Y H:m:s GMT': the minutes are the month
    "Fri, 20 Nov 2026 01:11:05 GMT",
    "Thu, 20 Nov 2025 01:11:05 GMT",
    "Fri, 21 Aug 2026 08:08:00 GMT",
    "Mon, 4 May 2026 03:05:00 GMT",
    "Thu, 5 Feb 2026 02:02:00 GMT",
    "Tue, 30 Sep 2025 17:09:12 GMT",
]


def nukeviet(host: str, n: int) -> str:
    items = "".join(
        f"<item><title>Bài {k}</title><link>{host}/vi/news/binh-dang-gioi/bai-{k}.html</link>"
        f"<pubDate>{NV_DATES[k % len(NV_DATES)]}</pubDate></item>"
        for k in range(30)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Trường</title>'
        f"<link>{host}/</link><generator>NukeViet v4.0</generator>{items}</channel></rss>"
    )


def wordpress(host: str, n: int) -> str:
    """Ten items; one school in three has none in July-September 2026 (missing)."""
    days = ["Mon, 17 Nov 2026 09:00:00 +0000", "Tue, 14 Apr 2026 03:00:00 +0000"]
    if n % 3:
        days.append("Thu, 16 Jul 2026 03:00:00 +0000")
    items = "".join(
        f"<item><title>Bài {k}</title><link>{host}/bai-{k}/</link><pubDate>{days[k % len(days)]}</pubDate></item>"
        for k in range(10)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Trường</title>'
        f"<link>{host}</link><generator>https://wordpress.org/?v=6.6.2</generator>{items}</channel></rss>"
    )


def sitemap(host: str, n: int) -> str:
    """100 addresses, a quarter of them the column's, none in October-December (missing)."""
    urls = "".join(
        f"<url><loc>{host}/vi/news/{'binh-dang-gioi' if k % 4 == 0 else 'tin-tuc'}/bai-{k}.html</loc>"
        f"<lastmod>{2025 + k // 60}-{k % 12 + 1:02d}-10T09:00:00+07:00</lastmod></url>"
        for k in range(100)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )


def write_schools(folder: Path, count: int, port: int) -> Path:
    """The served files and the schools list: 50% reports, 30% NukeViet, 15% WordPress, 5% sitemaps.

    Missing a quarter: every fifth report school, one WordPress school in three, every sitemap
    school; so 4 schools in 20.
    """
    settings = coverage_settings(read_config(ROOT / "mkdocs.yml")["extra"], ROOT)
    posts = load_catalog(ROOT / "posts", settings.timezone, AS_OF).published
    gaps = audit(posts, settings, AS_OF).missing
    excused = dataclasses.replace(settings, excused={v.quarter: "Trường sửa chữa" for v in gaps})
    site = "http://127.0.0.1:PORT/tNUMBER/"
    documents = [json_text(audit(posts, s, AS_OF), site) for s in (settings, excused)]
    slugs = sorted({p.slug for p in posts})
    base = f"http://127.0.0.1:{port}"
    lines = []
    for number in range(count):
        kind = number % 20  # 10 of 20 reports, 6 NukeViet, 3 WordPress, 1 sitemap
        name = f"Trường {number}"
        school = folder / f"t{number}"
        school.mkdir()
        host = f"{base}/t{number}"
        if kind < 10:
            doc = (
                documents[0 if number % 5 == 0 else 1]
                .replace("PORT", str(port))
                .replace("NUMBER", str(number))
            )
            (school / "bao-cao").mkdir()
            (school / "bao-cao" / "coverage.json").write_text(doc, encoding="utf-8")
            for slug in slugs:
                (school / "bai-viet" / slug).mkdir(parents=True)
                (school / "bai-viet" / slug / "index.html").write_text("<html></html>")
            lines.append(f"- name: {name}\n  report: {host}/bao-cao/coverage.json\n")
        elif kind < 16:
            (school / "rss.xml").write_text(nukeviet(host, number), encoding="utf-8")
            lines.append(f"- name: {name}\n  feed: {host}/rss.xml\n")
        elif kind < 19:
            (school / "feed.xml").write_text(wordpress(host, number), encoding="utf-8")
            lines.append(f"- name: {name}\n  feed: {host}/feed.xml\n")
        else:
            (school / "sitemap.xml").write_text(sitemap(host, number), encoding="utf-8")
            lines.append(
                f"- name: {name}\n  sitemap: {host}/sitemap.xml\n  path: /t{number}/vi/news/binh-dang-gioi/\n  dates: published\n"
            )
    path = folder / "schools.yml"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The command in a process of its own, printing its peak memory (KiB) on stderr's last line: the
# kernel's VmHWM of the process. Not ru_maxrss, which Linux carries over an exec from the process
# that started it: each run reported this benchmark's own size once that was the larger (58 MiB
# at 4,000 schools, for both runs of a pair, bench/NOTES.md item 16).
MEASURED = (
    "import resource, sys\n"
    "from hooks.district import main\n"
    "code = main(sys.argv[1:])\n"
    "try:\n"
    "    peak = next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM:'))\n"
    "except (OSError, StopIteration):  # no /proc: ru_maxrss, which may count the benchmark's own size\n"
    "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "print(peak, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


@dataclasses.dataclass
class Run:
    schools: int
    cold: float
    warm: float
    peak_mib: float
    states: str
    checks: int


def measure(count: int) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        port = free_port()
        schools = write_schools(folder, count, port)
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(port), str(folder)])
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                    break
                except OSError:
                    time.sleep(0.05)
            epoch = int(time.mktime(AS_OF.timetuple())) + 12 * 3600
            walls, peaks, summary = [], [], ""
            for hour in (0, 1):  # cold, then warm the same night
                env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch + hour * 3600), "PYTHONPATH": str(ROOT)}
                started = time.perf_counter()
                result = subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        MEASURED,
                        "--schools",
                        str(schools),
                        "--format",
                        "json",
                        "--observations",
                        str(folder / "log"),
                        "--start",
                        "2025-Q1",
                    ],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                )
                walls.append(time.perf_counter() - started)
                peaks.append(int(result.stderr.strip().splitlines()[-1]) / 1024)
                data = json.loads(result.stdout)
                states: dict[str, int] = {}
                for school in data["schools"]:
                    states[school["state"]] = states.get(school["state"], 0) + 1
                summary = ", ".join(f"{n} {state}" for state, n in sorted(states.items()))
            checks = sum(
                1
                for log in (folder / "log").glob("*.jsonl")
                for line in log.read_text(encoding="utf-8").splitlines()
                if '"kind": "check"' in line
            )
        finally:
            server.terminate()
            server.wait()
    return Run(count, walls[0], walls[1], max(peaks), summary, checks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="schools (default 1000)")
    parser.add_argument(
        "--runs", type=int, default=1, help="cold and warm pairs per size; the median is shown"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "DISTRICT.md"))
    args = parser.parse_args()
    sizes = sorted({max(args.n // 4, 20), args.n, args.n * 4})
    runs = []
    for n in sizes:
        pairs = [measure(n) for _ in range(args.runs)]
        runs.append(
            Run(
                n,
                statistics.median(p.cold for p in pairs),
                statistics.median(p.warm for p in pairs),
                max(p.peak_mib for p in pairs),
                pairs[-1].states,
                pairs[-1].checks,
            )
        )
    main_run = next(r for r in runs if r.schools == args.n)
    flat = runs[-1].peak_mib / runs[0].peak_mib
    cpu = _cpu()
    lines = [
        "# District roll-up benchmark",
        "",
        "`make bench-district`: N schools served by a separate process on 127.0.0.1, half of them with",
        "this project's coverage.json and their post pages (each post address of 2025-2026 checked),",
        "30% NukeViet-shaped category feeds (30 items), 15% WordPress-shaped feeds (10 items), 5% NukeViet",
        "news sitemaps (100 addresses); rolled up by `python -m hooks.district --format json` (start to",
        "exit) with the observation log. Cold: an empty log, every post address asked. Warm: a second",
        "run the same night, the log says which addresses answered today, so none is asked again.",
        "",
        "| schools | runs | cold run | warm run (same night) | peak memory | post checks | states found |",
        "|---:|---:|---:|---:|---:|---:|---|",
        *(
            f"| {r.schools} | {args.runs} | {r.cold:.2f} s | {r.warm:.2f} s | {r.peak_mib:.1f} MiB | {r.checks} "
            f"| {r.states} |"
            for r in runs
        ),
        "",
        f"Targets at {args.n} schools: cold ≤ {COLD_TARGET:g} s "
        f"({'met' if main_run.cold <= COLD_TARGET else 'not met'}), warm ≤ {WARM_TARGET:g} s "
        f"({'met' if main_run.warm <= WARM_TARGET else 'not met'}). Machine: {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}. Median of {args.runs}; the server is",
        "Python's threading HTTP server on the same 2 cores, so the figures include serving.",
        "",
        f"Memory flat in the number of schools: the peak at {runs[-1].schools} schools is {flat:.2f} × the "
        f"peak at {runs[0].schools} (target ≤ {FLAT:g} ×, {'met' if flat <= FLAT else 'not met'}); "
        f"{_growth(runs):.1f} KB more a school. Each school is judged by the worker that read it (its",
        "post checks and a sitemap index's sitemaps too), its log saved and its verdicts written to a",
        "temporary file before the worker takes the next school; what stays in memory is where its",
        "record starts and the schools list itself (names and addresses). Every output is written by",
        "reading the records again, a school at a time. The peak is the larger of the cold and warm",
        "runs' (the command process's own high-water resident set, VmHWM).",
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


def _growth(runs: list[Run]) -> float:
    """KB of peak memory per school between the smallest and the largest size."""
    first, last = runs[0], runs[-1]
    return (last.peak_mib - first.peak_mib) * 1024 / max(last.schools - first.schools, 1)


def _cpu() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
        match = re.search(r"model name\s*:\s*(.+)", text)
        return match.group(1).strip() if match else platform.processor()
    except OSError:
        return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    main()
