"""The search index: Pagefind, run beside MkDocs while it renders the pages; written to site/pagefind/.

Pagefind splits its index into small chunks that a reader's browser fetches only for the
words of a query, so a page view costs no search data at all (Material's search sends the
whole index to every reader: 0.9 MB gzipped at 200 posts). Only the searchable part of a
page is indexed (posts, plans, the guide; never listings, the report or the district page).

That part is rendered once, by the column, as soon as MkDocs has converted every page's
Markdown (``on_env``, before any page template is rendered); the page templates print the
same HTML inside ``data-pagefind-body``. :func:`start` writes those parts as small HTML files
in a temporary folder (in memory, /dev/shm, where the system has one: a thousand small files
written to disk while MkDocs writes the site took from 0.3 to 1.5 s) and starts Pagefind's own
command on them, so on a machine with two cores the index is built while MkDocs renders the
pages (at 1,000 posts, Pagefind takes about 1.5 s alone: run after the build, as its
``add_directory`` does, it made the build 1.4 × plain MkDocs).

Pagefind writes its index straight into the site, next to where it goes (``pagefind.new``),
and :meth:`Indexing.finish` waits for it and puts it in place. An earlier version had it write
into memory and copied the index in from a thread, after a benchmark that measured Pagefind's
1,400 files written to disk costing 1.5 s of system time; that benchmark had deleted the site
just before each build, and on its machine's disk (ext4 without a journal) every file made in
the minute after a deletion pays for the files deleted (bench/NOTES.md, item 17). Into a site
folder made fresh, as on CI: 4.17 s copied against 4.07 s written straight (median of 5
interleaved builds at 1,000 posts).

Under `make serve`, MkDocs does not convert a page it is not rebuilding: its part is the one
this module remembers from the build that wrote it. The binary comes with the
``pagefind[bin]`` wheel: nothing else to install.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .messages import os_reason

OUTPUT = "pagefind"
LANGUAGE = "vi"
# The "¶" after each heading (toc's permalink): indexed, it glued itself to the heading's last
# word ("bạo lực¶") in the index and in the excerpts a reader sees.
HEADING_LINKS = ".headerlink"
# How much of the index goes in one chunk file, the unit a reader's browser downloads. Pagefind
# 1.5 closes a chunk after 20,000 word positions, but counts only the words written without
# diacritics (pagefind/src/index/mod.rs, chunk_index: a word's other spellings, "bạo" of "bao",
# are left out of the count): Vietnamese chunks grew to 170 KB, and a first search for "bạo lực"
# at 1,000 posts downloaded 349 KB. Pagefind 1.6 counts every spelling (its PR #1316); until
# `pagefind_bin` 1.6 is on PyPI, its setting for the size (an environment variable, the only
# way Pagefind takes it) keeps a few frequent words in a chunk: 42 KB for "lực" at 1,000 posts.
# Smaller chunks (30: a frequent word alone, 420 files) made a first search 50 KB smaller
# but the build slower (more files to write; 1.16 against 1.14 × plain MkDocs, 9 rounds).
# With 1.6, drop it: counting every spelling, 100 would cut the index into hundreds of tiny files.
# tests/test_browser.py checks the size of the chunks a search fetches at 1,000 posts.
CHUNK_SIZE_SETTING = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"
CHUNK_SIZE = 100
SCRATCH = "chuyen-muc-tim-kiem-"  # then the building process's id: chuyen-muc-tim-kiem-4242-x1y2z3


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site; the message is Vietnamese."""


@dataclass(frozen=True)
class SearchPage:
    """The searchable part of one page: its address in the site ("" for the front page) and HTML."""

    url: str
    body: str


# Under `make serve`: each source file's searchable part, as the last build that converted it saw it.
_remembered: dict[str, SearchPage] = {}


def start(pages: Mapping[str, SearchPage | None], site_dir: Path, cache: Path) -> Indexing:
    """Start indexing ``pages`` (by source file; ``None``: not converted in this build, as last time).

    Pagefind writes next to ``site_dir``/pagefind/; ``cache`` (the project's .cache/) holds the
    temporary folder where the system has no /dev/shm.
    """
    for src, page in pages.items():
        if page is not None:
            _remembered[src] = page
    for src in set(_remembered) - set(pages):
        del _remembered[src]
    chosen = [page if page is not None else _remembered.get(src) for src, page in pages.items()]
    return Indexing([page for page in chosen if page is not None], site_dir, cache)


