"""MkDocs glue for the column: posts, listings and plan pages.

Thin on purpose: every event hands its work to the pure modules of this package.
MkDocs puts only this file's folder on sys.path while importing it, so the
repository root is added here to import the package by its name.
"""

from __future__ import annotations

import html
import logging
import os
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from jinja2 import Environment  # noqa: E402
from markupsafe import Markup  # noqa: E402
from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.livereload import LiveReloadServer  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File, Files, InclusionLevel  # noqa: E402
from mkdocs.structure.nav import Navigation  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402

from hooks import (  # noqa: E402
    build_state,
    column_page,
    convert_beside,
    dates,
    editor,
    feed,
    images,
    links,
    listings,
    messages,
    plans,
    preview,
    sanitize,
    search_index,
    share_image,
    slugs,
    social,
    urls,
    views,
)
from hooks.front_matter import Problem  # noqa: E402
from hooks.posts import Catalog, held_assets, misplaced_in_docs, stray_markdown  # noqa: E402
from hooks.settings import (  # noqa: E402
    ColumnSettings,
    SchoolSettings,
    SettingsError,
    shown_path,
)
from hooks.text import without_bidi  # noqa: E402

log = logging.getLogger("mkdocs.plugins.column")  # no English "column: " prefix on staff lines

IN_NAV = {urls.FRONT_PAGE, f"{urls.ARCHIVE_ROOT}/index.md", f"{urls.TAGS_ROOT}/index.md"}


@dataclass
class ColumnBuild:
    """What this hook knows during one build; made anew in on_config (serve keeps the module)."""

    root: Path
    settings: ColumnSettings
    school: SchoolSettings
    editor: editor.EditorSettings = field(default_factory=editor.EditorSettings)
    proxy: str | None = None  # make write's decap-server (hooks/write.py)
    column: listings.Column = field(default_factory=listings.Column.empty)
    views: views.Registry = field(default_factory=views.Registry)  # page src_uri -> what the page is
    post_files: dict[str, File] = field(default_factory=dict)  # post rel -> its page
    nav_pages: frozenset[str] = frozenset()  # src_uris of the pages in the nav
    nav_urls: tuple[str, ...] = ()
    site_map: links.SiteMap = field(default_factory=lambda: links.SiteMap(set(), {}))
    # #fragments into other pages, checked once every page is rendered: (shown, source, path, fragment)
    fragments: list[tuple[str, str, str, str]] = field(default_factory=list)
    held: frozenset[str] = frozenset()  # files under posts/ that wait with a draft or a scheduled post
    files: Files | None = None  # this build's files, once every hook has added its own
    web_images: dict[str, images.WebImage] = field(default_factory=dict)  # photo rel -> its web-safe copy
    image_sizes: dict[str, tuple[int, int]] = field(default_factory=dict)  # site path -> (width, height)
    card: social.SiteCard | None = None  # the site's name, description, address and share image
    searchable: dict[str, Markup] = field(default_factory=dict)  # page src_uri -> what search indexes of it
    indexing: search_index.Indexing | None = None  # Pagefind, started in on_env, awaited in on_post_build
    theme_scripts: tuple[re.Pattern[str], ...] = ()  # the inline scripts the theme may print (sanitize.py)
    # Posts whose Markdown a forked child converts (hooks/convert_beside.py), and that Markdown by src_uri.
    sharing: convert_beside.Sharing | None = None
    set_aside: dict[str, str] = field(default_factory=dict)


_build: ColumnBuild | None = None
_serving = False  # under `mkdocs serve` no child converts posts (hooks/convert_beside.py)


