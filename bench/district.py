"""Benchmark: the district roll-up of N schools whose reports are served on 127.0.0.1.

Run with `make bench-district` (N=1000 by default). The reports are real coverage.json
documents (the sample posts' audit, varied per school); a separate process serves them
(its own GIL, a listen backlog of 1024), and `python -m hooks.district` is timed as an
auditor runs it, start to exit, over several runs. Results go to bench/DISTRICT.md.
Target (issue 6): under 10 s for 1,000 schools on the 2-core machine.
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


def write_reports(folder: Path, count: int) -> list[str]:
    """Every fifth school misses a quarter; the reports differ in their post URLs."""
    settings = coverage_settings(read_config(ROOT / "mkdocs.yml")["extra"], ROOT)
    posts = load_catalog(ROOT / "posts", settings.timezone, AS_OF).published
    report = json.loads(json_text(audit(posts, settings, AS_OF), "https://truong.example/"))
    gaps = audit(posts, settings, AS_OF).missing
    excused = dataclasses.replace(settings, excused={v.quarter: "Trường sửa chữa" for v in gaps})
    complete = json.loads(json_text(audit(posts, excused, AS_OF), "https://truong.example/"))
    names = []
    for number in range(count):
        doc = report if number % 5 == 0 else complete
        text = json.dumps(doc, ensure_ascii=False).replace("truong.example", f"truong-{number}.example")
        name = f"truong-{number:05}.json"
        (folder / name).write_text(text, encoding="utf-8")
        names.append(name)
    return names


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="schools (default 1000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "bench" / "DISTRICT.md"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "reports").mkdir()
        names = write_reports(folder / "reports", args.n)
        port = free_port()
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(port), str(folder / "reports")])
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                    break
                except OSError:
                    time.sleep(0.05)
            schools = folder / "schools.yml"
            schools.write_text(
                "".join(
                    f"- name: Trường {i}\n  report: http://127.0.0.1:{port}/{name}\n"
                    for i, name in enumerate(names)
                ),
                encoding="utf-8",
            )
            walls, summary = [], ""
            env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(time.mktime(AS_OF.timetuple())) + 12 * 3600)}
            for _ in range(args.runs):
                started = time.perf_counter()
                result = subprocess.run(
                    [sys.executable, "-m", "hooks.district", "--schools", str(schools), "--format", "json"],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                )
                walls.append(time.perf_counter() - started)
                data = json.loads(result.stdout)
                states: dict[str, int] = {}
                for school in data["schools"]:
                    states[school["state"]] = states.get(school["state"], 0) + 1
                summary = ", ".join(f"{count} {state}" for state, count in sorted(states.items()))
        finally:
            server.terminate()
            server.wait()

    median = statistics.median(walls)
    cpu = _cpu()
    lines = [
        "# District roll-up benchmark",
        "",
        f"`make bench-district`: {args.n} schools' coverage.json served by a separate process on 127.0.0.1,",
        "rolled up by `python -m hooks.district --format json` (start to exit, fetch, check, sum).",
        "",
        "| schools | runs | median wall | min | max | states found |",
        "|---:|---:|---:|---:|---:|---|",
        f"| {args.n} | {args.runs} | {median:.2f} s | {min(walls):.2f} s | {max(walls):.2f} s | {summary} |",
        "",
        f"Target: under 10 s for 1,000 schools. Machine: {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}.",
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    if args.n >= 1000 and median >= 10:
        sys.exit(f"median {median:.2f} s is over the 10 s target")


def _cpu() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
        match = re.search(r"model name\s*:\s*(.+)", text)
        return match.group(1).strip() if match else platform.processor()
    except OSError:
        return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    main()
