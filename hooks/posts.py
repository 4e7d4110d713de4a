"""Posts: read, validate and sort the column's Markdown files under ``posts/``.

Every file ends up in exactly one place of a :class:`Catalog`: published, draft,
scheduled, asset (published as is), or a problem that names it. Nothing is dropped.
"""

from __future__ import annotations

import concurrent.futures
import functools
import multiprocessing
import os
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from frontmatter.default_handlers import YAMLHandler

from .dates import ACCEPTED_FORMS, DateError, to_local
from .quarters import Quarter
from .slugs import slug as make_slug

POST_SUFFIX = ".md"
# Extensions that look like a post but would not be read as one.
MISTAKEN_SUFFIXES = (".markdown", ".mdown", ".mkd", ".MD", ".Md")
DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
# Keys a post may carry. Other keys MkDocs or Material read are passed through quietly.
KNOWN_KEYS = frozenset({"title", "date", "tags", "summary", "author", "image", "draft", "slug"})
PASS_THROUGH_KEYS = frozenset({"description", "hide", "search", "comments", "status"})
SUMMARY_LENGTH = 280

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FrontMatterLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML that leaves dates as text, so that one parser reads them all (day first)."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_HANDLER = YAMLHandler()

# Fast path for the front matter almost every post has: one `key: value` a line, values that
# are plain words or [a, b] lists of them. Anything else (quotes, colons, comments, nesting,
# numbers...) goes to PyYAML. The words allowed can't be read by YAML as anything but text,
# except YAML 1.1's booleans and null, mapped as PyYAML maps them; tests/test_posts.py checks
# the fast path against PyYAML.
_KEY_LINE = re.compile(r"([a-z_]+): (.+)")
_PLAIN = re.compile(r"[^\W\d_][^:#'\"\[\]{},&*!|>%@`\\\t]*", re.UNICODE)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_WORDS: dict[str, object] = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    **dict.fromkeys(("null", "Null", "NULL"), None),
}


def _plain(text: str) -> object:
    """The value of a plain YAML word, or the _NOT_SIMPLE marker."""
    if text in _WORDS:
        return _WORDS[text]
    if _PLAIN.fullmatch(text) and text == text.strip() and text.isprintable():
        return text
    return _NOT_SIMPLE


_NOT_SIMPLE = object()


def simple_front_matter(fm: str) -> dict[str, Any] | None:
    """Read front matter without PyYAML when it is that simple, else None."""
    meta: dict[str, Any] = {}
    for line in fm.splitlines():
        line = line.rstrip(" ")
        if not line:
            continue
        match = _KEY_LINE.fullmatch(line)
        if match is None:
            return None
        key, raw = match.groups()
        if raw.startswith("[") and raw.endswith("]"):
            inner = raw[1:-1].strip(" ")  # YAML's blanks are spaces (tabs: not simple); not NBSP
            items = [_plain(item.strip(" ")) for item in inner.split(",")] if inner else []
            if any(item is _NOT_SIMPLE or not isinstance(item, str) for item in items):
                return None
            meta[key] = items
        elif _ISO_DAY.fullmatch(raw):
            meta[key] = raw  # text: the loader has no timestamp resolver
        else:
            value = _plain(raw)
            if value is _NOT_SIMPLE:
                return None
            meta[key] = value
    return meta


