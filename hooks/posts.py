"""Posts: read, validate and sort the column's Markdown files under ``posts/``.

Every file ends up in exactly one place of a :class:`Catalog`: published, draft,
scheduled, asset (published as is), or a problem that names it. Nothing is dropped.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import difflib
import functools
import multiprocessing
import os
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from .dates import DateError, format_short, to_local
from .front_matter import FileError, Problem, is_hidden, key_line, read_front_matter, walk
from .messages import os_reason
from .quarters import Quarter
from .slugs import slug as make_slug
from .text import clean_line, has_word, shorten

POST_SUFFIX = ".md"
# Extensions that look like a post but would not be read as one (compared in lower case: .mD, .Markdown).
MISTAKEN_SUFFIXES = (".markdown", ".mdown", ".mkd", ".md.txt")


def mistaken_suffix(name: str) -> bool:
    """A Markdown file that would not be read as a post: ``a.mD``, ``b.Markdown``, ``c.md.txt``."""
    lower = name.lower()
    return lower.endswith(MISTAKEN_SUFFIXES) or (
        lower.endswith(POST_SUFFIX) and not name.endswith(POST_SUFFIX)
    )


DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")


@dataclass(frozen=True)
class Field:
    """One front-matter key of a post: the schema the build, the guide and the editor share."""

    name: str
    kind: str  # text | longtext | date | list | bool | image | files
    label: str  # Vietnamese, as the editor and the guide show it
    required: bool = False


FIELDS = (
    Field("title", "text", "Tiêu đề", required=True),
    Field("date", "date", "Ngày đăng"),
    Field("tags", "list", "Chủ đề"),
    Field("summary", "longtext", "Tóm tắt"),
    Field("author", "text", "Tác giả"),
    Field("image", "image", "Ảnh bìa"),
    Field("image_alt", "text", "Mô tả ảnh bìa"),
    Field("attachments", "files", "Tài liệu kèm theo"),
    Field("draft", "bool", "Bản nháp"),
    Field("slug", "text", "Địa chỉ bài (chữ không dấu)"),
)
# Keys a post may carry. Other keys MkDocs or Material read are passed through quietly.
KNOWN_KEYS = frozenset(f.name for f in FIELDS)
PASS_THROUGH_KEYS = frozenset({"description", "hide", "search", "comments", "status"})
# Keys staff write by mistake, and the one they meant.
LIKELY_KEYS = {
    "tag": "tags",
    "chu_de": "tags",
    "categories": "tags",
    "tieu_de": "title",
    "ngay": "date",
    "tac_gia": "author",
    "anh": "image",
    "cover": "image",
    "tom_tat": "summary",
    "description": "summary",
    "nhap": "draft",
    "attachment": "attachments",
    "files": "attachments",
}
# Documents a post may carry as attachments; one that no post uses was meant as a post.
DOCUMENT_SUFFIXES = (
    ".pdf",
    ".doc",
    ".docx",
    ".odt",
    ".rtf",
    ".xls",
    ".xlsx",
    ".ods",
    ".ppt",
    ".pptx",
    ".odp",
)
# What a post may carry beside it, by suffix: photos (made web-safe by hooks/images.py, which also
# refuses HEIC, TIFF and BMP with their own words), documents, sound and video. Anything else
# could be a page or a script on the site's origin, where the editor keeps its GitHub token.
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".jfif", ".jpe", ".png", ".webp", ".avif", ".gif")
MEDIA_SUFFIXES = (".mp3", ".m4a", ".ogg", ".mp4", ".webm")
CARRIED_SUFFIXES = (
    *PHOTO_SUFFIXES,
    ".heic",
    ".heif",
    ".tif",
    ".tiff",
    ".bmp",
    *DOCUMENT_SUFFIXES,
    ".txt",
    ".csv",
    ".zip",
    *MEDIA_SUFFIXES,
)
ACTIVE_KINDS = {
    ".svg": "ảnh SVG có thể chứa mã chạy trên trang; hãy xuất ảnh sang PNG hoặc JPEG rồi dùng ảnh đó",
    ".svgz": "ảnh SVG có thể chứa mã chạy trên trang; hãy xuất ảnh sang PNG hoặc JPEG rồi dùng ảnh đó",
    ".html": "tệp HTML là một trang web, có thể chứa mã chạy trên trang; hãy in nó ra PDF rồi kèm tệp PDF",
    ".htm": "tệp HTML là một trang web, có thể chứa mã chạy trên trang; hãy in nó ra PDF rồi kèm tệp PDF",
    ".xhtml": "tệp XHTML là một trang web, có thể chứa mã chạy trên trang; hãy in nó ra PDF rồi kèm tệp PDF",
}
SUMMARY_LENGTH = 280


def refused_file(name: str) -> str | None:
    """Why a file beside the posts can't be published, judged by its suffix, or None."""
    suffix = os.path.splitext(name)[1].lower()
    if suffix in ACTIVE_KINDS:
        return ACTIVE_KINDS[suffix]
    if suffix in CARRIED_SUFFIXES:
        return None
    kinds = "ảnh (.jpg, .png, .webp, .gif), tài liệu (.pdf, .docx, .xlsx, .pptx…), .mp3, .mp4, .zip"
    what = f"loại tệp '{suffix}'" if suffix else "tệp không có đuôi (như .jpg, .pdf)"
    return f"{what} không được đăng kèm bài; bài chỉ được kèm {kinds}. Hãy xoá tệp này hoặc đổi sang một loại trên"


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
    image_alt: str | None = None
    attachments: tuple[str, ...] = ()  # file names, relative to the post's folder
    summary_written: bool = False  # the summary is the author's own, not the first paragraph
    links: tuple[str, ...] = ()  # link and image targets of the body, as written

    @property
    def day(self) -> dt.date:  # (`date` here is the field)
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
    found = walk(posts_dir)
    catalog.problems.extend(found.problems(shown_as))
    for rel in found.files:
        shown = f"{shown_as}/{rel}"
        name = rel.rsplit("/", 1)[-1]
        if is_hidden(rel):
            # .gitkeep and the like are not posts; a hidden post would vanish, so it is an error.
            # So would a hidden photo or document, while the repository keeps it public (GPS and all).
            if name.lower().endswith((POST_SUFFIX, *CARRIED_SUFFIXES)) or mistaken_suffix(name):
                catalog.problems.append(
                    Problem(
                        shown,
                        "tên tệp hoặc thư mục bắt đầu bằng dấu chấm nên bị ẩn; hãy bỏ dấu chấm ở đầu tên",
                    )
                )
            continue
        if not name.endswith(POST_SUFFIX) or mistaken_suffix(name):
            if mistaken_suffix(name):
                catalog.problems.append(Problem(shown, _wrong_suffix(name)))
            elif why := refused_file(name):
                catalog.problems.append(Problem(shown, why))
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
    catalog.problems.extend(slug_clashes([*catalog.published, *catalog.scheduled], posts_dir))
    catalog.notices.extend(
        missing_images([*catalog.published, *catalog.scheduled], set(catalog.assets), posts_dir)
    )
    catalog.problems.extend(missing_attachments(posts, set(catalog.assets), posts_dir))
    if summaries:  # the bodies were read: a document no post uses was meant as a post
        catalog.problems.extend(stray_documents(posts, catalog.assets, shown_as))
    return catalog


