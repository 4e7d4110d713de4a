"""The browser editor end to end: `make write`'s two servers, Decap CMS in Debian's chromium.

A scratch copy of the repository (a git clone, on main, with the working tree's files) gets
the launcher the Makefile runs (`python -m hooks.write`, free ports). In the browser a teacher
writes a post (a Vietnamese title with straight double quotes, two tags, a phone photo as the
cover, a heading), saves it, sets it "Sẵn sàng" and publishes it; edits the title of a
published post; publishes a post with the draft switch on. Then the servers are stopped with
Ctrl+C and the copy is built as the Pages workflow builds it. No request leaves 127.0.0.1.

Screenshots go to test-artifacts/screenshots/editor-*.png; the guide's own (docs/huong-dan/)
are written when missing or when UPDATE_GUIDE_SCREENSHOTS=1.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from conftest import ROOT, clean_env
from PIL import Image

from hooks.front_matter import read_front_matter
from hooks.posts import read_post
from hooks.slugs import slug as make_slug

playwright = pytest.importorskip("playwright.sync_api", reason="make test installs playwright")
pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "test-artifacts" / "screenshots"
GUIDE_SHOTS = ROOT / "docs" / "huong-dan"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TITLE = 'Hội thi "Gia đình em" năm 2026'
TAGS = "Bình đẳng giới, Gia đình, "  # the trailing comma leaves an empty tag: dropped on save
BODY = (
    "Nhà trường tổ chức hội thi vẽ tranh cho các gia đình.\n\n## Thể lệ\n\nMỗi gia đình gửi một bức tranh.\n"
)
EXISTING = "2024/2024-06-28-chia-se-viec-nha-cung-con"
EXISTING_URL = "bai-viet/chia-se-viec-nha-cung-con/"
EXISTING_TITLE = "Chia sẻ việc nhà cùng con trai và con gái"
DRAFT_TITLE = "Bản nháp chưa muốn đăng"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Cô Lan",
    "GIT_AUTHOR_EMAIL": "lan@truong.example",
    "GIT_COMMITTER_NAME": "Cô Lan",
    "GIT_COMMITTER_EMAIL": "lan@truong.example",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(
        ["git", "-c", "core.quotePath=false", *args],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def scratch_repository(target: Path) -> Path:
    """A clone of this repository on main holding the working tree as it is (committed or not)."""
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(target)], check=True)
    git(target, "checkout", "-q", "-B", "main")
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_symlink() or not source.is_file():
            (target / rel).unlink(missing_ok=True)  # deleted in the working tree (or .venv's link)
            continue
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / rel)
    git(target, "add", "-A")
    if git(target, "status", "--porcelain"):
        git(target, "commit", "-q", "-m", "Bản đang sửa của kho (để thử)")
    # decap-server from this repository's npm ci, kept out of git as node_modules/ is.
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    with (target / ".git" / "info" / "exclude").open("a", encoding="utf-8") as exclude:
        exclude.write("node_modules\n")
    return target


@dataclass
class Write:
    """`make write` running on a scratch repository."""

    repo: Path
    process: subprocess.Popen[str]
    port: int
    proxy_port: int
    output: list[str] = field(default_factory=list)

    @property
    def admin(self) -> str:
        return f"http://127.0.0.1:{self.port}/admin/"

    def stop(self) -> int:
        """Ctrl+C in the terminal: SIGINT to the launcher's whole process group."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        out, _ = self.process.communicate(timeout=60)
        self.output.append(out)
        return self.process.returncode


