"""Broken images and links in a post or a page, found in what readers get and told as staff wrote it.

MkDocs warns in English about a link it can't resolve, naming ``bai-viet/2026/…md``, a path
staff never saw, and says nothing at all about ``![ảnh](C:\\Users\\Lan\\hoi thi.jpg)``,
which Markdown does not even read as an image. This module checks each page's rendered
content (every ``src`` and ``href`` that points inside the site, and its ``#anchor``) and
its Markdown source (paths from the author's own computer, names with spaces), and says
what is wrong in Vietnamese with the file as staff know it and the line to fix.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import unescape
from urllib.parse import unquote, urlsplit

from .front_matter import Problem

IMAGE_TAGS = frozenset({"img", "source", "video", "audio"})
_SKIP_SCHEMES = frozenset({"http", "https", "mailto", "tel", "data", "javascript", "ftp", "sms", "zalo"})


@dataclass(frozen=True)
class Target:
    """A link or image in a page's rendered content."""

    tag: str
    url: str  # as written in the HTML

    @property
    def is_image(self) -> bool:
        return self.tag in IMAGE_TAGS


# Regular expressions read a page's content: many times faster than an HTML parser on a
# 1,000-post build (tests/test_links.py checks them against one). Tags first (a quoted value may
# hold ">"), then the few attributes of each: scanning every character of the page for an
# attribute took three times as long. Python-Markdown quotes with ", raw HTML in a post may not.
_TAG = re.compile(r"""<(\w+)(\s(?:[^>"']|"[^"]*"|'[^']*')*)>""")
_ATTRIBUTE = re.compile(r"""\s(href|src|id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_LINKING = {**dict.fromkeys(("a", "link"), "href"), **dict.fromkeys((*IMAGE_TAGS, "iframe"), "src")}


def parse(html: str) -> tuple[list[Target], set[str]]:
    """The links and images of a page's content, and the ids it holds (for #anchors)."""
    targets: list[Target] = []
    ids: set[str] = set()
    for tag_match in _TAG.finditer(html):
        tag = tag_match[1].lower()
        for name, double, single, bare in _ATTRIBUTE.findall(tag_match[2]):
            name, value = name.lower(), unescape(double or single or bare)
            if name == "id" or (name == "name" and tag == "a"):
                ids.add(value)
            elif _LINKING.get(tag) == name:
                targets.append(Target(tag, value.strip()))
    return targets, ids


def inside(url: str) -> bool:
    """A link to somewhere in this site (not another site, an e-mail, a phone, or this page)."""
    parts = urlsplit(url)
    if len(parts.scheme) == 1:  # "C:" is a Windows drive, not a scheme
        return True
    return not parts.scheme and not parts.netloc and bool(parts.path)


def resolve(page_url: str, url: str) -> tuple[str, str]:
    """(the site path a relative ``url`` reaches from the page at ``page_url``, its #fragment)."""
    parts = urlsplit(url)
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    path = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    return ("" if path == "." else path.strip("/")), unquote(parts.fragment)


@dataclass
class SiteMap:
    """Every address the built site will have, and the ids of each page rendered so far."""

    addresses: set[str]
    ids: dict[str, set[str]]

    @classmethod
    def of(cls, urls: Iterable[str]) -> SiteMap:
        addresses = set()
        for url in urls:
            clean = url.strip("/")
            addresses.add(clean)
            if clean.endswith("index.html"):
                addresses.add(clean.removesuffix("index.html").strip("/"))
        return cls(addresses, {})

    def has(self, path: str) -> bool:
        return path in self.addresses or f"{path}/index.html".strip("/") in self.addresses


@dataclass(frozen=True)
class Broken:
    """A target that does not exist, with what to tell staff."""

    target: Target
    reason: str


def check(page_url: str, html: str, site: SiteMap) -> tuple[list[Broken], list[tuple[Target, str, str]]]:
    """(broken targets, links with a #fragment into another page to check once every page is rendered)."""
    targets, ids = parse(html)
    site.ids[page_url.strip("/")] = ids
    broken: list[Broken] = []
    later: list[tuple[Target, str, str]] = []
    for target in targets:
        url = target.url
        if not url or url.startswith("#"):
            fragment = unquote(url[1:])
            if fragment and fragment not in ids:
                broken.append(Broken(target, f"không có mục '#{fragment}' trong chính trang này"))
            continue
        if not inside(url):
            continue
        if "\\" in url or len(urlsplit(url).scheme) == 1:
            broken.append(Broken(target, _local_path(url, target.is_image)))
            continue
        if url.startswith("/"):
            broken.append(
                Broken(
                    target,
                    f"đường dẫn '{url}' bắt đầu bằng '/': trên GitHub Pages nó trỏ ra ngoài trang; "
                    "hãy viết đường dẫn tính từ tệp này, ví dụ anh.jpg hoặc ../2024/bai.md",
                )
            )
            continue
        path, fragment = resolve(page_url, url)
        if not site.has(path):
            broken.append(Broken(target, _missing(url, target.is_image)))
        elif fragment:
            later.append((target, path, fragment))
    return broken, later


def check_fragment(site: SiteMap, path: str, fragment: str) -> str | None:
    """Why a #fragment into the page at ``path`` is broken, or None (also when that page was not rendered)."""
    ids = site.ids.get(path.removesuffix("index.html").strip("/"))
    if ids is None or fragment in ids:
        return None
    return f"trang '{path}/' không có mục '#{fragment}'"


def _missing(url: str, image: bool) -> str:
    if image:
        return f"không thấy ảnh '{url}'; hãy đặt tệp ảnh cùng thư mục với bài hoặc sửa tên ảnh"
    return f"liên kết '{url}' không trỏ tới bài, trang hay tệp nào của trang; hãy sửa đường dẫn"


def suggestion(url: str, names: Iterable[str]) -> str:
    """`` (có phải 'hoi-thi.jpg'?)`` when a file beside the page has a name close to the one written."""
    name = posixpath.basename(unquote(urlsplit(url).path))
    close = difflib.get_close_matches(name, sorted(set(names)), n=1, cutoff=0.6)
    return f" (có phải '{close[0]}'?)" if close and close[0] != name else ""


def _local_path(path: str, image: bool) -> str:
    what = "ảnh" if image else "tệp"
    return (
        f"'{path}' là đường dẫn trên máy tính của bạn, trang web không đọc được; hãy tải {what} lên "
        f"cùng thư mục với bài (tên không dấu, không khoảng trắng, ví dụ hoi-thi.jpg) rồi viết "
        + ("![mô tả ảnh](hoi-thi.jpg)" if image else "[tên tài liệu](ke-hoach.pdf)")
    )


# Markdown that Markdown itself does not read as a link, so nothing reaches the HTML.
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_INLINE_CODE = re.compile(r"`[^`]*`")
_LINK_OPEN = re.compile(r"(!?)\[[^\]\n]*\]\(([^)\n]*)\)")


# A cheap first look: only a page with one of these can have a link Markdown did not read.
SUSPECT = re.compile(r"\]\([^)\n]*[\\ ]|\]\(\s*<?file:")


def source_problems(text: str, shown: str) -> list[Problem]:
    """Links in a Markdown file that never became links: a path from the author's computer
    (``C:\\…``, ``\\\\server``, ``file://``), or a file name with spaces."""
    problems = []
    in_fence = False
    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        for match in _LINK_OPEN.finditer(_INLINE_CODE.sub("", line)):
            image, inner = match[1] == "!", match[2].strip()
            target = inner[1:].split(">", 1)[0] if inner.startswith("<") else inner
            if re.match(r"^(?:[A-Za-z]:[\\/]|\\\\|file:)", target) or "\\" in target:
                problems.append(Problem(shown, _local_path(target, image), number))
            elif not inner.startswith("<") and " " in inner and not re.search(r"\s+[\"'(].*[\"')]$", inner):
                problems.append(
                    Problem(
                        shown,
                        f"'{inner}' có khoảng trắng nên không thành {'ảnh' if image else 'liên kết'}; hãy đổi tên "
                        f"tệp cho không có khoảng trắng (ví dụ {inner.replace(' ', '-')}) và sửa ở đây cho khớp",
                        number,
                    )
                )
    return problems


def line_of(text: str, needle: str) -> int | None:
    """The first line of ``text`` that holds ``needle`` (as written, or URL-decoded)."""
    for candidate in dict.fromkeys((needle, unquote(needle))):
        for number, line in enumerate(text.splitlines(), start=1):
            if candidate and candidate in line:
                return number
    return None


_IMG = re.compile(r"<img\b([^>]*)>")
_SRC = re.compile(r'\ssrc="([^"]*)"')


def with_sizes(html: str, page_url: str, sizes: dict[str, tuple[int, int]]) -> str:
    """Width and height on every ``<img>`` of a photo the build processed, so pages do not jump
    while photos load, and ``loading="lazy"`` so a phone fetches only the photos it shows."""

    def sized(match: re.Match[str]) -> str:
        attrs = match[1]
        src = _SRC.search(attrs)
        if src is None or " width=" in attrs or not inside(unescape(src[1])):
            return match[0]
        size = sizes.get(resolve(page_url, unescape(src[1]))[0])
        if size is None:
            return match[0]
        lazy = "" if " loading=" in attrs else ' loading="lazy"'
        closing = "/" if attrs.endswith("/") else ""
        body = attrs.removesuffix("/").rstrip()
        return f'<img{body} width="{size[0]}" height="{size[1]}"{lazy} decoding="async"{" /" if closing else ""}>'

    return _IMG.sub(sized, html) if "<img" in html else html