def _current() -> ColumnBuild:
    if _build is None:
        raise PluginError("hooks/column_hooks.py: on_config chưa chạy")
    return _build


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"
    preview.startup(dirty)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    _build = None
    if not config.use_directory_urls:
        # Every link, feed and report points at `.../<slug>/`: one URL scheme, refused otherwise.
        raise PluginError(
            "mkdocs.yml: use_directory_urls: false không được hỗ trợ (mọi liên kết của chuyên mục có dạng "
            "bai-viet/ten-bai/); hãy xoá dòng use_directory_urls"
        )
    root = Path(config.config_file_path or ".").resolve().parent
    try:
        shared = build_state.settings(config, config.extra, config.site_name, root)
        school = shared.school
        _build = ColumnBuild(
            root,
            shared.column,
            school,
            editor.editor_settings(config.extra),
            editor.proxy_url(os.environ.get(editor.PROXY_ENV)),
        )
    except SettingsError as exc:
        raise PluginError(f"mkdocs.yml: {exc}") from None
    docs = Path(config.docs_dir)
    for key in ("logo", "share_image"):
        name = getattr(school, key)
        if name and not (docs / name).is_file():
            raise PluginError(
                f"mkdocs.yml: extra.school.{key}: không có tệp {shown_path(docs / name, root)}; "
                "hãy đặt tệp vào đó hoặc sửa đường dẫn (tính từ thư mục trang)"
            )
    _build.theme_scripts = _theme_scripts(config)
    config.mdx_configs.setdefault("toc", {})["slugify"] = slugs.anchor
    # Links are checked by hooks/links.py, which names the file as staff know it, in Vietnamese.
    for check in ("not_found", "anchors", "unrecognized_links", "absolute_links"):
        setattr(config.validation.links, check, logging.DEBUG)
    return config


def on_serve(
    server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., None]
) -> LiveReloadServer:
    """``make serve`` rebuilds when a post changes; posts/ is not in mkdocs.yml's ``watch:``, where a
    missing folder (every sample post deleted, git keeps no empty folder) would stop every build."""
    posts_dir = _current().settings.posts_dir
    if posts_dir.is_dir():
        server.watch(str(posts_dir))
    return server


_THEME_SCRIPTS: dict[tuple[tuple[str, int], ...], tuple[re.Pattern[str], ...]] = {}


def _theme_scripts(config: MkDocsConfig) -> tuple[re.Pattern[str], ...]:
    """The inline scripts the theme's templates can print (Material's, then overrides/): read once
    per set of template files, for the page policy (sanitize.with_policy)."""
    paths = sorted(
        (str(path), path.stat().st_mtime_ns)
        for folder in config.theme.dirs
        for path in Path(folder).rglob("*.html")
    )
    key = tuple(paths)
    if key not in _THEME_SCRIPTS:
        texts = (Path(path).read_text(encoding="utf-8") for path, _ in paths)
        _THEME_SCRIPTS.clear()
        _THEME_SCRIPTS[key] = sanitize.theme_scripts(text for text in texts if "<script>" in text)
    return _THEME_SCRIPTS[key]


def on_pre_build(config: MkDocsConfig) -> None:
    preview.begin()


def on_files(files: Files, config: MkDocsConfig) -> Files:
    preview.files_gathered()
    state = _current()
    settings = state.settings
    docs_dir = Path(config.docs_dir)
    try:  # read once a build, whichever hook file asks first (hooks/build_state.py)
        found = build_state.content(config, docs_dir)
    except dates.DateError as exc:
        raise PluginError(str(exc)) from None
    # No folder is no post yet (git keeps no empty folder): an empty column that says so.
    catalog, today, plan_list, plan_problems = found.catalog, found.today, found.plans, found.plan_problems
    shown = shown_path(settings.posts_dir, state.root)
    misplaced = [
        *misplaced_in_docs(
            docs_dir,
            shown_path(docs_dir, state.root),
            skip=(f"{plans.PLANS_ROOT}/",),
            named=_named_in_config(state, config),
        ),
        *stray_markdown(state.root, settings.posts_dir, docs_dir, today.year),
    ]
    held = held_assets(catalog)
    photo_problems = _web_images(state, catalog, frozenset(held), shown)
    problems = [*catalog.problems, *plan_problems, *misplaced, *photo_problems]
    if problems:  # the warnings too: every mistake at once, counted once
        listed = [*problems, *catalog.notices]
        raise PluginError(
            f"{messages.fixes(len(listed))} trước khi dựng trang:\n" + "\n".join(f"  {p}" for p in listed)
        )
    for notice in catalog.notices:
        log.warning(str(notice))
    _report_unpublished(catalog)
    for rel, post in sorted(held.items()):
        log.info(f"Chờ đăng cùng {post.path}: {shown}/{rel}")
    state.held = frozenset(held)

    media = listings.Media(
        sizes=state.image_sizes,
        bytes={rel: (settings.posts_dir / rel).stat().st_size for rel in catalog.assets if rel not in held},
    )
    state.column = listings.build_column(
        catalog.published, per_page=settings.per_page, site_title=config.site_name, media=media
    )
    state.card = _site_card(state, config)

    new_files = [
        *_post_files(state, catalog, config),
        *_listing_files(state.views, state.column, plan_list, files, config),
        *_feed_files(state.column, config),
        *_editor_files(state, catalog, config),
    ]
    _check_clashes(state.root, files, new_files)
    for file in new_files:
        files.append(file)
    return files


