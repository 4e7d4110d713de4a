"""The sample site in a real browser: Debian's chromium driven by Playwright, served on 127.0.0.1.

`make test` installs chromium with apt-get and axe-core with npm; Playwright never
downloads a browser. Screenshots of the pages checked are written to
test-artifacts/screenshots/ (desktop and 375 px phone width).
"""

from __future__ import annotations

import functools
import http.server
import re
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import ROOT, run_build

if TYPE_CHECKING:
    from playwright.sync_api import Request, Response

playwright = pytest.importorskip("playwright.sync_api", reason="make test installs playwright")
pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "test-artifacts" / "screenshots"
# Without the background-networking flags chromium keeps dialling Google on a closed network.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
POST = "bai-viet/phong-ngua-bao-luc-gia-dinh-nhan-biet-som-len-tieng-kip-thoi/"
POST_TITLE = "Phòng ngừa bạo lực gia đình: nhận biết sớm, lên tiếng kịp thời"
PLAN = "ke-hoach/2024-mn-phuong-nam/"
PAGES = {
    "trang-chu": "",
    "bai-viet": POST,
    "bai-viet-anh-bia": "bai-viet/huong-ung-thang-hanh-dong-vi-binh-dang-gioi-nam-2026/",
    "ke-hoach": PLAN,
    "bao-cao": "bao-cao/",
    "luu-tru": "luu-tru/",
    "chu-de": "chu-de/",
    "quy": "luu-tru/2025/quy-4/",
    "huong-dan": "huong-dan/",
}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def server_for(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A server on 127.0.0.1 for the folder ``site`` (not started yet) and its address."""
    site.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site))
    )
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def serve_built(tmp_path_factory: pytest.TempPathFactory, config: str) -> Iterator[str]:
    """A site built from ``config`` for this server's address (SITE_URL), served until the module ends."""
    site = tmp_path_factory.mktemp("served") / "site"
    server, url = server_for(site)
    build = run_build(ROOT, config=config, out=site, env={"SITE_URL": url})
    assert build.code == 0, build.log
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve_built(tmp_path_factory, "mkdocs.yml")


@pytest.fixture(scope="module")
def district_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The district office's sample site (district.yml), with the roll-up page."""
    yield from serve_built(tmp_path_factory, "district.yml")


@pytest.fixture(scope="module")
def many_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A district site rolling up 100 schools by 16 quarters (tests/test_district.py many_schools)."""
    from test_district import many_schools

    root = many_schools(tmp_path_factory.mktemp("quan"))
    site = root / "site"
    server, url = server_for(site)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "site_url: https://truong-thu.example/", f"site_url: {url}"
    )
    config.write_text(
        text.replace("  name: material\n", "  name: material\n  font: false\n"), encoding="utf-8"
    )
    build = run_build(root, out=site)
    assert build.code == 0, build.log
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def thousand_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """This project built over the benchmark's 1,000 generated posts (bench/corpus.py), served."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from sites import make_project

    root = make_project(tmp_path_factory.mktemp("nghin") / "src", 1000)
    site = root / "site"
    server, url = server_for(site)
    build = run_build(root, out=site, env={"SITE_URL": url})
    assert build.code == 0, build.log[-2000:]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail("chromium is missing: `make test` installs Debian's chromium with apt-get")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


EVERY_SECTION = "* { content-visibility: visible !important; }"


class Visit:
    """One browser tab that records what a reader would not see: console errors and failed requests."""

    def __init__(self, browser: object, base_url: str, width: int = 1280, height: int = 900) -> None:
        self.base_url = base_url
        self.context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._answered)

    def _failed(self, request: Request) -> None:
        # A photo still loading when the reader clicks on is cancelled by the browser
        # (net::ERR_ABORTED): nothing went wrong. Any other failure did.
        if request.failure != "net::ERR_ABORTED":
            self.errors.append(f"{request.url}: {request.failure}")

    def _answered(self, response: Response) -> None:
        if response.status >= 400:
            self.errors.append(f"{response.url}: HTTP {response.status}")

    def open(self, path: str, *, every_section: bool = True):
        response = self.page.goto(self.base_url + path, wait_until="networkidle")
        assert response is not None and response.status == 200, path
        if every_section:
            # The report lays out a section only when the reader scrolls to it (report.css);
            # checks of the whole page (width, axe, screenshots) see every section laid out.
            self.page.add_style_tag(content=EVERY_SECTION)
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: object, base_url: str) -> Iterator[Visit]:
    tab = Visit(browser, base_url)
    yield tab
    errors = tab.errors
    tab.close()
    assert errors == [], errors


