"""A generated page and the data files beside it (the report, the district roll-up).

MkDocs glue shared by the coverage and district hooks: neither may hide a file of docs/.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel


def add_page_and_data(
    files: Files, config: MkDocsConfig, page: tuple[str, str], data: dict[str, str | bytes], what: str
) -> None:
    """Add ``page`` (src, text; in the nav) and ``data`` (src → content); ``what`` names them in errors."""
    for src, content in [page, *data.items()]:
        if files.get_file_from_path(src) is not None:
            raise PluginError(f"docs/{src} trùng với {what} tự tạo; hãy đổi tên hoặc xoá tệp đó")
        inclusion = InclusionLevel.INCLUDED if src == page[0] else InclusionLevel.UNDEFINED
        files.append(File.generated(config, src, content=content, inclusion=inclusion))
