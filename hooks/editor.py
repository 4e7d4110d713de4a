"""``/admin/``: the browser editor (Decap CMS) for staff who have never used git.

Its configuration is made here from ``posts.FIELDS``, the schema the build reads, so the
editor can neither miss a front-matter key nor write one the build refuses. Decap itself is
vendored in ``editor/`` (one dist file, no CDN, its Vietnamese interface bundled), with
``editor/column-editor.js``, the few lines of our own that Decap's configuration cannot say.

Two ways in, one configuration:

- the published site signs staff in with GitHub (``extra.editor``: ``repo``, ``branch`` and
  ``base_url``, the OAuth client); without those settings ``/admin/`` says in Vietnamese that
  sign-in is not set up yet, and loads nothing;
- ``make write`` (hooks/write.py) runs decap-server in git mode on 127.0.0.1 and tells the
  build its address in ``COLUMN_EDITOR_PROXY``; Decap then uses it instead of GitHub.

Pure: no MkDocs import. column_hooks.py publishes what :func:`admin_site` returns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .posts import FIELDS, KNOWN_KEYS, POST_SUFFIX, Field, Post
from .settings import SettingsError, table, text

# The pinned npm packages (package.json): the vendored dist file and make write's proxy.
DECAP_VERSION = "3.16.3"
DECAP_SERVER_VERSION = "3.11.3"
EDITOR_DIR = Path(__file__).resolve().parent.parent / "editor"
# editor/ file -> where the site publishes it (under admin/).
VENDORED = {
    "decap-cms.js": "decap-cms.js",
    "decap-cms.js.LICENSE.txt": "decap-cms.js.LICENSE.txt",  # the dist file's comment names it
    "LICENSE": "LICENSE.txt",
}
VENDORED_SCRIPT = "decap-cms.js"
OWN_SCRIPT = "column-editor.js"  # ours: what Decap's configuration cannot say
OWN_STYLE = "column-editor.css"  # ours: Decap's layout made to fit a phone
ADMIN_ROOT = "admin"
TEMPLATE = "editor/admin.html"  # in overrides/, rendered by the theme's Jinja environment
PROXY_ENV = "COLUMN_EDITOR_PROXY"  # set by make write for the build it serves
PROXY_PATH = "/api/v1"
DEFAULT_BRANCH = "main"
GUIDE_ANCHOR = "trinh-soan-bai-viet-gui-duyet-va-cong-bo"  # docs/huong-dan.md, "Trình soạn bài: ..."
README_SECTION = "Đăng nhập trình soạn bài (làm một lần)"  # README.md, its heading

# New posts land where `make post` puts them (hooks/new_post.py): posts/YYYY/YYYY-MM-DD-slug.md.
# Decap's {{year}}, {{month}} and {{day}} are taken in UTC, so a post written before 07:00 in Hà
# Nội would be filed under the day before and the build would refuse the mismatch with `date:`.
# The date filter formats the field itself, in the writer's browser zone: the zone `date:` is
# written in. It is the collection's `slug`, not its `path`: Decap lower-cases a path template
# and drops its quotes before reading it, which breaks the filter.
PATH_TEMPLATE = "{{fields.date | date('YYYY')}}/{{fields.date | date('YYYY-MM-DD')}}-{{slug}}"
DATE_FORMAT = "YYYY-MM-DDTHH:mm:ssZ"  # dayjs: 2026-11-24T08:30:00+07:00
TAG_PATTERN = "^[^;]*$"  # tested against the whole list: no ';' in any tag, as the build says
SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
# A title needs a letter or a digit of Vietnamese (its address is made from them): "!!!" has none.
TITLE_PATTERN = "[0-9A-Za-zÀ-ÃÈ-ÊÌÍÒ-ÕÙÚÝà-ãè-êìíò-õùúýĂăĐđĨĩŨũƠơƯưẠ-ỹ]"
HINT_TAGS = 30  # existing tags named in the hint, most used first
# Decap lists a folder collection's files down to the depth of its `path` template, counted by
# its slashes; the path itself is the slug (PATH_TEMPLATE): the second placeholder names no field
# and compiles to nothing. So the list shows every post of posts/, posts/YYYY/ and
# posts/YYYY/<folder>/ at once (Decap's `nested` tree showed one post at the top and hid the
# rest in year folders), newest first by `date:`: Decap sorts by the field only, so a post
# dated by its file name alone (no `date:` line) is listed apart from the dated ones.
LIST_PATH = "{{slug}}{{posts/year/folder}}"
# Every photo is re-encoded in the browser before it is committed: no EXIF, GPS or XMP reaches
# the repository (the site's own copy is cleaned again by the build). column-editor.js refuses
# what Decap cannot re-encode (HEIC...) and scales a photo down to its MAX_SIDE first; Decap
# keeps each file's format (JPEG stays JPEG), by its name.
MEDIA_PROCESSING = {"enabled": True, "strip_metadata": True, "quality": 85}

_REPO = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
_BRANCH = re.compile(r"^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+(?<![./])$")
_PROXY = re.compile(r"^http://(127\.0\.0\.1|localhost):(\d{1,5})/api/v1$")

EDITOR_KEYS = ("repo", "branch", "base_url", "auth_endpoint")


# --- extra.editor -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EditorSettings:
    """``extra.editor``: where the published editor signs in and commits."""

    repo: str | None = None  # owner/name on GitHub
    branch: str = DEFAULT_BRANCH  # the publishing branch: posts are merged into it
    base_url: str | None = None  # the OAuth client, e.g. https://sveltia-cms-auth.<account>.workers.dev
    auth_endpoint: str = "auth"

    @property
    def sign_in(self) -> bool:
        """Whether the published /admin/ can sign staff in with GitHub."""
        return self.repo is not None and self.base_url is not None


def editor_settings(extra: Mapping[str, Any]) -> EditorSettings:
    """``extra.editor``; both ``repo`` and ``base_url`` or neither (then sign-in is not set up)."""
    raw = table(extra.get("editor"), "extra.editor", EDITOR_KEYS)
    branch = text(raw.get("branch", DEFAULT_BRANCH), "extra.editor.branch", DEFAULT_BRANCH)
    if not _BRANCH.match(branch):
        raise SettingsError(
            f"extra.editor.branch '{branch}' không phải tên nhánh git, ví dụ {DEFAULT_BRANCH}"
        )
    given = [key for key in ("repo", "base_url") if raw.get(key) is not None]
    if len(given) == 1:
        missing = "base_url" if given[0] == "repo" else "repo"
        raise SettingsError(
            f"extra.editor.{missing}: chưa có; đăng nhập trình soạn bài cần cả repo (tài-khoản/tên-kho trên "
            "GitHub) và base_url (địa chỉ Cloudflare Worker): xem README, mục cài đặt trình soạn bài"
        )
    if not given:
        return EditorSettings(branch=branch)
    repo = text(raw["repo"], "extra.editor.repo", "truong-hoa-sen/chuyen-muc")
    if not _REPO.match(repo):
        raise SettingsError(
            f"extra.editor.repo '{repo}' phải có dạng tài-khoản/tên-kho như trên GitHub, "
            "ví dụ truong-hoa-sen/chuyen-muc (không ghi https://github.com/)"
        )
    base_url = text(raw["base_url"], "extra.editor.base_url", "https://sveltia-cms-auth.ten.workers.dev")
    parts = urlsplit(base_url)
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        raise SettingsError(
            f"extra.editor.base_url '{base_url}' phải là địa chỉ https:// của Cloudflare Worker, "
            "ví dụ https://sveltia-cms-auth.ten.workers.dev"
        )
    endpoint = text(raw.get("auth_endpoint", "auth"), "extra.editor.auth_endpoint", "auth").strip("/")
    return EditorSettings(repo=repo, branch=branch, base_url=base_url.rstrip("/"), auth_endpoint=endpoint)


def proxy_url(value: str | None) -> str | None:
    """make write's decap-server address (``COLUMN_EDITOR_PROXY``); only ever on this computer."""
    if not value:
        return None
    match = _PROXY.match(value.strip())
    if match is None or not 0 < int(match[2]) < 65536:
        raise SettingsError(
            f"{PROXY_ENV}='{value}' phải có dạng http://127.0.0.1:8081{PROXY_PATH} "
            "(máy chủ soạn bài chỉ chạy trên máy này)"
        )
    return value.strip()


