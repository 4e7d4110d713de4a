"""The browser editor end to end: `make write`'s two servers, Decap CMS in Debian's chromium.

A scratch copy of the repository (a git clone, on main, with the working tree's files) gets
the launcher the Makefile runs (`python -m hooks.write`, free ports). At a desk (1280 × 800) a
teacher writes a post (a Vietnamese title with straight double quotes, two tags, a phone photo
with its GPS position and XMP as the cover, a heading), first pressing Lưu too early; saves it,
sets it "Sẵn sàng" and publishes it; edits the title of a published post; tries an iPhone HEIC
photo, then publishes a post with the draft switch on and a different photo of the same name.
On a phone (375 × 812, touch) another teacher signs in and goes through every step, from a new
post to its publication, with nothing off the screen. Then the servers are stopped with Ctrl+C,
the photos are read back from git, and the copy is built as the Pages workflow builds it. No
request leaves 127.0.0.1.

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
PHONE_TITLE = "Buổi sinh hoạt lớp Lá về việc nhà"
PHONE = {"width": 375, "height": 812}
COVER_NAME = "Ảnh bìa hội thi.jpg"  # a phone's name, with Vietnamese and spaces: two posts use it
MAX_SIDE = 2000  # editor/column-editor.js
# What Decap's Vietnamese left in English, or wrote oddly, before column-editor.js.
ENGLISH = (
    "Add ",
    "Copy",
    "Draft",
    "Choose",
    "Toggle",
    "Insert from",
    "Remove all",
    "Trạng:",
    "＋",
    "December",
    "January",
)
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
    # A file deleted with `git rm` is in the clone's HEAD but in neither list above.
    for rel in filter(None, git(target, "ls-files", "-z").split("\0")):
        if not (ROOT / rel).exists():
            (target / rel).unlink(missing_ok=True)
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


def phone_photo(size: tuple[int, int] = (2400, 1800), colour: tuple[int, int, int] = (180, 120, 90)) -> bytes:
    """A JPEG as a phone takes it: larger than the site needs, with a GPS position in its EXIF
    and an XMP packet (where editing apps keep the position too)."""
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 60):
        image.paste((20, 60, 140), (x, 0, x + 20, size[1] // 3))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {2: (21.0, 1.0, 30.0), 1: "N", 4: (105.0, 48.0, 10.0), 3: "E"}
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="21,0.5N"/>'
        b"</rdf:RDF></x:xmpmeta>"
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, exif=exif, xmp=xmp)
    return out.getvalue()


def heic_photo() -> bytes:
    """The first bytes of an iPhone's HEIC photo (an ISO BMFF 'ftyp' box of brand heic)."""
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(2000)


class Browser:
    """One chromium tab on /admin/ that records every request and every policy violation."""

    def __init__(self, p: object, write: Write, phone: bool = False) -> None:
        self.write = write
        self.browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)  # type: ignore[attr-defined]
        screen = {"viewport": PHONE, "has_touch": True, "is_mobile": True} if phone else {}
        self.context = self.browser.new_context(
            **(screen or {"viewport": {"width": 1280, "height": 800}}),
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
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
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)
        self.page.on("dialog", lambda d: d.accept())  # "Bạn có chắc rằng bạn muốn công bố mục này?"

    def _failed(self, request: object) -> None:
        failure = request.failure  # type: ignore[attr-defined]
        if failure != "net::ERR_ABORTED":  # a request cut short by reloading the page: not a failure
            self.errors.append(f"{request.url}: {failure}")  # type: ignore[attr-defined]

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


def press(page: object, name: str, role: str = "button", exact: bool = True, phone: bool = False) -> None:
    """A button as a finger or a mouse finds it: on the screen (a phone's is 375 px wide)."""
    target = page.get_by_role(role, name=name, exact=exact).first  # type: ignore[attr-defined]
    expect(target).to_be_visible(timeout=20_000)
    if phone:
        box = target.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, (
            name,
            box,
        )
        target.tap()
    else:
        target.click()


