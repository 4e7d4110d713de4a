"""A pull request that replaces or deletes a published post's photo is named in the run's summary.

Real git repositories: the base publishes post A with ``anh.jpg``; a branch adds post B and,
as GitHub's web upload does with a file of the same name, replaces ``anh.jpg``.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import png, post
from test_history import Repo, git_env  # noqa: F401 - the fixture: no user config, a fixed author

from hooks import changes

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def branch(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "site")
    repo.root.mkdir()
    repo.git("init", "-q")
    repo.write("mkdocs.yml", "site_name: Trường thử\n")
    repo.write("posts/2026/a.md", post("Bài A", "2026-11-20", image="anh.jpg", attachments="[ke-hoach.pdf]"))
    (repo.root / "posts/2026/anh.jpg").write_bytes(png(40, 30))
    (repo.root / "posts/2026/ke-hoach.pdf").write_bytes(b"%PDF-1.4 A")
    (repo.root / "posts/2026/cu.png").write_bytes(png(10, 10))  # used by no post
    repo.write("posts/2026/nhap.md", post("Nháp", "2026-11-21", draft="true", image="nhap.jpg"))
    (repo.root / "posts/2026/nhap.jpg").write_bytes(png(12, 12))
    repo.commit("2026-11-20T08:00:00+07:00")
    repo.git("checkout", "-q", "-b", "cms/posts/bai-b")
    repo.write("posts/2026/b.md", post("Bài B", "2026-11-22", image="anh.jpg"))
    (repo.root / "posts/2026/anh.jpg").write_bytes(png(20, 20, (0, 0, 0)))  # B's photo, A's name
    (repo.root / "posts/2026/ke-hoach.pdf").unlink()
    (repo.root / "posts/2026/cu.png").write_bytes(png(11, 11))
    (repo.root / "posts/2026/nhap.jpg").write_bytes(png(13, 13))
    repo.commit("2026-11-22T08:00:00+07:00")
    return repo


def test_a_branch_that_replaces_a_published_posts_photo_names_it(branch: Repo) -> None:
    found = changes.changes(branch.root, branch.root / "posts", "main", HANOI, date(2026, 11, 23))
    by_path = {c.path: c for c in found}
    assert by_path["posts/2026/anh.jpg"] == changes.Change("posts/2026/anh.jpg", "M", ("posts/2026/a.md",))
    assert by_path["posts/2026/ke-hoach.pdf"].users == ("posts/2026/a.md",)
    assert by_path["posts/2026/ke-hoach.pdf"].kind == "D"
    assert by_path["posts/2026/cu.png"].users == () and by_path["posts/2026/nhap.jpg"].users == ()
    text = changes.markdown(found)
    assert "## Yêu cầu này thay đổi tệp của bài đã đăng" in text
    assert "- `posts/2026/anh.jpg` (thay nội dung): đang dùng trong `posts/2026/a.md`" in text
    assert "- `posts/2026/ke-hoach.pdf` (xoá): đang dùng trong `posts/2026/a.md`" in text
    assert "cu.png" not in text and "nhap.jpg" not in text  # no published post uses them


def test_the_command_writes_the_summary_and_never_fails_the_run(branch: Repo) -> None:
    from conftest import ROOT, clean_env

    run = subprocess.run(
        [sys.executable, "-m", "hooks.changes", "--base", "main"],
        cwd=branch.root,
        env=clean_env(PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0 and "`posts/2026/anh.jpg` (thay nội dung)" in run.stdout, run.stderr
    wrong = subprocess.run(
        [sys.executable, "-m", "hooks.changes", "--base", "khong-co"],
        cwd=branch.root,
        env=clean_env(PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert wrong.returncode == 0 and wrong.stdout == "" and "Không so được với nhánh khong-co" in wrong.stderr


def test_a_branch_that_only_adds_touches_nothing_published(branch: Repo) -> None:
    branch.git("checkout", "-q", "main")
    branch.git("checkout", "-q", "-b", "cms/posts/bai-c")
    branch.write("posts/2026/c.md", post("Bài C", "2026-11-22", image="anh-c.jpg"))
    (branch.root / "posts/2026/anh-c.jpg").write_bytes(png(20, 20))
    branch.commit("2026-11-22T09:00:00+07:00")
    found = changes.changes(branch.root, branch.root / "posts", "main", HANOI, date(2026, 11, 23))
    assert found == [] and changes.markdown(found) == ""
