"""`make serve` (`mkdocs serve --dirty`): a rebuild skips pages, yet no served page is ever stale."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MKDOCS, clean_env, post, write_site

pytestmark = pytest.mark.build


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def wait_until(check, what: str, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    pytest.fail(f"not seen within {limit:.0f} s: {what}")


POSTS = {
    "2024/a.md": post("Bài An", "2024-01-10", tags="[Gia đình]"),
    "2024/b.md": post("Bài Bình", "2024-02-10", tags="[Gia đình]"),
    "2024/c.md": post("Bài Cúc", "2024-03-10"),
    "2024/d.md": post("Bài Dung", "2024-04-10", body="Xem thêm [bài tháng Hai](b.md)."),
}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = write_site(tmp_path / "src", POSTS)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "watch:\n  - posts\n", encoding="utf-8")
    port = free_port()
    server = subprocess.Popen(
        [MKDOCS, "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=clean_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until(lambda: "Bài Dung" in fetch(base)[1], "the first build")
        time.sleep(0.5)
        yield root, base
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=20)
        assert "Traceback" not in errors
        assert "A 'dirty' build is being performed" not in errors  # not true of this column


def found(base: str, query: str) -> list[str]:
    """The addresses Pagefind finds for ``query`` on the served site, asked from Debian's chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.goto(base, wait_until="load")
        urls = page.evaluate(
            """async q => { const pf = await import('/pagefind/pagefind.js'); await pf.init();
               const r = await pf.search(q); return Promise.all(r.results.map(async x => (await x.data()).url)); }""",
            query,
        )
        browser.close()
    return sorted(urls)


def test_renamed_post_reaches_its_neighbours_listings_and_search(served: tuple[Path, str]) -> None:
    root, base = served
    path = root / "posts" / "2024" / "b.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Bài Bình", "Bài Bạch Mai"), encoding="utf-8")
    wait_until(lambda: "Bài Bạch Mai" in fetch(base)[1], "the new title on the front page")

    assert fetch(base + "bai-viet/bai-bach-mai/")[0] == 200
    assert fetch(base + "bai-viet/bai-binh/")[0] == 404  # the old address is gone, not stale
    for neighbour in ("bai-an", "bai-cuc"):  # previous and next show the new title
        status, html = fetch(base + f"bai-viet/{neighbour}/")
        assert status == 200 and "Bài Bạch Mai" in html and "Bài Bình" not in html, neighbour
    status, html = fetch(base + "chu-de/gia-dinh/")
    assert "Bài Bạch Mai" in html and "Bài Bình" not in html
    status, html = fetch(base + "bai-viet/bai-dung/")
    assert status == 200 and "Bài Dung" in html
    # Not a neighbour, but it links to the renamed post by its file: the link follows.
    assert 'href="../bai-bach-mai/"' in html and "bai-binh/" not in html

    # Search follows: the new address is found, the old one is not, and no page twice.
    assert found(base, "Bạch Mai") == ["/bai-viet/bai-bach-mai/"]
    assert found(base, "Bình") == []
    every = found(base, "Nội dung")
    assert len(every) == len(set(every)) and "/bai-viet/bai-an/" in every


def test_a_settings_change_reaches_every_page_and_a_removed_post_leaves(served: tuple[Path, str]) -> None:
    root, base = served
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("Trường thử", "Trường Hoa Mai"), encoding="utf-8"
    )
    wait_until(lambda: "Trường Hoa Mai" in fetch(base)[1], "the new site name")
    for slug in ("bai-an", "bai-binh", "bai-cuc", "bai-dung"):  # posts untouched by the edit
        assert "Trường Hoa Mai" in fetch(base + f"bai-viet/{slug}/")[1], slug

    (root / "posts" / "2024" / "d.md").unlink()
    wait_until(lambda: "Bài Dung" not in fetch(base)[1], "the removed post off the front page")
    assert fetch(base + "bai-viet/bai-dung/")[0] == 404
    assert "Bài Dung" not in fetch(base + "bai-viet/bai-cuc/")[1]  # no link to it from its neighbour
    assert found(base, "Nội dung") == ["/bai-viet/bai-an/", "/bai-viet/bai-binh/", "/bai-viet/bai-cuc/"]