def save_ready_publish(
    tab: Browser, guide: bool = False, phone: bool = False, seen: Edited | None = None
) -> None:
    page = tab.page

    def look(step: str) -> None:
        if seen is not None and phone:
            seen.note(page, step)
        elif seen is not None:
            seen.texts[f"desk {step}"] = page.inner_text("body")

    press(page, "Lưu", phone=phone)
    expect(page.get_by_text("Mục đã được lưu").first).to_be_visible(timeout=20_000)
    look("saved")
    press(page, "Trạng thái: Bản nháp", phone=phone)
    look("status menu")
    press(page, "Sẵn sàng", role="menuitem", phone=phone)
    expect(page.get_by_role("button", name="Trạng thái: Sẵn sàng")).to_be_visible(timeout=10_000)
    if guide:
        shot(page, "3-ready", "3-san-sang.png")
        # The principal's view: the board of posts waiting, "Biên tập".
        url = page.url
        page.goto(tab.write.admin + "#/workflow")
        expect(page.get_by_text(TITLE).first).to_be_visible(timeout=20_000)
        if seen is not None:
            seen.texts["board"] = page.inner_text("body")
        shot(page, "4-board", "4-bien-tap.png")
        page.goto(url)
        expect(page.get_by_role("button", name="Trạng thái: Sẵn sàng")).to_be_visible(timeout=20_000)
    press(page, "Công bố", phone=phone)
    look("publish menu")
    press(page, "Công bố ngay", role="menuitem", phone=phone)
    expect(page.get_by_text("Mục đã được công bố").first).to_be_visible(timeout=20_000)


def new_post(tab: Browser) -> None:
    """A new post's empty form, loaded afresh (a hash change alone may keep the last post's)."""
    page = tab.page
    page.goto(tab.write.admin + "#/collections/posts/new")
    # The preview rebuilds the site after every commit, and serves nothing while it builds.
    page.reload(timeout=120_000)
    expect(page.get_by_label("Tiêu đề", exact=True)).to_have_value("", timeout=30_000)


def write_body(tab: Browser, text: str, phone: bool = False) -> None:
    """The Markdown switch, then the text as typed (Decap's editor is a Slate contenteditable)."""
    page = tab.page
    switch = page.locator("div:has(> span:text-is('Markdown')) > button[role=switch]")
    switch.tap() if phone else switch.click()
    editor = page.locator("[data-slate-editor=true]")
    expect(editor).to_have_count(1)
    editor.tap() if phone else editor.click()
    page.keyboard.insert_text(text)


def upload_cover(tab: Browser, photo: Path, phone: bool = False) -> None:
    """ "Chọn một hình", the file from the phone or the computer, "Lấy những cái đã chọn"."""
    page = tab.page
    press(page, "Chọn một hình", phone=phone)
    modal = page.get_by_role("dialog")
    expect(modal).to_be_visible()
    modal.locator('input[type="file"]').set_input_files(str(photo))
    choose = modal.get_by_role("button", name="Lấy những cái đã chọn")
    expect(choose).to_be_enabled(timeout=20_000)
    press(page, "Lấy những cái đã chọn", phone=phone)
    expect(modal).to_be_hidden()


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
    missing: str = ""  # the notice of a save with the title and the body empty
    refused: str = ""  # what the editor said of the HEIC photo
    phone_widths: dict[str, int] = field(default_factory=dict)  # step -> the page's width on the phone
    texts: dict[str, str] = field(default_factory=dict)  # step -> the text on the screen
    preview: str = ""  # the phone's preview of its post
    sign_in: str = ""  # the sign-in page's text

    def note(self, page: object, step: str) -> None:
        """The page's width and text at one step (a phone's page must not be wider than it)."""
        self.phone_widths[step] = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
        self.texts[step] = page.inner_text("body")  # type: ignore[attr-defined]