# Last: nothing may change the files or the pages after the child that converts posts is forked.
@event_priority(-100)
def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    # Every hook has added its files by now: decide what a preview rebuild may skip.
    state = _current()
    shown = {rel: state.column.pages[rel] for rel in state.post_files}
    preview.plan(config, files, state.post_files, shown, state.settings.posts_dir)
    state.nav_pages = frozenset(page.file.src_uri for page in nav.pages)
    state.nav_urls = tuple(sorted({page.url for page in nav.pages} | {""}))
    state.site_map = links.SiteMap.of([*(f.url for f in files), *(f.dest_uri for f in files)])
    state.files = files
    # Every page outside the nav (posts, listings, plans) is converted by one Markdown instance
    # (hooks/column_page.py). MkDocs made a Page for each, held only by its file: replaced here,
    # unless a plugin put a page of its own there.
    converter = column_page.Converter(config)
    if converter.reusable:
        for file in files.documentation_pages():
            if file.src_uri not in state.nav_pages and type(file.page) is Page:
                column_page.ColumnPage(file, config, converter)
    if convert_beside.wanted(len(state.post_files), _serving):  # the last step before MkDocs converts
        srcs = {file.src_uri for file in state.post_files.values()}
        posts = [file for file in files.documentation_pages() if file.src_uri in srcs]
        state.sharing = convert_beside.Sharing(posts, config, files, convert_beside.given())
    return nav


# First: templates must be told how to escape before anything compiles them.
@event_priority(100)
def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """The project's templates autoescape; pages outside the nav share their chrome; search starts.

    Autoescape is on for every template in ``custom_dir`` (overrides/), so that a post's,
    a plan's or a report's text is always printed as text; Material's own templates keep
    their setting (they print HTML that MkDocs hands them). In ours, only values that are
    HTML by MkDocs' contract (``page.content``, ``page.title``, ``config.copyright``) and
    rendered template output (``super()``, ``caller()``) are marked ``safe``.

    Chrome (see overrides/main.html): ``COLUMN_CHROME_CACHE=0`` renders every page's
    chrome afresh; tests compare the two.

    Search: every page's Markdown is converted by now and no template has run, so what search
    indexes of each page is rendered here and Pagefind starts on it (hooks/search_index.py).
    """
    state = _current()
    if state.sharing is not None:  # every page is converted by now
        state.sharing.close()
        log.debug(
            f"Tiến trình phụ đã chuyển {state.sharing.converted} bài sang HTML; "
            f"{state.sharing.failed} bài nó không chuyển được, bản dựng đã tự chuyển"
        )
        state.sharing = None
    own = own_templates(config)
    env.autoescape = lambda name: name is not None and name in own
    env.globals["school"] = state.school  # header, footer, report: whose column this is
    env.globals.update(_inline_styles(config))
    if os.environ.get("COLUMN_CHROME_CACHE") != "0":
        _share_chrome(env)
    parts = _searchable_parts(env, config, files)
    state.searchable = {src: Markup(part.body) for src, part in parts.items() if part is not None}
    try:
        state.indexing = search_index.start(parts, Path(config.site_dir), state.root / ".cache")
    except search_index.SearchIndexError as exc:
        raise PluginError(str(exc)) from None
    env.globals["search_pages"] = state.indexing.pages  # 0: the search box says there is nothing yet
    return env


