"""Work made beside the build: a forked process makes it while MkDocs renders the pages.

The report's Word and Excel files take about a second and a half at 1,000 posts, and MkDocs
needs them only when it copies the static files, after every page's Markdown is converted.
On Linux (GitHub's runners, this project's CI) a forked child makes them on the second core;
it shares the parent's memory as it was, so nothing is imported or copied again, and it hands
back only the result. Where ``fork`` is missing or unsafe (Windows, macOS), or the child dies,
the work is made in this process: the result is the same, only later.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

T = TypeVar("T")
# Far longer than the documents take (0.7 s of CPU at 1,000 posts on the benchmark's machine), so
# only a child that hangs is given up on.
WAIT_SECONDS = 120.0
# The child yields to the build, and to the child that converts posts (hooks/convert_beside.py),
# whose work the build needs sooner: with the build alone on one core and the two children, so
# weighted, on the other, the build ran 2 % faster (9 interleaved rounds at 1,000 posts).
NICENESS = 5


class Later(Generic[T]):
    """A value being made; ``result()`` waits for it."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._done = False
        self._value: T | None = None
        self._child: multiprocessing.process.BaseProcess | None = None
        self._reader: Connection | None = None
        if sys.platform.startswith("linux"):
            context = multiprocessing.get_context("fork")
            self._reader, writer = context.Pipe(duplex=False)
            self._child = context.Process(target=_run, args=(make, writer), daemon=True)
            try:
                self._child.start()
            except OSError:  # no memory or no process left to fork: made here, later
                self._reader.close()
                self._reader, self._child = None, None
            writer.close()  # the child holds its own end: a dead child is an EOF here, not a hang

    def result(self) -> T:
        if not self._done:
            self._value = self._take() if self._child is not None else self._make()
            self._done = True
        return self._value  # type: ignore[return-value]

    def _take(self) -> T:
        assert self._child is not None and self._reader is not None
        try:
            if self._reader.poll(WAIT_SECONDS):
                made, value = self._reader.recv()
            else:  # a child that hangs is not waited for: the build makes the value itself
                self._child.kill()
                made, value = False, None
        except (EOFError, OSError):  # killed (out of memory?) before it answered
            made, value = False, None
        finally:
            self._reader.close()
            self._child.join()
            self._child = None
        # A child that failed is asked no more: the parent makes it itself, and so meets the same
        # mistake with its own traceback, which no pickled exception would carry.
        return value if made else self._make()

    def cancel(self) -> None:
        """The build stopped: the child's work is no longer wanted."""
        if self._child is not None:
            self._child.kill()
            self._child.join()
            self._child = None
        if self._reader is not None:
            self._reader.close()
        self._done = True


def _run(make: Callable[[], object], writer: Connection) -> None:
    os.nice(NICENESS)
    try:
        writer.send((True, make()))
    except Exception:  # noqa: BLE001 (the parent makes it again and meets the mistake itself)
        writer.send((False, None))
    writer.close()
