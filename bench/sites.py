"""The three sites the build benchmark compares, all from the same generated posts.

- ``project``: this repository (its mkdocs.yml, docs/, hooks/, overrides/) with the posts;
- ``plain``: MkDocs + Material, the posts as pages under docs/, kept out of the nav;
- ``blog``: Material's blog plugin, the posts under docs/blog/posts/, tags as categories.

All three use Material in Vietnamese with search and the same Markdown extensions, so
the difference between them is what each adds around the same pages.
"""

from __future__ import annotations

import compileall
import re
import shutil
from pathlib import Path

from corpus import write_posts

ROOT = Path(__file__).resolve().parent.parent
EXTENSIONS = """markdown_extensions:
  - toc:
      permalink: true
  - tables
  - attr_list
  - admonition
"""
COMMON = """site_name: Chuyên mục Bình đẳng giới
site_url: https://example.github.io/chuyen-muc-binh-dang-gioi/
theme:
  name: material
  language: vi
  font: false
"""


def make_project(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    for name in ("docs", "hooks", "overrides"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    # Compiled as pip compiles the libraries it installs (MkDocs, Material, Markdown): with
    # PYTHONDONTWRITEBYTECODE set, as on this machine, every build would otherwise compile the
    # project's modules again, a cost plain MkDocs never pays and a school's second build neither.
    compileall.compile_dir(folder / "hooks", quiet=1)
    shutil.copy2(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    (folder / "posts").mkdir()
    write_posts(folder / "posts", count)
    # The generated years start in 2018; audit from the first of them.
    config = (folder / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"start: \d{4}-Q\d", "start: 2018-Q4", config)
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return folder


def make_plain(folder: Path, count: int) -> Path:
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# Chuyên mục\n\nCác bài viết.\n", encoding="utf-8")
    write_posts(folder / "docs" / "posts", count)
    (folder / "mkdocs.yml").write_text(
        COMMON
        + "plugins:\n  - search\n"
        + EXTENSIONS
        + "nav:\n  - Bài viết: index.md\nnot_in_nav: |\n  /posts/**\n",
        encoding="utf-8",
    )
    return folder


def make_blog(folder: Path, count: int) -> Path:
    docs = folder / "docs"
    (docs / "blog").mkdir(parents=True)
    (docs / "index.md").write_text("# Chuyên mục\n", encoding="utf-8")
    (docs / "blog" / "index.md").write_text("# Bài viết\n", encoding="utf-8")
    for path in write_posts(docs / "blog" / "posts", count):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"^tags: \[(.*)\]$", lambda m: f"categories: [{m.group(1)}]", text, count=1, flags=re.M)
        path.write_text(text, encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        COMMON
        + "plugins:\n  - search\n  - blog\n"
        + EXTENSIONS
        + "nav:\n  - index.md\n  - Bài viết: blog/index.md\n",
        encoding="utf-8",
    )
    return folder


MAKERS = {"project": make_project, "plain": make_plain, "blog": make_blog}