def start_write(repo: Path) -> Write:
    port, proxy_port = free_port(), free_port()
    env = {**clean_env(), **GIT_ENV}
    env.pop("SOURCE_DATE_EPOCH")  # the editor dates posts by the clock: the preview must too
    process = subprocess.Popen(
        [sys.executable, "-m", "hooks.write", "--port", str(port), "--proxy-port", str(proxy_port)],
        cwd=repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    write = Write(repo, process, port, proxy_port)
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        write.output.append(line)
        if line.startswith("Trình soạn bài: "):
            assert line.strip() == f"Trình soạn bài: {write.admin}"
            return write
    write.stop()
    pytest.fail("make write did not start:\n" + "".join(write.output))


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def shot(page: object, name: str, guide: str | None = None) -> None:
    """A screenshot for the test's artefacts and, if named, for the staff guide (≤ 1000 px, small)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"editor-{name}.png"
    # A "saved" notice over the toolbar would hide what the guide points at.
    page.screenshot(path=str(path), style=".Toastify { display: none !important; }")  # type: ignore[attr-defined]
    if guide is None:
        return
    target = GUIDE_SHOTS / guide
    if target.exists() and os.environ.get("UPDATE_GUIDE_SCREENSHOTS") != "1":
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(path) as taken:
        image = taken.convert("RGB")
    if image.width > 1000:
        image = image.resize((1000, round(image.height * 1000 / image.width)), Image.Resampling.LANCZOS)
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


def phone_photo() -> bytes:
    """A JPEG as a phone takes it: with a GPS position in its EXIF."""
    image = Image.new("RGB", (1200, 900), (180, 120, 90))
    for x in range(0, 1200, 60):
        image.paste((20, 60, 140), (x, 0, x + 20, 300))
    exif = Image.Exif()
    exif[0x8825] = {2: (21.0, 1.0, 30.0), 1: "N", 4: (105.0, 48.0, 10.0), 3: "E"}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


class Browser:
    """One chromium tab on /admin/ that records every request and every policy violation."""

    def __init__(self, p: object, write: Write) -> None:
        self.write = write
        self.browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)  # type: ignore[attr-defined]
        self.context = self.browser.new_context(
            viewport={"width": 1280, "height": 800}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
        )
        # Content-Security-Policy violations, reported by the page itself.
        self.context.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation',"
            " e => window.__violations.push([e.violatedDirective, e.blockedURI, e.sample]));"
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"{r.url}: {r.failure}"))
        self.page.on("response", self._response)
        self.page.on("dialog", lambda d: d.accept())  # "Bạn có chắc rằng bạn muốn công bố mục này?"

    def _response(self, response: object) -> None:
        status = response.status  # type: ignore[attr-defined]
        if status < 400:
            return
        body = response.request.post_data or ""  # type: ignore[attr-defined]
        # Opening a post that has no pending change asks decap-server for one: 404 is its "none".
        if status == 404 and '"action":"unpublishedEntry"' in body:
            return
        self.errors.append(f"{status} {response.url} {body[:200]}")  # type: ignore[attr-defined]

    def violations(self) -> list[list[str]]:
        """Every refusal but the one wanted: make serve's live-reload script (see hooks/editor.py)."""
        found = self.page.evaluate("window.__violations")
        return [v for v in found if not (v[1] == "inline" and "livereload" in v[2])]

    def close(self) -> None:
        self.context.close()
        self.browser.close()


expect = playwright.expect


def open_admin(tab: Browser) -> None:
    page = tab.page
    page.goto(tab.write.admin)
    # make write's proxy: one button, no password (it is reachable from this computer only).
    page.get_by_role("button", name="Đăng nhập").click(timeout=30_000)
    expect(page.get_by_role("heading", name="Bộ sưu tập")).to_be_visible(timeout=30_000)


def save_ready_publish(tab: Browser, guide: bool = False) -> None:
    page = tab.page
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_text("Mục đã được lưu").first).to_be_visible(timeout=20_000)
    page.get_by_role("button", name=re.compile(r"^Trạng")).click()
    page.get_by_role("menuitem", name="Sẵn sàng").click()
    expect(page.get_by_role("button", name=re.compile(r"^Trạng.*Sẵn sàng"))).to_be_visible(timeout=10_000)
    if guide:
        shot(page, "3-ready", "3-san-sang.png")
        # The principal's view: the board of posts waiting, "Biên tập".
        url = page.url
        page.goto(tab.write.admin + "#/workflow")
        expect(page.get_by_text(TITLE).first).to_be_visible(timeout=20_000)
        shot(page, "4-board", "4-bien-tap.png")
        page.goto(url)
        expect(page.get_by_role("button", name=re.compile(r"^Trạng.*Sẵn sàng"))).to_be_visible(timeout=20_000)
    page.get_by_role("button", name="Công bố", exact=True).click()
    page.get_by_role("menuitem", name="Công bố ngay").click()
    expect(page.get_by_text("Mục đã được công bố").first).to_be_visible(timeout=20_000)


def new_post(tab: Browser) -> None:
    page = tab.page
    page.goto(tab.write.admin + "#/collections/posts")
    page.goto(tab.write.admin + "#/collections/posts/new")
    expect(page.get_by_label("Tiêu đề", exact=True)).to_be_visible(timeout=20_000)


def write_body(tab: Browser, text: str) -> None:
    """The Markdown switch, then the text as typed (Decap's editor is a Slate contenteditable)."""
    page = tab.page
    page.locator("div:has(> span:text-is('Markdown')) > button[role=switch]").click()
    editor = page.locator("[data-slate-editor=true]")
    expect(editor).to_have_count(1)
    editor.click()
    page.keyboard.insert_text(text)