def _share_chrome(env: Environment) -> None:
    """Give main.html what it needs to render each shared piece of chrome once (see chrome_key)."""
    state = _current()
    chrome: dict[tuple[object, ...], Markup] = {}
    patterns: dict[str, tuple[object, ...]] = {}  # page URL → its link pattern: five parts ask per page

    def chrome_key(part: str, page: Page | None) -> tuple[object, ...] | None:
        """Pages get the same chrome when every link in it comes out the same for them.

        A page in the nav marks its own entry active, so it is never shared. Otherwise the
        nav's links are relative: from page P to target T, MkDocs writes one "../" per folder
        of P below the folders P shares with T, then the rest of T. So the depth of P and how
        many leading folders it shares with each nav target decide every link. Theme pages
        (404.html) have no page and are rendered as they are.
        """
        if not isinstance(page, Page) or page.file.src_uri in state.nav_pages:
            return None
        pattern = patterns.get(page.url)
        if pattern is None:
            folders = page.url.split("/")[:-1]
            pattern = patterns[page.url] = (
                len(folders),
                tuple(_shared_folders(folders, url) for url in state.nav_urls),
            )
        return part, *pattern

    def remember(key: tuple[object, ...] | None, html: str) -> Markup:
        markup = Markup(html)  # rendered by the theme: already HTML
        if key is not None:
            chrome[key] = markup
        return markup

    env.globals.update(column_chrome=chrome, column_chrome_key=chrome_key, column_remember=remember)


def _searchable_parts(
    env: Environment, config: MkDocsConfig, files: Files
) -> dict[str, search_index.SearchPage | None]:
    """What search indexes of each page, by source file: rendered here once, printed by its template.

    A post's part is partials/post-body.html, a plan's partials/plan-body.html, a page of docs/
    its title and text as Material prints them (unless it says ``search: exclude: true``).
    Listings, the report and the district page are never indexed. ``None``: MkDocs did not
    convert the page in this build (`make serve`), so search keeps what it had.
    """
    state = _current()
    parts: dict[str, search_index.SearchPage | None] = {}
    post_body = env.get_template("partials/post-body.html")
    plan_body = env.get_template("partials/plan-body.html")
    for file in files.documentation_pages():
        page = file.page
        src = file.src_uri
        if page is None or page.content is None:
            parts[src] = None
            continue
        context = {"page": page, "config": config, "base_url": get_relative_url(".", page.url)}
        view = state.views.get(src)
        if isinstance(view, views.PostView):
            body = post_body.render(context, post=view.page)
        elif isinstance(view, views.PlanView):
            body = plan_body.render(context, plan=view.plan)
        elif view is not None:
            continue  # listings and the plan index: each post and plan is found by itself
        elif page.meta.get("template", "main.html") == "main.html" and not (
            page.meta.get("search") or {}
        ).get("exclude"):
            # Material's partials/content.html: a title unless the text has its own, then the text.
            title = "" if "<h1" in page.content else f"<h1>{page.title or config.site_name}</h1>"
            body = title + page.content
        else:
            continue
        parts[src] = search_index.SearchPage(page.url, body)
    return parts


def _inline_styles(config: MkDocsConfig) -> dict[str, Markup]:
    """The column's stylesheets, printed inside the page: a separate file would be one more request
    that blocks the first paint on a phone (Lighthouse). ``column_css``, ``report_css``."""
    folder = Path(config.theme.custom_dir or "") / "assets" / "stylesheets"
    styles = {}
    for name in ("column", "report"):
        path = folder / f"{name}.css"
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        styles[f"{name}_css"] = Markup(text.replace("</", "<\\/"))  # never closes the <style> early
    return styles


def own_templates(config: MkDocsConfig) -> frozenset[str]:
    """Template names (``post.html``, ``partials/post-meta.html``) in the theme's custom_dir."""
    custom_dir = config.theme.custom_dir
    if not custom_dir:
        return frozenset()
    folder = Path(custom_dir)
    return frozenset(path.relative_to(folder).as_posix() for path in folder.rglob("*.html"))


def _shared_folders(folders: list[str], url: str) -> int:
    count = 0
    for mine, theirs in zip(folders, url.split("/")[:-1], strict=False):
        if mine != theirs:
            break
        count += 1
    return count


