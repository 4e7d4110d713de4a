"""What MkDocs and PyYAML say reaches staff and admins in Vietnamese: each translation is checked
against the lines MkDocs really logs, through the commands staff run (make build, make serve)."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, clean_env, post, write_site
from test_staff_mistakes import english_lines

from hooks import messages
from hooks.front_matter import _FrontMatterLoader


def site_command(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hooks.site", *args],
        cwd=root,
        env=clean_env(PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.build
def test_a_build_speaks_vietnamese_from_first_line_to_last(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {"2026/a.md": post("Bài A", "2026-11-20")},
        docs={"index.md": "# Chuyên mục\n", "gioi-thieu.md": "# Giới thiệu\n"},
    )
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "nav:\n  - index.md\n", encoding="utf-8")
    result = site_command(root, "build")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "Xoá thư mục trang cũ" and lines[1].startswith("Dựng trang vào thư mục ")
    assert "Các trang trong docs/ chưa có trong mục nav của mkdocs.yml (vẫn được đăng):" in result.stderr
    assert any(line.startswith("Đã dựng xong trang trong ") for line in lines)
    assert lines[-1].startswith("Xong: trang đã dựng vào thư mục ")
    assert english_lines(result.stderr) == [], english_lines(result.stderr)


@pytest.mark.build
def test_a_mistake_in_mkdocs_yml_is_named_in_vietnamese(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"2026/a.md": post("Bài A", "2026-11-20")})
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "site_nam: Gõ sai\n", encoding="utf-8")
    result = site_command(root, "build")
    assert result.returncode == 2
    assert "mkdocs.yml, mục 'site_nam': MkDocs không biết mục 'site_nam'" in result.stderr
    assert "mkdocs.yml có 1 chỗ cần sửa" in result.stderr
    assert english_lines(result.stderr) == [] and "Traceback" not in result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.build
def test_make_serve_speaks_vietnamese_through_a_rebuild(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site", {"2026/a.md": post("Bài A", "2026-11-20")}, docs={"index.md": "# Chuyên mục\n"}
    )
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "watch:\n  - posts\n", encoding="utf-8")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "hooks.site", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=clean_env(PYTHONPATH=str(ROOT)),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    lines: list[str] = []
    try:
        os.set_blocking(server.stderr.fileno(), False)  # type: ignore[union-attr]

        def wait_for(text: str) -> None:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    chunk = server.stderr.read()  # type: ignore[union-attr]
                except (BlockingIOError, TypeError):  # nothing to read yet
                    chunk = None
                if chunk:
                    lines.extend(chunk.splitlines())
                if any(text in line for line in lines):
                    return
                time.sleep(0.1)
            pytest.fail(f"not seen: {text}\n" + "\n".join(lines))

        wait_for(f"Trang xem thử: http://127.0.0.1:{port}/")
        (root / "posts/2026/b.md").write_text(
            post("Bài B", "2026-11-21", body="![x](khong-co.jpg)"), encoding="utf-8"
        )
        wait_for("không thấy ảnh 'khong-co.jpg'")
        wait_for("Đã dựng xong trang")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            rest, _ = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            rest, _ = server.communicate()
        lines.extend((rest or "").splitlines())
    output = "\n".join(lines)
    assert "Có tệp thay đổi, dựng lại…" in output
    assert english_lines(output) == [], english_lines(output)
    assert "A 'dirty' build is being performed" not in output


@pytest.mark.parametrize(
    "front_matter",
    [
        "title: Ngày 8/3: chào mừng",  # mapping values are not allowed here
        "title: Bài\ndate: [2024-01-01",  # an unclosed list
        "title: Bài\n\tdate: 2024-01-01",  # a tab
        'title: "Bài',  # an unclosed quote
        "title: *Bài*",  # an alias
        "title: Bài\n  date: 2024-01-01\n tags: x",  # uneven indentation
        "title: 'Bài' thêm",  # text after the closing quote
    ],
)
def test_the_yaml_parser_is_never_quoted_in_english(front_matter: str) -> None:
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yaml.load(front_matter, Loader=_FrontMatterLoader)  # noqa: S506 - a safe loader
    said = messages.yaml_problem(caught.value.problem)
    assert said != "cú pháp sai", caught.value.problem  # each of these has its own Vietnamese words
    assert messages.is_vietnamese(said)


def test_an_unforeseen_mkdocs_line_is_marked_as_mkdocs_own_words() -> None:
    record = logging.LogRecord(
        "mkdocs.commands.build", logging.WARNING, __file__, 1, "Something new", None, None
    )
    assert (
        messages.line(record)
        == "CẢNH BÁO - Thông báo của MkDocs (tiếng Anh, chưa có bản dịch): Something new"
    )