def test_front_page_lists_the_newest_posts(visit: Visit) -> None:
    page = visit.open("")
    titles = page.locator(".column-card h2 a").all_inner_texts()
    assert len(titles) == 10  # per_page in mkdocs.yml
    assert titles[0] == "Hưởng ứng Tháng hành động vì bình đẳng giới năm 2026"
    assert "Trang 1/2" in page.locator(".column-pager").inner_text()
    page.get_by_role("link", name="Bài cũ hơn").click()
    page.wait_for_load_state("networkidle")
    older = page.locator(".column-card h2 a").all_inner_texts()
    assert len(older) == 9 and not set(older) & set(titles)  # 19 published posts, each listed once


def test_quarter_archive_leads_to_a_post(visit: Visit) -> None:
    page = visit.open("luu-tru/")
    page.get_by_role("link", name="Quý II/2025").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Lưu trữ Quý II/2025"
    link = page.locator(".column-line a").first
    title = link.inner_text()
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("article h1, h1").first.inner_text() == title
    assert "/bai-viet/" in page.url


def test_tag_page_leads_to_a_post_carrying_that_tag(visit: Visit) -> None:
    page = visit.open("chu-de/")
    page.get_by_role("link", name="Phòng chống bạo lực").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Chủ đề: Phòng chống bạo lực"
    assert page.locator(".column-line").count() == 5
    page.get_by_role("link", name=POST_TITLE).click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text() == POST_TITLE
    assert page.get_by_role("link", name="Phòng chống bạo lực").count() >= 1


def search(page, query: str) -> list[dict[str, str]]:
    """Type as a reader types, wait for the answer, return the results (one a page) with their excerpt."""
    box = page.locator("input[data-column-search-query]")
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=20)
    page.wait_for_function(
        "q => /kết quả|Không tìm thấy/.test(document.querySelector('.md-search-result__meta').innerText)"
        " && document.querySelector('input[data-column-search-query]').value === q",
        arg=query,
    )
    page.wait_for_timeout(400)  # a search per pause in typing; let the last answer land
    return page.eval_on_selector_all(
        ".md-search-result__item",
        "items => items.map(li => ({title: li.querySelector('h1').innerText, text: li.textContent,"
        " href: li.querySelector('a').getAttribute('href')}))",
    )


@pytest.mark.parametrize("query", ["bạo lực gia đình", "bao luc gia dinh", "BAO LUC GIA DINH"])
def test_search_finds_a_post_with_or_without_diacritics(visit: Visit, query: str) -> None:
    page = visit.open("")
    results = search(page, query)
    assert results, query
    assert results[0]["title"] == POST_TITLE
    page.locator(".md-search-result__item > .md-search-result__link").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.split("?")[0].endswith(POST)  # Material adds ?h=<query> to highlight the words


def test_a_heading_is_found_without_its_permalink_sign(visit: Visit) -> None:
    """The "¶" after each heading is a link for the page, not a word: never in an excerpt."""
    page = visit.open("")
    results = search(page, "đổi vai cho vui")
    assert results and results[0]["title"] == "Ngày Gia đình Việt Nam 2026"
    assert all("¶" not in result["text"] for result in results), [r["text"] for r in results]


def test_unaccented_word_finds_every_spelling(visit: Visit) -> None:
    page = visit.open("")
    texts = " ".join(r["text"] for r in search(page, "dang"))
    assert "đẳng" in texts  # "bình đẳng": d-a-n-g with đ, ẳ
    hits = search(page, "gioi")
    assert hits and all(re.search(r"giới|gioi", r["text"], re.IGNORECASE) for r in hits)


