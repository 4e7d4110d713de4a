"""Pagefind run beside the build (hooks/search_index.py), with the real binary from the wheel."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import search_records

from hooks import search_index
from hooks.search_index import SearchPage


@pytest.fixture(autouse=True)
def _forget() -> None:
    search_index._remembered.clear()  # each test is a fresh `make serve`


def page(url: str, words: str) -> SearchPage:
    return SearchPage(url, f"<h1>{words}</h1><p>{words} trong bài.</p>")


def test_the_index_lands_in_the_site_and_nothing_else_is_left(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    indexing = search_index.start(
        {"a.md": page("", "Trang đầu"), "b.md": page("bai-viet/b/", "Bình đẳng")}, site, tmp_path
    )
    work = indexing._work
    assert indexing.finish(site) == 2
    assert sorted(r["url"] for r in search_records(site)) == ["/", "/bai-viet/b/"]
    assert sorted(p.name for p in site.iterdir()) == ["pagefind"]  # no pagefind.new
    assert work is not None and not work.exists()


def test_a_failed_build_stops_pagefind_and_leaves_no_folder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    pages = {f"{n}.md": page(f"bai-viet/{n}/", f"Bài số {n}") for n in range(300)}
    indexing = search_index.start(pages, site, tmp_path)
    process, work = indexing._process, indexing._work
    assert process is not None and work is not None
    indexing.abandon()
    assert process.poll() is not None
    assert list(site.iterdir()) == [] and not work.exists()


def test_a_preview_keeps_the_pages_it_did_not_rebuild_and_drops_the_gone(tmp_path: Path) -> None:
    """Under `make serve`, MkDocs converts only the pages it rebuilds (None: as last time)."""
    site = tmp_path / "site"
    site.mkdir()
    first = {
        "a.md": page("bai-viet/a/", "An"),
        "b.md": page("bai-viet/b/", "Bình"),
        "c.md": page("bai-viet/c/", "Cúc"),
    }
    search_index.start(first, site, tmp_path).finish(site)
    # b.md edited, a.md untouched, c.md deleted.
    search_index.start({"a.md": None, "b.md": page("bai-viet/b/", "Bạch Mai")}, site, tmp_path).finish(site)
    records = {r["url"]: r["content"] for r in search_records(site)}
    assert sorted(records) == ["/bai-viet/a/", "/bai-viet/b/"]
    assert "Bạch Mai" in records["/bai-viet/b/"] and "An" in records["/bai-viet/a/"]


def test_pagefind_refusing_is_said_in_vietnamese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")  # runs, writes nothing, exits 1
    site = tmp_path / "site"
    site.mkdir()
    indexing = search_index.start({"a.md": page("", "Trang đầu")}, site, tmp_path)
    with pytest.raises(search_index.SearchIndexError, match="không lập được chỉ mục tìm kiếm"):
        indexing.finish(site)
    assert list(site.iterdir()) == []


def test_an_index_that_cannot_be_written_is_said_in_vietnamese(tmp_path: Path) -> None:
    """Pagefind writes its index into the site: when it cannot (here a file stands where its folder
    goes; a full disk does the same), the build says so and puts no half index in place."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "pagefind.new").write_text("không phải thư mục\n")
    indexing = search_index.start({"b.md": page("bai-viet/b/", "Bình đẳng")}, site, tmp_path)
    with pytest.raises(search_index.SearchIndexError, match="không lập được chỉ mục tìm kiếm"):
        indexing.finish(site)
    assert not (site / "pagefind").exists()


def test_a_column_with_nothing_to_search_has_no_index(tmp_path: Path) -> None:
    """Pagefind refuses an empty site; a column whose last post became a draft loses its old index."""
    site = tmp_path / "site"
    (site / "pagefind").mkdir(parents=True)
    assert search_index.start({"a.md": None}, site, tmp_path).finish(site) == 0
    assert list(site.iterdir()) == []


START_AND = """
import os, signal, sys
import os
from pathlib import Path
from hooks import search_index
site, cache, end = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
indexing = search_index.start({"a.md": search_index.SearchPage("bai-viet/a/", "<p>An</p>")}, site, cache)
print(indexing._work, indexing._process.pid, flush=True)
if end == "killed":
    os.kill(os.getpid(), signal.SIGKILL)
sys.exit(1)  # an exception or Ctrl+C mid-build: Python exits without finishing the index
"""


def _build_that_stops(tmp_path: Path, end: str) -> tuple[Path, int]:
    import subprocess
    import sys

    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", START_AND, str(site), str(tmp_path / ".cache"), end],
        capture_output=True, text=True, cwd=Path(search_index.__file__).parent.parent,
    )  # fmt: skip
    work, pagefind = done.stdout.split()
    return Path(work), int(pagefind)


def test_a_build_that_exits_mid_way_frees_its_folder_in_memory(tmp_path: Path) -> None:
    work, _ = _build_that_stops(tmp_path, "exits")
    assert work.name.startswith(search_index.SCRATCH) and not work.exists()


@pytest.mark.build
def test_a_build_killed_outright_leaves_a_folder_the_next_build_removes(tmp_path: Path) -> None:
    work, pagefind = _build_that_stops(tmp_path, "killed")
    assert work.is_dir()  # nothing ran after SIGKILL
    # Its Pagefind, left running, writes its index in that folder until it is done: a folder still
    # being written may outlive one sweep (the next removes it). Here it is done first.
    deadline = time.monotonic() + 60
    while Path(f"/proc/{pagefind}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    folder = search_index.scratch_folder(tmp_path / ".cache")
    alive = folder / f"{search_index.SCRATCH}{os.getpid()}-parallel"  # a build still running
    alive.mkdir()
    try:
        site = tmp_path / "site"
        search_index.start({"b.md": page("bai-viet/b/", "Bình")}, site, tmp_path / ".cache").finish(site)
        assert not work.exists() and alive.is_dir()
    finally:
        shutil.rmtree(alive, ignore_errors=True)


def test_a_pagefind_that_cannot_start_is_said_in_vietnamese_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = tmp_path / "pagefind"
    program.write_text("not a program\n")  # not executable
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(program))
    folder = search_index.scratch_folder(tmp_path / ".cache")
    before = set(folder.glob(f"{search_index.SCRATCH}{os.getpid()}-*"))
    with pytest.raises(search_index.SearchIndexError, match="không có quyền đọc, ghi hoặc chạy"):
        search_index.start({"a.md": page("bai-viet/a/", "An")}, tmp_path / "site", tmp_path / ".cache")
    assert set(folder.glob(f"{search_index.SCRATCH}{os.getpid()}-*")) == before
    assert not search_index._unfinished
