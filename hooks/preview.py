"""Fast previews: under `mkdocs serve --dirty` (`make serve`), rebuild only what a change reaches.

MkDocs' --dirty skips a page whose source is older than its output, which alone would
leave pages stale: a post shows its neighbours' titles, listings show every post, and a
template or mkdocs.yml change touches every page. So the column decides instead, and
errs on the side of rebuilding:

- a post page is skipped only if its file (time and size), everything it shows from
  other posts (its entry, previous and next), every post's address (a post may link to
  another), and every input outside posts/ (mkdocs.yml, docs/, overrides/, hooks/, data/)
  are what they were when it was last written;
- every other page (listings, the front page, plans, the report) is always rebuilt;
- the search index is put together from each page's entries as last written (Material's
  own dirty merge assumes one page changed), and pages that no longer exist are deleted
  from the served folder.

This module keeps its memory between rebuilds: MkDocs re-executes the hook files on
every rebuild, but a package module imported by name stays loaded.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

SEARCH_PLUGINS = ("material/search", "search")


@dataclass
class Snapshot:
    """What one build wrote: compared with the next build to decide what it may skip."""

    inputs: tuple[Any, ...] | None = None  # everything outside posts/
    posts: dict[str, Any] = field(default_factory=dict)  # post rel -> what its page showed
    urls: dict[str, str] = field(default_factory=dict)  # post rel -> its address
    search: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # page url -> entries
    pages: list[str] = field(default_factory=list)  # page urls, in the nav's order
    outputs: set[str] = field(default_factory=set)  # files written


@dataclass
class Memory:
    dirty: bool = False
    built: Snapshot = field(default_factory=Snapshot)  # the last build that finished
    pending: Snapshot | None = None  # this build, committed only when it finishes
    seen: int = 0  # search entries already attributed to a page in this build


memory = Memory()


class _DirtyWarning(logging.Filter):
    """MkDocs warns that a dirty build has inaccurate links; with this module it hasn't.

    MkDocs logs that one warning between the ``pre_build`` and ``files`` events, so the
    filter is on only in that window (:func:`begin` to :func:`files_gathered`) and drops
    warnings of MkDocs' build module there, whatever their wording.
    """

    active = False

    def filter(self, record: logging.LogRecord) -> bool:
        return not (self.active and record.levelno == logging.WARNING)


_dirty_warning = _DirtyWarning()
_BUILD_LOGGERS = ("mkdocs.commands.build", "properdocs.commands.build")


def startup(dirty: bool) -> None:
    global memory
    memory = Memory(dirty=dirty)
    for name in _BUILD_LOGGERS:
        logger = logging.getLogger(name)
        if dirty:
            logger.addFilter(_dirty_warning)
        else:
            logger.removeFilter(_dirty_warning)


def begin() -> None:
    """A build starts (on_pre_build): forget what an unfinished build planned."""
    memory.pending = None
    memory.seen = 0
    _dirty_warning.active = memory.dirty


def files_gathered() -> None:
    """MkDocs has gathered the files (on_files): its dirty-build warning is behind us."""
    _dirty_warning.active = False


def site_inputs(config: MkDocsConfig, posts_dir: Path) -> tuple[Any, ...]:
    """Name, time and size of every file outside posts/ that can change a page."""
    root = Path(config.config_file_path or ".").resolve().parent
    roots = {Path(config.docs_dir).resolve(), root / "overrides", root / "hooks", root / "data"}
    roots.update(Path(d).resolve() for d in config.theme.dirs if Path(d).resolve().is_relative_to(root))
    found = []
    config_files = [Path(config.config_file_path)] if config.config_file_path else []
    for path in config_files:
        stat = path.stat()
        found.append((str(path), stat.st_mtime_ns, stat.st_size))
    posts = posts_dir.resolve()
    for top in sorted(roots):
        if not top.is_dir() or top == posts or top.is_relative_to(posts):
            continue
        for folder, dirs, names in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names):
                name_path = os.path.join(folder, name)
                stat = os.stat(name_path)
                found.append((name_path, stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def plan(
    config: MkDocsConfig, files: Files, post_files: dict[str, File], shown: dict[str, Any], posts_dir: Path
) -> None:
    """Mark which pages this build must write (on_files, after the column is built).

    ``shown`` maps each post to everything its page shows besides its own file.
    """
    if not memory.dirty:
        return
    built = memory.built
    pending = memory.pending = Snapshot(
        inputs=site_inputs(config, posts_dir),
        urls={rel: file.url for rel, file in post_files.items()},
        pages=[file.url for file in files.documentation_pages()],
        outputs={file.abs_dest_path for file in files},
    )
    # A post may link to another by its file (`[…](../2024/b.md)`): when any post's address
    # changes, comes or goes, every post is rendered again so that no such link is stale.
    same_site = pending.inputs == built.inputs and pending.urls == built.urls
    posts = set()
    for rel, file in post_files.items():
        stat = (posts_dir / rel).stat()
        key = (stat.st_mtime_ns, stat.st_size, shown[rel])
        pending.posts[rel] = key
        fresh = same_site and built.posts.get(rel) == key and os.path.isfile(file.abs_dest_path)
        _set_modified(file, not fresh)
        posts.add(id(file))
    for file in files.documentation_pages():
        if id(file) not in posts:
            _set_modified(file, True)


def _set_modified(file: File, modified: bool) -> None:
    """MkDocs' --dirty asks each file ``is_modified()``: the column answers instead of the mtime."""
    setattr(file, "is_modified", lambda: modified)  # noqa: B010 - an instance attribute over a method


def page_written(page: Page, config: MkDocsConfig) -> None:
    """After the search plugin indexed a page (on_page_context): keep that page's entries."""
    if memory.pending is None:
        return
    index = _search_index(config)
    if index is None:
        return
    entries = index.entries
    memory.pending.search[page.url] = list(entries[memory.seen :])
    memory.seen = len(entries)


def finish(config: MkDocsConfig) -> None:
    """The build went through (on_post_build): fix the search index, drop gone pages, remember."""
    pending = memory.pending
    if pending is None:
        return
    # Pages skipped this time keep the search entries they had when last written.
    search = {**memory.built.search, **pending.search}
    pending.search = {url: search[url] for url in pending.pages if url in search}
    path = Path(config.site_dir) / "search" / "search_index.json"
    if path.is_file() and _search_index(config) is not None:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["docs"] = [entry for url in pending.pages for entry in pending.search.get(url, [])]
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    for gone in memory.built.outputs - pending.outputs:
        try:
            os.remove(gone)
            folder = os.path.dirname(gone)
            if folder != str(config.site_dir) and not os.listdir(folder):
                os.rmdir(folder)
        except OSError:
            pass
    memory.built, memory.pending = pending, None


def _search_index(config: MkDocsConfig) -> Any:
    for name in SEARCH_PLUGINS:
        plugin = config.plugins.get(name)
        if plugin is not None and getattr(plugin, "search_index", None) is not None:
            return plugin.search_index
    return None
