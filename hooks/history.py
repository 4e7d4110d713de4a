"""When each post reached the published branch, read from git history in one pass.

A post's front-matter date is what its author typed; the audit also wants the day the
post actually went public, which only the branch's history knows. ``read_history``
replays the first-parent history of HEAD over the posts folder (so a pull request counts
from its merge, and renames carry a post's history to its new name) and returns, for
every post at HEAD, the committer time of the first commit in which it was not a draft.

Three git processes whatever the size of the site: ``rev-parse``, one ``log`` and one
``cat-file --batch`` that reads only the versions needed (a post's versions up to its
first publication). Failures come back as an unavailable :class:`History` with a
Vietnamese reason, never as an exception: a site without history still builds.
"""

from __future__ import annotations

import os
import queue
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

GIT = "git"
TIMEOUT = 120.0  # seconds for one git command; a local log of 10,000 commits takes well under one
# -c settings that would otherwise change what log prints: a user's config must not reach the parser.
_CONFIG = (
    "core.quotePath=false",
    "color.ui=false",
    "log.showSignature=false",
    "diff.relative=false",
)
_BLOB_MODES = frozenset({b"100644", b"100755", b"120000"})  # not 160000: a submodule is no post
_NOT_A_REPO = "thư mục trang không phải kho git"


@dataclass(frozen=True)
class History:
    """What the branch's history says; ``available`` is False when it cannot be trusted."""

    available: bool
    published: Mapping[str, datetime] = field(default_factory=dict)  # posts-relative "/" path -> time
    first_commit: datetime | None = None  # the branch's first-parent root, whatever it touched
    shallow: bool = False
    reason: str | None = None  # Vietnamese, when not available

    @classmethod
    def unavailable(cls, reason: str, *, shallow: bool = False) -> History:
        return cls(available=False, shallow=shallow, reason=reason)


class _GitError(Exception):
    """Carries the Vietnamese reason out of the helpers to ``read_history``."""


@dataclass
class _Lineage:
    """One post followed through renames: the (commit time, blob id) of each version it had."""

    versions: list[tuple[int, bytes]] = field(default_factory=list)


def read_history(posts_dir: Path, tz: ZoneInfo, is_draft: Callable[[bytes], bool]) -> History:
    """First publication time of every post at HEAD under ``posts_dir``.

    ``is_draft`` decides from a version's bytes; a ValueError from it means that version
    was not published (any other exception is the caller's bug and propagates). A file not
    in HEAD (never committed), or a draft in every committed version, has no entry.
    """
    try:
        return _read(Path(posts_dir), tz, is_draft)
    except _GitError as exc:
        return History.unavailable(str(exc))


def _read(posts_dir: Path, tz: ZoneInfo, is_draft: Callable[[bytes], bool]) -> History:
    if not posts_dir.is_dir():
        raise _GitError(f"không tìm thấy thư mục bài viết '{posts_dir}'")
    env = git_environment()
    lines = _git(["rev-parse", "--is-shallow-repository", "--show-toplevel", "--show-prefix"], posts_dir, env)
    shallow, top, prefix = lines.decode("utf-8", "surrogateescape").split("\n")[:3]
    if shallow == "true":
        return History.unavailable(
            "kho git là bản sao nông (shallow clone) nên thiếu lịch sử cũ; hãy lấy đủ lịch sử "
            "(ví dụ fetch-depth: 0 cho actions/checkout)",
            shallow=True,
        )
    top_dir = Path(top)
    log = _git(
        [
            "log",
            "--first-parent",
            "--diff-merges=first-parent",  # a merge's changes are its diff against the branch it joined
            "--reverse",
            "--root",
            "-M",
            "--raw",
            "--no-abbrev",
            "-z",
            "--format=%ct",
            # Not a pathspec: every commit is listed (the first is the branch's root), and the
            # diff is cut to the posts folder before renames are paired, with paths relative to it.
            *([f"--relative={prefix}"] if prefix else []),
            "HEAD",
            "--",  # HEAD is the commit even beside a file named HEAD
        ],
        top_dir,
        env,
    )
    try:
        root, lineages = _replay(log)
    except (ValueError, IndexError) as exc:  # a git whose log prints something else
        raise _GitError(f"không đọc được lịch sử git: {exc}") from exc
    times = _first_published(lineages, top_dir, env, is_draft)
    published = {
        path.decode("utf-8", "surrogateescape"): datetime.fromtimestamp(when, tz)
        for path, when in sorted(times.items())
    }
    first_commit = datetime.fromtimestamp(root, tz) if root is not None else None
    return History(available=True, published=published, first_commit=first_commit)


