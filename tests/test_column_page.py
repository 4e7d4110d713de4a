"""hooks/column_page.py: one Markdown instance for many pages converts each as MkDocs' own Page would."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from hooks import column_page

ROOT = Path(__file__).resolve().parent.parent

# What posts hold, and what could leak from one text into the next through a shared instance:
# reference definitions, heading ids, raw HTML ids, admonitions, tables, attribute lists.
PAGES = {
    "a.md": (
        "# Tiêu đề bài A\n\n## Hoạt động\n\n## Hoạt động\n\n"
        "Xem [trang chính][nguon], [phần hai của B](b.md#phan-hai) và [một bài không có](khong-co.md).\n\n"
        "[nguon]: https://example.edu.vn/\n\n"
        '!!! note "Ghi chú"\n    Nội dung ghi chú.\n\n'
        "| Lớp | Số trẻ |\n|---|---|\n| Mầm | 25 |\n\n"
        '<div id="khung-rieng">Khung</div>\n\n'
        "Đoạn có mã riêng\n{: #doan-rieng }\n"
    ),
    "b.md": (
        "Bài không có tiêu đề cấp một.\n\n## Phần hai\n\n"
        "Tham chiếu [trang chính][nguon] chỉ được định nghĩa ở bài A.\n\n"
        "[Về mục của A](a.md#hoat-dong) và [một mục không có](a.md#khong-co-muc)\n"
    ),
    "c.md": "",
    "d.md": "# Tiêu đề bài A\n\n## Hoạt động\n\nCùng tiêu đề với bài A: các mã mục phải như của bài A.\n",
}


@dataclass
class Rendered:
    """Everything Page.render sets on a page."""

    content: str | None
    toc: list[tuple[str, str, int, list[str]]]
    title: str | None
    anchors: set[str]
    links: dict[str, dict[str, str]]  # by the linked file's src_uri


def _rendered(page: Page) -> Rendered:
    return Rendered(
        page.content,
        [(item.id, item.title, item.level, [child.id for child in item.children]) for item in page.toc],
        page._title_from_render,
        page.present_anchor_ids or set(),
        {linked.src_uri: anchors for linked, anchors in (page.links_to_anchors or {}).items()},
    )


def test_one_instance_converts_every_page_as_mkdocs_own_page_does(markdown_config, caplog) -> None:  # noqa: ANN001
    config = markdown_config
    docs = Path(config.docs_dir)
    for name, text in PAGES.items():
        (docs / name).write_text(text, encoding="utf-8")
    files = Files([File(name, str(docs), config.site_dir, use_directory_urls=True) for name in PAGES])
    caplog.set_level(logging.INFO)

    expected, said = {}, {}
    for file in files.documentation_pages():
        page = Page(None, file, config)
        page.read_source(config)
        caplog.clear()
        page.render(config, files)
        expected[file.src_uri] = _rendered(page)
        said[file.src_uri] = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]

    converter = column_page.Converter(config)
    for _ in range(2):  # and again: the instance is as good after every page as before the first
        for file in files.documentation_pages():
            page = column_page.ColumnPage(file, config, converter)
            page.read_source(config)
            caplog.clear()
            page.render(config, files)
            assert _rendered(page) == expected[file.src_uri], file.src_uri
            assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == said[file.src_uri]

    a, b = expected["a.md"], expected["b.md"]
    assert a.content is not None and b.content is not None
    assert (
        'href="https://example.edu.vn/"' in a.content and "[trang chính][nguon]" in b.content
    )  # not carried over
    assert a.title == "Tiêu đề bài A" and b.title is None
    assert {"khung-rieng", "doan-rieng", "hoat-dong", "hoat-dong_1"} <= a.anchors
    assert [item[0] for item in a.toc] == ["tieu-de-bai-a"] and len(a.toc[0][3]) == 2
    assert b.links["a.md"] == {"hoat-dong": "a.md#hoat-dong", "khong-co-muc": "a.md#khong-co-muc"}
    assert any("khong-co.md" in message for _, _, message in said["a.md"])  # a link MkDocs reports
