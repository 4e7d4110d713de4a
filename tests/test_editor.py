"""The browser editor's configuration against the post schema, its settings, and what it publishes.

The configuration is generated from hooks/posts.py FIELDS: every field has a widget, no
widget writes a key the build refuses, new posts land where `make post` puts them, and any
value the editor's own checks let through is a post the build accepts. The vendored Decap
file is the one in the pinned npm package.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
import unicodedata
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from conftest import ROOT, post, run_build, write_site
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from hooks import editor
from hooks.editor import (
    DATE_FORMAT,
    LIST_PATH,
    PATH_TEMPLATE,
    TAG_PATTERN,
    TITLE_PATTERN,
    EditorError,
    EditorSettings,
    EditorSite,
    admin_site,
    content_security_policy,
    decap_config,
    editor_settings,
    entry_path,
    fields,
    proxy_url,
    site_from_posts,
)
from hooks.front_matter import read_front_matter
from hooks.new_post import create_post
from hooks.posts import FIELDS, KNOWN_KEYS, Field, load_catalog, post_from_meta
from hooks.settings import SettingsError
from hooks.slugs import anchor
from hooks.slugs import slug as make_slug
from hooks.text import has_word

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
SITE = EditorSite(
    "posts", "https://truong.example/", ("Bình đẳng giới", "Gia đình"), {"2024/2024-06-28-a": "a"}
)
GITHUB = EditorSettings(repo="truong-hoa-sen/chuyen-muc", base_url="https://auth.truong.workers.dev")
PROXY = "http://127.0.0.1:8081/api/v1"


def by_name(site: EditorSite = SITE) -> dict[str, dict]:
    return {item["name"]: item for item in fields(site)}


# --- the schema and the widgets ------------------------------------------------------------------


def test_every_front_matter_field_has_a_widget_in_the_schemas_order() -> None:
    names = [item["name"] for item in fields(SITE)]
    assert names == [f.name for f in FIELDS] + ["body"]
    for item, schema in zip(fields(SITE), FIELDS, strict=False):
        assert item["label"] == schema.label and item["required"] is schema.required


def test_no_widget_writes_a_key_the_build_refuses() -> None:
    written = {item["name"] for item in fields(SITE)} - {"body"}  # the body is the Markdown, not a key
    assert written <= KNOWN_KEYS
    # A list of one field writes a list of values, not a mapping with the inner field's name.
    assert by_name()["attachments"]["widget"] == "list" and "fields" not in by_name()["attachments"]


@pytest.mark.parametrize(
    "bad",
    [Field("video", "video", "Phim"), Field("colour", "text", "Màu")],
    ids=["a kind without a widget", "a key the build does not read"],
)
def test_a_schema_the_editor_cannot_follow_stops_the_build(bad: Field) -> None:
    with pytest.raises(EditorError):
        fields(SITE, (*FIELDS, bad))


def test_widgets_by_kind() -> None:
    widgets = {name: item["widget"] for name, item in by_name().items()}
    assert widgets == {
        "title": "string",
        "date": "datetime",
        "tags": "list",
        "summary": "text",
        "author": "string",
        "image": "image",
        "image_alt": "string",
        "attachments": "list",
        "draft": "boolean",
        "slug": "string",
        "body": "markdown",
    }
    assert by_name()["attachments"]["field"]["widget"] == "file"
    assert by_name()["date"]["format"] == DATE_FORMAT and by_name()["date"]["default"] == "{{now}}"
    assert by_name()["draft"]["default"] is False
    assert by_name()["body"]["editor_components"] == [
        "image"
    ]  # no code blocks: their chunks are not vendored


def test_the_tags_hint_names_the_sites_tags() -> None:
    hint = by_name()["tags"]["hint"]
    assert "Chủ đề đã có: Bình đẳng giới, Gia đình." in hint and "dấu phẩy" in hint
    assert "Chủ đề đã có" not in by_name(EditorSite("posts"))["tags"]["hint"]


def decap_list(values: list[str]) -> str:
    """What Decap's pattern check sees for a list widget: Immutable's List as text."""
    return "List [ " + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + " ]"


@pytest.mark.parametrize(
    ("tags", "accepted"),
    [
        (["Bình đẳng giới", "Gia đình"], True),
        (["Gia đình; Bình đẳng giới"], False),
        (["Gia đình", "Bình đẳng giới;"], False),
        ([], True),
    ],
)
def test_the_tags_pattern_refuses_what_the_build_refuses(tags: list[str], accepted: bool) -> None:
    assert bool(re.search(TAG_PATTERN, decap_list(tags))) is accepted
    meta = {"title": "Bài", "date": "2026-11-20", "tags": tags}
    if accepted:
        post_from_meta(meta, "", "2026/a.md", "posts/2026/a.md", HANOI)
    else:
        with pytest.raises(Exception, match="dấu ';'"):
            post_from_meta(meta, "", "2026/a.md", "posts/2026/a.md", HANOI)


@pytest.mark.parametrize(
    ("title", "accepted"), [("Ngày 8/3", True), ("Đ", True), ("!!!", False), ("  ", False)]
)
def test_the_title_pattern_refuses_a_title_without_an_address(title: str, accepted: bool) -> None:
    assert bool(re.search(TITLE_PATTERN, title)) is accepted
    assert bool(make_slug(title)) is accepted


@given(st.text(max_size=40))
def test_any_title_the_editor_takes_gives_an_address(title: str) -> None:
    if re.search(TITLE_PATTERN, title):
        assert make_slug(title)


# --- where a new post lands ----------------------------------------------------------------------------

TITLES = [
    'Hội thi "Gia đình em" năm 2026',
    "Đẩy mạnh ĐOÀN KẾT, đường đi",
    "Ngày 8/3: lời cảm ơn",
    "Ưu tiên ơ ư ă â ê ô",
]


@pytest.mark.parametrize("title", TITLES)
def test_the_path_template_is_make_posts_naming(title: str, tmp_path: Path) -> None:
    day = date(2026, 11, 24)
    made = create_post(tmp_path / "posts", title, day, HANOI)
    when = datetime(2026, 11, 24, 6, 30, tzinfo=HANOI)  # before 07:00: still the 24th in Hà Nội
    assert (
        entry_path(PATH_TEMPLATE, when, make_slug(title)) == made.relative_to(tmp_path / "posts").as_posix()
    )


def test_decap_makes_slugs_as_the_build_does() -> None:
    config = decap_config(EditorSettings(), SITE, PROXY)
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    collection = config["collections"][0]
    assert collection["slug"] == PATH_TEMPLATE  # see PATH_TEMPLATE
    # The path is the slug; its slashes tell Decap how deep to list (posts/YYYY/<folder>/x.md).
    assert collection["path"] == LIST_PATH and "nested" not in collection
    assert LIST_PATH.count("/") + 1 == 3 and re.findall(r"\{\{([^}]+)\}\}", LIST_PATH)[0] == "slug"
    assert collection["sortable_fields"][0] == {"field": "date", "label": "Ngày đăng", "default_sort": "desc"}
    assert "{{year}}" not in PATH_TEMPLATE  # Decap's {{year}}/{{month}}/{{day}} are UTC
    assert collection["folder"] == collection["media_folder"] or collection["media_folder"] == ""
    assert config["publish_mode"] == "editorial_workflow" and config["locale"] == "vi"


# --- a post the editor saves always builds ------------------------------------------------------------

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30)


@st.composite
def saved_posts(draw: st.DrawFn) -> tuple[dict[str, object], str]:
    """A post as Decap writes it, from values the editor's own checks let through."""
    title = draw(words.filter(lambda t: re.search(TITLE_PATTERN, t) is not None))
    when = draw(st.datetimes(datetime(2020, 1, 1), datetime(2030, 12, 31))).replace(
        tzinfo=HANOI, microsecond=0
    )
    # column-editor.js drops a tag without a letter or digit before saving (as has_word reads it)
    tags = draw(st.lists(words.filter(lambda t: ";" not in t and has_word(t.strip())), max_size=4))
    meta: dict[str, object] = {"title": title, "date": when.isoformat(), "tags": tags}
    for key in ("summary", "author", "image_alt"):
        meta[key] = draw(st.one_of(st.just(""), words))
    meta["draft"] = draw(st.booleans())
    slug = draw(st.one_of(st.none(), st.from_regex(editor.SLUG_PATTERN, fullmatch=True)))
    if slug:
        meta["slug"] = slug
    return meta, entry_path(PATH_TEMPLATE, when, make_slug(title))


