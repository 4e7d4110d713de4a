"""What the column hook has read in this build, for the hooks that run after it.

The column hook (``column_hooks.py``) reads every post once in its early ``on_files``
and leaves the catalog here; the audit (``coverage_hooks.py``) reads it in its own
``on_files``, which ``event_priority`` orders after. All hook files import this module
by its package name, so they share one object; it is reset in ``on_config`` (under
``mkdocs serve`` modules are not reloaded).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .posts import Catalog


@dataclass(frozen=True)
class BuildState:
    catalog: Catalog
    today: date  # in the site zone
    posts_dir: Path


current: BuildState | None = None


def reset() -> None:
    global current
    current = None