# --- the collection's fields, from posts.FIELDS ----------------------------------------------


@dataclass(frozen=True)
class EditorSite:
    """What the editor shows of this build's posts, taken from the catalog at the edge."""

    posts_folder: str  # relative to the repository: "posts"
    site_url: str | None = None
    tags: tuple[str, ...] = ()  # the published posts' tags, most used first
    # Decap's entry slug ("2024/2024-06-28-ten-bai": the path under posts/ without .md) -> the
    # address the post is published at: a title edited later keeps it (column-editor.js).
    published: Mapping[str, str] = field(default_factory=dict)
    school: str | None = None  # the school's name, shown on the sign-in page
    logo: str | None = None  # the school's logo, a path on the site ("assets/logo.svg")


def site_from_posts(
    posts_folder: str,
    site_url: str | None,
    published: Iterable[Post],
    school: str | None = None,
    logo: str | None = None,
) -> EditorSite:
    """Only published posts: the editor page is public, drafts and scheduled posts are not."""
    posts = list(published)
    counts: dict[str, int] = {}
    for post in posts:
        for tag in post.tags:
            counts[tag] = counts.get(tag, 0) + 1
    tags = tuple(sorted(counts, key=lambda tag: (-counts[tag], tag)))
    slugs = {post.rel[: -len(POST_SUFFIX)]: post.slug for post in sorted(posts, key=lambda p: p.rel)}
    return EditorSite(posts_folder, site_url, tags, slugs, school, logo)