@settings(max_examples=150, deadline=None)
@given(saved_posts())
def test_a_post_the_editor_saved_is_read_by_the_build(saved: tuple[dict[str, object], str]) -> None:
    meta, rel = saved
    assert set(meta) <= KNOWN_KEYS
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\nNội dung.\n"
    read, body, _ = read_front_matter(text.encode(), rel)
    result, notices = post_from_meta(read, body, rel, f"posts/{rel}", HANOI)
    # The build reads text as NFC, whatever keyboard typed it, and drops hidden characters pasted
    # from Word or a chat (soft hyphen, bidi marks) with a notice: the post is published all the same.
    assert all("ký tự ẩn" in notice.message for notice in notices)
    if not notices:
        assert result.title == unicodedata.normalize("NFC", str(meta["title"]).strip())


# --- extra.editor ------------------------------------------------------------------------------------------


def test_editor_settings() -> None:
    assert editor_settings({}) == EditorSettings() and not EditorSettings().sign_in
    full = editor_settings(
        {"editor": {"repo": "truong-hoa-sen/chuyen-muc", "base_url": "https://auth.truong.workers.dev/"}}
    )
    assert full == EditorSettings(
        "truong-hoa-sen/chuyen-muc", "main", "https://auth.truong.workers.dev", "auth"
    )
    assert full.sign_in
    assert editor_settings({"editor": {"branch": "xuat-ban"}}).branch == "xuat-ban"


