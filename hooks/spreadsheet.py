"""The one guard for text that a spreadsheet opens: a cell must never become a formula.

Excel and LibreOffice run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula,
and a tab or a carriage return first lets one through after the program trims it (OWASP's
CSV injection list). A school's name, a post's title or a report's address comes from
someone else: the coverage CSV and the district CSV both pass such text through here.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(text: str) -> str:
    """``text`` as a spreadsheet shows it, never run: a leading apostrophe makes it plain text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