# Vietnamese help under each field: what the build does with it, in the writer's words.
HINTS = {
    "title": "Tiêu đề có thể có dấu ngoặc kép, dấu hai chấm; tên tệp của bài lấy từ tiêu đề khi lưu lần đầu.",
    "date": "Giờ Việt Nam. Ngày sau hôm nay thì bài được hẹn đăng: trang tự hiện bài từ ngày đó.",
    "summary": "Một hai câu hiện ở trang đầu chuyên mục; để trống thì lấy đoạn đầu của bài.",
    "author": "Người viết hoặc tổ viết, ví dụ Tổ Văn phòng.",
    "image": (
        "Ảnh được lưu cạnh bài. Khi đăng, ảnh được xoay đúng chiều, thu nhỏ và xoá thông tin đi kèm "
        "(cả vị trí GPS). Ảnh có khuôn mặt trẻ em chỉ đăng khi cha mẹ đã đồng ý. Không dùng ảnh HEIC."
    ),
    "image_alt": "Mô tả ảnh cho người khiếm thị, ví dụ: Các gia đình tham gia hội thi.",
    "attachments": "Kế hoạch, văn bản (PDF, Word, Excel) đi kèm bài; tệp được lưu cạnh bài.",
    "draft": "Bật: bài được lưu nhưng chưa hiện trên trang, kể cả khi đã Công bố.",
    "slug": (
        "Phần cuối địa chỉ bài (bai-viet/...). Để trống: lấy từ tiêu đề. Sửa tiêu đề một bài đã đăng "
        "thì địa chỉ cũ được giữ, để các liên kết đã chia sẻ qua Zalo, Facebook không hỏng."
    ),
}


def _text(field: Field, site: EditorSite) -> dict[str, Any]:
    return {"widget": "string"}


def _longtext(field: Field, site: EditorSite) -> dict[str, Any]:
    return {"widget": "text"}


def _date(field: Field, site: EditorSite) -> dict[str, Any]:
    # Not required: a post saved before this editor may take its date from its file name, and
    # column-editor.js dates a new post "now" if the writer cleared the field.
    return {"widget": "datetime", "format": DATE_FORMAT, "default": "{{now}}"}


def _list(field: Field, site: EditorSite) -> dict[str, Any]:
    hint = "Cách nhau bằng dấu phẩy, ví dụ: Bình đẳng giới, Gia đình."
    if site.tags:
        hint += " Chủ đề đã có: " + ", ".join(site.tags[:HINT_TAGS]) + "."
    return {
        "widget": "list",
        "default": [],
        "hint": hint,
        "pattern": [TAG_PATTERN, "các chủ đề cách nhau bằng dấu phẩy, không dùng dấu ;"],
    }


def _bool(field: Field, site: EditorSite) -> dict[str, Any]:
    return {"widget": "boolean", "default": False}


def _image(field: Field, site: EditorSite) -> dict[str, Any]:
    return {"widget": "image", "choose_url": False}


def _files(field: Field, site: EditorSite) -> dict[str, Any]:
    return {
        "widget": "list",
        "label_singular": "tài liệu",
        "field": {"label": "Tệp", "name": "file", "widget": "file", "choose_url": False},
    }