def at_a_desk(tab: Browser, seen: Edited, tmp: Path) -> None:
    """A post with a cover photo; a published post's title edited; a draft with a HEIC try."""
    page, write = tab.page, tab.write
    cover = tmp / "ban-dau" / COVER_NAME
    cover.parent.mkdir()
    cover.write_bytes(phone_photo())
    when = f"{seen.day.isoformat()}T06:30"  # before 07:00: Decap's {{year}}... would file it the day before
    # Another site framing the editor (clickjacking) sees nothing: it hides itself in a frame. (In a
    # context of its own: Decap, framed, says it may not use storage; that is the framing site's tab.)
    other = page.context.browser.new_context()
    try:
        framing = other.new_page()
        framing.set_content(f'<iframe src="{write.admin}" width="800" height="600"></iframe>')
        framing.wait_for_timeout(3000)
        framed = next(frame for frame in framing.frames if frame.url.startswith(write.admin))
        seen.texts["framed"] = framed.evaluate("() => getComputedStyle(document.documentElement).display")
    finally:
        other.close()
    open_admin(tab)
    for words in ("Nội dung", "Biên tập", "Tập tin", "Bộ sưu tập", "Bài viết", "+ Viết bài mới"):
        expect(page.get_by_text(words, exact=True).first).to_be_visible()
    # Every post at once, newest first: no year folder to open.
    expect(page.locator(f'a[href="#/collections/posts/entries/{EXISTING}"]')).to_be_visible(timeout=20_000)
    seen.texts["list"] = page.inner_text("body")
    seen.texts["list order"] = "\n".join(
        page.locator('a[href^="#/collections/posts/entries/"]').evaluate_all(
            "links => links.map(a => a.hash)"
        )
    )
    shot(page, "1-collection", "1-danh-sach.png")

    # 1. A new post, saved too early, then with a cover photo uploaded from the computer.
    new_post(tab)
    seen.default_date = page.get_by_label("Ngày đăng").input_value()
    errors = len(tab.errors)
    page.get_by_role("button", name="Lưu", exact=True).click()
    notice = page.locator(".Toastify").get_by_text("Chưa điền", exact=False).first
    expect(notice).to_be_visible(timeout=10_000)
    seen.missing = notice.inner_text()
    del tab.errors[errors:]  # Decap rejects the save with an empty reason: the notice says it
    page.get_by_label("Tiêu đề", exact=True).fill(TITLE)
    page.get_by_label("Ngày đăng").fill(when)
    page.get_by_label("Chủ đề").fill(TAGS)
    page.get_by_label("Tóm tắt").fill("Hội thi vẽ tranh về chia sẻ việc nhà.")
    page.get_by_label("Tác giả").fill("Tổ Văn phòng")
    upload_cover(tab, cover)
    page.get_by_label("Mô tả ảnh bìa").fill("Các gia đình vẽ tranh cùng nhau")
    write_body(tab, BODY)
    page.get_by_label("Tiêu đề", exact=True).scroll_into_view_if_needed()
    shot(page, "2-new-post", "2-viet-bai.png")
    seen.texts["editor"] = page.inner_text("body")
    save_ready_publish(tab, guide=True, seen=seen)
    expect(page.get_by_label("Tiêu đề", exact=True)).to_have_value(TITLE, timeout=20_000)
    shot(page, "5-published", "5-cong-bo.png")

    # 2. A published post's title edited: its address must stay.
    page.goto(write.admin + "#/collections/posts")
    page.locator(f'a[href="#/collections/posts/entries/{EXISTING}"]').click()
    title = page.get_by_label("Tiêu đề", exact=True)
    expect(title).to_have_value("Chia sẻ việc nhà cùng con", timeout=20_000)
    title.fill(EXISTING_TITLE)
    save_ready_publish(tab)

    # 3. A post with the draft switch on, approved all the same: it stays unpublished. Its
    # cover: an iPhone's HEIC first (refused), then another photo under the first one's name.
    new_post(tab)
    page.get_by_label("Tiêu đề", exact=True).fill(DRAFT_TITLE)
    page.get_by_label("Ngày đăng").fill(when)
    page.get_by_label("Bản nháp").click()
    heic = tmp / "IMG_0412.HEIC"
    heic.write_bytes(heic_photo())
    page.get_by_role("button", name="Chọn một hình").click()
    modal = page.get_by_role("dialog")
    modal.locator('input[type="file"]').set_input_files(str(heic))
    refusal = page.locator("#column-refusal")
    expect(refusal).to_be_visible(timeout=10_000)
    seen.refused = refusal.inner_text()
    shot(page, "6-heic", None)
    refusal.get_by_role("button", name="Đã hiểu").click()
    expect(refusal).to_be_hidden()
    # Nothing was added: the teacher picks a JPEG in the same dialog.
    expect(modal.get_by_text("Không tìm thấy hình nào.")).to_be_visible()
    other = tmp / "sau" / COVER_NAME
    other.parent.mkdir()
    other.write_bytes(phone_photo((1600, 1200), (40, 160, 60)))
    modal.locator('input[type="file"]').set_input_files(str(other))
    choose = modal.get_by_role("button", name="Lấy những cái đã chọn")
    expect(choose).to_be_enabled(timeout=20_000)
    choose.click()
    expect(modal).to_be_hidden()
    write_body(tab, "Chưa xong.\n")
    save_ready_publish(tab)


