"""The pure modules never import MkDocs: the auditors' and the district's commands run them without
a build, and a MkDocs upgrade touches only the glue (STYLE.md: pure core, thin glue)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

# The MkDocs glue: the hook files mkdocs.yml lists, and the modules made for MkDocs' own objects.
GLUE = {
    "column_hooks",
    "column_page",
    "convert_beside",
    "coverage_hooks",
    "district_hooks",
    "generated",
    "preview",
    "site",
}
FRAMEWORK = ("mkdocs", "properdocs", "material")


def test_every_pure_module_imports_without_mkdocs() -> None:
    modules = sorted(
        p.stem for p in (ROOT / "hooks").glob("*.py") if p.stem != "__init__" and p.stem not in GLUE
    )
    assert len(modules) > 20 and "posts" in modules and "sanitize" in modules
    # One fresh interpreter; after each import, the first module that brought MkDocs in is named.
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module('hooks.' + name)\n"
        f"    if any(m.split('.')[0] in {FRAMEWORK!r} for m in sys.modules):\n"
        "        print(name)\n"
        "        break\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", (
        f"hooks/{done.stdout.strip()}.py, or a module it imports, imports MkDocs"
    )


def test_the_glue_list_names_real_files() -> None:
    assert all((ROOT / "hooks" / f"{name}.py").is_file() for name in GLUE)
    assert Path(ROOT / "hooks" / "column_hooks.py").read_text(encoding="utf-8").count("from mkdocs") >= 1