def test_search_with_diacritics_ranks_exact_words_first(visit: Visit) -> None:
    page = visit.open("")
    results = search(page, "bảo")
    exact = [bool(re.search(r"\bbảo\b", r["text"], re.IGNORECASE)) for r in results]
    # "bảo" also finds "bạo", "báo" (folded), but every page with "bảo" itself comes first.
    assert exact[0] and False in exact, [(r["title"], e) for r, e in zip(results, exact, strict=True)]
    assert exact == sorted(exact, reverse=True), [r["title"] for r in results]


def test_a_page_view_downloads_no_search_data(browser: object, base_url: str) -> None:
    tab = Visit(browser, base_url, width=412, height=823)
    requests: list[str] = []
    tab.page.on("request", lambda r: requests.append(r.url))
    try:
        page = tab.open(POST)
        page.mouse.wheel(0, 2000)  # a reader scrolls through the post
        page.wait_for_timeout(800)
        # The search box's own script (a few KB) loads with the page; no index, no data.
        assert not [url for url in requests if "/pagefind/" in url or "search_index" in url], requests
        page.locator("label.md-header__button[for=__search]").click()  # and then opens the search
        search(page, "gia đình")
        assert any(url.endswith("pagefind/pagefind.js") for url in requests)
    finally:
        tab.close()


