"""Build benchmark (`make bench`): this project against plain MkDocs and Material's blog plugin.

From the same generated posts (bench/corpus.py) it builds, in one run and interleaved:
this project, plain MkDocs + Material with the posts out of the nav, Material's blog
plugin, and (`make bench` passes --zensical) the blog site again with Zensical; each a fresh process into an empty site folder, the median of --runs builds,
wall time and peak memory: of the MkDocs process itself, and of the largest process it starts
(this project's Pagefind, which indexes beside it), each the process's own ru_maxrss. It then measures how the project's
time per post grows (N = 250, 1,000, 4,000), the auditors' command over 10,000 posts,
the `mkdocs serve` rebuild after one post is saved (bench/serve.py), and profiles one
build. Everything is written to bench/RESULTS.md with N, the machine and the versions.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import write_posts  # noqa: E402
from sites import MAKERS, make_project  # noqa: E402

WORK = HERE / "work"
BIN = Path(sys.executable).parent
TODAY_EPOCH = "1795410000"  # 23/11/2026 12:00 in Hà Nội: the project's "today"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": TODAY_EPOCH}
ENV.pop("SITE_URL", None)


@dataclass
class Run:
    wall: float
    peak_mib: float  # the process itself
    beside_mib: float = 0.0  # the largest process it started (this project's Pagefind), 0 if none
    # User + system CPU seconds of the process and every process it started and waited for
    # (Pagefind, the children that make the Word and Excel files and convert posts): what the build
    # costs the machine.
    cpu: float = 0.0


# `mkdocs build -q`, in a Python that writes its own peak memory and its children's when it exits:
# ru_maxrss of a process waited for counts its children too, and Pagefind runs beside MkDocs.
MKDOCS_BUILD = (
    "import atexit, os, resource, sys\n"
    "def said():\n"
    "    own, kids = (resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
    "    with open(os.environ['BENCH_MEMORY'], 'w') as out: out.write(f'{own} {kids}')\n"
    "atexit.register(said)\n"
    "from mkdocs.__main__ import cli\n"
    "sys.argv = ['mkdocs', 'build', '-q']\n"
    "cli()\n"
)


def timed(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Wall time and peak resident memory of one child process (and of its largest child, if it says)."""
    with tempfile.TemporaryFile() as errors, tempfile.NamedTemporaryFile("r") as memory:
        started = time.perf_counter()
        child = subprocess.Popen(
            args, cwd=cwd, env={**(env or ENV), "BENCH_MEMORY": memory.name},
            stdout=subprocess.DEVNULL, stderr=errors,  # a file, not a pipe: a chatty child can't block
        )  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(args)} failed in {cwd}:\n{errors.read().decode()}")
        said = memory.read().split()
    cpu = usage.ru_utime + usage.ru_stime  # wait4: the child's own and its waited-for children's
    if len(said) == 2:
        return Run(wall, int(said[0]) / 1024, int(said[1]) / 1024, cpu)
    return Run(wall, usage.ru_maxrss / 1024, cpu=cpu)


def build(site: Path, command: list[str] | None = None) -> Run:
    # Every build writes into a folder that does not exist, as on a fresh CI runner. The last
    # build's output is moved aside, not deleted: this machine's disk is ext4 without a journal,
    # where the kernel skips every inode freed in the last 60 seconds (ialloc.c,
    # recently_deleted) each time it makes a file, so a build made right after a deletion paid
    # for the files deleted (NOTES.md, item 17). The moved folders go when the benchmark ends.
    for output in ("site", ".cache"):  # .cache: Zensical's, so every build is cold
        if (site / output).exists():
            (site / output).rename(_set_aside())
    # The disk quiet before the clock starts: without it each build also paid for writing out
    # what the build before it wrote (the blog plugin's and Zensical's thousands of files).
    os.sync()
    return timed(command or [str(BIN / "python"), "-c", MKDOCS_BUILD], site)


def _set_aside() -> Path:
    """A new, unused place in WORK for a finished build's output (removed with WORK at the end)."""
    aside = WORK / "set-aside"
    aside.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=aside)) / "output"


def paired(over: list[Run], under: list[Run]) -> float:
    """The median of each round's ratio. A round builds every site one after the other, so a slow
    moment of this machine weighs on both sides of a round's ratio; a ratio of two medians can
    take one side's median from a slow minute and the other's from a quick one."""
    return statistics.median(a.wall / b.wall for a, b in zip(over, under, strict=True))


def median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.wall for r in runs),
        statistics.median(r.peak_mib for r in runs),
        statistics.median(r.beside_mib for r in runs),
        statistics.median(r.cpu for r in runs),
    )