# Below this many posts a second process costs more than it saves.
PARALLEL_FROM = 2000


def _read_one(
    posts_dir: Path, tz: ZoneInfo, summaries: bool, item: tuple[str, str]
) -> tuple[Post, list[Problem]] | Problem:
    rel, shown = item
    try:
        return read_post(posts_dir / rel, rel, shown, tz, summaries=summaries)
    except FileError as exc:
        return exc.problem


_WEB_ADDRESS = re.compile(r"^https?://", re.I)


def image_rel(post: Post) -> str | None:
    """The post's ``image`` as a path under posts/, or None for a web address."""
    if not post.image or _WEB_ADDRESS.match(post.image):
        return None
    folder = post.rel.rsplit("/", 1)[0] if "/" in post.rel else ""
    return posixpath.normpath(posixpath.join(folder, post.image))


def _line(posts_dir: Path | None, post: Post, key: str) -> int | None:
    return key_line(posts_dir / post.rel, key) if posts_dir is not None else None


def _same_but_case(rel: str, assets: Iterable[str]) -> str:
    """`` (có phải 'anh-bia.jpg'?)`` when a file differs from ``rel`` only in upper/lower case."""
    folded = rel.casefold()
    match = next((a for a in sorted(assets) if a.casefold() == folded), None)
    return f" (có phải '{match.rsplit('/', 1)[-1]}'? chữ hoa và chữ thường phải khớp đúng)" if match else ""