def test_a_column_with_nothing_published_says_so_in_its_search_box(
    browser: object, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A new fork whose only post is a draft: no index to fetch, and the box says why nothing is found."""
    from conftest import post, write_site

    root = write_site(
        tmp_path_factory.mktemp("trong"), {"nhap.md": post("Bài nháp", "2024-01-02", draft="true")}
    )
    site = root / "site"
    server, url = server_for(site)
    config = root / "mkdocs.yml"  # this server's address and system fonts: no request leaves 127.0.0.1
    text = config.read_text(encoding="utf-8").replace(
        "site_url: https://truong-thu.example/", f"site_url: {url}"
    )
    config.write_text(
        text.replace("  name: material\n", "  name: material\n  font: false\n"), encoding="utf-8"
    )
    assert run_build(root, out=site).code == 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    tab = Visit(browser, url, width=412, height=823)  # a phone: the search opens from its button
    requests: list[str] = []
    tab.page.on("request", lambda r: requests.append(r.url))
    try:
        page = tab.open("")
        page.locator("label.md-header__button[for=__search]").click()
        page.locator("input[data-column-search-query]").press_sequentially("bình đẳng", delay=20)
        page.wait_for_timeout(400)
        assert page.locator(".md-search-result__meta").inner_text() == "Chuyên mục chưa có bài nào để tìm."
        assert not [u for u in requests if "/pagefind/" in u] and tab.errors == []
    finally:
        tab.close()
        server.shutdown()
        server.server_close()


def test_a_result_found_without_diacritics_highlights_the_words_with_them(visit: Visit) -> None:
    page = visit.open("")
    results = search(page, "bao luc gia dinh")
    assert results[0]["title"] == POST_TITLE and "?h=bao%20luc%20gia%20dinh" in results[0]["href"]
    page.locator(".md-search-result__link").first.click()
    page.wait_for_url(re.compile(re.escape(POST)))
    marked = page.locator("[data-pagefind-body] mark[data-md-highlight]").all_inner_texts()
    assert {"bạo", "lực", "gia", "đình"} <= {word.lower() for word in marked}, marked
    page.screenshot(path=str(SHOTS / "tim-kiem-to-sang.png"))


def test_among_a_thousand_posts_the_one_searched_for_comes_first(browser: object, thousand_url: str) -> None:
    """Post 437's title, typed without diacritics: that post first among 1,000 look-alikes."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    import random

    from corpus import post_text

    rng = random.Random(2026)
    for number in range(438):  # the corpus draws every post's words from one seeded generator
        _, text = post_text(rng, number, date(2024, 1, 1))
    found = re.search(r"^title: (.*)$", text, re.MULTILINE)
    assert found is not None
    title = found[1]
    words = title.split()
    query = " ".join([*words[:2], "so", "437"])  # "số" typed without its diacritic
    tab = Visit(browser, thousand_url, width=1280, height=900)
    try:
        page = tab.open("")
        results = search(page, query)
    finally:
        tab.close()
    assert results and results[0]["title"] == title, [r["title"] for r in results[:3]]


def test_typing_a_query_fetches_the_index_of_its_words_only(browser: object, thousand_url: str) -> None:
    """Typing "bạo lực" key by key fetches the index chunks of "bạo" and "lực", never on the way
    the chunk of every word starting with "l" (150 KB at 1,000 posts)."""

    def chunks_fetched(*queries: str) -> tuple[set[str], list[str]]:
        tab = Visit(browser, thousand_url)
        chunks: set[str] = set()
        tab.page.on("request", lambda r: chunks.add(r.url) if r.url.endswith(".pf_index") else None)
        try:
            page = tab.open("")
            titles = [[r["title"] for r in search(page, query)] for query in queries][-1]
        finally:
            tab.close()
        return chunks, titles

    for_each_word, _ = chunks_fetched("bạo", "lực")
    typed, titles = chunks_fetched("bạo lực")
    assert for_each_word and typed == for_each_word
    assert titles  # and the search found its posts
    # Each chunk holds a few words: Pagefind 1.5 left the words' accented spellings out of its
    # chunk size, and "lực" came in a 170 KB chunk of 151 words (hooks/search_index.py: 42 KB).
    sizes = {url.rsplit("/", 1)[-1]: len(urllib.request.urlopen(url).read()) for url in typed}
    assert max(sizes.values()) <= 60_000, sizes


def test_a_one_letter_word_at_the_end_counts_once_typing_stops(visit: Visit) -> None:
    """ "gia đình q": the lone "q" waits for the next key, then, typing stopped, it is searched
    too: the results (or the "nothing found" line) are those of the whole query."""
    from urllib.parse import quote

    query = "gia đình q"
    page = visit.open("")
    search(page, query)
    page.wait_for_timeout(900)  # past the longer pause for a last word of one letter
    meta = page.locator(".md-search-result__meta").inner_text()
    links = page.eval_on_selector_all(
        ".md-search-result__link", "links => links.map(a => a.getAttribute('href'))"
    )
    whole = "h=" + quote(query, safe="")
    assert query in meta or (links and all(link.endswith(whole) for link in links)), (meta, links[:2])


def test_report_page_shows_the_missing_quarter(visit: Visit) -> None:
    page = visit.open("bao-cao/")
    cell = page.locator("td.coverage-missing")
    assert cell.count() == 1
    assert "Thiếu bài" in cell.inner_text()
    assert "Quý III/2023" in page.locator("main").inner_text()


def test_the_reports_sections_appear_as_a_phone_reader_scrolls_to_them(
    browser: object, base_url: str
) -> None:
    """On a phone the report lays out only what is on screen; a section further down is there
    the moment the reader scrolls to it."""
    tab = Visit(browser, base_url, width=375, height=812)
    try:
        page = tab.open("bao-cao/", every_section=False)
        last = page.locator(".coverage-year table").last
        shown = "t => t.checkVisibility({contentVisibilityAuto: true})"
        assert not last.evaluate(shown)  # not laid out before the first paint
        last.scroll_into_view_if_needed()
        page.wait_for_timeout(200)
        assert last.evaluate(shown) and last.locator("tr").count() > 1
        assert last.evaluate("t => t.getBoundingClientRect().height") > 100
    finally:
        errors = tab.errors
        tab.close()
    assert errors == [], errors


REPORT_HEADINGS = (
    "Theo quý",
    "Ngày kỷ niệm và đợt cao điểm",
    "Bài viết và ngày lên trang",
    "Các quý được miễn",
)


def test_the_report_prints_on_a4_with_the_school_page_numbers_and_a_sign_off(visit: Visit) -> None:
    """What an auditor files: printed to PDF by chromium, read back as text (kept as an artefact)."""
    from pypdf import PdfReader

    page = visit.open("bao-cao/")
    page.emulate_media(media="print")
    pdf = ROOT / "test-artifacts" / "bao-cao.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True)
    pages = [p.extract_text() for p in PdfReader(pdf).pages]
    assert 2 <= len(pages) <= 8, len(pages)
    first = pages[0]
    for phrase in (
        "Trường Mầm non Hoa Sen (trang mẫu)",
        "Số 1 đường Hoa Sen",
        visit.base_url,
        "23 tháng 11, 2026",
        "giờ Việt Nam",
    ):
        assert phrase in first, phrase
    assert "Asia/Ho_Chi_Minh" not in "".join(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Trang {number}/{len(pages)}" in text, number
        lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("Trang ")]
        assert len(lines) >= 5, (number, lines)  # never a page holding a lone row or heading
        assert lines[-1] not in REPORT_HEADINGS and not re.fullmatch(r"Năm \d{4}", lines[-1]), (
            number,
            lines[-1],
        )
    assert "Hiệu trưởng xác nhận" in pages[-1] and "ngày …… tháng …… năm" in pages[-1]


@pytest.mark.parametrize("name", list(PAGES))
def test_phone_width_never_scrolls_sideways(browser: object, base_url: str, name: str) -> None:
    tab = Visit(browser, base_url, width=375, height=812)
    try:
        page = tab.open(PAGES[name])
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-375.png"), full_page=True)
        wide = page.evaluate(
            "() => [...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1"
            " && getComputedStyle(e).position !== 'fixed' && e.getClientRects().length"
            " && !e.closest('.md-sidebar, .md-search, [hidden]'))"
            ".slice(0, 5).map(e => e.tagName + '.' + e.className)"
        )
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (name, overflow, wide)
    finally:
        errors = tab.errors
        tab.close()
    assert errors == [], errors


def load_axe(page) -> None:
    """axe-core in the page, through the browser's own console: the page's Content-Security-Policy
    (rightly) blocks a script tag that the page itself did not ship."""
    page.evaluate(AXE.read_text(encoding="utf-8"))


def axe(page) -> list[str]:
    """Every axe violation, of any impact, as "rule: where"."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test` installs it with npm ci")
    load_axe(page)
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
    )


CHECKED = ["trang-chu", "bai-viet-anh-bia", "quy", "bao-cao", "ke-hoach", "luu-tru", "chu-de"]


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("name", CHECKED)
def test_no_accessibility_violation_of_any_impact(
    browser: object, base_url: str, name: str, width: int
) -> None:
    tab = Visit(browser, base_url, width=width, height=900)
    try:
        page = tab.open(PAGES[name])
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        violations = axe(page)
    finally:
        errors = tab.errors
        tab.close()
    assert violations == [] and errors == [], (violations, errors)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_search_overlay_passes_axe_with_results_shown(browser: object, base_url: str, width: int) -> None:
    tab = Visit(browser, base_url, width=width, height=900)
    try:
        page = tab.open("")
        if width < 960:
            page.locator("label.md-header__button[for=__search]").click()
        results = search(page, "bao luc")
        assert results
        page.screenshot(path=str(SHOTS / f"tim-kiem-{width}.png"))
        violations = axe(page)
    finally:
        tab.close()
    assert violations == [], violations


# The Nu HTML Checker's errors on Material's own markup, each with why it is not ours to change.
MATERIAL_KNOWN = {
    # base.html writes autocomplete="off" on its drawer and search toggles (checkboxes), so that a
    # browser does not restore them open on "back"; the checker allows autocomplete on text inputs only.
    "Attribute “autocomplete” is only allowed when the input type is",
}


FILE_ORIGIN = "Resource violates Content Security Policy (meta tag)"
INLINE = "Inline script violates Content Security Policy (meta tag)"


def _data_block(message: dict) -> bool:
    """Whether the checker's message is about a `<script type="application/json">` (its source extract)."""
    return '<script id="__config" type="application/json">' in message.get("extract", "")


def test_the_nu_html_checker_finds_nothing_in_our_markup(tmp_path_factory: pytest.TempPathFactory) -> None:
    """vnu.jar (npm vnu-jar, run by Debian's Java) on a post, a listing, the report, a plan and the front page."""
    import json
    import shutil

    jar = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    java = shutil.which("java")
    if not jar.exists() or java is None:
        pytest.fail(
            "the Nu HTML Checker needs node_modules/vnu-jar (npm ci) and Java (make test installs both)"
        )
    site = tmp_path_factory.mktemp("vnu") / "site"
    build = run_build(ROOT, out=site)
    assert build.code == 0, build.log
    pages = [
        "index.html",
        f"{PAGES['bai-viet-anh-bia']}index.html",
        "luu-tru/2024/quy-4/index.html",
        "bao-cao/index.html",
        "ke-hoach/2024-mn-phuong-nam/index.html",
        "chu-de/index.html",
        "404.html",
    ]
    done = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--also-check-css", *(str(site / p) for p in pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    found = json.loads(done.stderr or done.stdout)["messages"]
    ours = [
        f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['type']}: {m['message']}"
        for m in found
        if not any(m["message"].startswith(known) for known in MATERIAL_KNOWN)
        # The checker reads the pages as files, and a file: address has no origin for the policy's
        # 'self' (it refuses to fetch from 127.0.0.1); the browser tests check the policy served.
        and not (m["type"] == "info" and m["message"].startswith(FILE_ORIGIN))
        # Material's configuration is a data block (type="application/json"), which browsers never run
        # and so never check against the policy; the checker counts it as a script.
        and not (m["type"] == "info" and m["message"].startswith(INLINE) and _data_block(m))
    ]
    assert ours == [], "\n".join(ours)


