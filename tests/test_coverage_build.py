"""A corpus with known gaps, built for real and audited by the auditors' command: both agree."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, Build, clean_env, epoch, post, run_build, run_coverage, write_site

pytestmark = pytest.mark.build

TODAY = epoch(2025, 2, 10)
COVERAGE = """
  coverage:
    start: 2023-Q4
    min_posts: 1
    excused:
      2023-Q4: "Chưa mở chuyên mục"
"""
POSTS = {
    "2024/q1.md": post("Bài quý một", "2024-02-01"),
    "2024/nhap.md": post("Bài nháp quý hai", "2024-05-01", draft="true"),
    "2024/q3.md": post("Bài quý ba", "2024-08-01"),
    "2024/q4.md": post("Bài cuối Tháng hành động", "2024-12-15T16:30:00Z"),  # 15/12 23:30 Hà Nội
    "2025/hen.md": post("Bài hẹn", "2025-03-01"),
}
EXPECTED = [
    ("2023-Q4", 0, "excused"),
    ("2024-Q1", 1, "ok"),
    ("2024-Q2", 0, "missing"),
    ("2024-Q3", 1, "ok"),
    ("2024-Q4", 1, "ok"),
    ("2025-Q1", 0, "due"),
]


@pytest.fixture(scope="module")
def gap_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site(tmp_path_factory.mktemp("gaps"), POSTS, extra=COVERAGE)


@pytest.fixture(scope="module")
def gap_build(gap_site: Path) -> Build:
    """The gap corpus, built once for every test of this module that reads its output."""
    return run_build(gap_site, today=TODAY)


def test_gaps_are_reported_and_never_stop_even_a_strict_build(gap_site: Path, gap_build: Build) -> None:
    """A quarter without a post is the audit's verdict, not a staff mistake: the strict build the
    Pages workflow runs still publishes the site and its report, and says the gaps."""
    plain = gap_build
    assert plain.code == 0, plain.log
    gaps = [line for line in plain.log.splitlines() if "BÁO CÁO:" in line]
    assert len(gaps) == 2 and all(line.startswith("INFO") for line in gaps)
    assert "2024-Q2" in gaps[0] and "Quý II/2024" in gaps[0]
    assert "Tháng hành động vì bình đẳng giới 2023" in gaps[1]
    assert not [line for line in plain.log.splitlines() if line.startswith("WARNING")]
    assert any(
        line.startswith("INFO") and "2023-Q4" in line and "Chưa mở chuyên mục" in line
        for line in plain.log.splitlines()
    )
    assert any(
        line.startswith("INFO") and "2025-Q1" in line and "còn 50 ngày" in line
        for line in plain.log.splitlines()
    )
    strict = run_build(gap_site, strict=True, today=TODAY, out=gap_site / "strict-site")
    assert strict.code == 0 and "2024-Q2" in strict.log


EXPECTED_WORDS = [
    ("Quý IV/2023", 0, "Được miễn"),
    ("Quý I/2024", 1, "Đạt"),
    ("Quý II/2024", 0, "Thiếu bài"),
    ("Quý III/2024", 1, "Đạt"),
    ("Quý IV/2024", 1, "Đạt"),
    ("Quý I/2025", 0, "Đang diễn ra"),
]


def excel_rows(raw: bytes) -> list[dict[str, str]]:
    """coverage.csv as Excel on Windows reads it: a UTF-8 BOM first, CRLF line ends."""
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") == raw.count(b"\r\n") > 1
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_json_csv_and_page(gap_build: Build) -> None:
    build = gap_build
    data = json.loads((build.site / "bao-cao/coverage.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == 2 and data["as_of"] == "2025-02-10"
    assert data["timezone"] == "Asia/Ho_Chi_Minh" and data["start"] == "2023-Q4" and data["min_posts"] == 1
    assert data["late_grace_days"] == 7
    assert data["history"] == {"checked_from": None, "reason": "thư mục trang không phải kho git"}
    assert [(q["quarter"], q["count"], q["status"]) for q in data["quarters"]] == EXPECTED
    assert data["quarters"][0]["reason"] == "Chưa mở chuyên mục"
    assert data["quarters"][4]["posts"] == [
        {
            "title": "Bài cuối Tháng hành động",
            "date": "2024-12-15",
            "url": "https://truong-thu.example/bai-viet/bai-cuoi-thang-hanh-dong/",
            "published_at": None,
            "late": False,
        }
    ]
    # The 2023 Action Month is required and has no post: the report is not complete.
    assert data["missing"] == ["2024-Q2"] and data["complete"] is False
    assert data["missing_observances"] == [
        {"name": "Tháng hành động vì bình đẳng giới", "year": 2023, "status": "missing"}
    ]
    assert [(o["year"], o["count"], o["status"], o["required"]) for o in data["observances"]] == [
        (2023, 0, "missing", True),
        (2024, 1, "ok", True),
    ]
    assert data["observances"][0]["start"] == "2023-11-15" and data["observances"][0]["end"] == "2023-12-15"

    rows = excel_rows((build.site / "bao-cao/coverage.csv").read_bytes())
    assert [(r["Kỳ"], int(r["Số bài"]), r["Kết quả"]) for r in rows[:6]] == EXPECTED_WORDS
    assert rows[0]["Từ ngày"] == "2023-10-01" and rows[0]["Ghi chú"] == "Chưa mở chuyên mục"
    assert rows[6]["Kỳ"] == "Tháng hành động vì bình đẳng giới 2023" and rows[6]["Kết quả"] == "Thiếu bài"

    page = build.page("bao-cao")
    for phrase in [
        "Thiếu bài",
        "Được miễn",
        "Chưa mở chuyên mục",
        "còn 50 ngày",
        "10 tháng 2, 2025",
        "giờ Việt Nam",
        'href="coverage.csv"',
        'href="coverage.json"',
        "Chưa đạt: còn thiếu 2 mục bắt buộc",
        "<strong>Quý II/2024</strong>: Thiếu bài (0 bài)",
        "<strong>Tháng hành động vì bình đẳng giới 2023</strong>: Thiếu bài (0 bài)",
        "Chưa kiểm tra được ngày lên trang: lần dựng trang này không đọc được nhật ký của trang",
        "Hiệu trưởng xác nhận",
    ]:
        assert phrase in page, phrase
    assert "admonition success" not in page and "Asia/Ho_Chi_Minh" not in page
    assert 'href="../luu-tru/2024/quy-3/"' in page  # a cell links to its quarter's posts
    assert 'id="quy-2024-2"' in page  # the district page links each school's quarter here
    css = (build.site / "assets/stylesheets/report.css").read_text()
    assert "@page" in css and "A4" in css


def test_command_agrees_with_the_build(gap_site: Path, gap_build: Build) -> None:
    built = json.loads((gap_build.site / "bao-cao/coverage.json").read_text(encoding="utf-8"))
    result = run_coverage(gap_site, "--format", "json", today=TODAY)
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout) == built
    assert (
        run_coverage(gap_site, "--format", "json", "--as-of", "2025-02-10", today=epoch(2030, 1, 1)).stdout
        == result.stdout
    )


def test_command_formats_and_exit_codes(gap_site: Path) -> None:
    text = run_coverage(gap_site, today=TODAY)
    assert text.returncode == 1
    assert "Thiếu: Tháng hành động vì bình đẳng giới 2023 (thiếu bài), Quý II/2024 (thiếu bài)" in text.stdout
    markdown = run_coverage(gap_site, "--format", "markdown", today=TODAY).stdout
    assert "| Quý II/2024 (2024-Q2) | 0 | Thiếu bài |" in markdown
    rows = excel_rows(run_coverage(gap_site, "--format", "csv", text=False, today=TODAY).stdout)
    assert [(r["Kỳ"], int(r["Số bài"]), r["Kết quả"]) for r in rows[:6]] == EXPECTED_WORDS

    ok = gap_site / "ok.yml"
    ok.write_text((gap_site / "mkdocs.yml").read_text().replace("start: 2023-Q4", "start: 2024-Q3"))
    assert run_coverage(gap_site, "--config", "ok.yml", "--as-of", "2024-12-20", today=TODAY).returncode == 0

    bad = gap_site / "bad.yml"
    bad.write_text((gap_site / "mkdocs.yml").read_text().replace("min_posts: 1", "min_posts: 0"))
    result = run_coverage(gap_site, "--config", "bad.yml", today=TODAY)
    assert (
        result.returncode == 2
        and "extra.coverage.min_posts" in result.stderr
        and "Traceback" not in result.stderr
    )
    assert run_coverage(gap_site, "--as-of", "10/02/2025", today=TODAY).returncode == 2


def test_command_refuses_bad_posts(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"a.md": "---\ntitle: x\ndate: 2024-02-30\n---\n"}, extra=COVERAGE)
    result = run_coverage(root, today=TODAY)
    assert result.returncode == 2 and "posts/a.md" in result.stderr and "Traceback" not in result.stderr


def test_sample_site_flags_its_empty_quarter(sample_build) -> None:
    data = json.loads((sample_build.site / "bao-cao/coverage.json").read_text(encoding="utf-8"))
    assert data["missing"] == ["2023-Q3"]
    assert "INFO    -  BÁO CÁO: Quý 2023-Q3 (Quý III/2023) thiếu bài" in sample_build.log
    result = run_coverage(ROOT, "--format", "json", today=epoch(2026, 11, 23))
    assert result.returncode == 1 and json.loads(result.stdout) == data


def test_bad_setting_stops_the_build_naming_the_key(tmp_path: Path) -> None:
    root = write_site(
        tmp_path, {"a.md": post("A", "2024-01-01")}, extra="coverage:\n  excused: {2024-Q9: x}\n"
    )
    for strict in (False, True):
        build = run_build(root, strict=strict)
        assert build.code == 1 and "extra.coverage.excused" in build.log and "Traceback" not in build.log


def test_a_start_in_the_future_is_a_settings_error_never_a_pass(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"a.md": post("A", "2024-01-01")}, extra="coverage:\n  start: 2027-Q1\n")
    result = run_coverage(root, today=epoch(2026, 11, 23))
    assert result.returncode == 2 and "extra.coverage.start" in result.stderr and not result.stdout
    build = run_build(root, today=epoch(2026, 11, 23))
    assert build.code == 1 and "extra.coverage.start là 2027-Q1" in build.log and "Traceback" not in build.log


def test_make_coverage_fails_quietly_when_something_is_missing(gap_site: Path) -> None:
    """A missing quarter is the command's answer: make still fails (a script can tell), without
    make's own "make: *** [...] Error 1" line, which reads like a crash to an auditor."""
    shutil.copy2(ROOT / "requirements.txt", gap_site / "requirements.txt")
    result = subprocess.run(
        ["make", "-s", "-f", str(ROOT / "Makefile"), f"VENV={ROOT / '.venv'}", "coverage"],
        cwd=gap_site,
        env={**clean_env(TODAY), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert (
        "Thiếu: Tháng hành động vì bình đẳng giới 2023 (thiếu bài), Quý II/2024 (thiếu bài)" in result.stdout
    )
    assert "make:" not in result.stderr and "Error" not in result.stderr