def _replay(log: bytes) -> tuple[int | None, dict[bytes, _Lineage]]:
    """The first commit's time, and the posts at HEAD, each with the versions it went through.

    ``log`` is ``git log --reverse --raw -z --format=%ct`` output: a commit is its time,
    then one ``:modes ids status`` token per change followed by one path (two for a rename).
    A commit's changes are applied together, so two posts swapping names stay apart. A post
    deleted and later added again at the same path keeps its history, as ``git log --follow``
    would show it.
    """
    live: dict[bytes, _Lineage] = {}
    gone: dict[bytes, _Lineage] = {}
    tokens = log.split(b"\0")
    root: int | None = None
    when = 0
    changes: list[tuple[bytes, bytes, bytes, bytes, bytes]] = []  # (status letter, new mode, blob, src, dst)
    i, count = 0, len(tokens)
    while i < count:
        token = tokens[i]
        i += 1
        if token.startswith(b"\n"):
            token = token[1:]
        if not token:
            continue
        if token[0] != 0x3A:  # not ":": the next commit's time
            _apply(changes, when, live, gone)
            changes = []
            when = int(token)
            root = when if root is None else root
            continue
        # ":old_mode new_mode old_id new_id status"
        _old_mode, new_mode, _old_id, new_id, status = token[1:].split(b" ")
        src = tokens[i]
        i += 1
        dst = src
        if status[:1] in (b"R", b"C"):
            dst = tokens[i]
            i += 1
        changes.append((status[:1], new_mode, new_id, src, dst))
    _apply(changes, when, live, gone)
    return root, live


def _apply(
    changes: list[tuple[bytes, bytes, bytes, bytes, bytes]],
    when: int,
    live: dict[bytes, _Lineage],
    gone: dict[bytes, _Lineage],
) -> None:
    """Apply one commit: sources leave first, then every destination receives its version."""
    arriving: list[tuple[bytes, bytes, _Lineage | None]] = []
    for status, mode, blob, src, dst in changes:
        if status in (b"R", b"C"):
            lineage = live.pop(src, None) if status == b"R" else None
            arriving.append((dst, blob if mode in _BLOB_MODES else b"", lineage))
        elif status == b"D" or mode not in _BLOB_MODES:
            lineage = live.pop(src, None)
            if lineage is not None:
                gone[src] = lineage
        else:  # A, M, T
            arriving.append((dst, blob, None))
    for dst, blob, moved in arriving:
        if not blob:
            continue
        lineage = moved or live.get(dst) or gone.pop(dst, None) or _Lineage()
        live[dst] = lineage
        if not lineage.versions or lineage.versions[-1][1] != blob:
            lineage.versions.append((when, blob))


def _first_published(
    lineages: Mapping[bytes, _Lineage], cwd: Path, env: Mapping[str, str], is_draft: Callable[[bytes], bool]
) -> dict[bytes, int]:
    """Read each post's versions in order until one is not a draft, and no further.

    Every post asks for its first version; a post whose version proves a draft asks for its
    next one as that answer arrives, so one cat-file process stays busy until all are known.
    """
    published: dict[bytes, int] = {}
    verdict: dict[bytes, bool] = {}  # blob id -> published
    cursor: dict[bytes, int] = {}  # post -> index of the version it waits for
    waiters: dict[bytes, list[bytes]] = {}  # blob id asked for -> posts waiting for it
    if not lineages:
        return published
    with _CatFile(cwd, env) as cat:

        def advance(path: bytes, k: int) -> None:
            versions = lineages[path].versions
            while k < len(versions):  # past the end: a draft in every version
                when, blob = versions[k]
                state = verdict.get(blob)
                if state is None:
                    cursor[path] = k
                    if blob not in waiters:
                        waiters[blob] = []
                        cat.ask(blob)
                    waiters[blob].append(path)
                    return
                if state:
                    published[path] = when
                    return
                k += 1

        for path in lineages:
            advance(path, 0)
        for blob, data in cat.answers():
            verdict[blob] = _is_published(data, is_draft)
            for path in waiters.pop(blob):
                advance(path, cursor[path])
    return published


