"""`make post TITLE=...` and the command behind it: a draft dated today, never an overwrite."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, clean_env, epoch, post, run_build

pytestmark = pytest.mark.build


def new_post(root: Path, *args: str, today: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hooks.new_post", *args],
        cwd=root,
        env=clean_env(today, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_make_post_creates_a_dated_draft_that_the_build_lists(site) -> None:
    root = site({"2024/cu.md": post("Bài cũ", "2024-05-01")})
    # `make post` itself, run in the site's folder with this repository's virtual environment.
    shutil.copy2(ROOT / "requirements.txt", root / "requirements.txt")
    venv = ROOT / ".venv"
    # 23:30 on 31/12/2025 in Hà Nội is still 31/12 there but already... 16:30 UTC: the file takes the site's day.
    today = epoch(2025, 12, 31) + 11 * 3600 + 30 * 60
    result = subprocess.run(
        [
            "make",
            "-s",
            "-f",
            str(ROOT / "Makefile"),
            f"VENV={venv}",
            "post",
            "TITLE=Ngày hội: “Bé” & bình đẳng",
        ],
        cwd=root,
        env={**clean_env(today), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    created = "posts/2025/2025-12-31-ngay-hoi-be-binh-dang.md"
    assert result.stdout.strip() == created
    text = (root / created).read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: 'Ngày hội: “Bé” & bình đẳng'\ndate: 2025-12-31\n")
    assert "draft: true" in text

    build = run_build(root, today=today)
    assert build.code == 0, build.log
    assert f"Bản nháp, chưa đăng: {created}" in build.log
    # Once the draft line is removed, the post is published under its slug with its title.
    (root / created).write_text(text.replace("draft: true", ""), encoding="utf-8")
    build = run_build(root, today=today)
    assert build.code == 0, build.log
    assert "Ngày hội: “Bé” &amp; bình đẳng" in build.page("bai-viet/ngay-hoi-be-binh-dang")
    assert "31 tháng 12, 2025" in build.page("bai-viet/ngay-hoi-be-binh-dang")


def test_refuses_to_overwrite_a_file_or_reuse_an_address(site) -> None:
    root = site({"2024/cu.md": post("Gia đình", "2024-05-01")})
    today = epoch(2026, 3, 8)
    first = new_post(root, "Ngày 8/3", "--tag", "Ngày 8/3", today=today)
    assert first.returncode == 0, first.stderr
    path = root / "posts/2026/2026-03-08-ngay-8-3.md"
    assert "tags: [Ngày 8/3]" in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8") + "\nĐã viết nhiều.\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")

    again = new_post(root, "Ngày 8/3", today=today)
    assert again.returncode == 1
    assert "posts/2026/2026-03-08-ngay-8-3.md đã có" in again.stderr and "Traceback" not in again.stderr
    assert path.read_text(encoding="utf-8") == before

    clash = new_post(root, "Gia Đình", today=today)
    assert clash.returncode == 1 and "posts/2024/cu.md" in clash.stderr
    assert not (root / "posts/2026/2026-03-08-gia-dinh.md").exists()


def test_a_title_without_letters_or_a_bad_date_is_refused(site) -> None:
    root = site({})
    assert new_post(root, "!!!", today=epoch(2026, 1, 5)).returncode == 1
    bad = new_post(root, "Bài", "--date", "05/01/2026", today=epoch(2026, 1, 5))
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    dated = new_post(root, "Bài", "--date", "2026-01-05", today=epoch(2026, 6, 1))
    assert dated.returncode == 0 and dated.stdout.strip() == "posts/2026/2026-01-05-bai.md"
    assert list((root / "posts").rglob("*.md")) == [root / "posts/2026/2026-01-05-bai.md"]


def test_make_post_takes_a_title_with_straight_quotes(site) -> None:
    """`make post TITLE='Hội thi "Gia đình em"'` once failed with argparse's "unrecognized arguments"."""
    root = site({})
    shutil.copy2(ROOT / "requirements.txt", root / "requirements.txt")
    result = subprocess.run(
        [
            "make",
            "-s",
            "-f",
            str(ROOT / "Makefile"),
            f"VENV={ROOT / '.venv'}",
            "post",
            'TITLE=Hội thi "Gia đình em"',
        ],
        cwd=root,
        env={**clean_env(epoch(2026, 11, 24)), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    created = "posts/2026/2026-11-24-hoi-thi-gia-dinh-em.md"
    assert result.stdout.strip() == created
    assert (root / created).read_text(encoding="utf-8").startswith('---\ntitle: Hội thi "Gia đình em"\n')
    missing = subprocess.run(
        ["make", "-s", "-f", str(ROOT / "Makefile"), f"VENV={ROOT / '.venv'}", "post"],
        cwd=root,
        env={**clean_env(epoch(2026, 11, 24)), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode != 0 and 'make post TITLE="Tiêu đề bài viết"' in missing.stderr
