"""Shared fixtures: tiny sites in tmp_path built with the real `mkdocs build`."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = str(Path(sys.executable).with_name("mkdocs"))

# 23 November 2026, 12:00 in Hà Nội: the "today" of every fixture build unless a test says otherwise.
TODAY_EPOCH = int(datetime(2026, 11, 23, 5, 0, tzinfo=timezone.utc).timestamp())

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass
class Build:
    code: int
    log: str
    site: Path

    def page(self, url: str) -> str:
        path = self.site / url.strip("/") / "index.html" if not url.endswith(".html") else self.site / url
        return path.read_text(encoding="utf-8")


def clean_env(today: int = TODAY_EPOCH, **extra: str) -> dict[str, str]:
    """The environment of a test build: today pinned, and no SITE_URL leaking in from the shell."""
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "GITHUB_ACTIONS")}
    return {**env, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": str(today), **extra}


def run_coverage(
    root: Path, *args: str, today: int = TODAY_EPOCH, env: Mapping[str, str] | None = None, text: bool = True
) -> subprocess.CompletedProcess:
    """The auditors' command, ``python -m hooks.coverage``, in ``root``; ``env`` adds to the test
    environment (``clean_env``); ``text=False`` keeps its bytes (the CSV's BOM and CRLF)."""
    return subprocess.run(
        [sys.executable, "-m", "hooks.coverage", *args],
        cwd=root,
        env=clean_env(today, PYTHONPATH=str(ROOT), **(env or {})),
        capture_output=True,
        text=text,
        timeout=120,
    )


@contextmanager
def serving(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """``handler`` served on 127.0.0.1 at a free port from a thread: its address, then shut down."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def epoch(year: int, month: int, day: int) -> int:
    """SOURCE_DATE_EPOCH for noon of that day in Hà Nội."""
    return int(datetime(year, month, day, 5, 0, tzinfo=timezone.utc).timestamp())


def run_build(
    root: Path,
    *,
    strict: bool = False,
    today: int = TODAY_EPOCH,
    config: str = "mkdocs.yml",
    out: Path | None = None,
    program: str = MKDOCS,
    env: Mapping[str, str] | None = None,
    verbose: bool = False,
) -> Build:
    """The real ``mkdocs build`` (or ``program``, e.g. ProperDocs) of ``root/config`` into ``out``;
    ``env`` adds to the test environment (``clean_env``); ``verbose``: its DEBUG lines too."""
    site = out or root / "site"
    args = [program, "build", "--clean", "-f", str(root / config), "-d", str(site)]
    if strict:
        args.append("--strict")
    if verbose:
        args.append("--verbose")
    proc = subprocess.run(
        args, cwd=root, env=clean_env(today, **(env or {})), capture_output=True, text=True, timeout=600
    )
    return Build(proc.returncode, proc.stdout + proc.stderr, site)


def write_site(
    root: Path, posts: Mapping[str, str | bytes], *, extra: str = "", docs: dict[str, str] | None = None
) -> Path:
    """A minimal site that uses this repository's hooks and templates."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "posts").mkdir(exist_ok=True)
    for name, text in (docs or {}).items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    for name, content in posts.items():
        path = root / "posts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip(), encoding="utf-8")
    config = f"""
        site_name: Trường thử
        site_url: https://truong-thu.example/
        theme:
          name: material
          language: vi
          custom_dir: {ROOT / "overrides"}
        plugins: []  # as the sample: search is Pagefind's (hooks/search_index.py)
        hooks:
          - {ROOT / "hooks" / "column_hooks.py"}
          - {ROOT / "hooks" / "coverage_hooks.py"}
          - {ROOT / "hooks" / "district_hooks.py"}
        not_in_nav: |
          /ke-hoach/*.md
        extra:
          column:
            per_page: 3
    """
    text = textwrap.dedent(config).lstrip() + textwrap.indent(textwrap.dedent(extra).strip("\n"), "  ") + "\n"
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    return root


def search_records(site: Path) -> list[dict]:
    """What search can find in a built site: Pagefind's fragments (gzip, "pagefind_dcd" + JSON), one a page."""
    import gzip
    import json

    records = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        records.append(json.loads(raw.removeprefix(b"pagefind_dcd")))
    return records


def png(width: int, height: int, color: tuple[int, int, int] = (200, 80, 120)) -> bytes:
    """A real PNG image of that size (Pillow)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def post(title: str, date: str | None = None, **fields: object) -> str:
    body = str(fields.pop("body", "") or f"Nội dung của bài {title}.")
    lines = ["---", f"title: {title}"]
    if date is not None:
        lines.append(f"date: {date}")
    for key, value in fields.items():
        lines.append(f"{key}: {value}")
    lines += ["---", "", body, ""]
    return "\n".join(lines)


# Tests that use these fixtures run real builds or the site's commands: marked `build`, so that
# `make check` can run the fast unit tests alone (pytest -m "not build and not browser and not bench").
BUILD_FIXTURES = {"site", "sample_build", "gap_build", "gap_site", "served", "server", "properdocs_build"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BUILD_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.build)


@pytest.fixture
def site(tmp_path: Path):
    def make(posts: Mapping[str, str | bytes], **kwargs: object) -> Path:
        return write_site(tmp_path / "site-src", posts, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The repository's own sample site, built once for the session."""
    return run_build(ROOT, out=tmp_path_factory.mktemp("sample") / "site")


def markdown_site(folder: Path, extensions: list[object] | None = None):  # noqa: ANN201 (MkDocsConfig)
    """The configuration of a site in ``folder`` (docs/ made) with ``extensions`` (as mkdocs.yml
    writes them), by default this project's own, and the heading anchors on_config sets."""
    import yaml
    from mkdocs.config.base import load_config
    from mkdocs.utils.yaml import yaml_load

    from hooks import slugs

    if extensions is None:
        with open(ROOT / "mkdocs.yml", encoding="utf-8") as project:
            extensions = yaml_load(project)["markdown_extensions"]
    (folder / "docs").mkdir()
    (folder / "mkdocs.yml").write_text(
        yaml.safe_dump({"site_name": "Thử", "markdown_extensions": extensions}, allow_unicode=True),
        encoding="utf-8",
    )
    config = load_config(str(folder / "mkdocs.yml"))
    config.mdx_configs.setdefault("toc", {})["slugify"] = slugs.anchor
    return config


@pytest.fixture
def markdown_config(tmp_path: Path):  # noqa: ANN201 (MkDocsConfig)
    """A site with this project's own Markdown settings (mkdocs.yml)."""
    return markdown_site(tmp_path)
