"""What a parent sees first on a phone (375 × 812), and the staff guide with a keyboard.

Parents mostly open a post from a link shared in Zalo or Facebook, on a phone: the first screen
shows the post's title and its first lines (the breadcrumb above them is one line), and the header
names the site inside the bar, on the school's site and on the district's. The staff guide's wide
tables scroll in boxes a keyboard reaches (axe: scrollable-region-focusable).

Debian's chromium through Playwright, as tests/test_browser.py; the pages keep their
Content-Security-Policy, so axe is served from the site itself rather than injected inline.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, run_build, write_site
from test_browser import AXE, CHROMIUM, FLAGS, SHOTS, server_for

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
POST = "bai-viet/phong-ngua-bao-luc-gia-dinh-nhan-biet-som-len-tieng-kip-thoi/"
COVER_POST = "bai-viet/huong-ung-thang-hanh-dong-vi-binh-dang-gioi-nam-2026/"
QUARTER = "luu-tru/2025/quy-4/"
AXE_NAME = "axe-test.min.js"  # beside the pages: a script of the site's own origin, as the CSP allows

WIDE_TABLE = """
    # Bảng rộng

    ## Các khoá của phần đầu bài

    | Khóa | Ví dụ | Khóa | Ví dụ | Khóa | Ví dụ |
    |---|---|---|---|---|---|
    | `date` | `2024-11-20T08:30:00+07:00` | `attachments` | `[ke-hoach-thang-hanh-dong-2026.pdf]` | `image` | `anh-bia-thang-hanh-dong-2026.jpg` |
"""


def serve(root: Path, config: str, site: Path) -> Iterator[str]:
    """``root/config`` built for its server's address, with axe beside the pages, served."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test` installs it with npm ci")
    server, url = server_for(site)
    build = run_build(root, config=config, out=site, env={"SITE_URL": url})
    assert build.code == 0, build.log
    shutil.copy(AXE, site / AXE_NAME)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def school_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(ROOT, "mkdocs.yml", tmp_path_factory.mktemp("truong") / "site")


@pytest.fixture(scope="module")
def district_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(ROOT, "district.yml", tmp_path_factory.mktemp("phong") / "site")


