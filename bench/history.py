"""History benchmark: ``read_history`` over a generated repository of --posts posts and --commits commits.

The repository is written with one ``git fast-import`` in a temporary folder: posts from
bench/corpus.py created over 8 years, some as drafts published a few commits later, some
through pull requests merged with a merge commit, some renamed into another file name,
edited after publication or switched back to draft, between commits that touch only the
rest of the site. The generator keeps its own account of each post's first publication,
and the first run is checked against it before anything is timed.

Run: ``.venv/bin/python bench/history.py [--posts 2000] [--commits 10000] [--runs 5]``.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from corpus import post_text  # noqa: E402

from hooks.history import read_history  # noqa: E402
from hooks.posts import is_draft_version  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2018, 11, 21, 1, 0, tzinfo=timezone.utc)
SPAN = timedelta(days=2922)  # 8 years
TARGET = 1.5  # seconds for the whole audit command at 2,000 posts and 10,000 commits
OUTSIDE = ("mkdocs.yml", "docs/huong-dan.md", "docs/ke-hoach-2024.md", "data/truong.yml")


def is_draft(blob: bytes) -> bool:
    """A minimal parser (``--parser simple``): ``draft: true`` in the front matter, not the body."""
    if not blob.startswith(b"---\n"):
        return False
    end = blob.find(b"\n---\n", 3)
    head = blob[4 : end if end >= 0 else len(blob)]
    return any(line.strip() == b"draft: true" for line in head.split(b"\n"))


@dataclass
class Post:
    path: str
    text: str
    draft: bool = False
    edits: int = 0

    def content(self) -> bytes:
        head = "---\ndraft: true\n" if self.draft else "---\n"
        note = "".join(f"\nCập nhật lần {n + 1}: sửa lỗi chính tả.\n" for n in range(self.edits))
        return (head + self.text.removeprefix("---\n") + note).encode()


@dataclass
class Plan:
    """The commits to write, and what read_history should find in them."""

    stream: list[bytes] = field(default_factory=list)
    expected: dict[str, datetime] = field(default_factory=dict)
    commits: int = 0
    first_parent: int = 0
    merges: int = 0
    renames: int = 0
    drafts: int = 0
    versions: int = 0


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def events_of(rng: random.Random) -> list[str]:
    """One post's life: created (perhaps as a draft), published, edited, perhaps renamed."""
    if rng.random() < 0.4:  # drafted over 0-3 more commits, then published (but a few never are)
        steps = ["create-draft", *["edit"] * rng.randint(0, 3)]
        if rng.random() < 0.05:
            return steps
        steps.append("publish")
    else:
        steps = ["create"]
    steps += ["edit"] * rng.choices((0, 1, 2, 3), (4, 3, 2, 1))[0]
    if rng.random() < 0.1:
        steps.append("rename")
    if rng.random() < 0.03:
        steps += ["unpublish", "edit", "publish"]
    return steps