@pytest.mark.parametrize(
    ("raw", "phrases"),
    [
        ({"repos": "a/b"}, ["extra.editor.repos", "auth_endpoint, base_url, branch, repo"]),
        ({"repo": "truong/kho"}, ["extra.editor.base_url", "chưa có"]),
        ({"base_url": "https://a.workers.dev"}, ["extra.editor.repo", "chưa có"]),
        (
            {"repo": "https://github.com/truong/kho", "base_url": "https://a.workers.dev"},
            ["tài-khoản/tên-kho"],
        ),
        ({"repo": "truong/kho", "base_url": "http://a.workers.dev"}, ["extra.editor.base_url", "https://"]),
        ({"branch": "nhánh chính"}, ["extra.editor.branch"]),
        ({"branch": ""}, ["extra.editor.branch"]),
        (["truong/kho"], ["extra.editor phải là một bảng khóa"]),
    ],
)
def test_bad_editor_settings_are_refused_by_name(raw: object, phrases: list[str]) -> None:
    with pytest.raises(SettingsError) as caught:
        editor_settings({"editor": raw})
    for phrase in phrases:
        assert phrase in str(caught.value)


def test_the_proxy_is_only_ever_on_this_computer() -> None:
    assert proxy_url(None) is None and proxy_url("") is None
    assert proxy_url(PROXY) == PROXY and proxy_url("http://localhost:9000/api/v1")
    for bad in (
        "http://192.168.1.5:8081/api/v1",
        "https://127.0.0.1:8081/api/v1",
        "http://127.0.0.1:99999/api/v1",
    ):
        with pytest.raises(SettingsError, match="127.0.0.1"):
            proxy_url(bad)


# --- the page and its policy ---------------------------------------------------------------------------


def policy(text: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in text.split("; ")}


def test_the_admin_page_loads_only_its_own_files() -> None:
    local = policy(content_security_policy(EditorSettings(), PROXY))
    assert local["script-src"] == ["'self'", "'unsafe-eval'", "'report-sample'"]  # never 'unsafe-inline'
    assert local["connect-src"] == ["'self'", "http://127.0.0.1:8081", "blob:"]
    assert local["default-src"] == ["'self'"] and local["object-src"] == ["'none'"]
    github = policy(content_security_policy(GITHUB, None))
    assert github["connect-src"] == ["'self'", "blob:", "https://api.github.com"]
    hosts = {v for values in github.values() for v in values if v.startswith("https://")}
    assert hosts == {
        "https://api.github.com",
        "https://avatars.githubusercontent.com",
        "https://raw.githubusercontent.com",
    }