def _is_published(data: bytes, is_draft: Callable[[bytes], bool]) -> bool:
    """The caller's parser is the authority on drafts; only its ValueError is taken as an answer."""
    try:
        return not is_draft(data)
    except ValueError:
        return False  # unreadable front matter: that version was not a published post


class _CatFile:
    """One ``git cat-file --batch`` for the whole read, asked more as its answers come in.

    A thread writes the questions, so that neither pipe can fill up while the other waits.
    """

    def __init__(self, cwd: Path, env: Mapping[str, str]) -> None:
        self._cwd, self._env = cwd, env
        self._unsent: list[bytes] = []
        self._sent: deque[bytes] = deque()  # asked, answer not read yet
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._proc: subprocess.Popen[bytes] | None = None
        self._writer: threading.Thread | None = None

    def __enter__(self) -> _CatFile:
        try:
            self._proc = subprocess.Popen(
                [GIT, "cat-file", "--batch"],
                cwd=self._cwd,
                env=dict(self._env),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                bufsize=1 << 16,
            )
        except OSError as exc:
            raise _GitError(f"không chạy được git: {exc}") from exc
        self._writer = threading.Thread(target=self._write, daemon=True)
        self._writer.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        proc, writer = self._proc, self._writer
        assert proc is not None and proc.stdout is not None and writer is not None
        if exc_type is not None:
            proc.kill()  # unblocks a writer waiting on a full pipe
        self._queue.put(None)
        writer.join()
        proc.stdout.close()
        try:
            proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def ask(self, blob: bytes) -> None:
        self._unsent.append(blob)

    def answers(self) -> Iterator[tuple[bytes, bytes]]:
        """(blob id, content) for every question, including those asked while iterating."""
        assert self._proc is not None and self._proc.stdout is not None
        out = self._proc.stdout
        while self._unsent or self._sent:
            if self._unsent:  # before waiting, so that cat-file always has the next question
                self._queue.put(b"".join(blob + b"\n" for blob in self._unsent))
                self._sent.extend(self._unsent)
                self._unsent.clear()
            blob = self._sent.popleft()
            header = out.readline().split()
            if len(header) != 3 or header[0] != blob:
                what = b" ".join(header).decode("ascii", "replace") or "git cat-file dừng giữa chừng"
                raise _GitError(f"kho git thiếu nội dung {blob.decode('ascii')} ({what})")
            yield blob, out.read(int(header[2]) + 1)[:-1]  # the content, then a newline

    def _write(self) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        stdin = self._proc.stdin
        try:
            while (chunk := self._queue.get()) is not None:
                stdin.write(chunk)
                stdin.flush()
            stdin.close()
        except OSError:
            pass  # cat-file is gone; the reader reports it


def git_environment() -> dict[str, str]:
    """The caller's environment, so that its git setup (safe.directory...) holds, made predictable."""
    env = dict(os.environ)
    env.update(
        LC_ALL="C",  # English messages, matched below
        GIT_PAGER="cat",
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        GIT_NO_LAZY_FETCH="1",  # a partial clone must not go to the network for each blob
    )
    return env


def _git(args: list[str], cwd: Path, env: Mapping[str, str]) -> bytes:
    command = [GIT, "--no-pager", *(f for c in _CONFIG for f in ("-c", c)), *args]
    try:
        proc = subprocess.run(command, cwd=cwd, env=dict(env), capture_output=True, timeout=TIMEOUT)
    except FileNotFoundError as exc:
        raise _GitError("không tìm thấy lệnh git") from exc
    except subprocess.TimeoutExpired as exc:
        raise _GitError(f"git chạy quá {TIMEOUT:.0f} giây") from exc
    except OSError as exc:
        raise _GitError(f"không chạy được git: {exc}") from exc
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip()
        if "not a git repository" in message:
            raise _GitError(_NOT_A_REPO)
        if any(
            m in message for m in ("does not have any commits", "unknown revision", "bad revision 'HEAD'")
        ):
            raise _GitError("kho git chưa có commit nào")
        first = message.splitlines()[0] if message else f"mã lỗi {proc.returncode}"
        raise _GitError(f"git báo lỗi: {first}")
    return proc.stdout
