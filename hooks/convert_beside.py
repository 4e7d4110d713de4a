"""The posts' Markdown converted on both cores: a forked child takes posts from the end of the
list while MkDocs converts from the start, until they meet.

MkDocs converts every page's Markdown one after the other (``_populate_page`` in
mkdocs/commands/build.py), about 1.4 ms a post on the benchmark's machine, on one core while
the other is often idle. Just before that loop (``on_nav``: every file is known), a child
forked from the build takes the last post not yet taken, converts it with MkDocs' own code
(``Page.read_source``, the ``page_markdown`` events, ``Page.render``) and hands back what
``render`` sets on the page, and the warnings it logged; the build, reaching a post, takes it
unless the child already has. A shared boundary under a lock decides who converts which post,
so neither waits for the other, whatever the machine's load: a post is converted exactly once.
At 1,000 posts the child takes about 450 of them; the build went from 1.17 to 1.12 × plain
MkDocs' time (9 interleaved rounds, 2 cores), for about 0.3 s more CPU (the child reads each post
again and runs the ``page_markdown`` events, and the two cores slow each other a little).

For a post the child converts, the build's ``page_markdown`` event (the column's, the last to
run) keeps the Markdown aside and hands MkDocs an empty text, and its ``page_content`` event
(the first to run) puts the child's result on the page and logs its warnings there, as MkDocs
would have. What the page then goes through (sanitizing, the links' check, templates) is the
build's own. A child that dies or fails a post leaves that post to the build, which converts
it itself and so meets any mistake with its own message. Only for ``mkdocs build`` on Linux
(``fork``) with many posts: ``mkdocs serve`` rebuilds a few pages beside its server's threads, and
a small site would spend more on the fork than it saves. ``COLUMN_CONVERT_BESIDE=0`` turns it
off, ``1`` on for any site, with the last post the child's from the start (tests/test_build_sample.py
builds the sample so and compares every page and every line the build says).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

SETTING = "COLUMN_CONVERT_BESIDE"
# Below this many posts the fork (about 10 ms for a build's memory) saves too little to matter.
FEWEST_POSTS = 100
# Far longer than converting every post takes, so only a child that hangs is given up on.
WAIT_SECONDS = 120.0
# The child yields the core to the build; the Word and Excel files' child (hooks/beside.py) and
# Pagefind run lower still.
NICENESS = 2


@dataclass
class Converted:
    """What ``Page.render`` set on a post, made in the child."""

    content: str
    toc: TableOfContents
    title: str | None
    anchors: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # by the linked file's src_uri
    records: list[logging.LogRecord]  # what MkDocs and Markdown logged while converting it


class Sharing:
    """One build's posts, converted from both ends: the build from the start, a child from the end."""

    def __init__(self, posts: list[File], config: MkDocsConfig, files: Files, given: int = 0) -> None:
        """``given``: posts at the end that are the child's from the start (a test sees it convert)."""
        self._order = {file.src_uri: number for number, file in enumerate(posts)}
        self.converted = self.failed = 0  # by the child, once the build has its results
        context = multiprocessing.get_context("fork")
        # The child converts posts [bound, len); the build [0, claimed). Both move under the lock.
        self._bound = context.RawValue("l", max(len(posts) - given, 0))
        self._claimed = context.RawValue("l", 0)
        self._lock = context.Lock()
        self._made: dict[int, Converted | None] = {}
        self._converting = False  # True in the child: the page_markdown event hands on every text
        self._reader: Connection | None
        self._reader, writer = context.Pipe(duplex=False)
        self._child: multiprocessing.process.BaseProcess | None = context.Process(
            target=self._convert, args=(posts, config, files, writer), daemon=True
        )
        gc.freeze()  # the child's collections leave the build's objects alone: its memory stays shared
        try:
            self._child.start()
        except OSError:  # no memory or no process left to fork: the build converts every post
            self._reader.close()
            self._reader, self._child = None, None
        finally:
            gc.unfreeze()
            writer.close()  # the child holds its own end: a dead child is an EOF here, not a hang

    def taken(self, src: str) -> bool:
        """The build reached this page: True if the child converts it (then ask ``result``)."""
        number = self._order.get(src)
        if number is None or self._converting:
            return False
        if self._child is None:  # finished, died or never started: the boundary moves no more
            return number >= self._bound.value
        while not self._lock.acquire(timeout=0.05):
            if not self._child.is_alive():  # killed while it held the lock: it is released never
                self.close()
                return number >= self._bound.value
        try:
            if number < self._bound.value:
                self._claimed.value = max(self._claimed.value, number + 1)
                return False
            return True
        finally:
            self._lock.release()

    def result(self, src: str) -> Converted | None:
        """The child's conversion of a post it took; None: the build converts it itself."""
        if self._reader is not None:
            try:
                if self._reader.poll(WAIT_SECONDS):  # a child that hangs is not waited for
                    self._made = self._reader.recv()
            except (EOFError, OSError):  # killed (out of memory?) or could not send: the build converts
                pass
            self.close()
            self.converted = sum(made is not None for made in self._made.values())
            self.failed = len(self._made) - self.converted
        return self._made.pop(self._order[src], None)

    def close(self) -> None:
        """No more from the child: the build stopped, or the child finished or died."""
        if self._child is not None:
            if self._child.is_alive():
                self._child.kill()
            self._child.join()
            self._child = None
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def _convert(self, posts: list[File], config: MkDocsConfig, files: Files, writer: Connection) -> None:
        """In the child: take posts from the end until the build's and the child's meet."""
        self._converting = True
        made: dict[int, Converted | None] = {}
        if hasattr(os, "nice"):
            os.nice(NICENESS)
        caught = _Catch()
        # Every record reaches the catcher, and nothing is printed here: MkDocs' and ProperDocs'
        # commands give their loggers their own handlers and stop them from propagating.
        for logger in logging.Logger.manager.loggerDict.values():
            if isinstance(logger, logging.Logger):
                logger.handlers, logger.propagate = [], True
        logging.getLogger().handlers = [caught]
        for number in range(len(posts) - 1, self._bound.value - 1, -1):  # given from the start
            made[number] = self._one(posts[number], config, files, caught)
        while True:
            with self._lock:
                number = self._bound.value - 1
                if number < self._claimed.value:
                    break
                self._bound.value = number
            made[number] = self._one(posts[number], config, files, caught)
        # All at once, when the build has reached the child's posts: sent one by one, they would
        # fill the pipe long before the build reads them, and the child would wait.
        try:
            writer.send(made)
        except Exception:  # noqa: BLE001 (a record that cannot be pickled: the build converts them all)
            pass
        writer.close()

    @staticmethod
    def _one(file: File, config: MkDocsConfig, files: Files, caught: _Catch) -> Converted | None:
        try:
            return _render(file, config, files, caught)
        except Exception:  # noqa: BLE001 (the build converts it again and meets the mistake itself)
            return None