# Last: the text it hands on may be converted by the child instead (hooks/convert_beside.py).
@event_priority(-100)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    state = _current()
    view = state.views.get(page.file.src_uri)
    # One spelling of each letter whatever keyboard typed it (the front matter is read so too).
    markdown = unicodedata.normalize("NFC", markdown)
    markdown, reversed_lines = without_bidi(markdown)
    if reversed_lines and (path := _source(page)) is not None:
        source = path.read_text(encoding="utf-8-sig")
        first = len(source.splitlines()) - len(markdown.splitlines())  # the front matter's lines
        for line in reversed_lines:
            log.warning(
                f"{shown_path(path, state.root)}:{first + line}: có ký tự đảo chiều chữ (ẩn, thường dính theo "
                "khi dán từ tin nhắn) đã bị bỏ; chữ quanh đó có thể hiện ngược, hãy gõ lại dòng này"
            )
    # Material prints page titles as HTML; the column's titles are plain text ("Nam & nữ", "a < b").
    if isinstance(view, views.PostView):
        page.meta.setdefault("template", view.template)
        post = view.page.entry.post
        page.meta["title"] = html.escape(post.title, quote=False)
        if post.author:  # Material prints it in <meta name="author" content="...">
            page.meta["author"] = html.escape(post.author, quote=True)
        # The post's template shows its tags; in the search overlay Material would print them as one
        # unlabelled <nav> per result (axe: landmark-unique).
        page.meta.pop("tags", None)
    else:
        # A page of docs/ (a plan, the guide): Material prints its title and author as HTML too.
        for key in ("title", "author") if page.file.abs_src_path else ():
            if isinstance(page.meta.get(key), str):
                page.meta[key] = html.escape(page.meta[key], quote=True)
        if isinstance(view, views.PlanView):
            page.meta.setdefault("template", view.template)
            page.meta["title"] = html.escape(view.plan.title, quote=False)
        elif view is not None:  # a listing or the plan index: its page in docs/ keeps its own title
            page.meta.setdefault("template", view.template)
            if view.title is not None:
                page.meta["title"] = html.escape(view.title, quote=False)
    if state.sharing is not None and state.sharing.taken(page.file.src_uri):
        state.set_aside[page.file.src_uri] = markdown
        return ""  # MkDocs converts nothing; on_page_content puts the child's HTML on the page
    return markdown


# First: a post the child converted gets its HTML before anything reads it.
@event_priority(100)
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """What a post or a page of docs/ may show (hooks/sanitize.py), and its broken images and
    links, named as staff know the file."""
    state = _current()
    markdown = state.set_aside.pop(page.file.src_uri, None)
    if markdown is not None and state.sharing is not None:
        page.markdown = markdown
        converted = state.sharing.result(page.file.src_uri)
        if converted is None:  # the child failed it or died: converted here, as MkDocs would
            page.render(config, files)
            assert page.content is not None
            html = page.content
        else:
            html = convert_beside.put_on(page, converted, files)
    path = _source(page)
    if path is None:
        return html  # a generated page: its links come from templates
    cleaned = sanitize.clean(html)
    if sanitize.might_remove(page.markdown or "", html, cleaned):
        _report_removed(sanitize.removed(html), path, shown_path(path, state.root))
    html = links.with_sizes(cleaned, page.url, state.image_sizes)
    broken, later = links.check(page.url, html, state.site_map)
    suspect = links.SUSPECT.search(page.markdown or "")
    if broken or suspect or later:
        shown = shown_path(path, state.root)
        text = path.read_text(encoding="utf-8-sig")
        if suspect:
            for problem in links.source_problems(text, shown):
                log.warning(str(problem))
        for bad in broken:
            line = links.line_of(text, bad.target.url)
            hint = links.suggestion(bad.target.url, _names(path.parent)) if bad.target.is_image else ""
            log.warning(f"{shown}{f':{line}' if line else ''}: {bad.reason}{hint}")
        state.fragments.extend((shown, str(path), p, fragment) for _, p, fragment in later)
    return html


def _source(page: Page) -> Path | None:
    """The Markdown file a page is made from: a post's under posts/ (its File carries that path) or a
    page's of docs/; None for a page the build generates from a template."""
    return Path(page.file.abs_src_path) if page.file.abs_src_path else None


