"""`make serve` silences MkDocs' dirty-build warning by when it is logged, not by its wording."""

from __future__ import annotations

import logging

import pytest

from hooks import preview


@pytest.fixture
def build_log(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO, logger="mkdocs.commands.build")
    yield logging.getLogger("mkdocs.commands.build"), caplog
    preview.startup(False)


def test_only_the_window_before_the_files_event_is_silenced(build_log) -> None:
    logger, caplog = build_log
    preview.startup(True)
    preview.begin()  # on_pre_build
    logger.warning("Any wording MkDocs may choose for its dirty-build warning")
    logger.info("Building documentation to directory: site")
    preview.files_gathered()  # on_files
    logger.warning("A 'dirty' build is being performed, (after the files event: a real warning)")
    messages = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert ("WARNING", "Any wording MkDocs may choose for its dirty-build warning") not in messages
    assert ("INFO", "Building documentation to directory: site") in messages
    assert any(level == "WARNING" and "after the files event" in text for level, text in messages)


def test_a_build_without_dirty_keeps_every_warning(build_log) -> None:
    logger, caplog = build_log
    preview.startup(False)
    preview.begin()
    logger.warning("A 'dirty' build is being performed")
    assert [r.getMessage() for r in caplog.records] == ["A 'dirty' build is being performed"]
