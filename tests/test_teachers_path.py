"""Every Markdown file is accounted for, and each message leads to a fix that works (issue 19).

Tried as a teacher would: a post saved where GitHub's "Add file" put it, a folder typed with a
capital letter, every sample deleted before the first publish, a cover or attachment name typed
with the wrong case, a new post that takes a published post's title. Each case runs through the
Pages workflow's own build command, or through `make build` as an admin types it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, clean_env, png, post, write_site
from test_staff_mistakes import english_lines, publish

pytestmark = pytest.mark.build

INDEX = {"index.md": "# Chuyên mục\n"}


def test_a_post_at_the_repository_front_page_or_in_a_capitalised_folder_is_named(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"2026/a.md": post("Bài A", "2026-11-20")}, docs=INDEX)
    (root / "2026-12-04-bai-o-goc.md").write_text(post("Bài ở gốc", "2026-12-04"), encoding="utf-8")
    (root / "Posts/2026").mkdir(parents=True)
    (root / "Posts/2026/hoi-thi.md").write_text(post("Hội thi", "2026-11-21"), encoding="utf-8")
    (root / "README.md").write_text("# Trường\n", encoding="utf-8")  # the project's own document
    result = publish(root)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert (
        "2026-12-04-bai-o-goc.md: bài viết nằm ngoài thư mục posts/ nên không được đăng; hãy chuyển tệp vào "
        "posts/2026/ (trên GitHub: mở tệp, bấm nút bút chì, sửa tên tệp thành posts/2026/2026-12-04-bai-o-goc.md"
    ) in output
    assert "Posts/2026/hoi-thi.md: thư mục 'Posts' khác thư mục 'posts' ở chữ hoa/chữ thường" in output
    assert "README.md" not in output
    assert "2 chỗ cần sửa trước khi dựng trang" in output and "có 2 chỗ cần sửa" in output
    assert english_lines(output) == []


def test_readmes_clean_up_builds_an_empty_column_that_says_so(tmp_path: Path) -> None:
    """Every sample post and plan deleted (git keeps no empty folder): the first publish still works."""
    root = tmp_path / "truong"
    skip = {"node_modules", "site", "site-district", "test-artifacts"}
    shutil.copytree(ROOT, root, ignore=lambda _, names: [n for n in names if n.startswith(".") or n in skip])
    shutil.rmtree(root / "posts")
    shutil.rmtree(root / "docs/ke-hoach")
    result = publish(root)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Chuyên mục chưa có bài viết nào." in (root / "site/index.html").read_text(encoding="utf-8")
    assert "Chưa có kế hoạch nào." in (root / "site/ke-hoach/index.html").read_text(encoding="utf-8")
    assert english_lines(output) == [] and "watch" not in output


def test_a_wrong_case_cover_and_attachment_get_the_hint_once(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {
            "2026/a.md": post("Bài A", "2026-11-20", image="Anh-Bia.PNG", attachments="[Ke-Hoach.pdf]"),
            "2026/anh-bia.png": png(40, 20),
            "2026/ke-hoach.pdf": b"%PDF-1.4 ke hoach",
        },
        docs=INDEX,
    )
    result = publish(root)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert (
        "posts/2026/a.md:4: không thấy ảnh 'Anh-Bia.PNG' (có phải 'anh-bia.png'? chữ hoa và chữ thường phải khớp đúng)"
    ) in output
    assert (
        "posts/2026/a.md:5: 'attachments': không thấy tệp 'Ke-Hoach.pdf' (có phải 'ke-hoach.pdf'?"
    ) in output
    assert output.count("ke-hoach.pdf") == 1 and "chưa bài nào dùng nó" not in output  # once, not twice


def test_a_new_post_with_a_published_title_is_the_one_to_change(tmp_path: Path) -> None:
    """The older post's address may already be shared on Zalo: it keeps it."""
    root = write_site(
        tmp_path / "site",
        {
            "2024/cu.md": post("Ngày hội gia đình", "2024-06-28"),
            "2026/moi.md": post("Ngày hội gia đình", "2026-06-28"),
        },
        docs=INDEX,
    )
    result = publish(root)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert (
        "posts/2026/moi.md:2: bài này trùng địa chỉ 'ngay-hoi-gia-dinh' với bài posts/2024/cu.md (bài đó có trước"
    ) in output
    assert "thêm 'slug: ngay-hoi-gia-dinh-2' vào phần đầu bài này" in output
    assert "posts/2024/cu.md: bài này" not in output


@pytest.mark.parametrize("good", [True, False])
def test_make_build_ends_in_vietnamese_without_makes_own_line(tmp_path: Path, good: bool) -> None:
    root = write_site(tmp_path / "site", {"2026/a.md": post("Bài A", "2026-11-20" if good else "31/02/2026")})
    for name in ("Makefile", "requirements.txt"):
        shutil.copy2(ROOT / name, root / name)  # the file times too: make sees .venv up to date
    (root / ".venv").symlink_to(ROOT / ".venv")
    env = clean_env(PYTHONPATH=str(ROOT))
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{env['PATH']}"
    result = subprocess.run(["make", "build"], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert "make:" not in output and "Error" not in output, output
    if good:
        assert result.returncode == 0 and "Xong: trang đã dựng" in output, output
    else:
        assert (
            result.returncode != 0 and "posts/2026/a.md:3: 'date': ngày '31/02/2026' không có thật" in output
        )