def _render(file: File, config: MkDocsConfig, files: Files, caught: _Catch) -> Converted:
    """What MkDocs' ``_populate_page`` does up to ``Page.render``, in the child."""
    page = file.page  # MkDocs makes a page for every file before on_nav
    assert page is not None
    config._current_page = page
    try:
        caught.keep = False  # the build runs these events itself, and says what they say
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        assert page.markdown is not None
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        caught.keep = True
        caught.records = []
        page.render(config, files)
    finally:
        config._current_page = None
        caught.keep = False
    assert page.content is not None
    return Converted(
        page.content,
        page.toc,
        page._title_from_render,
        page.present_anchor_ids,
        None
        if page.links_to_anchors is None
        else {linked.src_uri: anchors for linked, anchors in page.links_to_anchors.items()},
        caught.records,
    )


def put_on(page: Page, converted: Converted, files: Files) -> str:
    """In the build: the child's conversion set on ``page`` as ``Page.render`` would; its HTML."""
    page.toc = converted.toc
    page._title_from_render = converted.title
    page.present_anchor_ids = converted.anchors
    if converted.links_to_anchors is not None:
        page.links_to_anchors = {}
        for src, anchors in converted.links_to_anchors.items():
            linked = files.get_file_from_path(src)
            if linked is not None:
                page.links_to_anchors[linked] = anchors
    for record in converted.records:  # where MkDocs would have logged them: this page, now
        logging.getLogger(record.name).handle(record)
    return converted.content


def wanted(posts: int, serving: bool) -> bool:
    """Whether this build shares its posts: ``COLUMN_CONVERT_BESIDE=0`` never, ``1`` whenever it
    can (the tests, on a small site), unset for ``mkdocs build`` of ``FEWEST_POSTS`` posts or more.
    Never under ``mkdocs serve``: a save rebuilds a few pages, and its builds run beside the
    server's threads, where a fork is not safe."""
    setting = os.environ.get(SETTING)
    if setting == "0" or serving or not sys.platform.startswith("linux") or posts == 0:
        return False
    return setting == "1" or posts >= FEWEST_POSTS


def given() -> int:
    """``COLUMN_CONVERT_BESIDE=1`` (tests): the last post is the child's from the start, so that
    even a small site's build shows the child converting."""
    return 1 if os.environ.get(SETTING) == "1" else 0


class _Catch(logging.Handler):
    """The child's log: what ``Page.render`` says is kept for the build to say; the rest is not."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.keep = False
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if self.keep:
            record.msg, record.args = record.getMessage(), None  # sent as text, whatever its arguments
            record.exc_info, record.exc_text, record.stack_info = None, None, None
            self.records.append(record)