@pytest.mark.parametrize("width", [1280, 375])
def test_district_page_reads_on_a_phone_and_passes_axe(
    browser: object, district_url: str, width: int
) -> None:
    tab = Visit(browser, district_url, width=width, height=900)
    try:
        page = tab.open("tong-hop/")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"tong-hop-{width}.png"), full_page=True)
        assert "Trường THPT Nguyễn Trãi" in page.locator("main").inner_text()
        assert (
            page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            <= 0
        )
        load_axe(page)
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
        )
        assert violations == [], violations
    finally:
        errors = tab.errors
        tab.close()
    assert errors == [], errors


@pytest.mark.parametrize("width", [1280, 375])
def test_a_hundred_schools_read_on_a_laptop_and_a_phone(browser: object, many_url: str, width: int) -> None:
    """School names stay in view while the grid scrolls across 16 quarters; the page never scrolls sideways."""
    tab = Visit(browser, many_url, width=width, height=900)
    try:
        page = tab.open("tong-hop/")
        grid = page.locator(".district-grid")
        assert page.locator(".district-grid tbody tr").count() == 100
        assert (
            page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            <= 0
        )
        grid.scroll_into_view_if_needed()
        name = page.locator(".district-grid tbody th").first
        before = name.bounding_box()
        grid.evaluate("g => { g.scrollLeft = g.scrollWidth; }")
        after = name.bounding_box()
        assert grid.evaluate("g => g.scrollLeft") > 0  # 16 quarters are wider than the screen
        assert before is not None and after is not None and abs(after["x"] - before["x"]) <= 2
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"tong-hop-100-{width}.png"))
        load_axe(page)
        violations = page.evaluate(
            "async () => (await axe.run(document.querySelector('.district-grid'), {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id)"
        )
        assert violations == [], violations
    finally:
        errors = tab.errors
        tab.close()
    assert errors == [], errors


