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
- pages that no longer exist are deleted
  from the served folder.

This module keeps its memory between rebuilds: MkDocs re-executes the hook files on
every rebuild, but a package module imported by name stays loaded.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files


@dataclass
class Snapshot:
    """What one build wrote: compared with the next build to decide what it may skip."""

    inputs: tuple[Any, ...] | None = None  # everything outside posts/
    posts: dict[str, Any] = field(default_factory=dict)  # post rel -> what its page showed
    urls: dict[str, str] = field(default_factory=dict)  # post rel -> its address
    outputs: set[str] = field(default_factory=set)  # files written


@dataclass
class Memory:
    dirty: bool = False
    built: Snapshot = field(default_factory=Snapshot)  # the last build that finished
    pending: Snapshot | None = None  # this build, committed only when it finishes


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


def finish(config: MkDocsConfig) -> None:
    """The build went through (on_post_build): drop pages that are gone, remember what was written.

    The search index needs nothing here: Pagefind indexes the whole served folder after each build.
    """
    pending = memory.pending
    if pending is None:
        return
    for gone in memory.built.outputs - pending.outputs:
        try:
            os.remove(gone)
            folder = os.path.dirname(gone)
            if folder != str(config.site_dir) and not os.listdir(folder):
                os.rmdir(folder)
        except OSError:
            pass
    memory.built, memory.pending = pending, None