def test_the_sign_in_page_names_the_school() -> None:
    """The school's name and logo (extra.school) on the sign-in page, instead of Decap's."""
    site = site_from_posts("posts", None, [], school="Trường Mầm non Hoa Sen", logo="assets/logo.svg")
    admin = admin_site(EditorSettings(), site, PROXY)
    assert admin.page["school"] == "Trường Mầm non Hoa Sen"
    assert yaml.safe_load(admin.texts["admin/config.yml"])["logo_url"] == "../assets/logo.svg"
    plain = admin_site(EditorSettings(), site_from_posts("posts", None, []), PROXY)
    assert plain.page["school"] is None and "logo_url" not in yaml.safe_load(plain.texts["admin/config.yml"])


def test_without_sign_in_admin_loads_nothing() -> None:
    notice = admin_site(EditorSettings(), SITE, None)
    assert notice.page["editor"] is False and notice.texts == {} and notice.copies == {}
    assert policy(notice.page["csp"])["default-src"] == ["'none'"]
    for ready in (admin_site(GITHUB, SITE, None), admin_site(EditorSettings(), SITE, PROXY)):
        assert ready.page["editor"] is True
        assert set(ready.copies) == {
            "admin/decap-cms.js",
            "admin/decap-cms.js.LICENSE.txt",
            "admin/LICENSE.txt",
            "admin/column-editor.js",
            "admin/column-editor.css",
        }
        assert all(path.is_file() for path in ready.copies.values())


def test_the_backend_follows_the_settings() -> None:
    github = decap_config(GITHUB, SITE, None)
    assert github["backend"]["name"] == "github" and "local_backend" not in github
    assert github["backend"] | {"commit_messages": None} == {
        "name": "github",
        "repo": "truong-hoa-sen/chuyen-muc",
        "branch": "main",
        "base_url": "https://auth.truong.workers.dev",
        "auth_endpoint": "auth",
        "commit_messages": None,
    }
    local = decap_config(EditorSettings(branch="xuat-ban"), SITE, PROXY)
    assert local["local_backend"] == {"url": PROXY} and local["backend"]["branch"] == "xuat-ban"


def test_only_published_posts_reach_the_public_page(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            "2026/2026-11-01-a.md": post("Bài A", tags="[Gia đình, Bình đẳng giới]"),
            "2026/2026-11-02-b.md": post("Bài B", tags="[Gia đình]"),
            "2026/2026-11-03-nhap.md": post("Bí mật", tags="[Nháp riêng]", draft="true"),
        },
    )
    catalog = load_catalog(root / "posts", HANOI, date(2026, 11, 23))
    site = site_from_posts("posts", None, catalog.published)
    assert site.tags == ("Gia đình", "Bình đẳng giới")  # most used first
    assert site.published == {"2026/2026-11-01-a": "bai-a", "2026/2026-11-02-b": "bai-b"}


# --- column-editor.js, in node ---------------------------------------------------------------------