@pytest.fixture(scope="module")
def wide_table_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = write_site(tmp_path_factory.mktemp("bang") / "src", {}, docs={"bang-rong.md": WIDE_TABLE})
    # As the school's site: its address from SITE_URL (serve), system fonts (no request to Google).
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "  name: material\n", "  name: material\n  font: false\n"
    )
    text = text.replace("site_url: https://truong-thu.example/", "site_url: !ENV [SITE_URL]")
    config.write_text(text, encoding="utf-8")
    yield from serve(root, "mkdocs.yml", tmp_path_factory.mktemp("bang") / "site")


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """Debian's chromium, as tests/test_browser.py launches it."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail("chromium is missing: `make test` installs Debian's chromium with apt-get")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


class Tab:
    """A browser tab at a size, and what went wrong in it that a reader would not see."""

    def __init__(self, chromium: object, width: int, height: int) -> None:
        viewport = {"width": width, "height": height}
        self.context = chromium.new_context(viewport=viewport, locale="vi-VN")  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, url: str):
        response = self.page.goto(url, wait_until="networkidle")
        assert response is not None and response.status == 200, url
        return self.page

    def axe(self) -> list[str]:
        self.page.add_script_tag(url="/" + AXE_NAME)
        return self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
        )


@pytest.fixture
def phone(chromium: object) -> Iterator[Tab]:
    tab = Tab(chromium, **PHONE)
    yield tab
    errors = tab.errors
    tab.context.close()
    assert errors == [], errors


def box(page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


# --- A post's first screen -----------------------------------------------------------------------


@pytest.mark.parametrize("path", [POST, COVER_POST])
def test_a_posts_title_and_first_lines_are_on_a_phones_first_screen(
    phone: Tab, school_url: str, path: str
) -> None:
    page = phone.open(school_url + path)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"man-hinh-dau-{path.split('/')[1][:20]}-375.png"))
    title = box(page, "article h1, .md-content h1")
    assert title["y"] >= 48 and title["y"] + title["height"] <= PHONE["height"], title
    # The first paragraph under the title (the lead where there is one): three lines on the screen.
    first = page.evaluate(
        "() => { const h = document.querySelector('.md-content h1');"
        " const p = [...document.querySelectorAll('.md-content p')].find("
        "   e => h.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING && e.textContent.trim().length > 80"
        "   && !e.closest('.column-meta, .column-cover, figure'));"
        " const r = p.getBoundingClientRect();"
        " return {top: r.top, line: parseFloat(getComputedStyle(p).lineHeight), text: p.textContent.trim()} }"
    )
    assert first["top"] + 3 * first["line"] <= PHONE["height"], first


@pytest.mark.parametrize("path", [POST, QUARTER])
def test_the_breadcrumb_is_one_line_on_a_phone(phone: Tab, school_url: str, path: str) -> None:
    page = phone.open(school_url + path)
    trail = page.evaluate(
        "() => { const ol = document.querySelector('.column-trail ol');"
        " const shown = [...ol.children].filter(li => li.getBoundingClientRect().width > 1);"
        " const link = ol.querySelector('a');"
        " return {height: ol.getBoundingClientRect().height, link: link.getBoundingClientRect().height,"
        "  tops: shown.map(li => Math.round(li.getBoundingClientRect().top)),"
        "  right: Math.max(...shown.map(li => li.getBoundingClientRect().right)), width: innerWidth,"
        "  cut: [...ol.querySelectorAll('li:not(:first-child) a')].filter(a => a.scrollWidth > a.clientWidth + 1).length,"
        "  current: ol.querySelector('[aria-current=page]').textContent.trim(),"
        "  heading: document.querySelector('.md-content h1').textContent.trim()} }"
    )
    assert len(trail["tops"]) >= 2 and max(trail["tops"]) - min(trail["tops"]) <= 4, trail  # one row
    assert trail["height"] <= trail["link"] * 1.5, trail  # one line high
    assert trail["right"] <= trail["width"], trail  # nothing runs off the screen
    assert trail["cut"] == 0, trail  # the year and the quarter are never cut; only the column's name may be
    # The page itself is the heading just below: screen readers still hear it as the trail's end.
    assert trail["current"] and trail["heading"].startswith(trail["current"].rstrip("…")), trail


def test_the_breadcrumb_is_one_row_on_a_laptop(chromium: object, school_url: str) -> None:
    tab = Tab(chromium, 1280, 800)
    try:
        page = tab.open(school_url + POST)
        tops = page.evaluate(
            "() => [...document.querySelectorAll('.column-trail li')].slice(0, 3)"
            ".map(li => Math.round(li.getBoundingClientRect().top))"
        )
    finally:
        tab.context.close()
    assert len(tops) == 3 and max(tops) - min(tops) <= 4, tops


# --- The site's name in the header ----------------------------------------------------------------


@pytest.mark.parametrize("which", ["school", "district"])
def test_the_sites_name_sits_whole_inside_the_header_on_a_phone(
    phone: Tab, request: pytest.FixtureRequest, which: str
) -> None:
    url = request.getfixturevalue(f"{which}_url")
    page = phone.open(url)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(SHOTS / f"dau-trang-{which}-375.png"), clip={"x": 0, "y": 0, "width": 375, "height": 120}
    )
    name = page.evaluate(
        "() => { const e = document.querySelector('.md-header__topic .md-ellipsis');"
        " const r = e.getBoundingClientRect(), s = getComputedStyle(e);"
        " const rect = q => { const b = document.querySelector(q).getBoundingClientRect();"
        "   return {left: b.left, right: b.right, top: b.top, bottom: b.bottom} };"
        " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, text: e.textContent.trim(),"
        "  font: parseFloat(s.fontSize), line: parseFloat(s.lineHeight), hidden: e.scrollHeight - e.clientHeight,"
        "  bar: rect('.md-header'), menu: rect('label[for=__drawer]'), search: rect('label.md-header__button[for=__search]'),"
        "  title: document.title} }"
    )
    bar = name["bar"]
    assert name["text"] and name["text"] in name["title"], name
    assert name["font"] >= 14, name  # readable, not shrunk to fit
    assert name["hidden"] <= 1, name  # no line of the name cut off (two lines at most fit)
    # Clear of the bar's edges, not pressed against its top or running out under it.
    assert name["top"] >= bar["top"] + 2 and name["bottom"] <= bar["bottom"] - 2, name
    assert name["bottom"] - name["top"] <= 2 * name["line"] + 0.5 * name["font"], name
    # Clear of the menu and search buttons on either side.
    assert name["left"] >= name["menu"]["right"] and name["right"] <= name["search"]["left"], name


# --- The staff guide's tables ---------------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 375])
def test_the_staff_guide_passes_axe(chromium: object, school_url: str, width: int) -> None:
    tab = Tab(chromium, width, 900)
    try:
        page = tab.open(school_url + "huong-dan/")
        regions = page.evaluate(
            "() => [...document.querySelectorAll('.md-typeset__scrollwrap')]"
            ".map(e => [e.tabIndex, e.getAttribute('role'), e.getAttribute('aria-label')])"
        )
        violations = tab.axe()
    finally:
        errors = tab.errors
        tab.context.close()
    assert violations == [] and errors == [], (violations, errors)
    assert len(regions) >= 3, regions  # the guide's tables
    for tab_index, role, label in regions:
        assert tab_index == 0 and role == "region" and label and label.startswith("Bảng"), regions
    assert len({label for _, _, label in regions}) == len(regions), regions  # each named apart


def test_a_table_wider_than_a_phone_is_reached_and_scrolled_by_keyboard(
    phone: Tab, wide_table_url: str
) -> None:
    page = phone.open(wide_table_url + "bang-rong/")
    assert phone.axe() == []
    wrap = page.locator(".md-typeset__scrollwrap").first
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth + 100")  # it does scroll sideways
    for _ in range(40):  # Tab from the top of the page until the table's box has the focus
        page.keyboard.press("Tab")
        if wrap.evaluate("e => document.activeElement === e"):
            break
    else:
        pytest.fail("Tab never reaches the table")
    assert wrap.get_attribute("aria-label") == "Bảng: Các khoá của phần đầu bài"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("e => e.scrollLeft > 0", arg=wrap.element_handle())