@dataclass(frozen=True)
class Problem:
    """Something wrong with one file, said so that staff can fix it."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Post:
    path: str  # as staff see it, e.g. "posts/2024/2024-03-08-ngay-8-3.md"
    rel: str  # relative to posts/, "/"-separated
    title: str
    date: datetime  # aware, in the site time zone
    slug: str
    tags: tuple[str, ...] = ()
    summary: str = ""
    author: str | None = None
    image: str | None = None
    draft: bool = False

    @property
    def day(self) -> date:
        return self.date.date()

    @property
    def quarter(self) -> Quarter:
        return Quarter.of(self.day)


@dataclass
class Catalog:
    """Every file under posts/, sorted into where it went."""

    published: list[Post] = field(default_factory=list)  # newest first
    drafts: list[Post] = field(default_factory=list)
    scheduled: list[Post] = field(default_factory=list)  # soonest first
    assets: list[str] = field(default_factory=list)  # rel paths, published as they are
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)  # recoverable, logged as warnings


class PostError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def newest_first(posts: Iterable[Post]) -> list[Post]:
    """Stable, explicit order: date, then path, newest first."""
    return sorted(posts, key=lambda p: (p.date, p.rel), reverse=True)


def load_catalog(
    posts_dir: Path,
    tz: ZoneInfo,
    today: date,
    *,
    shown_as: str = "posts",
    summaries: bool = True,
    workers: int = 1,
) -> Catalog:
    """Read every file under ``posts_dir``; ``shown_as`` prefixes the paths in messages.

    ``summaries=False`` skips the listing summaries (the audit never shows them).
    ``workers > 1`` reads large folders in that many forked processes: the auditors'
    command does, over thousands of posts; a build doesn't (MkDocs serve runs threads).
    """
    catalog = Catalog()
    to_read: list[tuple[str, str]] = []
    for rel in walk(posts_dir):
        shown = f"{shown_as}/{rel}"
        name = rel.rsplit("/", 1)[-1]
        if is_hidden(rel):
            # .gitkeep and the like are not posts; a hidden post would vanish, so it is an error.
            if name.endswith((POST_SUFFIX, *MISTAKEN_SUFFIXES)):
                catalog.problems.append(
                    Problem(
                        shown,
                        "tên tệp hoặc thư mục bắt đầu bằng dấu chấm nên bị ẩn; hãy bỏ dấu chấm ở đầu tên",
                    )
                )
            continue
        if not name.endswith(POST_SUFFIX):
            if name.endswith(MISTAKEN_SUFFIXES):
                catalog.problems.append(
                    Problem(shown, "bài viết phải có đuôi .md; hãy đổi tên tệp cho đúng đuôi .md")
                )
            else:
                catalog.assets.append(rel)
            continue
        to_read.append((rel, shown))

    reader = functools.partial(_read_one, posts_dir, tz, summaries)
    if workers > 1 and len(to_read) >= PARALLEL_FROM:
        chunk = max(1, len(to_read) // (workers * 4))
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            results = list(pool.map(reader, to_read, chunksize=chunk))
    else:
        results = [reader(item) for item in to_read]

    posts: list[Post] = []
    for result in results:
        if isinstance(result, Problem):
            catalog.problems.append(result)
        else:
            post, notices = result
            catalog.notices.extend(notices)
            posts.append(post)
    catalog.published, catalog.drafts, catalog.scheduled = partition(posts, today)
    catalog.problems.extend(slug_clashes([*catalog.published, *catalog.scheduled]))
    catalog.notices.extend(missing_images([*catalog.published, *catalog.scheduled], set(catalog.assets)))
    return catalog


# Below this many posts a second process costs more than it saves.
PARALLEL_FROM = 2000


def _read_one(
    posts_dir: Path, tz: ZoneInfo, summaries: bool, item: tuple[str, str]
) -> tuple[Post, list[Problem]] | Problem:
    rel, shown = item
    try:
        return read_post(posts_dir / rel, rel, shown, tz, summaries=summaries)
    except PostError as exc:
        return exc.problem


def image_rel(post: Post) -> str | None:
    """The post's ``image`` as a path under posts/, or None for a web address."""
    if not post.image or re.match(r"^[a-z][a-z0-9+.-]*://", post.image) or post.image.startswith("/"):
        return None
    folder = post.rel.rsplit("/", 1)[0] if "/" in post.rel else ""
    return posixpath.normpath(posixpath.join(folder, post.image))


def missing_images(posts: Iterable[Post], assets: set[str]) -> list[Problem]:
    return [
        Problem(
            post.path, f"không thấy ảnh '{post.image}'; hãy đặt tệp ảnh cùng thư mục với bài hoặc sửa tên ảnh"
        )
        for post in posts
        if (rel := image_rel(post)) is not None and rel not in assets
    ]