def missing_images(posts: Iterable[Post], assets: set[str], posts_dir: Path | None = None) -> list[Problem]:
    return [
        Problem(
            post.path,
            f"không thấy ảnh '{post.image}'{_same_but_case(rel, assets)}; "
            "hãy đặt tệp ảnh cùng thư mục với bài hoặc sửa tên ảnh",
            _line(posts_dir, post, "image"),
        )
        for post in posts
        if (rel := image_rel(post)) is not None and rel not in assets
    ]


def _wrong_suffix(name: str) -> str:
    stem = name.removesuffix(".txt").removesuffix(".TXT").rsplit(".", 1)[0]
    why = " (Notepad thêm .txt khi lưu)" if name.endswith(".txt") else ""
    return f"bài viết phải có đuôi .md{why}; hãy đổi tên tệp thành {stem}.md"


# Files of docs/ that a browser runs as a page or a script on the site's origin.
DOCS_ACTIVE = (*ACTIVE_KINDS, ".xht", ".js", ".mjs")


def misplaced_in_docs(
    docs_dir: Path, shown_as: str, skip: tuple[str, ...] = (), named: frozenset[str] = frozenset()
) -> list[Problem]:
    """Posts saved in docs/ instead of posts/ (they would publish outside the column and the audit),
    and pages or scripts that would run on the site's origin: an SVG, HTML or JavaScript file is
    published from docs/ only when mkdocs.yml names it (``named``: the logo, extra_javascript…)."""
    found = walk(docs_dir)
    problems = found.problems(shown_as)  # MkDocs itself would follow a link out of the repository
    for rel in found.files:
        name = rel.rsplit("/", 1)[-1]
        shown = f"{shown_as}/{rel}"
        if name.lower().endswith(DOCS_ACTIVE) and rel not in named:
            why = ACTIVE_KINDS.get(os.path.splitext(name)[1].lower(), "tệp JavaScript chạy được trên trang")
            problems.append(
                Problem(shown, f"{why}; tệp này không được đăng (chỉ tệp mà mkdocs.yml ghi tên mới được)")
            )
            continue
        if is_hidden(rel) or rel.startswith(skip):
            continue
        if mistaken_suffix(name):
            problems.append(Problem(shown, _wrong_suffix(name)))
        elif name.endswith(POST_SUFFIX):
            try:
                meta, _, _ = read_front_matter((docs_dir / rel).read_bytes(), shown)
            except (FileError, OSError):
                continue  # MkDocs reads docs pages itself and says what is wrong with them
            if "date" in meta:
                problems.append(
                    Problem(
                        shown,
                        "tệp này có 'date:' như một bài viết nhưng nằm trong thư mục trang, nên sẽ không vào "
                        "chuyên mục và báo cáo; hãy chuyển nó sang thư mục posts/ (ví dụ posts/2026/)",
                    )
                )
    return problems


# The project's own folders and documents: Markdown there is not a post.
PROJECT_FOLDERS = frozenset(
    {
        "hooks",
        "overrides",
        "tests",
        "bench",
        "editor",
        "district",
        "data",
        "node_modules",
        "site",
        "site-district",
    }
)
PROJECT_DOCUMENTS = frozenset(
    {"README.md", "ARCHITECTURE.md", "CHANGELOG.md", "CONTRIBUTING.md", "LICENSE.md", "SECURITY.md"}
)