NODE_CHECK = r"""
require(process.argv[1]);
const { slugOf, beforeSave, localIso, sniff, uniqueName, shortDate, confirmText } = globalThis.columnEditor;
class M {  // the two methods of Immutable's Map that column-editor.js uses
  constructor(o) { this.o = o; }
  get(k) { return this.o[k]; }
  set(k, v) { return new M({ ...this.o, [k]: v }); }
}
const titles = JSON.parse(process.argv[2]);
const fresh = beforeSave(new M({ newRecord: true, slug: "", data: new M({ title: "Mới", tags: ["A ", "", " B", "🎉"] }) }), {});
const bytes = (text) => Uint8Array.from(Buffer.from(text, "latin1"));
const renamed = beforeSave(new M({ newRecord: false, slug: "2024/a", data: new M({ title: "Tên khác" }) }), { "2024/a": "ten-cu" });
const same = beforeSave(new M({ newRecord: false, slug: "2024/a", data: new M({ title: "Tên cũ" }) }), { "2024/a": "ten-cu" });
console.log(JSON.stringify({
  slugs: titles.map(slugOf),
  fresh: fresh.o, renamed: renamed.o, same: same.o,
  iso: localIso(new Date(Date.UTC(2026, 10, 23, 23, 30, 5))),
  kinds: [
    "\xff\xd8\xff\xe1", "\x89PNG\r\n\x1a\n", "RIFF\x00\x00\x00\x00WEBPVP8 ", "\x00\x00\x00\x18ftypheic",
    "\x00\x00\x00\x18ftypmif1", "\x00\x00\x00\x1cftypavif", "GIF89a", "%PDF-1.7",
  ].map((head) => sniff(bytes(head))),
  names: [
    uniqueName("Ảnh bìa.JPG", "jpeg", "k3x9qa"), uniqueName("IMG_1.webp", "webp", "k3x9qa"),
    uniqueName("anh.jpeg", "png", "k3x9qa"), uniqueName("Kế hoạch.pdf", "", "k3x9qa"),
  ],
  day: shortDate("2026-12-05T06:51:00+07:00"),
  confirm: confirmText("anh-bia.jpg already exists. Do you want to replace it?"),
}));
"""


