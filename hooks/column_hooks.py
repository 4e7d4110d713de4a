"""MkDocs glue for the column: posts, listings and plan pages.

Thin on purpose: every event hands its work to the pure modules of this package.
MkDocs puts only this file's folder on sys.path while importing it, so the
repository root is added here to import the package by its name.
"""

from __future__ import annotations

import html
import os
import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from jinja2 import Environment  # noqa: E402
from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import get_plugin_logger  # noqa: E402
from mkdocs.structure.files import File, Files, InclusionLevel  # noqa: E402
from mkdocs.structure.nav import Navigation  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from hooks import build_state, dates, feed, listings, plans, preview, slugs  # noqa: E402
from hooks.posts import Catalog, load_catalog  # noqa: E402
from hooks.settings import ColumnSettings, SettingsError, column_settings, shown_path  # noqa: E402

log = get_plugin_logger("column")

# Reset in on_config: under `mkdocs serve` this module is not reloaded.
_state: dict[str, object] = {}
IN_NAV = {listings.FRONT_PAGE, f"{listings.ARCHIVE_ROOT}/index.md", f"{listings.TAGS_ROOT}/index.md"}


def on_startup(command: str, dirty: bool) -> None:
    preview.startup(dirty)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _state.clear()
    preview.begin()
    build_state.reset()
    root = Path(config.config_file_path or ".").resolve().parent
    _state["root"] = root
    try:
        _state["settings"] = column_settings(config.extra, root)
    except SettingsError as exc:
        raise PluginError(f"mkdocs.yml: {exc}") from None
    config.mdx_configs.setdefault("toc", {})["slugify"] = slugs.anchor
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    settings: ColumnSettings = _state["settings"]  # type: ignore[assignment]
    try:
        today = dates.today(settings.timezone)
    except dates.DateError as exc:
        raise PluginError(str(exc)) from None
    shown = _shown(settings, config)
    if not settings.posts_dir.is_dir():
        raise PluginError(
            f"không có thư mục bài viết '{shown}'; hãy tạo thư mục đó "
            "hoặc sửa extra.column.posts_dir trong mkdocs.yml"
        )
    catalog = load_catalog(settings.posts_dir, settings.timezone, today, shown_as=shown)
    plan_list, plan_problems = plans.load_plans(Path(config.docs_dir), settings.timezone)
    problems = [*catalog.problems, *plan_problems]
    if problems:
        raise PluginError(
            f"{len(problems)} tệp cần sửa trước khi dựng trang:\n"
            + "\n".join(f"  {problem}" for problem in problems)
        )
    for notice in catalog.notices:
        log.warning(str(notice))
    _report_unpublished(catalog)

    column = listings.build_column(catalog.published, per_page=settings.per_page, site_title=config.site_name)
    _state.update(column=column, plans=plan_list, posts_by_src={})
    build_state.current = build_state.BuildState(catalog, today, settings.timezone)

    new_files = [
        *_post_files(catalog, settings, config),
        *_listing_files(column, plan_list, files, config),
        *_feed_files(column, config),
    ]
    _check_clashes(files, new_files)
    for file in new_files:
        files.append(file)
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    # Every hook has added its files by now: decide what a preview rebuild may skip.
    column: listings.Column = _state["column"]  # type: ignore[assignment]
    post_files: dict[str, File] = _state["post_files"]  # type: ignore[assignment]
    settings: ColumnSettings = _state["settings"]  # type: ignore[assignment]
    preview.plan(
        config, files, post_files, {rel: column.pages[rel] for rel in post_files}, settings.posts_dir
    )
    _state["nav_pages"] = {page.file.src_uri for page in nav.pages}
    _state["nav_urls"] = tuple(sorted({page.url for page in nav.pages} | {""}))
    return nav


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Shared chrome for pages outside the nav (posts, listings): see overrides/main.html.

    ``COLUMN_CHROME_CACHE=0`` renders every page's chrome afresh; tests compare the two.
    """
    if os.environ.get("COLUMN_CHROME_CACHE") == "0":
        return env
    chrome: dict[tuple[object, ...], str] = {}

    def chrome_key(part: str, page: Page | None) -> tuple[object, ...] | None:
        """Pages get the same chrome when every link in it comes out the same for them.

        A page in the nav marks its own entry active, so it is never shared. Otherwise the
        nav's links are relative: from page P to target T, MkDocs writes one "../" per folder
        of P below the folders P shares with T, then the rest of T. So the depth of P and how
        many leading folders it shares with each nav target decide every link. Theme pages
        (404.html) have no page and are rendered as they are.
        """
        if not isinstance(page, Page) or page.file.src_uri in _state.get("nav_pages", ()):  # type: ignore[operator]
            return None
        folders = page.url.split("/")[:-1]
        shared = tuple(_shared_folders(folders, url) for url in _state.get("nav_urls", ()))  # type: ignore[union-attr]
        return part, len(folders), shared

    def remember(key: tuple[object, ...] | None, html: str) -> str:
        if key is not None:
            chrome[key] = html
        return html

    env.globals.update(column_chrome=chrome, column_chrome_key=chrome_key, column_remember=remember)
    return env


def _shared_folders(folders: list[str], url: str) -> int:
    count = 0
    for mine, theirs in zip(folders, url.split("/")[:-1], strict=False):
        if mine != theirs:
            break
        count += 1
    return count


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    src = page.file.src_uri
    column: listings.Column = _state["column"]  # type: ignore[assignment]
    rel = _state["posts_by_src"].get(src)  # type: ignore[attr-defined]
    if rel is not None:
        page.meta.setdefault("template", "post.html")
        # MkDocs prints titles as HTML; a post's title is plain text ("Nam & nữ", "a < b").
        post = column.pages[rel].entry.post
        page.meta["title"] = html.escape(post.title, quote=False)
        if post.author:  # Material prints it in <meta name="author" content="...">
            page.meta["author"] = html.escape(post.author, quote=True)
    elif src == listings.FRONT_PAGE and src in column.listings:
        page.meta.setdefault("template", "column.html")
    elif src.startswith(f"{plans.PLANS_ROOT}/") and src != f"{plans.PLANS_ROOT}/index.md":
        page.meta.setdefault("template", "plan.html")
    return markdown


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    src = page.file.src_uri
    column: listings.Column = _state["column"]  # type: ignore[assignment]
    rel = _state["posts_by_src"].get(src)  # type: ignore[attr-defined]
    if rel is not None:
        context["post"] = column.pages[rel]
    elif src in column.listings:
        context["listing"] = column.listings[src]
    if src.startswith(f"{plans.PLANS_ROOT}/"):
        plan_list: list[plans.Plan] = _state["plans"]  # type: ignore[assignment]
        context["plans"] = plan_list
        context["plan"] = next((p for p in plan_list if p.src_uri == src), None)
    preview.page_written(page, config)
    return context


def on_post_build(config: MkDocsConfig) -> None:
    preview.finish(config)


def _shown(settings: ColumnSettings, config: MkDocsConfig) -> str:
    return shown_path(settings.posts_dir, _state["root"])  # type: ignore[arg-type]


def _report_unpublished(catalog: Catalog) -> None:
    for post in catalog.drafts:
        log.info(f"Bản nháp, chưa đăng: {post.path}")
    for post in catalog.scheduled:
        log.info(f"Hẹn đăng ngày {dates.format_short(post.day)}: {post.path}")
    log.info(
        f"Chuyên mục: {len(catalog.published)} bài đã đăng, {len(catalog.drafts)} bản nháp, "
        f"{len(catalog.scheduled)} bài hẹn đăng, {len(catalog.assets)} tệp kèm theo"
    )


def _post_files(catalog: Catalog, settings: ColumnSettings, config: MkDocsConfig) -> list[File]:
    """Posts keep their folder as src_uri (so relative links resolve) but publish at their slug."""
    out = []
    posts_by_src: dict[str, str] = _state["posts_by_src"]  # type: ignore[assignment]
    post_files: dict[str, File] = {}
    _state["post_files"] = post_files
    for post in catalog.published:
        src = listings.post_src(post.rel)
        file = File.generated(
            config, src, abs_src_path=str(settings.posts_dir / post.rel), inclusion=InclusionLevel.NOT_IN_NAV
        )
        url = listings.post_url(post)
        file.dest_uri = f"{url}index.html" if config.use_directory_urls else f"{url.rstrip('/')}.html"
        file.url = url if config.use_directory_urls else f"{url.rstrip('/')}.html"
        posts_by_src[src] = post.rel
        post_files[post.rel] = file
        out.append(file)
    for rel in catalog.assets:
        out.append(File.generated(config, listings.post_src(rel), abs_src_path=str(settings.posts_dir / rel)))
    return out


def _listing_files(
    column: listings.Column, plan_list: list[plans.Plan], files: Files, config: MkDocsConfig
) -> list[File]:
    """Generated listing pages; a page the site already has in docs/ keeps its text."""
    templates = {
        "column": "column.html",
        "archive": "archive.html",
        "year": "archive.html",
        "quarter": "listing.html",
        "tag": "listing.html",
        "tags": "tags.html",
    }
    out = []
    for src, listing in column.listings.items():
        if files.get_file_from_path(src) is not None and listing.kind == "column":
            continue  # docs/index.md is the front page: its meta chooses the template.
        inclusion = InclusionLevel.INCLUDED if src in IN_NAV else InclusionLevel.NOT_IN_NAV
        out.append(_generated(config, src, listing.title, templates[listing.kind], inclusion))
    plan_index = f"{plans.PLANS_ROOT}/index.md"
    if plan_list and files.get_file_from_path(plan_index) is None:
        out.append(_generated(config, plan_index, "Kế hoạch", "plans.html", InclusionLevel.INCLUDED))
    return out


def _feed_files(column: listings.Column, config: MkDocsConfig) -> list[File]:
    """Atom and RSS of the newest posts; readers need absolute links, so only with site_url."""
    if not config.site_url:
        log.warning(
            "mkdocs.yml chưa có site_url nên không tạo nguồn tin (feed.xml, rss.xml); hãy điền địa chỉ trang"
        )
        return []
    site = feed.FeedSite(config.site_name, config.site_url, config.site_description or "")
    return [
        File.generated(config, feed.ATOM_PATH, content=feed.atom(site, column.entries)),
        File.generated(config, feed.RSS_PATH, content=feed.rss(site, column.entries)),
    ]


def _generated(config: MkDocsConfig, src: str, title: str, template: str, inclusion: InclusionLevel) -> File:
    return File.generated(config, src, content=listings.page_source(title, template), inclusion=inclusion)


def _check_clashes(files: Files, new_files: list[File]) -> None:
    """Never let two files publish at one address, or a generated page hide a page of docs/."""
    problems = []
    by_dest = {file.dest_uri: file for file in files}
    for file in new_files:
        existing = files.get_file_from_path(file.src_uri) or by_dest.get(file.dest_uri)
        if existing is not None:
            problems.append(f"  {_origin(file)} và {_origin(existing)} cùng xuất bản tại '{file.url}'")
        by_dest[file.dest_uri] = file
    if problems:
        raise PluginError(
            "Hai tệp trùng địa chỉ; hãy đổi tên hoặc thêm 'slug:' cho một trong hai:\n" + "\n".join(problems)
        )


def _origin(file: File) -> str:
    if file.abs_src_path and file.src_dir is None:
        root: Path = _state["root"]  # type: ignore[assignment]
        try:
            return Path(file.abs_src_path).relative_to(root).as_posix()
        except ValueError:
            return file.abs_src_path
    return f"docs/{file.src_uri}" if file.src_dir else f"trang tự tạo {file.src_uri}"