def stray_markdown(root: Path, posts_dir: Path, docs_dir: Path, year: int) -> list[Problem]:
    """Markdown files outside posts/ and docs/: a post saved at the repository's front page (what
    GitHub's "Add file" does there) or in ``Posts/`` would otherwise be published nowhere."""
    homes = {posts_dir.resolve(), docs_dir.resolve(), (root / "posts").resolve(), (root / "docs").resolve()}
    home_names = {path.name.casefold(): path.name for path in (posts_dir, docs_dir)}
    problems = []
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        top = here == root
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and (here / d).resolve() not in homes
            and not (top and (d in PROJECT_FOLDERS or d.startswith((".venv", "site"))))
        )
        for name in sorted(names):
            if not (name.lower().endswith(POST_SUFFIX) or mistaken_suffix(name)) or (
                top and name in PROJECT_DOCUMENTS
            ):
                continue
            rel = (here / name).relative_to(root).as_posix()
            first = rel.split("/", 1)[0]
            dated = DATE_PREFIX.match(name)
            into = f"{posts_dir.name}/{dated[1][:4] if dated else year}/"
            if "/" in rel and first.casefold() in home_names:
                why = (
                    f"thư mục '{first}' khác thư mục '{home_names[first.casefold()]}' ở chữ hoa/chữ thường, "
                    "nên tệp này không được đăng"
                )
            else:
                why = f"bài viết nằm ngoài thư mục {posts_dir.name}/ nên không được đăng"
            problems.append(
                Problem(
                    rel,
                    f"{why}; hãy chuyển tệp vào {into} (trên GitHub: mở tệp, bấm nút bút chì, sửa tên tệp "
                    f"thành {into}{name} rồi lưu). Nếu là trang (không phải bài viết), chuyển vào docs/",
                )
            )
    return problems


def _beside(post: Post, name: str) -> str:
    folder = post.rel.rsplit("/", 1)[0] if "/" in post.rel else ""
    return posixpath.normpath(posixpath.join(folder, unquote(name.split("#", 1)[0].split("?", 1)[0])))


def missing_attachments(
    posts: Iterable[Post], assets: set[str], posts_dir: Path | None = None
) -> list[Problem]:
    return [
        Problem(
            post.path,
            f"'attachments': không thấy tệp '{name}'{_same_but_case(rel, assets)}; "
            "hãy đặt tệp cùng thư mục với bài hoặc sửa tên tệp",
            _line(posts_dir, post, "attachments"),
        )
        for post in posts
        for name in post.attachments
        if (rel := _beside(post, name)) not in assets
    ]


def stray_documents(posts: Iterable[Post], assets: Iterable[str], shown_as: str) -> list[Problem]:
    """Word, PDF and other documents in posts/ that no post attaches or links to (a name that differs
    only in case is already named by :func:`missing_attachments`, once)."""
    used = {_beside(post, name).casefold() for post in posts for name in (*post.attachments, *post.links)}
    return [
        Problem(
            f"{shown_as}/{rel}",
            "tệp này không phải bài viết và chưa bài nào dùng nó. Nếu là bài viết: hãy mở tệp, chép nội "
            "dung vào một tệp .md mới trong posts/ rồi xoá tệp này. Nếu là tài liệu kèm theo một bài: "
            f"ghi tên tệp vào 'attachments:' của bài đó, ví dụ attachments: [{rel.rsplit('/', 1)[-1]}]",
        )
        for rel in assets
        if rel.lower().endswith(DOCUMENT_SUFFIXES) and rel.casefold() not in used
    ]


def files_used(post: Post) -> list[str]:
    """The files under posts/ a post uses, as posts-relative paths: its cover, its attachments, and
    what its body links to or shows (web addresses left out)."""
    return [
        _beside(post, name)
        for name in (post.image or "", *post.attachments, *post.links)
        if name and not _WEB_ADDRESS.match(name)
    ]


def held_assets(catalog: Catalog) -> dict[str, Post]:
    """Files that only drafts or scheduled posts use (as image, attachment or link): they wait
    with their post, so that a photo of a post not yet approved never reaches the site."""
    public = {rel for post in catalog.published for rel in files_used(post)}
    waiting = {rel: post for post in [*catalog.drafts, *catalog.scheduled] for rel in files_used(post)}
    assets = set(catalog.assets)
    return {rel: post for rel, post in waiting.items() if rel in assets and rel not in public}


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


