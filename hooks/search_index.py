"""The search index: Pagefind over the built site, written to site/pagefind/.

Pagefind splits its index into small chunks that a reader's browser fetches only for the
words of a query, so a page view costs no search data at all (Material's search sends the
whole index to every reader: 0.9 MB gzipped at 200 posts). Only the parts of pages marked
``data-pagefind-body`` are indexed (posts, plans, the guide; never listings, the report or
the district page), and ``data-pagefind-ignore`` keeps breadcrumbs and buttons out.
The binary comes with the ``pagefind[bin]`` wheel: nothing else to install.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

OUTPUT = "pagefind"
LANGUAGE = "vi"


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site; the message is Vietnamese."""


def index_site(site_dir: Path) -> int:
    """Index every page of ``site_dir`` that has a ``data-pagefind-body``; return how many."""
    logging.getLogger("pagefind").setLevel(logging.WARNING)  # its own lines are English and internal
    try:
        return asyncio.run(_index(site_dir))
    except Exception as exc:  # noqa: BLE001 - a failed subprocess or a missing binary, said plainly
        raise SearchIndexError(
            f"không lập được chỉ mục tìm kiếm (Pagefind: {type(exc).__name__}: {exc})"
        ) from None


async def _index(site_dir: Path) -> int:
    output = site_dir / OUTPUT
    if output.is_dir():  # `make serve` builds into the same folder: no chunk of an old index stays
        shutil.rmtree(output)
    config = IndexConfig(output_path=str(output), force_language=LANGUAGE)
    async with PagefindIndex(config=config) as index:
        done = await index.add_directory(str(site_dir))
    return int(done["page_count"])