def plan(posts: int, commits: int, seed: int) -> Plan:
    rng = random.Random(seed)
    # Units on the main line, by position in [0, 1): one event, or a pull request of several.
    units: list[tuple[float, int, list[str], bool]] = []
    for number in range(posts):
        steps = events_of(rng)
        at = (number + rng.random()) / posts * 0.97
        if rng.random() < 0.15:
            cut = steps.index("publish") + 1 if "publish" in steps else 1
            units.append((at, number, steps[:cut], True))  # a pull request: written on a branch, merged
            steps, at = steps[cut:], at + 0.0005
        for step in steps:
            units.append((at, number, [step], False))
            at += rng.expovariate(1 / 0.002)
    units.sort(key=lambda unit: unit[0])
    branch_commits = sum(len(events) for _, _, events, pull in units if pull)
    fillers = max(0, commits - len(units) - branch_commits)
    # Fillers fall between the units at random places; the units keep their order.
    total = len(units) + fillers
    filler_at = set(rng.sample(range(total), fillers))
    unit_numbers = iter(range(len(units)))
    line = [None if i in filler_at else next(unit_numbers) for i in range(total)]

    out = Plan()
    live: dict[int, Post] = {}
    first: dict[int, datetime] = {}
    mark, tip = 0, 0
    spacing = SPAN.total_seconds() / len(line)  # seconds between main-line commits

    def commit(ref: str, when: datetime, parents: list[int], files: list[bytes]) -> int:
        nonlocal mark
        mark += 1
        seconds = int(when.timestamp())
        head = f"commit {ref}\nmark :{mark}\ncommitter Cô Lan <lan@example.edu.vn> {seconds} +0700\n"
        out.stream.append(head.encode() + _data(b"cap nhat"))
        if parents:
            out.stream.append(f"from :{parents[0]}\n".encode())
        for parent in parents[1:]:
            out.stream.append(f"merge :{parent}\n".encode())
        out.stream.extend(files)
        out.commits += 1
        return mark

    def apply(number: int, event: str) -> list[bytes]:
        files: list[bytes] = []
        if event.startswith("create"):
            day = (START + SPAN * (number / posts)).date()
            path, text = post_text(
                random.Random(seed * 100_003 + number), number, min(day, date(2026, 11, 20))
            )
            live[number] = Post(f"posts/{path}", text, draft=event == "create-draft")
            out.drafts += event == "create-draft"
        post = live[number]
        if event == "edit":
            post.edits += 1
        elif event == "publish":
            post.draft = False
        elif event == "unpublish":
            post.draft = True
        elif event == "rename":
            files.append(f"D {post.path}\n".encode())
            post.path = post.path.replace("-bai-", "-bai-viet-")
            post.edits += 1
            out.renames += 1
        files.append(f"M 100644 inline {post.path}\n".encode() + _data(post.content()))
        out.versions += 1
        return files

    for index, slot in enumerate(line):
        when = START + timedelta(seconds=int(spacing * index))
        if slot is None:
            name = OUTSIDE[index % len(OUTSIDE)]
            files = [f"M 100644 inline {name}\n".encode() + _data(f"# {name}\nphiên bản {index}\n".encode())]
            tip = commit("refs/heads/main", when, [tip] if tip else [], files)
        else:
            _, number, events, pull = units[slot]
            if not pull:
                tip = commit("refs/heads/main", when, [tip] if tip else [], apply(number, events[0]))
            else:
                branch = tip
                for n, event in enumerate(events):  # dated days before the merge
                    early = when - timedelta(days=3 * (len(events) - n))
                    branch = commit("refs/heads/pr", early, [branch] if branch else [], apply(number, event))
                post = live[number]  # no rename before a post is published: one path to write
                files = [f"M 100644 inline {post.path}\n".encode() + _data(post.content())]
                out.merges += bool(tip)
                tip = commit("refs/heads/main", when, [tip, branch] if tip else [branch], files)
            if not live[number].draft and number not in first:
                first[number] = when
        out.first_parent += 1
    out.expected = {
        post.path.removeprefix("posts/"): first[number].astimezone(TZ)
        for number, post in live.items()
        if number in first
    }
    return out


def make_repo(folder: Path, posts: int, commits: int, seed: int) -> Plan:
    made = plan(posts, commits, seed)
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    subprocess.run(["git", "symbolic-ref", "HEAD", "refs/heads/main"], cwd=folder, check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=folder, input=b"".join(made.stream), check=True)
    (folder / "posts").mkdir()
    made.stream = []
    return made


def machine() -> str:
    git = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    return f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, {git}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--parser",
        choices=("project", "simple"),
        default="project",
        help="judge drafts with the audit's own front-matter parser (hooks.posts), or a minimal one",
    )
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one run")
    args = parser.parse_args()
    judge = is_draft_version if args.parser == "project" else is_draft

    with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
        folder = Path(tmp) / "site"
        started = time.perf_counter()
        made = make_repo(folder, args.posts, args.commits, args.seed)
        built = time.perf_counter() - started
        print(
            f"repository: {args.posts} posts, {made.commits} commits ({made.first_parent} first-parent, "
            f"{made.merges} pull-request merges), {made.versions} post versions, {made.drafts} begun as "
            f"drafts, {made.renames} renames; written in {built:.1f} s"
        )
        judged: list[bytes] = []

        def counting(blob: bytes) -> bool:
            judged.append(blob)
            return judge(blob)

        history = read_history(folder / "posts", TZ, counting)
        if not history.available or dict(history.published) != made.expected:
            wrong = {
                k
                for k in made.expected.keys() | history.published.keys()
                if history.published.get(k) != made.expected.get(k)
            }
            sys.exit(f"read_history disagrees with the generator on {len(wrong)} posts: {sorted(wrong)[:5]}")
        print(
            f"checked: {len(history.published)} published posts, each at the generator's time; "
            f"{len(judged)} of {made.versions} post versions read"
        )

        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            read_history(folder / "posts", TZ, judge)
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        print(f"machine: {machine()}")
        print(
            f"read_history: median {median * 1000:.0f} ms of {args.runs} runs "
            f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}; {args.parser} front-matter parser); "
            f"target for the whole audit: {TARGET:.1f} s"
        )
        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(read_history, folder / "posts", TZ, judge)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(12)


if __name__ == "__main__":
    main()