def on_a_phone(tab: Browser, seen: Edited, tmp: Path) -> None:
    """Every step a teacher takes on a phone, each control reached on the screen by touch."""
    page, write = tab.page, tab.write
    photo = tmp / "dien-thoai" / "IMG_2026.jpg"
    photo.parent.mkdir()
    photo.write_bytes(phone_photo((3024, 4032), (200, 180, 60)))  # portrait, as a phone holds it
    page.goto(write.admin)
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible(timeout=30_000)
    seen.sign_in = page.inner_text("body")
    seen.note(page, "sign in")
    shot(page, "7-phone-sign-in", "7-dien-thoai-dang-nhap.png")
    press(page, "Đăng nhập", phone=True)
    expect(page.get_by_role("heading", name="Bộ sưu tập")).to_be_visible(timeout=30_000)
    expect(page.locator(f'a[href="#/collections/posts/entries/{EXISTING}"]')).to_be_visible(timeout=20_000)
    seen.note(page, "list")
    shot(page, "8-phone-list", "8-dien-thoai-danh-sach.png")
    press(page, "Tạo bài thuộc loại bài viết", role="link", phone=True)
    expect(page.get_by_label("Tiêu đề", exact=True)).to_be_visible(timeout=20_000)
    seen.note(page, "new post")
    page.get_by_label("Tiêu đề", exact=True).tap()
    page.keyboard.insert_text(PHONE_TITLE)
    page.get_by_label("Ngày đăng").fill(f"{seen.day.isoformat()}T08:15")
    page.get_by_label("Chủ đề").tap()
    page.keyboard.insert_text("Gia đình, Kỹ năng sống")
    upload_cover(tab, photo, phone=True)
    page.get_by_label("Mô tả ảnh bìa").fill("Các bạn nhỏ gấp quần áo")
    write_body(tab, "Các bạn lớp Lá tập gấp quần áo cùng bố mẹ.\n", phone=True)
    seen.note(page, "written")
    page.get_by_label("Tiêu đề", exact=True).scroll_into_view_if_needed()
    shot(page, "9-phone-post", "9-dien-thoai-viet-bai.png")
    # The preview: the eye button shows the post as the site will, instead of the fields.
    eye = page.get_by_role("button", name="Bật/tắt xem trước")
    eye.tap()
    frame = page.frame_locator("iframe").first
    expect(frame.get_by_role("heading", name=PHONE_TITLE)).to_be_visible(timeout=20_000)
    seen.preview = frame.locator("body").inner_text()
    seen.note(page, "preview")
    shot(page, "10-phone-preview", "10-dien-thoai-xem-truoc.png")
    eye.tap()
    expect(page.get_by_label("Tiêu đề", exact=True)).to_be_visible()
    save_ready_publish(tab, phone=True, seen=seen)
    expect(page.get_by_label("Tiêu đề", exact=True)).to_have_value(PHONE_TITLE, timeout=20_000)
    seen.note(page, "published")
    shot(page, "11-phone-published", "11-dien-thoai-cong-bo.png")
    # The principal's board on the phone: its columns one under the other.
    page.goto(write.admin + "#/workflow")
    expect(page.get_by_role("heading", name="Quy trình biên tập")).to_be_visible(timeout=20_000)
    seen.note(page, "board")


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Edited]:
    """Everything the browsers did, run once: the repository, the servers' output, what was seen."""
    if not CHROMIUM.exists():
        pytest.fail("chromium is missing: `make test` installs Debian's chromium with apt-get")
    if not (ROOT / "node_modules" / "decap-server").is_dir():
        pytest.fail("decap-server is missing: `make test` runs npm ci")
    tmp = tmp_path_factory.mktemp("editor")
    repo = scratch_repository(tmp / "kho")
    before = git(repo, "rev-parse", "HEAD").strip()
    day = datetime.now(HANOI).date() - timedelta(days=1)
    write = start_write(repo)
    seen = Edited(repo, before, day, write)
    try:
        with playwright.sync_playwright() as p:
            for phone, walk in ((False, at_a_desk), (True, on_a_phone)):
                tab = Browser(p, write, phone=phone)
                try:
                    walk(tab, seen, tmp)
                    seen.violations += tab.violations()
                    seen.errors += tab.errors
                    seen.requests += tab.requests
                finally:
                    tab.close()
    finally:
        seen.stopped = write.stop()
    yield seen


def image_of(repo: Path, commit: str, title: str) -> tuple[str, bytes]:
    """The cover of the post titled ``title`` as committed in ``commit``: (its path, its bytes)."""
    for rel in git(repo, "ls-tree", "-r", "--name-only", commit, "posts").split():
        if rel.endswith(".md"):
            meta, _, _ = read_front_matter(git_bytes(repo, "show", f"{commit}:{rel}"), rel)
            if meta.get("title") == title:
                image = f"{rel.rsplit('/', 1)[0]}/{meta['image']}"
                return image, git_bytes(repo, "show", f"{commit}:{image}")
    raise AssertionError(f"no post titled {title!r} in {commit}")