def partition(posts: Iterable[Post], today: date) -> tuple[list[Post], list[Post], list[Post]]:
    """(published newest first, drafts, scheduled soonest first): a post dated after today waits."""
    published, drafts, scheduled = [], [], []
    for post in posts:
        if post.draft:
            drafts.append(post)
        elif post.day > today:
            scheduled.append(post)
        else:
            published.append(post)
    return newest_first(published), newest_first(drafts), sorted(scheduled, key=lambda p: (p.date, p.rel))


def walk(root: Path) -> list[str]:
    """Every file below ``root`` as a sorted "/"-path, hidden ones included."""
    found: list[str] = []
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs.sort()
        base = Path(folder).relative_to(root).as_posix()
        found.extend(name if base == "." else f"{base}/{name}" for name in files)
    return sorted(found)


def is_hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))


def slug_clashes(posts: Iterable[Post]) -> list[Problem]:
    """Two posts may never publish at one URL."""
    seen: dict[str, Post] = {}
    problems = []
    for post in sorted(posts, key=lambda p: p.rel):
        other = seen.setdefault(post.slug, post)
        if other is not post:
            problems.append(
                Problem(
                    post.path,
                    f"trùng địa chỉ '{post.slug}' với bài {other.path}; "
                    "hãy đổi tiêu đề hoặc thêm 'slug: ten-khac' vào phần đầu bài",
                )
            )
    return problems


def read_front_matter(raw: bytes, shown: str) -> tuple[dict[str, Any], str, int]:
    """Split a post into (metadata, Markdown body, line where the body starts)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PostError(
            Problem(shown, "tệp không phải văn bản UTF-8; hãy lưu lại tệp với bảng mã UTF-8", line)
        ) from None
    stripped = text.lstrip()
    skipped = text[: len(text) - len(stripped)].count("\n")
    if not _HANDLER.detect(stripped):
        raise PostError(
            Problem(
                shown,
                "thiếu phần đầu bài (front matter); dòng đầu tiên phải là '---', "
                "sau đó 'title: ...' và 'date: ...', rồi một dòng '---'",
                1,
            )
        )
    try:
        fm, body = _HANDLER.split(stripped)
    except ValueError:
        raise PostError(
            Problem(shown, "phần đầu bài mở bằng '---' nhưng không có dòng '---' đóng lại", 1)
        ) from None
    # The file line that holds fm[0]; YAML marks count lines from there.
    fm_line = skipped + stripped[: stripped.index(fm)].count("\n") + 1 if fm else skipped + 2
    first_line = fm_line + fm[: len(fm) - len(fm.lstrip())].count("\n")
    try:
        meta = simple_front_matter(fm)
        if meta is None:
            meta = yaml.load(fm, Loader=_FrontMatterLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = fm_line + mark.line if mark else None
        reason = exc.problem or "cú pháp sai"
        raise PostError(
            Problem(
                shown,
                f"phần đầu bài không phải YAML hợp lệ ({reason}); mỗi dòng phải có dạng "
                "'khóa: giá trị', và giá trị chứa dấu ':' hay '#' phải đặt trong ngoặc kép",
                line,
            )
        ) from None
    except yaml.YAMLError as exc:
        raise PostError(Problem(shown, f"phần đầu bài không phải YAML hợp lệ ({exc})")) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise PostError(
            Problem(
                shown,
                "phần đầu bài phải là các dòng 'khóa: giá trị' (ví dụ 'title: Tên bài'), "
                "không phải một danh sách hay một câu",
                first_line,
            )
        )
    body_line = skipped + stripped[: len(stripped) - len(body)].count("\n") + 1
    return meta, body, body_line


def read_post(
    path: Path, rel: str, shown: str, tz: ZoneInfo, *, summaries: bool = True
) -> tuple[Post, list[Problem]]:
    """Read and validate one post; raise :class:`PostError` naming the file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PostError(Problem(shown, f"không đọc được tệp ({exc.strerror})")) from None
    meta, body, _ = read_front_matter(raw, shown)
    return post_from_meta(meta, body if summaries else "", rel, shown, tz)