# One widget per kind of field in posts.Field: a kind without one stops the build (EditorError).
WIDGETS: dict[str, Callable[[Field, EditorSite], dict[str, Any]]] = {
    "text": _text,
    "longtext": _longtext,
    "date": _date,
    "list": _list,
    "bool": _bool,
    "image": _image,
    "files": _files,
}
PATTERNS = {
    "title": [TITLE_PATTERN, "tiêu đề cần có ít nhất một chữ hoặc số"],
    "slug": [SLUG_PATTERN, "chỉ chữ thường không dấu, số và dấu gạch ngang, ví dụ hoi-thi-2026"],
}
BODY = {
    "label": "Nội dung",
    "name": "body",
    "widget": "markdown",
    # No code blocks: their language modes are lazy chunks of Decap that are not vendored.
    "editor_components": ["image"],
    "hint": "Đoạn đầu tiên hiện ở trang danh sách. Dùng Tiêu đề 2 (##) cho các mục của bài.",
}


class EditorError(ValueError):
    """The schema and the editor disagree: a programming mistake, never a staff one."""


def widget(item: Field, site: EditorSite) -> dict[str, Any]:
    """The Decap field for one front-matter key."""
    make = WIDGETS.get(item.kind)
    if make is None:
        raise EditorError(f"hooks/editor.py: không có ô nhập nào cho loại '{item.kind}' (khóa '{item.name}')")
    out: dict[str, Any] = {
        "label": item.label,
        "name": item.name,
        **make(item, site),
        "required": item.required,
    }
    if item.name in HINTS:
        out["hint"] = f"{out['hint']} {HINTS[item.name]}" if "hint" in out else HINTS[item.name]
    if item.name in PATTERNS:
        out["pattern"] = PATTERNS[item.name]
    return out


def fields(site: EditorSite, schema: Iterable[Field] = FIELDS) -> list[dict[str, Any]]:
    """Every key of the schema, in its order (Decap writes them so), then the body."""
    out = [widget(item, site) for item in schema]
    written = {item["name"] for item in out}
    if not written <= KNOWN_KEYS:
        raise EditorError(f"hooks/editor.py: ô nhập ghi khóa bài không đọc: {sorted(written - KNOWN_KEYS)}")
    return [*out, BODY]


# --- Decap's configuration ----------------------------------------------------------------------

COMMIT_MESSAGES = {
    "create": "Thêm bài {{slug}}",
    "update": "Sửa bài {{slug}}",
    "delete": "Xoá bài {{slug}}",
    "uploadMedia": "Tải lên {{path}}",
    "deleteMedia": "Xoá tệp {{path}}",
}


def decap_config(settings: EditorSettings, site: EditorSite, proxy: str | None) -> dict[str, Any]:
    """Decap's config.yml as data."""
    backend: dict[str, Any]
    if settings.sign_in:
        backend = {"name": "github", "repo": settings.repo, "branch": settings.branch}
        backend |= {"base_url": settings.base_url, "auth_endpoint": settings.auth_endpoint}
    else:  # only ever used with make write's proxy, which takes its place
        backend = {"name": "git-gateway", "branch": settings.branch}
    backend["commit_messages"] = COMMIT_MESSAGES
    config: dict[str, Any] = {"backend": backend}
    if proxy is not None:
        # Decap uses it only when /admin/ is opened on localhost or 127.0.0.1.
        config["local_backend"] = {"url": proxy}
    config |= {
        "publish_mode": "editorial_workflow",  # a post goes out only once someone publishes it
        "locale": "vi",
        "media_folder": site.posts_folder,  # Decap needs one; the collection's own wins
        "public_folder": "",
        "media_processing": MEDIA_PROCESSING,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
    }
    if site.site_url:
        config["site_url"] = config["display_url"] = site.site_url
    if site.logo:
        # admin/ is one level below the site's root: the sign-in page shows the school's logo.
        config["logo_url"] = f"../{site.logo.lstrip('/')}"
    config["collections"] = [
        {
            "name": "posts",
            "label": "Bài viết",
            "label_singular": "bài viết",
            "description": "Bài của chuyên mục. Viết xong bấm Lưu, rồi ở nút Trạng chọn Sẵn sàng để "
            "người duyệt Công bố.",
            "folder": site.posts_folder,
            "create": True,
            "extension": POST_SUFFIX.lstrip("."),
            "format": "frontmatter",
            "slug": PATH_TEMPLATE,
            "path": LIST_PATH,
            # uploads go beside the post, each name made unique by column-editor.js; front
            # matter holds the bare file name
            "media_folder": "",
            "public_folder": "",
            "summary": "{{title}}",
            "sortable_fields": [
                {"field": "date", "label": "Ngày đăng", "default_sort": "desc"},
                {"field": "title", "label": "Tiêu đề"},
            ],
            "view_filters": [{"label": "Bản nháp", "field": "draft", "pattern": True}],
            "view_groups": [{"label": "Năm", "field": "date", "pattern": r"\d{4}"}],
            "fields": fields(site),
        }
    ]
    return config