def slug_clashes(posts: Iterable[Post], posts_dir: Path | None = None) -> list[Problem]:
    """Two posts may never publish at one URL. The older post keeps its address (it may already be
    shared on Zalo); the newer one is named as the one to change."""
    seen: dict[str, Post] = {}
    problems = []
    for post in sorted(posts, key=lambda p: (p.date, p.rel)):
        other = seen.setdefault(post.slug, post)
        if other is not post:
            key = "slug" if _line(posts_dir, post, "slug") else "title"
            problems.append(
                Problem(
                    post.path,
                    f"bài này trùng địa chỉ '{post.slug}' với bài {other.path} (bài đó có trước, giữ nguyên "
                    f"địa chỉ); hãy đổi tiêu đề bài này hoặc thêm 'slug: {post.slug}-2' vào phần đầu bài này",
                    _line(posts_dir, post, key),
                )
            )
    return problems


def read_post(
    path: Path, rel: str, shown: str, tz: ZoneInfo, *, summaries: bool = True
) -> tuple[Post, list[Problem]]:
    """Read and validate one post; raise :class:`FileError` naming the file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FileError(Problem(shown, f"không đọc được tệp ({os_reason(exc)})")) from None
    meta, body, _ = read_front_matter(raw, shown)
    return post_from_meta(meta, body if summaries else "", rel, shown, tz, lambda key: key_line(raw, key))


def is_draft_version(raw: bytes) -> bool:
    """Whether one version of a post file (from history) is a draft; ValueError if unreadable."""
    try:
        meta, _, _ = read_front_matter(raw, "")
    except FileError as exc:
        raise ValueError(str(exc)) from None
    return meta.get("draft", False) is not False


def post_from_meta(
    meta: dict[str, Any],
    body: str,
    rel: str,
    shown: str,
    tz: ZoneInfo,
    line_of: Callable[[str], int | None] = lambda key: None,
) -> tuple[Post, list[Problem]]:
    """Validate the metadata against the schema, each key as ``FIELDS`` declares its kind.
    ``line_of(key)`` is the file line of a key, for messages (looked up only when one is needed)."""
    reader = _FieldReader(meta, rel, shown, tz, line_of)
    values = {field.name: reader.read(field) for field in FIELDS}
    title = values["title"]
    slug = make_slug(values["slug"] or title)
    if not slug:
        raise reader.fail(
            "tiêu đề không tạo được địa chỉ; thêm 'slug: ten-bai-viet' (chữ không dấu)", "title"
        )
    post = Post(
        path=shown,
        rel=rel,
        title=title,
        date=values["date"],
        slug=slug,
        tags=values["tags"],
        summary=values["summary"] or clean_line(summarise(body))[0],  # the body's own are named by the build
        author=values["author"],
        image=values["image"],
        draft=values["draft"],
        image_alt=values["image_alt"],
        summary_written=values["summary"] is not None,
        attachments=values["attachments"],
        links=tuple(body_links(body)),
    )
    return post, reader.notices


class _FieldReader:
    """One post's front matter, read key by key by the reader of each key's kind (``Field.kind``):
    a value, or a :class:`FileError` that names the key's line. Removed hidden characters and
    unknown keys are collected as notices."""

    def __init__(
        self, meta: dict[str, Any], rel: str, shown: str, tz: ZoneInfo, line_of: Callable[[str], int | None]
    ) -> None:
        self.meta, self.rel, self.shown, self.tz, self.line_of = meta, rel, shown, tz, line_of
        self.notices = [
            Problem(shown, _unknown_key(str(key)), line_of(str(key)))
            for key in meta
            if key not in KNOWN_KEYS and key not in PASS_THROUGH_KEYS
        ]
        self.kinds: dict[str, Callable[[str], Any]] = {
            "text": self.text,
            "longtext": self.text,
            "image": self.image,
            "date": self.date,
            "list": self.words,
            "files": self.files,
            "bool": self.flag,
        }

    def read(self, field: Field) -> Any:
        if field.name == "title":
            return self.title()
        return self.kinds[field.kind](field.name)

    def fail(self, message: str, key: str | None = None) -> FileError:
        return FileError(Problem(self.shown, message, self.line_of(key) if key else None))

    def cleaned(self, key: str, value: str) -> str:
        text, removed = clean_line(value)
        if removed:
            self.notices.append(
                Problem(
                    self.shown,
                    f"'{key}' có ký tự ẩn ({', '.join(removed)}: ký tự điều khiển hoặc đảo chiều chữ, "
                    "thường dính theo khi dán từ Word hay tin nhắn) đã bị bỏ; hãy gõ lại giá trị này",
                    self.line_of(key),
                )
            )
        return text

    def title(self) -> str:
        title = self.meta.get("title")
        if title is None or (isinstance(title, str) and not title.strip()):
            raise self.fail("thiếu tiêu đề; thêm dòng 'title: Tên bài viết' vào phần đầu bài", "title")
        if not isinstance(title, str):
            raise self.fail(
                f"'title' phải là chữ, không phải {_kind(title)}; đặt tiêu đề trong cặp dấu nháy đơn '…'",
                "title",
            )
        text = self.cleaned("title", title.strip())
        if not text:
            raise self.fail("tiêu đề chỉ có ký tự ẩn; hãy gõ lại tiêu đề", "title")
        return text

    def text(self, key: str) -> str | None:
        value = self.meta.get(key)
        if value is not None and not isinstance(value, str):
            raise self.fail(
                f"'{key}' phải là chữ, không phải {_kind(value)}; đặt giá trị trong cặp dấu nháy đơn '…'", key
            )
        return (self.cleaned(key, value.strip()) if isinstance(value, str) else None) or None

    def image(self, key: str) -> str | None:
        name = self.text(key)
        if name is not None and (why := _not_beside(name, self.rel, web=True)):
            raise self.fail(f"'{key}': {why}", key)
        return name

    def date(self, key: str) -> datetime:
        """``date``, else the day the file name starts with; both, and they must agree."""
        stem = self.rel.rsplit("/", 1)[-1][: -len(POST_SUFFIX)]
        prefix = DATE_PREFIX.match(stem)
        raw = self.meta.get(key)
        if isinstance(raw, str) and not raw.strip():
            raw = None  # "date:" left empty (the editor's "clear"): the file name's date, if any
        if raw is None and prefix is None:
            raise self.fail(
                "thiếu ngày đăng; thêm dòng 'date: 2024-11-20' vào phần đầu bài, "
                "hoặc đặt tên tệp bắt đầu bằng ngày, ví dụ 2024-11-20-ten-bai.md"
            )
        try:
            when = to_local(raw if raw is not None else prefix[1] if prefix else None, self.tz)
        except DateError as exc:
            source = f"'{key}'" if raw is not None else "ngày ở đầu tên tệp"
            raise self.fail(f"{source}: {exc}", key if raw is not None else None) from None
        if raw is not None and prefix is not None:
            try:
                named = to_local(prefix[1], self.tz).date()
            except DateError as exc:
                raise self.fail(f"ngày ở đầu tên tệp: {exc}") from None
            if named != when.date():
                raise self.fail(
                    f"tên tệp ghi ngày {format_short(named)} nhưng '{key}' là {format_short(when.date())}; "
                    "hãy sửa một trong hai cho khớp (bài chép từ bài cũ hay quên sửa 'date')",
                    key,
                )
        return when

    def words(self, key: str) -> tuple[str, ...]:
        """Tags: a list of words, each with a letter or a digit, separated by commas (not ';')."""
        items = self.meta.get(key) or []
        if not isinstance(items, list) or not all(isinstance(t, str) and t.strip() for t in items):
            raise self.fail(
                f"'{key}' phải là một danh sách chữ, không phải {_kind(items)}; "
                "viết ví dụ: tags: [Bình đẳng giới, Tháng hành động]",
                key,
            )
        words = _unique(self.cleaned(key, t.strip()) for t in items)
        for word in words:
            if ";" in word:
                parts = ", ".join(t.strip() for t in word.split(";") if t.strip())
                raise self.fail(
                    f"'{key}': '{word}' có dấu ';'; các chủ đề cách nhau bằng dấu phẩy: tags: [{parts}]", key
                )
            if not has_word(word):
                what = f"chủ đề '{word}' không có chữ hay số nào" if word else "một chủ đề chỉ gồm ký tự ẩn"
                raise self.fail(
                    f"'{key}': {what} nên không làm được trang chủ đề; "
                    "hãy viết chủ đề bằng chữ, ví dụ tags: [Bình đẳng giới]",
                    key,
                )
        return words

    def files(self, key: str) -> tuple[str, ...]:
        names = self.meta.get(key) or []
        if not isinstance(names, list) or not all(isinstance(a, str) and a.strip() for a in names):
            raise self.fail(
                f"'{key}' phải là danh sách tên tệp, không phải {_kind(names)}; "
                "viết ví dụ: attachments: [ke-hoach-2026.pdf, danh-sach.xlsx]",
                key,
            )
        for name in names:
            if why := _not_beside(name.strip(), self.rel, web=False):
                raise self.fail(f"'{key}': {why}", key)
        return _unique(a.strip() for a in names)

    def flag(self, key: str) -> bool:
        value = self.meta.get(key, False)
        if value is None:
            raise self.fail(
                f"'{key}' đang để trống; hãy viết {key}: true (bản nháp) hoặc {key}: false (đăng)", key
            )
        if not isinstance(value, bool):
            raise self.fail(f"'{key}' phải là true hoặc false, không phải {_kind(value)} '{value}'", key)
        return value


def _not_beside(name: str, rel: str, *, web: bool) -> str | None:
    """Why a cover or an attachment path is refused (as a path in the body would be), or None.

    Files come only from the post's own folder tree under posts/: no absolute path, no way up
    out of posts/, no other scheme; a cover may also be a web address (https://…).
    """
    if web and _WEB_ADDRESS.match(name):
        return None
    folder = rel.rsplit("/", 1)[0] if "/" in rel else ""
    target = posixpath.normpath(posixpath.join(folder, unquote(name)))
    if re.match(r"^[a-z][a-z0-9+.-]*:", name, re.I) or name.startswith(("/", "\\")) or "\\" in name:
        return (
            f"'{name}' không phải tên một tệp trong kho; hãy tải tệp lên cùng thư mục với bài rồi ghi tên tệp, "
            "ví dụ anh-bia.jpg" + (" (hoặc một địa chỉ web https://…)" if web else "")
        )
    if target == ".." or target.startswith("../"):
        return f"'{name}' trỏ ra ngoài thư mục bài viết; hãy đặt tệp cùng thư mục với bài rồi ghi tên tệp"
    return None


def _unknown_key(key: str) -> str:
    meant = LIKELY_KEYS.get(key.lower()) or next(iter(difflib.get_close_matches(key, KNOWN_KEYS, n=1)), None)
    hint = f" (có phải '{meant}'?)" if meant else ""
    return f"khóa '{key}' không được dùng và bị bỏ qua{hint}; các khóa dùng được: " + ", ".join(
        f.name for f in FIELDS
    )


_BODY_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
# Reference definitions ("[1]: anh.jpg") and raw HTML (<img src="anh.jpg">, <a href=…>, <source …>).
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*<?([^\s>]+)", re.M)
_HTML_TARGET = re.compile(
    r"""<[a-zA-Z][^>]*?\s(?:src|href|poster|data)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"""
)


def body_links(body: str) -> list[str]:
    """Targets of the links and images in a post's body, however written: the attachments check
    uses them, and a draft's files wait with it whichever way the draft refers to them."""
    found = [match[1] for match in _BODY_LINK.finditer(body)] if "](" in body else []
    if "]:" in body:
        found.extend(match[1] for match in _REFERENCE.finditer(body))
    if "<" in body:
        found.extend(
            next(g for g in match.groups() if g is not None) for match in _HTML_TARGET.finditer(body)
        )
    return found


def _kind(value: object) -> str:
    if value is None:
        return "để trống"
    kinds = {bool: "true/false", int: "một số", float: "một số", list: "một danh sách", dict: "một bảng khóa"}
    return kinds.get(type(value), "chữ" if isinstance(value, str) else type(value).__name__)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"<[^>]+>|[*_`~]+|^\s{0,3}(?:>|[-+*]\s|\d+\.\s)", re.M)
_MARKED = re.compile(r"[<*_`~]|^\s{0,3}(?:>|[-+*]\s|\d+\.\s)", re.M)  # where _MARKUP may find something


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
    return shorten(plain_text(" ".join(paragraph)), limit)


def plain_text(markdown: str) -> str:
    """One paragraph of Markdown as plain text: link texts kept, markup and extra spaces removed."""
    if "](" in markdown:  # most first paragraphs hold no link and no markup: 31 → 17 ms at 1,000 posts
        markdown = _LINK.sub(r"\1", markdown)
    if _MARKED.search(markdown):
        markdown = _MARKUP.sub("", markdown)
    return " ".join(markdown.split())