def compare(n: int, runs: int, zensical: str | None) -> dict[str, list[Run]]:
    sites = {name: make(WORK / f"{name}-{n}", n) for name, make in MAKERS.items()}
    commands: dict[str, list[str] | None] = dict.fromkeys(sites)
    if zensical:  # the blog site again, built by Zensical with its blog
        sites["zensical"] = MAKERS["blog"](WORK / f"zensical-{n}", n)
        commands["zensical"] = [str(Path(zensical).resolve()), "build"]
    results: dict[str, list[Run]] = {name: [] for name in sites}
    # Interleaved, so a slow moment of the machine hits them all; every other round in reverse
    # order, so that when the machine drifts slower (or quicker) during a round, no site is
    # always the one built later in it.
    for round_number in range(runs):
        order = list(sites) if round_number % 2 == 0 else list(reversed(sites))
        for name in order:
            results[name].append(build(sites[name], commands[name]))
    return results


def growth(sizes: list[int], runs: int) -> dict[int, Run]:
    sites = {n: make_project(WORK / f"growth-{n}", n) for n in sizes}
    results: dict[int, list[Run]] = {n: [] for n in sizes}
    for _ in range(runs):
        for n, site in sites.items():
            results[n].append(build(site))
    return {n: median(r) for n, r in results.items()}


def audit(n: int, runs: int) -> Run:
    """`python -m hooks.coverage` over n posts, start to exit (exit 1, a missing quarter, is fine)."""
    site = WORK / f"audit-{n}"
    site.mkdir(parents=True)
    shutil.copy2(ROOT / "mkdocs.yml", site / "mkdocs.yml")
    write_posts(site / "posts", n)
    env = {**ENV, "PYTHONPATH": str(ROOT)}
    args = [
        str(BIN / "python"),
        "-m",
        "hooks.coverage",
        "--format",
        "json",
        "--config",
        str(site / "mkdocs.yml"),
    ]
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.run(args, cwd=site, env=env, capture_output=True, text=True)
        walls.append(time.perf_counter() - started)
        if child.returncode not in (0, 1):
            raise SystemExit(child.stderr)
    return Run(statistics.median(walls), 0.0)


def history_audit(posts: int, commits: int, runs: int) -> tuple[Run, Run, str]:
    """The auditors' command over a repository of ``posts`` posts and ``commits`` commits
    (bench/history.py writes it with git fast-import), and read_history alone, medians of ``runs``."""
    from history import TZ, make_repo

    from hooks.history import read_history
    from hooks.posts import is_draft_version

    site = WORK / "history"
    made = make_repo(site, posts, commits, seed=2026)
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=site, check=True)
    shutil.copy2(ROOT / "mkdocs.yml", site / "mkdocs.yml")
    env = {**ENV, "PYTHONPATH": str(ROOT)}
    args = [
        str(BIN / "python"),
        "-m",
        "hooks.coverage",
        "--format",
        "json",
        "--config",
        str(site / "mkdocs.yml"),
    ]
    walls, reads = [], []
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.run(args, cwd=site, env=env, capture_output=True, text=True)
        walls.append(time.perf_counter() - started)
        if child.returncode not in (0, 1) or '"checked_from": null' in child.stdout:
            raise SystemExit(child.stderr or "the audit did not read the history")
        started = time.perf_counter()
        read_history(site / "posts", TZ, is_draft_version)
        reads.append(time.perf_counter() - started)
    shape = (
        f"{posts} posts, {made.commits} commits ({made.merges} pull-request merges, {made.renames} renames)"
    )
    return Run(statistics.median(walls), 0.0), Run(statistics.median(reads), 0.0), shape


def profile(n: int) -> str:
    site = WORK / f"profile-{n}"
    if not site.exists():
        make_project(site, n)
    code = (
        "import sys, cProfile; from mkdocs.__main__ import cli; sys.argv=['mkdocs','build','-q'];\n"
        f"cProfile.run('cli(standalone_mode=False)', {str(WORK / 'profile.out')!r})"
    )
    subprocess.run([str(BIN / "python"), "-c", code], cwd=site, env=ENV, check=True, capture_output=True)
    out = io.StringIO()
    stats = pstats.Stats(str(WORK / "profile.out"), stream=out)
    stats.sort_stats("cumulative").print_stats(
        r"(mkdocs/commands/build|markdown/core|jinja2/environment.py:\d+\(render\)|search/plugin|hooks/|overrides/|base.html:\d+\(root\)|nav.html)",
        18,
    )
    lines = [line for line in out.getvalue().splitlines() if re.match(r"\s+\d", line)]
    cleaned = [re.sub(r"/\S*/(site-packages|profile-\d+)/", "", line) for line in lines]
    return "\n".join(cleaned)