def _report_removed(found: list[sanitize.Removed], path: Path, shown: str) -> None:
    """Each thing the sanitizer took out, with its line: the strict build stops on it."""
    if not found:
        return
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8-sig"))
    for item in found:
        line = sanitize.line_of(text, item.needle)
        log.warning(
            f"{shown}{f':{line}' if line else ''}: đã bỏ {item.what}: bài viết chỉ được chứa chữ, ảnh, bảng "
            "và liên kết, không chứa mã hay kiểu trình bày riêng (xem mục 'Bài viết được chứa gì' trong trang "
            "Hướng dẫn); hãy xoá phần này (một video: dán liên kết tới video)"
        )


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Every reader's page says which scripts may run on it: the theme's own, nothing a page carries."""
    state = _current()
    out, refused = sanitize.with_policy(output, page.content or "", state.theme_scripts)
    if refused:
        path = _source(page)
        where = shown_path(path, state.root) if path is not None else f"trang {page.url or '/'}"
        for body in refused:
            log.warning(
                f"{where}: trang có mã <script> không phải của giao diện ({' '.join(body.split())[:60]}…), nên "
                "trình duyệt sẽ không chạy nó; hãy xoá mã này (thường do phần đầu trang như 'title:' chứa mã)"
            )
    return out


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    if not template_name.endswith(".html"):
        return output_content
    out, refused = sanitize.with_policy(output_content, "", _current().theme_scripts)
    for body in refused:
        log.warning(f"{template_name}: mã <script> không phải của giao diện ({' '.join(body.split())[:60]}…)")
    return out


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: object) -> dict:
    state = _current()
    src = page.file.src_uri
    view = state.views.get(src)
    card = state.card
    assert card is not None  # made in on_files, which runs before any page
    if isinstance(view, views.PostView):
        context["post"] = view.page
        card_of = social.for_post(view.page.entry, card)
    elif isinstance(view, views.ListingView):
        context["listing"] = view.listing
        card_of = social.for_listing(view.listing, card)
    else:
        if isinstance(view, views.PlanView):
            card_of = social.for_plan(view.plan, card)
        else:
            title = html.unescape(page.title or config.site_name)
            card_of = social.for_page(title, page.meta.get("description"), page.url, card)
        if view is not None:  # a plan or the plan index
            context["plans"] = view.plans
            context["plan"] = view.plan if isinstance(view, views.PlanView) else None
    context["social"] = card_of
    context["searchable"] = state.searchable.get(src)
    # Material's toc of a page outside the nav has a label for a toggle only the nav writes.
    context["toc_toggle"] = bool(page.toc) and src not in state.nav_pages
    # Material prints the description as HTML, unescaped: this one is text.
    page.meta["description"] = html.escape(card_of.description, quote=True)
    return context


def _check_fragments(state: ColumnBuild, files: Files | None) -> None:
    """Links to a #section of another page, once every page is rendered and its ids known."""
    if not state.fragments:
        return
    known: dict[str, str] = {}  # site path -> the file as staff know it
    for rel, file in state.post_files.items():
        known[file.url.strip("/")] = shown_path(state.settings.posts_dir / rel, state.root)
    for file in files.documentation_pages() if files is not None else ():
        if file.src_dir is not None and file.abs_src_path:
            known.setdefault(file.url.strip("/"), shown_path(Path(file.abs_src_path), state.root))
    for shown, path, page_path, fragment in state.fragments:
        if links.check_fragment(state.site_map, page_path, fragment) is None:
            continue
        line = links.line_of(Path(path).read_text(encoding="utf-8-sig"), f"#{fragment}")
        where = known.get(page_path.strip("/"), f"trang {page_path}/")
        sections = sorted(state.site_map.ids.get(page_path.strip("/"), ()))[:6]
        have = f"; các mục có: {', '.join('#' + s for s in sections)}" if sections else ""
        log.warning(
            f"{shown}{f':{line}' if line else ''}: liên kết tới mục '#{fragment}' của {where}, "
            f"nhưng bài đó không có mục này{have}"
        )


def on_post_build(config: MkDocsConfig) -> None:
    state = _current()
    _check_fragments(state, state.files)
    preview.finish(config)  # under `make serve`, pages that are gone leave the folder first
    indexing, state.indexing = state.indexing, None
    if indexing is None:
        return
    try:
        pages = indexing.finish(Path(config.site_dir))
    except search_index.SearchIndexError as exc:
        raise PluginError(str(exc)) from None
    log.info(f"Tìm kiếm: đã lập chỉ mục {pages} trang")