def config_text(config: Mapping[str, Any]) -> str:
    header = (
        "# Made by hooks/editor.py from the post schema (hooks/posts.py FIELDS) at every build;\n"
        "# edit those, not this file.\n"
    )
    return header + yaml.safe_dump(dict(config), allow_unicode=True, sort_keys=False, width=1000)


def content_security_policy(settings: EditorSettings, proxy: str | None) -> str:
    """The admin page may load only its own files and talk only to where posts are saved.

    Decap checks its configuration with AJV, which compiles each check into a function
    ('unsafe-eval'); it styles itself with inline <style> (emotion) and shows uploads from blob:
    URLs; its GitHub backend talks to api.github.com and shows the signed-in user's avatar.
    No inline script runs: under make write the preview's live-reload script is refused on this
    page, so that a rebuild never reloads the editor under a teacher's hands.
    """
    connect = ["'self'"]
    images = ["'self'", "data:", "blob:"]
    if proxy is not None:
        parts = urlsplit(proxy)
        connect.append(f"{parts.scheme}://{parts.netloc}")
    connect.append("blob:")  # Decap keeps a backup of the post being written, uploads included
    if settings.sign_in:
        connect.append("https://api.github.com")
        images += ["https://avatars.githubusercontent.com", "https://raw.githubusercontent.com"]
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-eval'", "'report-sample'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": images,
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": connect,
        "frame-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


# --- what the site publishes under admin/ ---------------------------------------------------------

# The page that says sign-in is not set up loads nothing at all.
NOTICE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True)
class AdminSite:
    """admin/'s files: texts to write, vendored files to copy, and the page's template context."""

    texts: dict[str, str]  # site path -> content
    copies: dict[str, Path]  # site path -> file in editor/
    page: dict[str, Any]  # context of TEMPLATE, published at admin/index.html

    @property
    def index(self) -> str:
        return f"{ADMIN_ROOT}/index.html"


def admin_site(settings: EditorSettings, site: EditorSite, proxy: str | None) -> AdminSite:
    """The editor itself when it can sign in (GitHub or make write), else a page that says why not."""
    guide = f"../huong-dan/#{GUIDE_ANCHOR}"
    if not settings.sign_in and proxy is None:
        page = {"editor": False, "csp": NOTICE_CSP, "guide": guide, "readme_section": README_SECTION}
        return AdminSite(texts={}, copies={}, page=page)
    config = decap_config(settings, site, proxy)
    copies = {f"{ADMIN_ROOT}/{published}": EDITOR_DIR / name for name, published in VENDORED.items()}
    copies[f"{ADMIN_ROOT}/{OWN_SCRIPT}"] = EDITOR_DIR / OWN_SCRIPT
    copies[f"{ADMIN_ROOT}/{OWN_STYLE}"] = EDITOR_DIR / OWN_STYLE
    page = {
        "editor": True,
        "csp": content_security_policy(settings, proxy),
        "scripts": [VENDORED_SCRIPT, OWN_SCRIPT],
        "styles": [OWN_STYLE],
        "published": dict(site.published),
        "guide": guide,
        "school": site.school,
    }
    return AdminSite(texts={f"{ADMIN_ROOT}/config.yml": config_text(config)}, copies=copies, page=page)


# --- where a new post lands (a reading of PATH_TEMPLATE, checked against make post) ------------

_PLACEHOLDER = re.compile(r"\{\{\s*([^}|\s]+)\s*(?:\|\s*date\('([^']+)'\)\s*)?\}\}")
_DAYJS = {"YYYY": "%Y", "MM": "%m", "DD": "%d"}


def entry_path(template: str, when: datetime, slug: str) -> str:
    """What Decap makes of ``template`` for a post dated ``when`` (in the writer's zone)."""

    def value(match: re.Match[str]) -> str:
        name, fmt = match[1], match[2]
        if name == "slug":
            return slug
        if name == "fields.date" and fmt is not None:
            return when.strftime(re.sub("YYYY|MM|DD", lambda m: _DAYJS[m[0]], fmt))
        raise EditorError(f"PATH_TEMPLATE: không đọc được {{{{{name}}}}}")

    return _PLACEHOLDER.sub(value, template) + POST_SUFFIX