def _verdict(target: str, ok: bool) -> str:
    if target.startswith("("):
        return "—"
    return "yes" if ok else "**no**"


def _zensical_version(path: str | None) -> str:
    if not path:
        return ""
    result = subprocess.run([path, "--version"], capture_output=True, text=True)
    return result.stdout.strip().split()[-1] if result.returncode == 0 and result.stdout.strip() else ""


def machine() -> str:
    try:
        cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text()).group(1).strip()  # type: ignore[union-attr]
    except (OSError, AttributeError):
        cpu = platform.processor() or "unknown CPU"
    memory = ""
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, AttributeError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}, Linux {platform.release()}"


def main() -> None:
    parser = argparse.ArgumentParser(description="Build benchmark; writes bench/RESULTS.md")
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)  # the same build varies by ±12% here: 5 was too few
    # The time targets compare sites within each round: more rounds there. Repeated runs of
    # `make bench` with seven measured the same code from 1.15 to 1.31 × plain MkDocs; eleven
    # narrow the median, but a whole run still moves by about ±0.05 here (NOTES.md, item 12).
    parser.add_argument("--rounds", type=int, default=11, help="rounds of the comparison (default 11)")
    parser.add_argument("--growth", default="250,1000,4000")
    parser.add_argument("--audit", type=int, default=10000)
    parser.add_argument("--history", default="2000,10000", help="posts,commits of the history benchmark")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--zensical", help="a zensical executable: adds Zensical's blog to the comparison")
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"))
    args = parser.parse_args()

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    started = time.perf_counter()

    print(f"comparing at N={args.n} …", flush=True)
    results = compare(args.n, args.rounds, args.zensical)
    med = {name: median(runs) for name, runs in results.items()}
    project, plain = med["project"], med["plain"]

    sizes = [int(s) for s in args.growth.split(",") if s]
    print(f"growth at N={sizes} …", flush=True)
    grown = growth([0, *sizes], args.runs)
    base = grown[0].wall
    per_post = {n: (grown[n].wall / n, (grown[n].wall - base) / n) for n in sizes}
    marginal = [m for _, m in per_post.values()]
    spread = max(marginal) / min(marginal)

    print(f"auditors' command over {args.audit} posts …", flush=True)
    audit_run = audit(args.audit, args.runs)

    history_posts, history_commits = (int(x) for x in args.history.split(","))
    print(
        f"auditors' command over {history_posts} posts and {history_commits} commits of history …", flush=True
    )
    history_run, read_run, history_shape = history_audit(history_posts, history_commits, args.runs)

    serve_text = "not measured (--no-serve)"
    serve_seconds = None
    if not args.no_serve:
        print("mkdocs serve, one post saved …", flush=True)
        from serve import measure_serve

        serve_seconds, serve_text = measure_serve(WORK / f"serve-{args.n}", args.n, ENV, BIN)

    print("profiling one build …", flush=True)
    top = profile(args.n)

    over_plain = paired(results["project"], results["plain"])
    blog_over = paired(results["blog"], results["project"])
    checks = [
        (
            "time, project / plain MkDocs, median of the rounds' ratios",
            over_plain,
            "≤ 1.15",
            over_plain <= 1.15,
        ),
        (
            "CPU time (user + system; MkDocs, Pagefind and its two children together: the documents' and the posts' converter), project / plain",
            project.cpu / plain.cpu,
            "≤ 1.5",
            project.cpu / plain.cpu <= 1.5,
        ),
        (
            "time, project / plain MkDocs, ratio of the medians",
            project.wall / plain.wall,
            "(for reference)",
            True,
        ),
        ("time, blog plugin / project, median of the rounds' ratios", blog_over, "≥ 3", blog_over >= 3),
        (
            "peak memory of the MkDocs process, project / plain",
            project.peak_mib / plain.peak_mib,
            "≤ 1.5",
            project.peak_mib / plain.peak_mib <= 1.5,
        ),
        (
            "peak memory, project's MkDocs and Pagefind together / plain",
            (project.peak_mib + project.beside_mib) / plain.peak_mib,
            "≤ 1.5",
            (project.peak_mib + project.beside_mib) / plain.peak_mib <= 1.5,
        ),
        ("marginal time per post, max / min over N", spread, "≤ 1.25", spread <= 1.25),
        (f"auditors' command, {args.audit} posts (s)", audit_run.wall, "≤ 1.0", audit_run.wall <= 1.0),
        (
            f"auditors' command, {history_posts} posts with {history_commits} commits of history (s)",
            history_run.wall,
            "≤ 1.5",
            history_run.wall <= 1.5,
        ),
    ]
    if "zensical" in med:
        ratio = med["zensical"].wall / project.wall
        checks.append(("time, Zensical's blog / project", ratio, "(for reference)", True))
    if serve_seconds is not None:
        checks.append(("`mkdocs serve`: save → rebuilt page (s)", serve_seconds, "< 3", serve_seconds < 3))

    versions = ", ".join(
        f"{name} {version(name)}"
        for name in ("mkdocs", "mkdocs-material", "Markdown", "Jinja2", "python-slugify")
    )
    lines = [
        "# Build benchmark",
        "",
        f"`make bench` ({time.strftime('%Y-%m-%d')}, {time.perf_counter() - started:.0f} s in all). "
        f"Machine: {machine()}. Python {platform.python_version()}; {versions}.",
        "",
        f"## N = {args.n} posts, median of {args.rounds} cold builds each (interleaved, every other round in reverse order)",
        "",
        "Each post: about 400 words of Vietnamese, two headings, a list, a table, 1-3 of 20 tags, dates over",
        "8 years (bench/corpus.py). Every build is a fresh `mkdocs build` into an empty folder. The",
        "project's own modules are compiled once beforehand, as pip compiled the installed libraries",
        "(this machine sets PYTHONDONTWRITEBYTECODE, so Python would not keep them itself).",
        "",
        "| build | wall | CPU | peak memory | beside it | runs (s) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    labels = {
        "project": "this project (column, archives, tags, feeds, audit)",
        "plain": "MkDocs + Material, posts out of the nav",
        "blog": "Material's blog plugin",
        "zensical": f"Zensical {_zensical_version(args.zensical)} with its blog (same site as the blog plugin)",
    }
    for name in ("plain", "project", "blog", "zensical"):
        if name not in med:
            continue
        m = med[name]
        runs_text = ", ".join(f"{r.wall:.2f}" for r in results[name])
        beside = f"{m.beside_mib:.0f} MiB" if m.beside_mib else "—"
        lines.append(
            f"| {labels[name]} | {m.wall:.2f} s | {m.cpu:.2f} s | {m.peak_mib:.0f} MiB | {beside} | {runs_text} |"
        )
    lines += [
        "",
        "## Targets",
        "",
        "Time ratios are judged on the median of the rounds' ratios: each round builds the sites one",
        "after the other, so both sides of a ratio share the machine's moment (the runs above show",
        "how far one build moves between rounds). The ratio of the two medians is shown beside it.",
        "",
        "| measure | value | target | met |",
        "|---|---:|---|---|",
        *[
            f"| {name} | {value:.3f} | {target} | {_verdict(target, ok)} |"
            for name, value, target, ok in checks
        ],
        "",
        f"## Growth: this project at N = {', '.join(map(str, sizes))} (median of {args.runs})",
        "",
        f"A build with no posts (the docs pages, report, feeds) takes {base:.2f} s; the marginal time",
        "per post is (wall - that) / N. Flat marginal time means no step grows with N².",
        "",
        "A process started by another counts, in its peak, the memory its parent had at that moment,",
        "so for small sites the column beside overstates Pagefind (alone over 250 posts it peaks near 40 MiB).",
        "",
        "| N | wall | peak memory | Pagefind beside it | wall / N | marginal per post |",
        "|---:|---:|---:|---:|---:|---:|",
        *[
            f"| {n} | {grown[n].wall:.2f} s | {grown[n].peak_mib:.0f} MiB | {grown[n].beside_mib:.0f} MiB "
            f"| {per_post[n][0] * 1000:.2f} ms | {per_post[n][1] * 1000:.2f} ms |"
            for n in sizes
        ],
        "",
        f"## The auditors' command over {args.audit} posts",
        "",
        f"`python -m hooks.coverage --format json`, start to exit, median of {args.runs}: **{audit_run.wall:.2f} s**.",
        "It reads front matter only (python-frontmatter split, libyaml), never renders Markdown.",
        "",
        f"## The auditors' command with history: {history_shape}",
        "",
        f"The same command in a git repository written by bench/history.py, start to exit, median of {args.runs}: "
        f"**{history_run.wall:.2f} s**, of which reading the history (`hooks.history.read_history`: one `git log`, "
        f"one `git cat-file --batch`) takes **{read_run.wall:.2f} s**.",
        "",
        "## `mkdocs serve` after saving one post",
        "",
        serve_text,
        "",
        f"## Profile of one build at N = {args.n} (cProfile, cumulative seconds; profiling slows it about 2×)",
        "",
        "```text",
        "   ncalls  tottime  percall  cumtime  percall filename:lineno(function)",
        top,
        "```",
        "",
        Path(HERE / "NOTES.md").read_text(encoding="utf-8") if (HERE / "NOTES.md").exists() else "",
    ]
    Path(args.out).write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    print("\n".join(lines))
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