def git_bytes(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True).stdout


def merge_of(repo: Path, title: str) -> str:
    """The merge commit that published the post titled ``title`` (its message names it)."""
    for line in git(repo, "log", "--first-parent", "--merges", "--format=%H %s").splitlines():
        commit, subject = line.split(" ", 1)
        if subject.startswith(f"Công bố bài: {title} ("):
            return commit
    raise AssertionError(f"no merge names {title!r}")


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
    assert served <= {
        "/admin/",
        "/admin/decap-cms.js",
        "/admin/column-editor.js",
        "/admin/column-editor.css",
        "/admin/config.yml",
        "/assets/logo.svg",  # the school's logo on the sign-in page (extra.school.logo)
    }, served
    assert edited.violations == [] and edited.errors == []
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", edited.default_date)  # "now" by default
    for step, text in edited.texts.items():
        if step != "list order":
            assert [words for words in ENGLISH if words in text] == [], step


def test_the_editor_never_shows_inside_another_sites_frame(edited: Edited) -> None:
    assert edited.texts["framed"] == "none"


def test_a_missing_field_is_named(edited: Edited) -> None:
    assert edited.missing.startswith("Chưa điền Tiêu đề, Nội dung"), edited.missing


def test_every_post_is_listed_at_once(edited: Edited) -> None:
    """No year folder to open: posts/*.md, posts/YYYY/*.md and posts/YYYY/<folder>/*.md together.
    (Decap orders them by `date:`; a post dated only by its file name has none to sort by.)"""
    before = git(edited.repo, "ls-tree", "-r", "--name-only", edited.before, "posts").split()
    posts = {rel.removeprefix("posts/").removesuffix(".md") for rel in before if rel.endswith(".md")}
    listed = {
        entry.removeprefix("#/collections/posts/entries/") for entry in edited.texts["list order"].split()
    }
    assert listed == posts
    assert "Sắp xếp theo" in edited.texts["list"]


def test_a_new_post_lands_where_make_post_puts_it(edited: Edited) -> None:
    repo, day = edited.repo, edited.day
    slug = make_slug(TITLE)
    path = repo / "posts" / f"{day:%Y}" / f"{day:%Y-%m-%d}-{slug}.md"
    assert path.is_file(), sorted(p.name for p in path.parent.iterdir())
    meta, body, _ = read_front_matter(path.read_bytes(), "bài mới")
    assert meta["title"] == TITLE
    assert meta["date"] == f"{day.isoformat()}T06:30:00+07:00"
    assert meta["tags"] == ["Bình đẳng giới", "Gia đình"]
    # A name of its own (column-editor.js): no other post's upload can replace it.
    assert re.fullmatch(r"anh-bia-hoi-thi-[a-z0-9]{6}\.jpg", meta["image"]), meta["image"]
    assert (path.parent / meta["image"]).is_file()
    assert meta["draft"] is False and "## Thể lệ" in body
    post, notices = read_post(path, path.relative_to(repo / "posts").as_posix(), "bài mới", HANOI)
    assert notices == [] and post.slug == slug and post.day == day


@pytest.mark.parametrize("title", [TITLE, PHONE_TITLE])
def test_no_photo_reaches_the_repository_with_its_metadata(edited: Edited, title: str) -> None:
    """Re-encoded in the browser before the commit: no EXIF, GPS or XMP in git, JPEG kept,
    the long side capped; what git holds is what anyone can download from a public repository."""
    path, data = image_of(edited.repo, merge_of(edited.repo, title), title)
    assert path.endswith(".jpg")
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert len(image.getexif()) == 0 and "exif" not in image.info and "xmp" not in image.info
        assert max(image.size) == MAX_SIDE  # 2400 × 1800 and 3024 × 4032 taken
        if title == PHONE_TITLE:
            assert image.size == (1500, 2000)  # a portrait photo stays portrait
    assert b"GPS" not in data and b"xmp" not in data.lower() and b"PhoneMaker" not in data
    # Nowhere in the history either: no commit of the editor's holds a file with a position.
    for rel in git(edited.repo, "log", "--format=", "--name-only", f"{edited.before}..HEAD").split():
        if rel.lower().endswith((".jpg", ".jpeg", ".png", ".heic")):
            assert not rel.lower().endswith(".heic")


