"""The same repository builds unchanged on ProperDocs 1.6, the maintained fork of MkDocs 1.6.

`make test` installs it in .venv-properdocs from requirements-properdocs.txt, without
MkDocs: Material's and the hooks' `mkdocs` imports are answered by ProperDocs.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, Build, run_build

pytestmark = pytest.mark.build

VENV = ROOT / ".venv-properdocs" / "bin"


@pytest.fixture(scope="module")
def properdocs_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    if not (VENV / "properdocs").exists():
        pytest.fail("ProperDocs is not installed: run `make test`, which creates .venv-properdocs")
    # With a child converting posts (hooks/convert_beside.py; the sample is too small for it
    # otherwise): ProperDocs' loggers keep their records from the root, unlike a test's.
    return run_build(
        ROOT,
        out=tmp_path_factory.mktemp("properdocs") / "site",
        program=str(VENV / "properdocs"),
        env={"COLUMN_CONVERT_BESIDE": "1"},
    )


def without_generator(html: str) -> str:
    """The one line that is meant to differ: <meta name="generator" content="mkdocs-…">."""
    return re.sub(r'<meta name="generator" content="[^"]*">', "", html)


def files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def test_properdocs_runs_without_mkdocs_installed() -> None:
    probe = subprocess.run(
        [str(VENV / "python"), "-c", "import importlib.util as u; print(u.find_spec('mkdocs') is None)"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.stdout.strip() == "True"


def test_sample_builds_the_same_pages_on_properdocs(properdocs_build: Build, sample_build: Build) -> None:
    assert properdocs_build.code == 0, properdocs_build.log
    assert "Chuyên mục: 19 bài đã đăng, 1 bản nháp, 1 bài hẹn đăng" in properdocs_build.log
    assert files(properdocs_build.site) == files(sample_build.site)
    for url in ("", "bai-viet/chia-se-viec-nha-cung-con", "luu-tru/2024/quy-4", "chu-de", "bao-cao"):
        assert without_generator(properdocs_build.page(url)) == without_generator(sample_build.page(url)), url
    for name in ("bao-cao/coverage.json", "feed.xml", "pagefind/pagefind-entry.json"):
        assert (properdocs_build.site / name).read_bytes() == (sample_build.site / name).read_bytes(), name
    report = json.loads((properdocs_build.site / "bao-cao/coverage.json").read_text(encoding="utf-8"))
    assert [q["quarter"] for q in report["quarters"] if q["status"] == "missing"] == ["2023-Q3"]