def test_no_page_breaks_its_own_content_security_policy(browser: object, base_url: str) -> None:
    """Every script the site ships runs under the policy its pages carry: no violation anywhere."""
    tab = Visit(browser, base_url)
    said: list[str] = []
    tab.page.on("console", lambda m: said.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        for path in PAGES.values():
            tab.open(path, every_section=False)
        search(tab.page, "bạo lực")  # Pagefind's WebAssembly and its worker
    finally:
        errors = tab.errors
        tab.close()
    assert said == [] and errors == [], (said, errors)


def test_a_script_that_got_into_a_page_does_not_run(browser: object, base_url: str) -> None:
    """Were a script ever to slip past the sanitizer into a post, the page's policy stops it."""
    tab = Visit(browser, base_url)
    blocked: list[str] = []
    tab.page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)

    def inject(route) -> None:  # noqa: ANN001 - Playwright's Route
        page = route.fetch().text()
        planted = '<script>window.planted = 1</script><img src="x" onerror="window.planted = 2">'
        route.fulfill(body=page.replace("</article>", planted + "</article>"), content_type="text/html")

    try:
        tab.page.route(f"{base_url}{POST}", inject)
        page = tab.page
        page.goto(base_url + POST, wait_until="networkidle")
        assert page.evaluate("() => window.planted") is None
        assert page.locator("h1").first.inner_text() == POST_TITLE  # the page itself still works
    finally:
        tab.close()
    assert len(blocked) >= 2, blocked  # the script and the onerror handler, each refused