def test_a_second_posts_same_named_photo_leaves_the_first_alone(edited: Edited) -> None:
    repo = edited.repo
    first, first_data = image_of(repo, merge_of(repo, TITLE), TITLE)
    second, second_data = image_of(repo, "HEAD", DRAFT_TITLE)
    assert first != second and first.rsplit("/", 1)[0] == second.rsplit("/", 1)[0]  # same folder
    assert first_data != second_data
    assert git_bytes(repo, "show", f"HEAD:{first}") == first_data  # byte for byte, after the second


def test_a_heic_photo_is_refused_with_what_to_do(edited: Edited) -> None:
    text = edited.refused
    assert "IMG_0412.HEIC" in text and "HEIC" in text and "JPEG" in text and "chưa tải lên" in text
    assert "Cài đặt → Camera → Định dạng" in text


def test_every_step_fits_a_phone(edited: Edited) -> None:
    widths = edited.phone_widths
    assert set(widths) >= {
        "sign in",
        "list",
        "new post",
        "written",
        "preview",
        "saved",
        "status menu",
        "board",
    }
    assert {step: width for step, width in widths.items() if width > PHONE["width"]} == {}
    assert "Soạn bài cho" in edited.sign_in  # the school's (site's) name, not Decap's logo alone
    # The preview shows the date as Vietnamese readers write it.
    assert f"{edited.day:%d/%m/%Y}" in edited.preview and PHONE_TITLE in edited.preview


def test_publishing_merges_into_main(edited: Edited) -> None:
    repo, before = edited.repo, edited.before
    assert git(repo, "branch", "--show-current").strip() == "main"
    assert git(repo, "branch", "--list", "cms/*").strip() == ""  # every approved branch merged
    merges = git(repo, "log", "--first-parent", "--merges", "--format=%s", f"{before}..HEAD").splitlines()
    assert len(merges) == 4, merges
    # Each merge names the post it published, in Vietnamese.
    titles = [TITLE, EXISTING_TITLE, DRAFT_TITLE, PHONE_TITLE]
    assert sorted(m.split(" (", 1)[0] for m in merges) == sorted(f"Công bố bài: {t}" for t in titles)
    # Each post's own commit (Decap's Vietnamese message) came in with its merge, off main's line.
    first_parent = set(git(repo, "log", "--first-parent", "--format=%H", f"{before}..HEAD").split())
    saves = git(repo, "log", "--no-merges", "--format=%H %s", f"{before}..HEAD").splitlines()
    assert sorted(line.split(" ", 1)[1].split(" ", 2)[1] for line in saves) == ["bài"] * 4
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
    published_photo = next((site / "bai-viet").rglob("anh-bia-hoi-thi-*.jpg"))
    with Image.open(published_photo) as image:
        assert not image.getexif().get_ifd(0x8825)
    # The edited post keeps its address and shows its new title; the draft is nowhere.
    assert EXISTING_TITLE in (site / EXISTING_URL / "index.html").read_text(encoding="utf-8")
    assert not (site / "bai-viet" / make_slug(DRAFT_TITLE)).exists()
    assert DRAFT_TITLE not in (site / "index.html").read_text(encoding="utf-8")
    # The audit counts the post from its approval: the merge commit on main.
    merged = git(repo, "log", "--first-parent", "--merges", "--format=%H %cI", "-4").splitlines()
    times = {datetime.fromisoformat(line.split()[1]) for line in merged}
    report = json.loads((site / "bao-cao" / "coverage.json").read_text(encoding="utf-8"))
    found = [post for item in report["quarters"] for post in item.get("posts", []) if post["title"] == TITLE]
    assert len(found) == 1, report["quarters"][-2:]
    first_merge = git(
        repo, "log", "--first-parent", "--merges", "--reverse", "--format=%cI", f"{edited.before}..HEAD"
    )
    assert datetime.fromisoformat(found[0]["published_at"]) == datetime.fromisoformat(first_merge.split()[0])
    assert datetime.fromisoformat(found[0]["published_at"]) in times
    # The phone's post is published with its photo, which the page shows.
    phone_page = (site / "bai-viet" / make_slug(PHONE_TITLE) / "index.html").read_text(encoding="utf-8")
    shown = re.findall(r'src="([^"]*img.2026-[a-z0-9]{6}[^"]*)"', phone_page)
    assert shown, "the phone's cover photo is not on its page"