@dataclass
class Edited:
    """What the browser did and saw, once for the module."""

    repo: Path
    before: str  # main's commit before the editor's
    day: date  # the new post's date
    write: Write
    default_date: str = ""
    violations: list[list[str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    stopped: int | None = None


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Edited]:
    """Everything the browser did, run once: the repository, the servers' output, what was seen."""
    if not CHROMIUM.exists():
        pytest.fail("chromium is missing: `make test` installs Debian's chromium with apt-get")
    if not (ROOT / "node_modules" / "decap-server").is_dir():
        pytest.fail("decap-server is missing: `make test` runs npm ci")
    tmp = tmp_path_factory.mktemp("editor")
    repo = scratch_repository(tmp / "kho")
    before = git(repo, "rev-parse", "HEAD").strip()
    cover = tmp / "Ảnh bìa hội thi.jpg"  # a phone's name, with Vietnamese and spaces
    cover.write_bytes(phone_photo())
    day = datetime.now(HANOI).date() - timedelta(days=1)
    when = f"{day.isoformat()}T06:30"  # before 07:00: Decap's {{year}}... would file it the day before
    write = start_write(repo)
    seen = Edited(repo, before, day, write)
    try:
        with playwright.sync_playwright() as p:
            tab = Browser(p, write)
            try:
                open_admin(tab)
                page = tab.page
                for words in ("Nội dung", "Biên tập", "Tập tin", "Bộ sưu tập", "Bài viết"):
                    expect(page.get_by_text(words, exact=True).first).to_be_visible()
                page.locator('a[href="#/collections/posts/filter/2024"]').click()
                expect(page.locator(f'a[href="#/collections/posts/entries/{EXISTING}"]')).to_be_visible()
                shot(page, "1-collection", "1-danh-sach.png")

                # 1. A new post, with a cover photo uploaded from the computer.
                new_post(tab)
                seen.default_date = page.get_by_label("Ngày đăng").input_value()
                page.get_by_label("Tiêu đề", exact=True).fill(TITLE)
                page.get_by_label("Ngày đăng").fill(when)
                page.get_by_label("Chủ đề").fill(TAGS)
                page.get_by_label("Tóm tắt").fill("Hội thi vẽ tranh về chia sẻ việc nhà.")
                page.get_by_label("Tác giả").fill("Tổ Văn phòng")
                page.get_by_role("button", name="Chọn một hình").click()
                modal = page.get_by_role("dialog")
                expect(modal).to_be_visible()
                modal.locator('input[type="file"]').set_input_files(str(cover))
                choose = modal.get_by_role("button", name="Lấy những cái đã chọn")
                expect(choose).to_be_enabled(timeout=20_000)
                choose.click()
                expect(modal).to_be_hidden()
                page.get_by_label("Mô tả ảnh bìa").fill("Các gia đình vẽ tranh cùng nhau")
                write_body(tab, BODY)
                page.get_by_label("Tiêu đề", exact=True).scroll_into_view_if_needed()
                shot(page, "2-new-post", "2-viet-bai.png")
                save_ready_publish(tab, guide=True)
                shot(page, "5-published", "5-cong-bo.png")

                # 2. A published post's title edited: its address must stay.
                page.goto(write.admin + "#/collections/posts/filter/2024")
                page.locator(f'a[href="#/collections/posts/entries/{EXISTING}"]').click()
                title = page.get_by_label("Tiêu đề", exact=True)
                expect(title).to_have_value("Chia sẻ việc nhà cùng con", timeout=20_000)
                title.fill(EXISTING_TITLE)
                save_ready_publish(tab)

                # 3. A post with the draft switch on, approved all the same: it stays unpublished.
                new_post(tab)
                page.get_by_label("Tiêu đề", exact=True).fill(DRAFT_TITLE)
                page.get_by_label("Ngày đăng").fill(when)
                page.get_by_label("Bản nháp").click()
                write_body(tab, "Chưa xong.\n")
                save_ready_publish(tab)

                seen.violations = tab.violations()
                seen.errors = list(tab.errors)
                seen.requests = list(tab.requests)
            finally:
                tab.close()
    finally:
        seen.stopped = write.stop()
    yield seen


def test_the_editor_is_vietnamese_and_offline(edited: Edited) -> None:
    requests = edited.requests
    assert requests
    outside = [
        url
        for url in requests
        if not url.startswith(("data:", "blob:")) and urlsplit(url).hostname != "127.0.0.1"
    ]
    assert outside == []
    write = edited.write
    # Only the site's own files and make write's proxy; the page loads nothing else.
    served = {urlsplit(url).path for url in requests if urlsplit(url).port == write.port}
    assert served <= {"/admin/", "/admin/decap-cms.js", "/admin/column-editor.js", "/admin/config.yml"}, (
        served
    )
    assert edited.violations == [] and edited.errors == []
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", edited.default_date)  # "now" by default


def test_a_new_post_lands_where_make_post_puts_it(edited: Edited) -> None:
    repo, day = edited.repo, edited.day
    slug = make_slug(TITLE)
    path = repo / "posts" / f"{day:%Y}" / f"{day:%Y-%m-%d}-{slug}.md"
    assert path.is_file(), sorted(p.name for p in path.parent.iterdir())
    meta, body, _ = read_front_matter(path.read_bytes(), "bài mới")
    assert meta["title"] == TITLE
    assert meta["date"] == f"{day.isoformat()}T06:30:00+07:00"
    assert meta["tags"] == ["Bình đẳng giới", "Gia đình"]
    assert meta["image"] == "anh-bia-hoi-thi.jpg" and (path.parent / "anh-bia-hoi-thi.jpg").is_file()
    assert meta["draft"] is False and "## Thể lệ" in body
    post, notices = read_post(path, path.relative_to(repo / "posts").as_posix(), "bài mới", HANOI)
    assert notices == [] and post.slug == slug and post.day == day


def test_publishing_merges_into_main(edited: Edited) -> None:
    repo, before = edited.repo, edited.before
    assert git(repo, "branch", "--show-current").strip() == "main"
    assert git(repo, "branch", "--list", "cms/*").strip() == ""  # every approved branch merged
    merges = git(repo, "log", "--first-parent", "--merges", "--format=%s", f"{before}..HEAD").splitlines()
    assert len(merges) == 3, merges
    # Each post's own commit (Decap's Vietnamese message) came in with its merge, off main's line.
    first_parent = set(git(repo, "log", "--first-parent", "--format=%H", f"{before}..HEAD").split())
    saves = git(repo, "log", "--no-merges", "--format=%H %s", f"{before}..HEAD").splitlines()
    assert sorted(line.split(" ", 1)[1].split(" ", 2)[1] for line in saves) == ["bài", "bài", "bài"]
    assert [line for line in saves if line.split()[0] in first_parent] == []
    assert any(line.split(" ", 1)[1].startswith("Thêm bài 20") for line in saves)
    assert git(repo, "status", "--porcelain").strip() == ""
    assert edited.stopped == 0
    write = edited.write
    assert not listening(write.port) and not listening(write.proxy_port)  # Ctrl+C stopped both
    assert "Đã dừng trình soạn bài và trang xem thử." in "".join(write.output)


def test_the_build_publishes_what_was_approved(edited: Edited, tmp_path: Path) -> None:
    repo, day = edited.repo, edited.day
    env = clean_env()
    env.pop("SOURCE_DATE_EPOCH")
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "hooks.site", "build", "-d", str(site)],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    slug = make_slug(TITLE)
    page = (site / "bai-viet" / slug / "index.html").read_text(encoding="utf-8")
    assert (
        "Hội thi &#34;Gia đình em&#34; năm 2026" in page or "Hội thi &quot;Gia đình em&quot; năm 2026" in page
    )
    quarter = (day.month - 1) // 3 + 1
    listing = (site / "luu-tru" / f"{day:%Y}" / f"quy-{quarter}" / "index.html").read_text(encoding="utf-8")
    assert f"bai-viet/{slug}/" in listing
    # The cover photo went through the build's photo handling: no GPS on the site.
    published_photo = next((site / "bai-viet").rglob("anh-bia-hoi-thi.jpg"))
    with Image.open(published_photo) as image:
        assert not image.getexif().get_ifd(0x8825)
    # The edited post keeps its address and shows its new title; the draft is nowhere.
    assert EXISTING_TITLE in (site / EXISTING_URL / "index.html").read_text(encoding="utf-8")
    assert not (site / "bai-viet" / make_slug(DRAFT_TITLE)).exists()
    assert DRAFT_TITLE not in (site / "index.html").read_text(encoding="utf-8")
    # The audit counts the post from its approval: the merge commit on main.
    merged = git(repo, "log", "--first-parent", "--merges", "--format=%H %cI", "-3").splitlines()
    times = {datetime.fromisoformat(line.split()[1]) for line in merged}
    report = json.loads((site / "bao-cao" / "coverage.json").read_text(encoding="utf-8"))
    found = [post for item in report["quarters"] for post in item.get("posts", []) if post["title"] == TITLE]
    assert len(found) == 1, report["quarters"][-2:]
    first_merge = git(
        repo, "log", "--first-parent", "--merges", "--reverse", "--format=%cI", f"{edited.before}..HEAD"
    )
    assert datetime.fromisoformat(found[0]["published_at"]) == datetime.fromisoformat(first_merge.split()[0])
    assert datetime.fromisoformat(found[0]["published_at"]) in times