def test_column_editor_js(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is missing: `make test` installs the npm packages with it")
    titles = [*TITLES, "Phụ nữ & trẻ em (2026)!", "Tăng 1,5 lần", "Hội thi 'Bé khoẻ'"]
    result = subprocess.run(
        [node, "-e", NODE_CHECK, str(editor.EDITOR_DIR / editor.OWN_SCRIPT), json.dumps(titles)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"TZ": "Asia/Ho_Chi_Minh", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["slugs"] == [make_slug(title) for title in titles]
    assert out["fresh"]["tags"] == ["A", "B"]  # "A, , B, 🎉": the build refuses a tag without a word
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", out["fresh"]["date"])
    assert out["renamed"]["slug"] == "ten-cu" and "slug" not in out["same"]
    assert out["iso"] == "2026-11-24T06:30:05+07:00"  # as the datetime widget writes it
    # Uploads: what a file is from its first bytes (HEIC refused), a name of its own.
    assert out["kinds"] == ["jpeg", "png", "webp", "heic", "heic", "avif", "gif", ""]
    assert out["names"] == ["Ảnh bìa-k3x9qa.jpg", "IMG_1-k3x9qa.jpg", "anh-k3x9qa.png", "Kế hoạch-k3x9qa.pdf"]
    assert out["day"] == "05/12/2026"  # the preview's date
    assert out["confirm"].startswith("Đã có tệp anh-bia.jpg")
    assert datetime.fromisoformat(out["iso"]) == datetime(2026, 11, 23, 23, 30, 5, tzinfo=timezone.utc)


# --- the vendored editor -------------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_npm_pins_are_the_editors() -> None:
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    # make write installs the dependencies alone (npm ci --omit=dev): decap-server, nothing else.
    assert package["dependencies"] == {"decap-server": editor.DECAP_SERVER_VERSION}
    assert package["devDependencies"]["decap-cms"] == editor.DECAP_VERSION
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    for name, version in (("decap-cms", editor.DECAP_VERSION), ("decap-server", editor.DECAP_SERVER_VERSION)):
        entry = lock[f"node_modules/{name}"]
        assert entry["version"] == version and entry["integrity"].startswith("sha512-")
    assert lock["node_modules/decap-cms"]["dev"] is True and "dev" not in lock["node_modules/decap-server"]
    editor_only = [name for name, entry in lock.items() if name and not entry.get("dev")]
    assert all(not lock[name].get("dev") for name in editor_only) and len(editor_only) < 200


def accepts_node_20(engines: str) -> bool:
    """Whether an npm `engines.node` range lets Node 20 in (the forms packages use)."""
    for alternative in engines.split("||"):
        ok = True
        for part in re.findall(r"(>=|<=|>|<|\^|~|=)?\s*v?(\d+)(?:\.\d+|\.x|\.\*)*", alternative):
            op, major = part[0], int(part[1])
            ok &= {
                ">=": 20 >= major,
                ">": 20 > major or (20 == major),
                "<": 20 < major,
                "<=": 20 <= major,
                "^": 20 == major,
                "~": 20 == major,
            }.get(op, 20 == major if op == "=" else True)
        if ok:
            return True
    return False


def test_every_npm_package_runs_on_node_20() -> None:
    """No EBADENGINE warning on the Node.js 20 of Debian and of the workflow (issue 19, item 8)."""
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    refused = {
        name: entry["engines"]["node"]
        for name, entry in lock.items()
        if isinstance(entry.get("engines"), dict)
        and isinstance(entry["engines"].get("node"), str)
        and not accepts_node_20(entry["engines"]["node"])
    }
    assert refused == {}
    assert (
        not accepts_node_20(">=22.19")
        and accepts_node_20(">=18.16")
        and accepts_node_20("^18 || ^20 || >=22")
    )


def test_the_vendored_file_is_the_pinned_packages() -> None:
    vendored = editor.EDITOR_DIR / "decap-cms.js"
    assert vendored.read_bytes().startswith(
        b"/*! For license information please see decap-cms.js.LICENSE.txt */"
    )
    assert "MIT License" in (editor.EDITOR_DIR / "LICENSE").read_text(encoding="utf-8")
    installed = ROOT / "node_modules" / "decap-cms"
    if not installed.is_dir():
        pytest.skip("node_modules is missing: `make test` runs npm ci from package-lock.json")
    assert (
        json.loads((installed / "package.json").read_text(encoding="utf-8"))["version"]
        == editor.DECAP_VERSION
    )
    assert sha256(vendored) == sha256(installed / "dist" / "decap-cms.js"), "run `make vendor-editor`"
    assert sha256(editor.EDITOR_DIR / "decap-cms.js.LICENSE.txt") == sha256(
        installed / "dist" / "decap-cms.js.LICENSE.txt"
    )


# --- the guide ------------------------------------------------------------------------------------------------


def test_the_guide_explains_the_editor_with_its_screenshots() -> None:
    guide = (ROOT / "docs" / "huong-dan.md").read_text(encoding="utf-8")
    headings = {
        anchor(line.lstrip("#").strip(), "-") for line in guide.splitlines() if line.startswith("## ")
    }
    assert editor.GUIDE_ANCHOR in headings
    section = guide.split("\n## ")[
        [anchor(part.split("\n", 1)[0], "-") for part in guide.split("\n## ")].index(editor.GUIDE_ANCHOR)
    ]
    for words in ("Sẵn sàng", "Công bố", "Hiệu trưởng"):
        assert words in section
    images = re.findall(r"\]\((huong-dan/[^)]+\.png)\)", section)
    assert len(images) >= 4
    for image in images:
        with Image.open(ROOT / "docs" / image) as shot:
            assert shot.width <= 1000
        assert (ROOT / "docs" / image).stat().st_size < 150_000
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"## {editor.README_SECTION}" in readme


# --- builds -----------------------------------------------------------------------------------------------------


@pytest.mark.build
def test_without_settings_admin_says_sign_in_is_not_set_up(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site-src", {"2026/2026-11-20-a.md": post("Bài A")})
    build = run_build(root, strict=True)
    assert build.code == 0, build.log
    page = (build.site / "admin" / "index.html").read_text(encoding="utf-8")
    assert "Trình soạn bài chưa được thiết lập đăng nhập" in page and "../huong-dan/#" in page
    assert "<script" not in page and "default-src 'none'" in html.unescape(page)  # autoescaped attribute
    assert sorted(p.name for p in (build.site / "admin").iterdir()) == ["index.html"]


@pytest.mark.build
def test_with_settings_admin_is_the_editor(tmp_path: Path) -> None:
    extra = """
        editor:
          repo: truong-hoa-sen/chuyen-muc
          base_url: https://sveltia-cms-auth.truong.workers.dev
    """
    root = write_site(
        tmp_path / "site-src",
        {
            "2026/2026-11-20-a.md": post("Bài A", tags="[Gia đình]"),
            "2026/2026-11-21-b.md": post("Nháp", draft="true"),
        },
        extra=extra,
    )
    build = run_build(root, strict=True)
    assert build.code == 0, build.log
    admin = build.site / "admin"
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"]["repo"] == "truong-hoa-sen/chuyen-muc" and "local_backend" not in config
    assert "Gia đình" in config["collections"][0]["fields"][2]["hint"]
    assert sha256(admin / "decap-cms.js") == sha256(editor.EDITOR_DIR / "decap-cms.js")
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert '<link href="config.yml" type="text/yaml" rel="cms-config-url">' in page
    assert (
        "https://api.github.com" in page
        and "'unsafe-inline'" not in page.split("script-src")[1].split(";")[0]
    )
    published = json.loads(re.search(r'id="column-published">(.*?)</script>', page)[1])  # type: ignore[index]
    assert published == {"2026/2026-11-20-a": "bai-a"}  # a draft's address is not published
    assert not any(word in (admin / "config.yml").read_text(encoding="utf-8") for word in ("secret", "token"))


@pytest.mark.build
def test_bad_editor_settings_stop_the_build(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site-src", {"2026/2026-11-20-a.md": post("Bài A")}, extra="editor:\n  repo: truong/kho\n"
    )
    build = run_build(root)
    assert build.code != 0 and "extra.editor.base_url" in build.log


def test_entry_path_reads_only_what_it_knows() -> None:
    with pytest.raises(EditorError):
        entry_path("{{year}}/{{slug}}", datetime(2026, 1, 1, tzinfo=HANOI), "a")
    assert (
        entry_path(PATH_TEMPLATE, datetime(2026, 1, 1, tzinfo=HANOI) + timedelta(hours=3), "a")
        == "2026/2026-01-01-a.md"
    )


NODE_REQUESTS = r"""
require(process.argv[1]);
const wrap = globalThis.columnEditor.vietnameseRequests;
const calls = [];
const github = (url, init) => {
  calls.push([url, init && init.body ? JSON.parse(init.body) : null]);
  return Promise.resolve({ ok: true, json: () => Promise.resolve({ title: "Thêm bài “Hội thi gia đình”" }) });
};
const api = "https://api.github.com/repos/truong/chuyen-muc";
wrap(github)(`${api}/pulls/7/merge`, { method: "PUT", body: JSON.stringify({
  commit_message: process.argv[2], sha: "abc", merge_method: "merge" }) })
  .then(() => wrap(github)(`${api}/pulls`, { method: "POST", body: JSON.stringify({
    title: "Thêm bài", body: process.argv[3], head: "cms/posts/a", base: "main" }) }))
  .then(() => wrap(github)(`${api}/git/refs`, { method: "POST", body: JSON.stringify({ ref: "x" }) }))
  .then(() => console.log(JSON.stringify(calls)));
"""


def test_pull_requests_and_their_merges_speak_vietnamese_on_github(tmp_path: Path) -> None:
    """Decap's GitHub backend writes an English description and merge message that its settings cannot
    change; column-editor.js rewrites both on their way to the API, the merge naming the post."""
    vendored = (editor.EDITOR_DIR / editor.VENDORED_SCRIPT).read_text(encoding="utf-8")
    english = ("Automatically generated. Merged on Decap CMS.", "Automatically generated by Decap CMS")
    assert all(
        f'"{line}"' in vendored for line in english
    )  # what Decap sends today: a new Decap must keep it
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is missing: `make test` installs the npm packages with it")
    done = subprocess.run(
        [node, "-e", NODE_REQUESTS, str(editor.EDITOR_DIR / editor.OWN_SCRIPT), *english],
        capture_output=True,
        text=True,
        check=True,
    )
    calls = json.loads(done.stdout)
    (asked, _), (merged_url, merged), (opened_url, opened), (other_url, other) = calls
    assert asked.endswith("/pulls/7") and merged_url.endswith("/pulls/7/merge")
    assert merged["commit_title"] == "Công bố: Thêm bài “Hội thi gia đình”"
    assert (
        merged["commit_message"] == "Bài được duyệt và công bố từ trình soạn bài của trang."
        and merged["sha"] == "abc"
    )
    assert opened_url.endswith("/pulls") and opened["body"].startswith("Bài gửi duyệt từ trình soạn bài")
    assert other_url.endswith("/git/refs") and other == {"ref": "x"}  # anything else goes as it was
