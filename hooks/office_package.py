"""Word and Excel files are zip packages (OOXML): the same report must give the same bytes.

python-docx and openpyxl stamp every zip member with the clock's time, so two builds of
one site would differ in every .docx and .xlsx, and the MkDocs and ProperDocs builds
could not be compared byte for byte. The package is written again here with each
member dated the build's day, in its own order and with its own content.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date


def stable(package: bytes, day: date) -> bytes:
    """``package`` with every member dated ``day`` (00:00) and nothing else of the machine in it."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)  # zip dates start in 1980
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # the same header byte whichever system builds
            info.external_attr = 0
            target.writestr(info, source.read(member), compresslevel=6)
    return out.getvalue()
