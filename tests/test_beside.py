"""hooks/beside.py: work made in a forked child gives what the parent would have made itself."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from hooks import beside

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork is used on Linux only")


def test_the_child_makes_the_value_and_the_parent_does_not() -> None:
    parent = os.getpid()
    later = beside.Later(lambda: {"made by": os.getpid(), "bytes": b"\x00" * 3_000_000})
    value = later.result()
    assert value["made by"] != parent  # made beside the build, not in it
    assert value["bytes"] == b"\x00" * 3_000_000  # larger than a pipe's buffer: nothing lost on the way
    assert later.result() is value  # asked again, the same value; no second child


def test_a_mistake_in_the_work_is_met_in_the_parent_with_its_own_traceback() -> None:
    def make() -> int:
        raise ValueError(f"hỏng ở {os.getpid()}")

    with pytest.raises(ValueError, match=f"hỏng ở {os.getpid()}$"):
        beside.Later(make).result()


def test_a_child_killed_before_it_answers_is_made_again_in_the_parent() -> None:
    parent = os.getpid()

    def make() -> int:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would
        return 42

    assert beside.Later(make).result() == 42


def test_a_cancelled_child_is_gone() -> None:
    later = beside.Later(lambda: __import__("time").sleep(60))
    child = later._child
    assert child is not None and child.is_alive()
    later.cancel()
    assert not child.is_alive()


def test_a_fork_that_fails_leaves_the_work_to_the_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing.process

    def no_fork(self: object) -> None:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", no_fork)
    later = beside.Later(os.getpid)
    assert later.result() == os.getpid()  # made in the parent


def test_a_child_that_hangs_is_not_waited_for(monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    monkeypatch.setattr(beside, "WAIT_SECONDS", 0.5)

    def make() -> int:
        if os.getpid() != parent:
            __import__("time").sleep(60)
        return 7

    later = beside.Later(make)
    child = later._child
    assert later.result() == 7 and child is not None and not child.is_alive()
