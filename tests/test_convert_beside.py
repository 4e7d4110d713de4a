"""hooks/convert_beside.py: each post is converted once, by the build or by the forked child, and
comes out as MkDocs would convert it, whatever happens to the child."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

import pytest
from mkdocs.structure.files import File, Files
from test_column_page import PAGES, _rendered, as_mkdocs_converts

from hooks import column_page, convert_beside

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork is used on Linux only")

COUNT = 40


class Said(logging.Handler):
    """What MkDocs' command prints: its logger's own handler, the logger not propagating (as
    mkdocs/__main__.py and ProperDocs' command set it up), so nothing of it reaches the root."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    def taken(self) -> list[object]:
        """The lines said since the last time, no longer kept."""
        lines, self.lines = self.lines, []
        return list(lines)


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> Said:
    handler = Said()
    logger = logging.getLogger("mkdocs")
    monkeypatch.setattr(logger, "handlers", [handler])
    monkeypatch.setattr(logger, "propagate", False)
    monkeypatch.setattr(logger, "level", logging.INFO)
    return handler


def _posts(config) -> tuple[Files, list[File]]:  # noqa: ANN001
    """COUNT posts of every kind PAGES holds; each links to the next, and one to a missing file."""
    docs = Path(config.docs_dir)
    texts = list(PAGES.values())
    names = [f"bai-{number:02}.md" for number in range(COUNT)]
    for number, name in enumerate(names):
        nxt = names[(number + 1) % COUNT]
        text = f"{texts[number % len(texts)]}\n\n[Bài sau]({nxt}#phan-hai)\n"
        (docs / name).write_text(text.replace("b.md", nxt).replace("a.md", nxt), encoding="utf-8")
    files = Files([File(name, str(docs), config.site_dir, use_directory_urls=True) for name in names])
    return files, list(files.documentation_pages())


def _build(config, files: Files, posts: list[File], said: Said, pause: float = 0.0):  # noqa: ANN001, ANN202
    """What the build does with each post, in MkDocs' order (hooks/column_hooks.py): convert it, or
    take the child's conversion. Returns each post's rendering, log, and who converted it."""
    converter = column_page.Converter(config)
    for file in posts:  # made in on_nav, before the child is forked
        column_page.ColumnPage(file, config, converter)
    sharing = convert_beside.Sharing(posts, config, files)
    rendered, lines, by = {}, {}, {}
    try:
        for file in posts:
            page = file.page
            assert page is not None
            page.read_source(config)
            said.taken()
            converted = sharing.result(file.src_uri) if sharing.taken(file.src_uri) else None
            if converted is not None:
                page.content = convert_beside.put_on(page, converted, files)
                by[file.src_uri] = "child"
            else:
                page.render(config, files)
                by[file.src_uri] = "build"
                time.sleep(pause)  # a slow build: the child has time to take posts
            rendered[file.src_uri] = _rendered(page)
            lines[file.src_uri] = said.taken()
    finally:
        sharing.close()
    return rendered, lines, by


def test_the_build_and_the_child_share_the_posts_and_each_comes_out_as_mkdocs_makes_it(
    markdown_config, said
) -> None:  # noqa: ANN001
    config = markdown_config
    files, posts = _posts(config)
    expected, expected_lines = as_mkdocs_converts(config, files, said.taken)
    rendered, lines, by = _build(config, files, posts, said, pause=0.02)
    assert rendered == expected
    assert lines == expected_lines  # the child's warnings are said by the build, at the post's turn
    assert any("khong-co.md" in line for page in lines.values() for line in page)
    children = [src for src, who in by.items() if who == "child"]
    assert children and len(children) < COUNT  # both converted some
    # The child takes from the end: everything after the build's last post is the child's.
    order = [file.src_uri for file in posts]
    assert children == order[len(order) - len(children) :]


def test_a_child_that_dies_leaves_its_posts_to_the_build(markdown_config, said, monkeypatch) -> None:  # noqa: ANN001
    config = markdown_config
    files, posts = _posts(config)
    expected, _ = as_mkdocs_converts(config, files, said.taken)
    monkeypatch.setattr(
        convert_beside, "_render", lambda *args: os._exit(9)
    )  # in the child, on its first post
    rendered, _, by = _build(config, files, posts, said, pause=0.01)
    assert rendered == expected
    assert set(by.values()) == {"build"}


def test_a_post_the_child_cannot_convert_is_converted_by_the_build(
    markdown_config, said, monkeypatch
) -> None:  # noqa: ANN001
    config = markdown_config
    files, posts = _posts(config)
    expected, _ = as_mkdocs_converts(config, files, said.taken)
    last = posts[-1].src_uri
    render = convert_beside._render

    def failing(file: File, *args: object) -> convert_beside.Converted:
        if file.src_uri == last:
            raise ValueError("hỏng")
        return render(file, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(convert_beside, "_render", failing)
    rendered, _, by = _build(config, files, posts, said, pause=0.02)
    assert rendered == expected
    assert by[last] == "build" and "child" in by.values()


def test_only_a_full_build_of_many_posts_shares_unless_told(monkeypatch) -> None:
    monkeypatch.delenv(convert_beside.SETTING, raising=False)
    assert convert_beside.wanted(convert_beside.FEWEST_POSTS, serving=False)
    assert not convert_beside.wanted(convert_beside.FEWEST_POSTS - 1, serving=False)
    assert not convert_beside.wanted(
        5000, serving=True
    )  # mkdocs serve: a save rebuilds a few pages, beside threads
    monkeypatch.setenv(convert_beside.SETTING, "1")
    assert convert_beside.wanted(3, serving=False)
    monkeypatch.setenv(convert_beside.SETTING, "0")
    assert not convert_beside.wanted(5000, serving=False)
