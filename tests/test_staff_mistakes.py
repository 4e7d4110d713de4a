"""Every staff mistake stops the publish, in Vietnamese, naming the file as staff know it.

Each mistake is a small site run through the exact command the Pages workflow runs (read
from .github/workflows/pages.yml, so the test follows the workflow if it changes): the
run fails, says what is wrong in Vietnamese with the file and the line, and no English
line from MkDocs or the YAML parser reaches the output. A quarter without a post passes.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, clean_env, epoch, png, post, write_site
from PIL import Image

from hooks.messages import is_vietnamese

pytestmark = pytest.mark.build

TODAY = epoch(2026, 11, 24)
ENGLISH = re.compile(
    r"\b(the|is|not|found|contains|error|warning|aborted|building|documentation|link|target|"
    r"cleaning|seconds|mapping|values|allowed|expected|could|traceback|strict|directory)\b",
    re.IGNORECASE,
)


def build_command() -> str:
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    (step,) = [s for s in workflow["jobs"]["build"]["steps"] if s.get("id") == "build"]
    return step["run"]


def publish(root: Path) -> subprocess.CompletedProcess[str]:
    env = clean_env(TODAY, PYTHONPATH=str(ROOT), GITHUB_ACTIONS="true")
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{env['PATH']}"
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", build_command()],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def english_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if not is_vietnamese(line) and ENGLISH.search(line)]


def photo(width: int, height: int, **exif: object) -> bytes:
    image = Image.new("RGB", (width, height), (180, 120, 90))
    for x in range(0, width, 40):  # a little detail, so it is not all one colour
        image.paste((20, 60, 140), (x, 0, x + 10, height // 3))
    info = Image.Exif()
    for tag, value in exif.items():
        info[int(tag.removeprefix("tag"))] = value
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=info)
    return out.getvalue()


GOOD = post("Hội thi gia đình", "2026-11-20", body="![Hội thi](hoi-thi.jpg)\n\nNội dung.")

# name: (posts, docs, phrases the output must hold)
MISTAKES: dict[str, tuple[dict[str, str | bytes], dict[str, str], list[str]]] = {
    "image name typo": (
        {
            "2026/hoi-thi.md": post("Hội thi", "2026-11-20", body="Mở đầu.\n\n![Hội thi](hoi-thi-1.jpg)"),
            "2026/hoi-thi.jpg": png(20, 10),
        },
        {},
        ["posts/2026/hoi-thi.md:8: không thấy ảnh 'hoi-thi-1.jpg'", "(có phải 'hoi-thi.jpg'?)"],
    ),
    "windows path": (
        {
            "2026/hoi-thi.md": post(
                "Hội thi", "2026-11-20", body="![ảnh](C:\\Users\\Lan\\Pictures\\hoi thi.jpg)"
            )
        },
        {},
        [
            "posts/2026/hoi-thi.md:6: 'C:\\Users\\Lan\\Pictures\\hoi thi.jpg' là đường dẫn trên máy tính của bạn"
        ],
    ),
    "space in a file name": (
        {"2026/hoi-thi.md": post("Hội thi", "2026-11-20", body="![ảnh](hoi thi.jpg)")},
        {},
        ["posts/2026/hoi-thi.md:6: 'hoi thi.jpg' có khoảng trắng nên không thành ảnh"],
    ),
    "link to a post that does not exist": (
        {"2026/a.md": post("Bài A", "2026-11-20", body="Xem [bài cũ](../2024/khong-co.md).")},
        {},
        ["posts/2026/a.md:6: liên kết '../2024/khong-co.md' không trỏ tới bài, trang hay tệp nào"],
    ),
    "absolute link": (
        {"2026/a.md": post("Bài A", "2026-11-20", body="Xem [kế hoạch](/ke-hoach/).")},
        {},
        ["posts/2026/a.md:6: đường dẫn '/ke-hoach/' bắt đầu bằng '/'"],
    ),
    "anchor that does not exist": (
        {
            "2026/a.md": post("Bài A", "2026-11-20", body="Xem [mục](b.md#muc-khong-co)."),
            "2026/b.md": post("Bài B", "2026-11-21", body="## Mục có thật\n\nNội dung."),
        },
        {},
        [
            "posts/2026/a.md:6: liên kết tới mục '#muc-khong-co' của posts/2026/b.md",
            "các mục có: #muc-co-that",
        ],
    ),
    "a post saved in docs": (
        {"2026/a.md": GOOD.replace("![Hội thi](hoi-thi.jpg)\n\n", "")},
        {"bai-moi.md": "---\ntitle: Bài mới\ndate: 2026-11-22\n---\n\nNội dung.\n"},
        ["docs/bai-moi.md: tệp này có 'date:' như một bài viết", "hãy chuyển nó sang thư mục posts/"],
    ),
    "notepad's .md.txt": (
        {"2026/bai.md.txt": "---\ntitle: Bài\ndate: 2026-11-20\n---\n\nx\n"},
        {},
        [
            "posts/2026/bai.md.txt: bài viết phải có đuôi .md (Notepad thêm .txt khi lưu); hãy đổi tên tệp thành bai.md"
        ],
    ),
    "a Word file instead of a post": (
        {"2026/bai-viet.docx": b"PK\x03\x04 word"},
        {},
        ["posts/2026/bai-viet.docx: tệp này không phải bài viết", "chép nội dung vào một tệp .md"],
    ),
    "date copied from an old post": (
        {"2026/2026-11-25-hoi-thi.md": post("Hội thi", "05/11/2024")},
        {},
        ["posts/2026/2026-11-25-hoi-thi.md:3: tên tệp ghi ngày 25/11/2026 nhưng 'date' là 05/11/2024"],
    ),
    "semicolon in tags": (
        {"2026/a.md": post("Bài A", "2026-11-20", tags="[Gia đình; Bình đẳng giới]")},
        {},
        [
            "posts/2026/a.md:4: 'tags': 'Gia đình; Bình đẳng giới' có dấu ';'",
            "tags: [Gia đình, Bình đẳng giới]",
        ],
    ),
    "tag for tags": (
        {"2026/a.md": post("Bài A", "2026-11-20", tag="[Gia đình]")},
        {},
        ["posts/2026/a.md:4: khóa 'tag' không được dùng và bị bỏ qua (có phải 'tags'?)"],
    ),
    "colon in a title": (
        {"2026/a.md": "---\ntitle: Ngày 8/3: lời cảm ơn\ndate: 2026-11-20\n---\n\nx\n"},
        {},
        ["posts/2026/a.md:2: phần đầu bài không phải YAML hợp lệ (có dấu ':' ở chỗ không được có)"],
    ),
    "an iPhone photo": (
        {
            "2026/a.md": post("Bài A", "2026-11-20", image="anh.heic"),
            "2026/anh.heic": b"\x00\x00\x00 ftypheic",
        },
        {},
        ["posts/2026/anh.heic: ảnh HEIC của iPhone", "hãy chuyển sang JPEG"],
    ),
    "a broken photo": (
        {"2026/a.md": post("Bài A", "2026-11-20", image="anh.jpg"), "2026/anh.jpg": b"\xff\xd8 not really"},
        {},
        ["posts/2026/anh.jpg: không mở được ảnh"],
    ),
}


@pytest.mark.parametrize("name", list(MISTAKES))
def test_each_mistake_stops_the_publish_in_vietnamese(name: str, tmp_path: Path) -> None:
    posts, docs, phrases = MISTAKES[name]
    root = write_site(tmp_path / "site", posts, docs={"index.md": "# Chuyên mục\n", **docs})
    result = publish(root)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    for phrase in phrases:
        assert phrase in output, (phrase, output)
    assert "KHÔNG ĐĂNG" in output or "tệp cần sửa" in output
    assert english_lines(output) == [], english_lines(output)
    assert "Traceback" not in output and "bai-viet/2026/" not in output  # never a path staff never saw
    if "LỖI - " in output:  # a mistake found while reading the files stops before any page is written
        assert not (root / "site" / "index.html").exists()


def test_a_quarter_without_a_post_publishes_all_the_same(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {"2026/hoi-thi.md": GOOD, "2026/hoi-thi.jpg": png(20, 10)},
        extra="coverage:\n  start: 2026-Q2\n",
        docs={"index.md": "# Chuyên mục\n"},
    )
    result = publish(root)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "BÁO CÁO: Quý 2026-Q2 (Quý II/2026) thiếu bài" in output and "Xong: trang đã dựng" in output
    assert english_lines(output) == [], english_lines(output)


def test_a_phone_photo_is_published_upright_small_and_without_exif(tmp_path: Path) -> None:
    """4000 × 3000, turned on its side (EXIF orientation 6), with the phone's make in its EXIF.

    (An original with a GPS position stops the build: tests/test_photos.py.)
    """
    raw = photo(4000, 3000, tag274=6, tag271="PhoneMaker")
    assert 271 in Image.open(io.BytesIO(raw)).getexif()  # the original has EXIF
    root = write_site(
        tmp_path / "site",
        {"2026/hoi-thi.md": GOOD.replace("hoi-thi.jpg", "IMG_0001.JPG"), "2026/IMG_0001.JPG": raw},
        docs={"index.md": "# Chuyên mục\n"},
    )
    result = publish(root)
    assert result.returncode == 0, result.stdout + result.stderr
    published = root / "site" / "bai-viet" / "2026" / "IMG_0001.JPG"
    with Image.open(published) as image:
        assert image.size == (1200, 1600)  # upright: portrait, long side 1,600 px
        exif = image.getexif()
        assert not exif.get_ifd(0x8825) and 274 not in exif and 271 not in exif and not image.info.get("exif")
    assert published.stat().st_size < len(raw)
    assert (root / "posts/2026/IMG_0001.JPG").read_bytes() == raw  # the original is never touched
    html = (root / "site/bai-viet/hoi-thi-gia-dinh/index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<img alt="Hội thi" src="../2026/IMG_0001.JPG" width="1200" height="1600" loading="lazy"', html
    )
    # A second build takes the copy from the cache (.cache/images), keyed by the photo's content.
    cached = list((root / ".cache/images").glob("*.jpg"))
    assert len(cached) == 1
    again = publish(root)
    assert again.returncode == 0 and list((root / ".cache/images").glob("*.jpg")) == cached


def test_a_drafts_photo_waits_with_its_post(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {
            "2026/a.md": GOOD.replace("hoi-thi.jpg", "cong-khai.jpg"),
            "2026/cong-khai.jpg": photo(300, 200),
            "2026/nhap.md": post("Nháp", "2026-11-21", draft="true", image="tre-em.jpg"),
            "2026/tre-em.jpg": photo(300, 200),
        },
        docs={"index.md": "# Chuyên mục\n"},
    )
    result = publish(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / "site/bai-viet/2026/cong-khai.jpg").is_file()
    assert not (root / "site/bai-viet/2026/tre-em.jpg").exists()
    assert "Chờ đăng cùng posts/2026/nhap.md: posts/2026/tre-em.jpg" in result.stdout + result.stderr