def on_build_error(error: Exception) -> None:
    """A failed build leaves no Pagefind or converting child running and no temporary folder behind."""
    if _build is not None and _build.sharing is not None:
        _build.sharing.close()
        _build.sharing = None
    if _build is not None and _build.indexing is not None:
        _build.indexing.abandon()
        _build.indexing = None


def _report_unpublished(catalog: Catalog) -> None:
    for post in catalog.drafts:
        log.info(f"Bản nháp, chưa đăng: {post.path}")
    for post in catalog.scheduled:
        log.info(f"Hẹn đăng ngày {dates.format_short(post.day)}: {post.path}")
    log.info(
        f"Chuyên mục: {len(catalog.published)} bài đã đăng, {len(catalog.drafts)} bản nháp, "
        f"{len(catalog.scheduled)} bài hẹn đăng, {len(catalog.assets)} tệp kèm theo"
    )


def _post_files(state: ColumnBuild, catalog: Catalog, config: MkDocsConfig) -> list[File]:
    """Posts keep their folder as src_uri (so relative links resolve) but publish at their slug."""
    out = []
    posts_dir = state.settings.posts_dir
    for post in catalog.published:
        src = urls.post_src(post.rel)
        file = File.generated(
            config, src, abs_src_path=str(posts_dir / post.rel), inclusion=InclusionLevel.NOT_IN_NAV
        )
        url = urls.post_url(post)
        file.dest_uri = f"{url}index.html"
        file.url = url
        state.views.add(src, views.PostView(state.column.pages[post.rel]))
        state.post_files[post.rel] = file
        out.append(file)
    for rel in catalog.assets:
        if rel in state.held:
            continue
        web = state.web_images.get(rel)
        source = web.path if web is not None else posts_dir / rel  # a photo: its web-safe copy
        out.append(File.generated(config, urls.post_src(rel), abs_src_path=str(source)))
    for share in state.card.shares.values() if state.card is not None else ():  # hooks/share_image.py
        out.append(File.generated(config, share.src_uri, abs_src_path=str(share.path)))
    return out


def _web_images(state: ColumnBuild, catalog: Catalog, held: frozenset[str], shown: str) -> list[Problem]:
    """Web-safe copies of the photos to publish (hooks/images.py), or what is wrong with them.

    A held file (it waits with a draft) gets no copy yet, but is checked for a GPS position all
    the same: the public repository already holds it.
    """
    posts_dir = state.settings.posts_dir
    cache = images.ImageCache(state.root / ".cache" / "images")
    done = cache.web_images(
        [posts_dir / rel for rel in catalog.assets if rel not in held],
        held=[posts_dir / rel for rel in catalog.assets if rel in held],
    )
    problems = [
        Problem(
            f"{shown}/{rel}",
            f"tệp có ảnh còn vị trí GPS nơi chụp ({', '.join(inside)}), mà kho GitHub của trang là công khai; "
            "hãy mở tệp, xoá ảnh đó rồi chèn lại ảnh đã bỏ vị trí (xem mục 'Vị trí nơi chụp (GPS)' trong trang "
            "Hướng dẫn), lưu rồi tải tệp lên lại",
        )
        for rel in catalog.assets
        if rel.lower().endswith(images.PACKED) and (inside := images.packed_positions(posts_dir / rel))
    ]
    for rel in catalog.assets:
        result = done.get(posts_dir / rel)
        if isinstance(result, images.ImageError):
            problems.append(Problem(f"{shown}/{rel}", str(result)))
        elif result is not None:
            state.web_images[rel] = result
            state.image_sizes[urls.post_src(rel)] = (result.width, result.height)
    return problems  # (an SVG beside a post is refused: posts.refused_file)


def _site_card(state: ColumnBuild, config: MkDocsConfig) -> social.SiteCard:
    share = state.school.share_image or state.school.logo
    size = images.image_size(Path(config.docs_dir) / share) if share else None
    copies = {rel: web.path for rel, web in state.web_images.items()}
    shares = share_image.share_pictures(
        state.column.entries, state.settings.posts_dir, copies, state.root / ".cache" / "share"
    )
    return social.SiteCard(
        config.site_name, config.site_description or "", config.site_url or "", share, size, shares
    )


