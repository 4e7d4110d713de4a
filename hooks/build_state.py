"""What one build has read, shared between the column and coverage hooks.

Both hook files import this module by its package name, so they see one object; the
column hook fills it in ``on_files`` and resets it in ``on_config`` (under
``mkdocs serve`` modules are not reloaded).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from .posts import Catalog


@dataclass
class BuildState:
    catalog: Catalog | None = None
    today: date | None = None
    timezone: ZoneInfo | None = None


current = BuildState()


def reset() -> None:
    global current
    current = BuildState()
