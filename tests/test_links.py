"""hooks/links.py reads a page's links, images and ids with regular expressions: they must find
what an HTML parser finds in what Python-Markdown writes, or a broken link would publish."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
from hypothesis import given
from hypothesis import strategies as st

from hooks import links

EXTENSIONS = ["toc", "tables", "attr_list", "admonition", "md_in_html"]


class Reference(HTMLParser):
    """The same reading, by the standard library's HTML parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.targets: list[links.Target] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif (name == "href" and tag in ("a", "link")) or (
                name == "src" and tag in links.IMAGE_TAGS | {"iframe"}
            ):
                self.targets.append(links.Target(tag, value.strip()))


def reference(html: str) -> tuple[list[links.Target], set[str]]:
    parser = Reference()
    parser.feed(html)
    parser.close()
    return parser.targets, parser.ids


PIECES = [
    "Chữ thường",
    "## Hoạt động tháng 11",
    "[kế hoạch](../2025/ke-hoach.md)",
    "[mục](#hoat-dong)",
    '![ảnh "lớp" > 1](anh lop.jpg)',
    '![bìa](bia.png){ title="a > b" id="bia" }',
    "[trang](https://example.org/?a=1&b=2)",
    "<a name='cu'>neo</a> <A HREF=tep.pdf>tệp</A> <img src = 'a b.png' alt=\"\">",
    '<video src="phim.mp4"></video>',
    "| cột | [ô](bang.md#dong) |\n|---|---|\n| 1 | 2 |",
    '`<a href="khong-phai-lien-ket">`',
    '!!! note "Lưu ý"\n    [bên trong](ben-trong.md)',
]


@given(st.lists(st.sampled_from(PIECES), max_size=8))
def test_the_links_images_and_ids_are_those_an_html_parser_reads(pieces: list[str]) -> None:
    html = markdown.markdown(
        "\n\n".join(pieces), extensions=EXTENSIONS, extension_configs={"toc": {"permalink": True}}
    )
    assert links.parse(html) == reference(html)


def test_a_quoted_greater_than_sign_does_not_hide_the_attributes_after_it() -> None:
    html = '<img alt="1 > 0" src="anh.jpg"><p title="x>y" id="muc">chữ</p><a href="#muc">về mục</a>'
    targets, ids = links.parse(html)
    assert targets == [links.Target("img", "anh.jpg"), links.Target("a", "#muc")]
    assert ids == {"muc"}