def _listing_files(
    registry: views.Registry,
    column: listings.Column,
    plan_list: list[plans.Plan],
    files: Files,
    config: MkDocsConfig,
) -> list[File]:
    """Generated listing pages, each registered with its view; a page the site already has in docs/
    (the front page, the plan index) keeps its text and its title, and gets the view all the same."""
    out = []
    for src, listing in column.listings.items():
        own = files.get_file_from_path(src) is not None and listing.kind is listings.ListingKind.COLUMN
        registry.add(src, views.ListingView(listing, None if own else listing.title))
        if not own:
            inclusion = InclusionLevel.INCLUDED if src in IN_NAV else InclusionLevel.NOT_IN_NAV
            out.append(File.generated(config, src, content="", inclusion=inclusion))
    for plan in plan_list:
        registry.add(plan.src_uri, views.PlanView(plan, plan_list))
    plan_index = f"{plans.PLANS_ROOT}/index.md"
    if files.get_file_from_path(plan_index) is not None:
        registry.add(plan_index, views.PlanIndexView(plan_list, None))
    # With no plan yet, a nav that names the index still gets it, saying so.
    elif plan_list or plan_index in _nav_files(config.nav):
        registry.add(plan_index, views.PlanIndexView(plan_list, "Kế hoạch"))
        out.append(File.generated(config, plan_index, content="", inclusion=InclusionLevel.INCLUDED))
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


def _editor_files(state: ColumnBuild, catalog: Catalog, config: MkDocsConfig) -> list[File]:
    """/admin/: the browser editor configured from the post schema (hooks/editor.py)."""
    site = editor.site_from_posts(
        shown_path(state.settings.posts_dir, state.root),
        config.site_url,
        catalog.published,
        school=state.school.name,
        logo=state.school.logo,
    )
    admin = editor.admin_site(state.editor, site, state.proxy)
    env = config.theme.get_env()  # a fresh environment: on_env, which turns autoescape on, comes later
    env.autoescape = True  # the site's name and the school's are text ("A & <b>B</b>")
    template = env.get_template(editor.TEMPLATE)
    page = template.render(site_name=config.site_name, **admin.page)
    return [
        File.generated(config, admin.index, content=page),
        *(File.generated(config, src, content=content) for src, content in admin.texts.items()),
        *(File.generated(config, src, abs_src_path=str(path)) for src, path in admin.copies.items()),
    ]


def _named_in_config(state: ColumnBuild, config: MkDocsConfig) -> frozenset[str]:
    """Files of docs/ that mkdocs.yml itself names (the admin's, not a post's): they may be an SVG or a script."""
    scripts = [str(getattr(item, "path", item)) for item in config.extra_javascript]
    return frozenset(
        name.lstrip("/")
        for name in (state.school.logo, state.school.share_image, *config.extra_css, *scripts)
        if name and "://" not in name
    )


def _nav_files(nav: object) -> set[str]:
    """Every file name in mkdocs.yml's ``nav:`` (nested sections included)."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(_nav_files(value) for value in nav.values()))
    if isinstance(nav, list):
        return set().union(*(_nav_files(item) for item in nav))
    return set()


def _check_clashes(root: Path, files: Files, new_files: list[File]) -> None:
    """Never let two files publish at one address, or a generated page hide a page of docs/."""
    problems = []
    by_dest = {file.dest_uri: file for file in files}
    for file in new_files:
        existing = files.get_file_from_path(file.src_uri) or by_dest.get(file.dest_uri)
        if existing is not None:
            problems.append(
                f"  {_origin(root, file)} và {_origin(root, existing)} cùng xuất bản tại '{file.url}'"
            )
        by_dest[file.dest_uri] = file
    if problems:
        raise PluginError(
            "Hai tệp trùng địa chỉ; hãy đổi tên hoặc thêm 'slug:' cho một trong hai:\n" + "\n".join(problems)
        )


def _origin(root: Path, file: File) -> str:
    if file.abs_src_path and file.src_dir is None:
        try:
            return Path(file.abs_src_path).relative_to(root).as_posix()
        except ValueError:
            return file.abs_src_path
    return f"docs/{file.src_uri}" if file.src_dir else f"trang tự tạo {file.src_uri}"