def post_from_meta(
    meta: dict[str, Any], body: str, rel: str, shown: str, tz: ZoneInfo
) -> tuple[Post, list[Problem]]:
    """Validate the metadata against the schema: known keys, right types, a real date."""

    def fail(message: str) -> PostError:
        return PostError(Problem(shown, message))

    notices = [
        Problem(
            shown,
            f"khóa '{key}' không được dùng và bị bỏ qua; các khóa dùng được: "
            + ", ".join(sorted(KNOWN_KEYS)),
        )
        for key in meta
        if key not in KNOWN_KEYS and key not in PASS_THROUGH_KEYS
    ]

    title = meta.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        raise fail("thiếu tiêu đề; thêm dòng 'title: Tên bài viết' vào phần đầu bài")
    if not isinstance(title, str):
        raise fail(f"'title' phải là chữ, không phải {_kind(title)}; đặt tiêu đề trong ngoặc kép")
    title = title.strip()

    stem = rel.rsplit("/", 1)[-1][: -len(POST_SUFFIX)]
    prefix = DATE_PREFIX.match(stem)
    raw_date = meta.get("date")
    if raw_date is None and prefix is None:
        raise fail(
            "thiếu ngày đăng; thêm dòng 'date: 2024-11-20' vào phần đầu bài, "
            "hoặc đặt tên tệp bắt đầu bằng ngày, ví dụ 2024-11-20-ten-bai.md"
        )
    try:
        if raw_date is not None:
            when = to_local(raw_date, tz)
        else:
            assert prefix is not None
            when = to_local(prefix[1], tz)
    except DateError as exc:
        source = "'date'" if raw_date is not None else "ngày ở đầu tên tệp"
        raise fail(f"{source}: {exc}") from None

    tags = meta.get("tags", [])
    if tags is None:
        tags = []
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise fail(
            f"'tags' phải là một danh sách chữ, không phải {_kind(tags)}; "
            "viết ví dụ: tags: [Bình đẳng giới, Tháng hành động]"
        )
    tags = _unique(t.strip() for t in tags)

    texts: dict[str, str | None] = {}
    for key in ("summary", "author", "image", "slug"):
        value = meta.get(key)
        if value is not None and not isinstance(value, str):
            raise fail(f"'{key}' phải là chữ, không phải {_kind(value)}; đặt giá trị trong ngoặc kép")
        texts[key] = value.strip() if isinstance(value, str) and value.strip() else None

    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        raise fail(f"'draft' phải là true hoặc false, không phải {_kind(draft)} '{draft}'")

    slug = make_slug(texts["slug"] or title)
    if not slug:
        raise fail("tiêu đề không tạo được địa chỉ; thêm 'slug: ten-bai-viet' (chữ không dấu)")

    post = Post(
        path=shown,
        rel=rel,
        title=title,
        date=when,
        slug=slug,
        tags=tags,
        summary=texts["summary"] or summarise(body),
        author=texts["author"],
        image=texts["image"],
        draft=draft,
    )
    return post, notices


def _kind(value: object) -> str:
    kinds = {bool: "true/false", int: "một số", float: "một số", list: "một danh sách", dict: "một bảng khóa"}
    return kinds.get(type(value), "chữ" if isinstance(value, str) else type(value).__name__)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"<[^>]+>|[*_`~]+|^\s{0,3}(?:>|[-+*]\s|\d+\.\s)", re.M)


def summarise(body: str, limit: int = SUMMARY_LENGTH) -> str:
    """Plain text of the first paragraph, so listings never render a post twice."""
    paragraph: list[str] = []
    in_fence = False
    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if not stripped:
            if paragraph:
                break
            continue
        if stripped.startswith(("#", "<!--", "|", "!", "---", "***", "{")) and not paragraph:
            continue
        paragraph.append(stripped)
    text = _MARKUP.sub("", _LINK.sub(r"\1", " ".join(paragraph)))
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
    return text


__all__ = ["ACCEPTED_FORMS", "Catalog", "Post", "PostError", "Problem", "load_catalog"]
