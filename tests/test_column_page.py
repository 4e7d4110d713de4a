"""hooks/column_page.py: one Markdown instance for many pages converts each as MkDocs' own Page would."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import markdown_site
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
# What the extensions of column_page.REUSABLE read: notes, abbreviations, tabs, code, tasks...
EXTENSION_TEXT = """# Bài {n}

Một câu có chú thích[^1] và chữ HTML viết tắt. ==đánh dấu== ^^thêm^^ ~~bỏ~~ {{++chèn++}} :smile: $x^2$
Xem https://example.edu.vn/bai-{n} và [[Trang Wiki]] và ++ctrl+c++.

[^1]: Chú thích của bài {n}.

*[HTML]: Ngôn ngữ trang web

=== "Thẻ {n}"
    một

=== "Thẻ khác"
    hai

/// tab | Khối {n}
ba
///

```python
print({n})
```

??? note "Chi tiết"
    ẩn

- [x] đã làm
- [ ] chưa làm

Thuật ngữ
:   Định nghĩa {n}
"""
GROUPS: dict[str, list[object]] = {
    "Python-Markdown": [
        *("abbr", "admonition", "attr_list", "codehilite", "def_list", "fenced_code", "footnotes"),
        *("legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables"),
        *("toc", "wikilinks"),
    ],
    "extra": ["extra", "toc"],
    "pymdownx": [
        *("attr_list", "md_in_html", "toc", "pymdownx.arithmatex", "pymdownx.betterem", "pymdownx.caret"),
        *("pymdownx.critic", "pymdownx.details", "pymdownx.emoji", "pymdownx.highlight", "pymdownx.keys"),
        *("pymdownx.inlinehilite", "pymdownx.magiclink", "pymdownx.mark", "pymdownx.smartsymbols"),
        *("pymdownx.snippets", "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tasklist"),
        *("pymdownx.tilde", "pymdownx.blocks.tab"),
    ],
    "pymdownx, the other styles": [
        {"pymdownx.tabbed": {"alternate_style": True}},
        {"pymdownx.blocks.tab": {"alternate_style": True}},
        {"pymdownx.arithmatex": {"generic": True}},
        "pymdownx.blocks.admonition",
        "pymdownx.blocks.details",
    ],
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


def as_mkdocs_converts(
    config,
    files: Files,
    logged: Callable[[], list[object]],  # noqa: ANN001
) -> tuple[dict[str, Rendered], dict[str, list[object]]]:
    """Each page as MkDocs' own Page converts it, and what it logs (``logged``: the lines said
    since it was last asked)."""
    rendered, said = {}, {}
    for file in files.documentation_pages():
        page = Page(None, file, config)
        page.read_source(config)
        logged()
        page.render(config, files)
        rendered[file.src_uri] = _rendered(page)
        said[file.src_uri] = logged()
    return rendered, said


def _converted_both_ways(config, pages: dict[str, str], caplog) -> dict[str, Rendered]:  # noqa: ANN001
    """Each page as MkDocs' own Page converts it; then by one ColumnPage instance, twice over
    (the instance is as good after every page as before the first): the same, and the same said."""
    docs = Path(config.docs_dir)
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    files = Files([File(name, str(docs), config.site_dir, use_directory_urls=True) for name in pages])
    caplog.set_level(logging.INFO)

    def logged() -> list[object]:
        lines: list[object] = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
        caplog.clear()
        return lines

    expected, said = as_mkdocs_converts(config, files, logged)
    converter = column_page.Converter(config)
    assert converter.reusable
    for _ in range(2):
        for file in files.documentation_pages():
            page = column_page.ColumnPage(file, config, converter)
            page.read_source(config)
            caplog.clear()
            page.render(config, files)
            assert _rendered(page) == expected[file.src_uri], file.src_uri
            assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == said[file.src_uri]
    return expected


def test_one_instance_converts_every_page_as_mkdocs_own_page_does(markdown_config, caplog) -> None:  # noqa: ANN001
    expected = _converted_both_ways(markdown_config, PAGES, caplog)
    a, b = expected["a.md"], expected["b.md"]
    assert a.content is not None and b.content is not None
    assert 'href="https://example.edu.vn/"' in a.content
    assert "[trang chính][nguon]" in b.content  # a reference of A's is not carried over to B
    assert a.title == "Tiêu đề bài A" and b.title is None
    assert {"khung-rieng", "doan-rieng", "hoat-dong", "hoat-dong_1"} <= a.anchors
    assert [item[0] for item in a.toc] == ["tieu-de-bai-a"] and len(a.toc[0][3]) == 2
    assert b.links["a.md"] == {"hoat-dong": "a.md#hoat-dong", "khong-co-muc": "a.md#khong-co-muc"}


# Something each group writes (its extensions were in use): a footnote, a tab set, an alternate tab set.
MARKS = {
    "Python-Markdown": 'class="footnote"',
    "extra": 'class="footnote"',
    "pymdownx": 'class="tabbed-set',
    "pymdownx, the other styles": "tabbed-alternate",
}


@pytest.mark.parametrize("group", GROUPS)
def test_every_extension_the_instance_is_kept_for_converts_as_a_new_one(group: str, tmp_path, caplog) -> None:  # noqa: ANN001
    config = markdown_site(tmp_path, GROUPS[group])
    texts = {f"bai-{n}.md": EXTENSION_TEXT.format(n=n) for n in range(3)}
    expected = _converted_both_ways(config, texts, caplog)
    content = expected["bai-1.md"].content or ""
    assert MARKS[group] in content and "Chú thích của bài 1" in content and "bài 0" not in content


def test_an_extension_not_known_to_reset_keeps_an_instance_per_page() -> None:
    assert column_page.reusable(["toc", "tables", "attr_list", "admonition"], {})
    assert not column_page.reusable(["toc", "some_school_extension"], {})
    # footnotes counts its resets into the ids it writes when told to make them unique
    assert column_page.reusable(["footnotes"], {})
    assert not column_page.reusable(["footnotes"], {"footnotes": {"UNIQUE_IDS": True}})
    assert not column_page.reusable(["extra"], {"extra": {"footnotes": {"UNIQUE_IDS": True}}})