class Indexing:
    """One run of Pagefind over a temporary folder of searchable parts (none when nothing is searchable)."""

    def __init__(self, pages: list[SearchPage], site_dir: Path, cache: Path) -> None:
        self.pages = len(pages)
        self._output = site_dir / f"{OUTPUT}.new"  # Pagefind's index, put in place by finish()
        self._work: Path | None = None  # the searchable parts, Pagefind's input
        self._process: subprocess.Popen[bytes] | None = None
        self._errors = tempfile.TemporaryFile()  # a file, not a pipe: Pagefind never waits on us
        if not pages:  # Pagefind refuses an empty site; the search box says there is nothing yet
            return
        try:
            folder = scratch_folder(cache)
            folder.mkdir(parents=True, exist_ok=True)
            _sweep(folder)
            self._work = Path(tempfile.mkdtemp(prefix=f"{SCRATCH}{os.getpid()}-", dir=folder))
            _unfinished.add(self)
            self._launch(pages)
        except OSError as exc:  # memory or disk full, the program not runnable: said, nothing left
            self.abandon()
            where = f" ({exc.filename})" if exc.filename else ""
            raise SearchIndexError(f"không chuẩn bị được chỉ mục tìm kiếm: {os_reason(exc)}{where}") from None
        except BaseException:
            self.abandon()
            raise

    def _launch(self, pages: list[SearchPage]) -> None:
        assert self._work is not None
        for page in pages:
            place = self._work / page.url
            place.mkdir(parents=True, exist_ok=True)
            (place / "index.html").write_text(_document(page.body), encoding="utf-8")
        binary = _executable()
        if binary is None:
            raise SearchIndexError("không tìm thấy chương trình Pagefind (cài lại bằng `make build`)")
        shutil.rmtree(self._output, ignore_errors=True)
        # One thread (Rayon's own setting) at a lower priority: Pagefind takes the core MkDocs
        # leaves idle and never slows the rendering (measured: with its default threads at normal
        # priority, the build took 0.9 s longer at 1,000 posts; like this, the same as without it).
        self._process = subprocess.Popen(
            [str(binary), "--site", str(self._work), "--output-path", str(self._output),
             "--force-language", LANGUAGE, "--exclude-selectors", HEADING_LINKS, "--quiet"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._errors,
            env={**os.environ, "RAYON_NUM_THREADS": "1", CHUNK_SIZE_SETTING: str(CHUNK_SIZE)},
        )  # fmt: skip
        if hasattr(os, "setpriority"):
            try:
                os.setpriority(os.PRIO_PROCESS, self._process.pid, 10)
            except OSError:  # it may have finished already
                pass

    def finish(self, site_dir: Path) -> int:
        """Wait for Pagefind, put its index at ``site_dir``/pagefind/ and return how many pages it holds."""
        try:
            target = site_dir / OUTPUT
            if target.is_dir():  # `make serve` builds into the same folder: no chunk of an old index stays
                shutil.rmtree(target)
            if self._process is None:
                return 0
            status = self._process.wait()
            self._errors.seek(0)
            said = self._errors.read().decode("utf-8", "replace").strip()
            if status != 0 or not (self._output / "pagefind.js").is_file():
                raise SearchIndexError(
                    f"không lập được chỉ mục tìm kiếm (Pagefind dừng với mã {status}: {said[-500:]})"
                )
            self._output.rename(target)
            return self.pages
        finally:
            self.abandon()

    def abandon(self) -> None:
        """Stop Pagefind if it still runs (a failed build) and remove the temporary folders."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._errors.close()
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
        shutil.rmtree(self._output, ignore_errors=True)
        _unfinished.discard(self)


# Runs not finished nor abandoned when Python exits (`make serve` stopped with Ctrl+C mid-build):
# their folders in memory are removed then. A process killed outright leaves its folder behind;
# the next build removes it (_sweep).
_unfinished: set[Indexing] = set()


@atexit.register
def _abandon_unfinished() -> None:
    for indexing in list(_unfinished):
        indexing.abandon()


def scratch_folder(cache: Path) -> Path:
    """Where the searchable parts are written: /dev/shm (memory) where the system has it, else ``cache``."""
    memory = Path("/dev/shm")
    return memory if memory.is_dir() and os.access(memory, os.W_OK) else cache


def _sweep(folder: Path) -> None:
    """Remove the folders that builds which no longer run left behind (a folder in /dev/shm
    holds memory until the machine restarts). The Pagefind of a build killed outright goes on
    writing its index there until it is done: a folder still being written may outlive one
    sweep, and the next removes it."""
    for leftover in folder.glob(f"{SCRATCH}*"):
        owner = re.match(rf"{SCRATCH}(\d+)-", leftover.name)
        if owner and not _running(int(owner[1])):
            shutil.rmtree(leftover, ignore_errors=True)


def _running(pid: int) -> bool:
    if os.name == "nt":  # there, signal 0 is Ctrl+C: never sent; leftovers wait (on disk, in .cache/)
        return True
    try:
        os.kill(pid, 0)  # signal 0: is there such a process, nothing sent
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or nothing we can tell: kept
        return True
    return True


def _document(body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"></head>'
        f"<body><div data-pagefind-body>{body}</div></body></html>\n"
    )


def _executable() -> Path | None:
    """Pagefind's program: PAGEFIND_BINARY_PATH, else the ``pagefind_bin`` package that
    requirements.txt pins. ``pagefind.service.get_executable`` would also look for the extended
    build and a program on PATH, but importing it brings asyncio into every build for an API
    this module does not use."""
    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named:
        return Path(named)
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]
    except ImportError:
        return None
    try:
        return Path(get_executable())
    except FileNotFoundError:
        return None
