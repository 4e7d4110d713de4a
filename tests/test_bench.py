"""The benchmarks still run (tiny N, one run): `make bench` must reproduce bench/RESULTS.md.

No time is asserted here; speed targets live in the benchmark's own report.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, clean_env

pytestmark = pytest.mark.bench


def run_bench(script: str, *args: str, out: Path, timeout: int = 600) -> str:
    """``bench/<script> <args> --out <out>`` at tiny N; the report it wrote."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args, "--out", str(out)],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr
    return out.read_text(encoding="utf-8")


def test_build_benchmark_runs_end_to_end(tmp_path) -> None:
    args = [
        "-n",
        "30",
        "--runs",
        "1",
        "--rounds",
        "2",
        "--growth",
        "10,30",
        "--audit",
        "60",
        "--history",
        "20,100",
    ]
    text = run_bench("build.py", *args, "--no-serve", out=tmp_path / "RESULTS.md")
    for row in ("MkDocs + Material, posts out of the nav", "this project", "Material's blog plugin"):
        assert row in text
    assert "| 10 |" in text and "| 30 |" in text  # the growth rows
    assert "auditors' command over 60 posts" in text
    assert "The auditors' command with history: 20 posts, 100 commits" in text
    assert "mkdocs/commands/build.py" in text  # the profile


def test_district_benchmark_runs_end_to_end(tmp_path) -> None:
    text = run_bench("district.py", "-n", "20", "--runs", "1", out=tmp_path / "DISTRICT.md", timeout=300)
    assert "| 20 | 1 |" in text and "16 ok" in text


def test_photo_benchmark_runs_end_to_end(tmp_path) -> None:
    text = run_bench("photos.py", "--posts", "3", "--runs", "1", out=tmp_path / "PHOTOS.md")
    assert "with the cache / without photos" in text and "3 posts" in text


def test_search_benchmark_runs_end_to_end(tmp_path) -> None:
    text = run_bench("search.py", "-n", "20", "--runs", "1", "--growth", "10,20", out=tmp_path / "SEARCH.md")
    assert (
        "this project (Pagefind, on demand) | 0 KB" in text
        and "page view downloads no search data | yes" in text
    )
