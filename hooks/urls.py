"""The site's addresses: where each page of the column and the report is published.

One module, so that a page's address is written once: the posts, the column's listing pages
(front pages, archives, tags), and the report's page and files. ``*_src`` names a generated
page's source under docs/ (MkDocs derives its URL from it); ``*_url`` a page's URL, relative to
the site's root. The id of a quarter's cell on the report page is part of the report's contract
with the district page: it lives with coverage.json (``coverage_json.quarter_anchor``).
"""

from __future__ import annotations

from .posts import Post
from .quarters import Quarter

POSTS_ROOT = "bai-viet"
ARCHIVE_ROOT = "luu-tru"
TAGS_ROOT = "chu-de"
PAGES_ROOT = "trang"
FRONT_PAGE = "index.md"
# The report (hooks/coverage_hooks.py) and the district's roll-up (hooks/district_hooks.py).
REPORT_ROOT = "bao-cao"
REPORT_PAGE = f"{REPORT_ROOT}/index.md"
REPORT_JSON = f"{REPORT_ROOT}/coverage.json"  # what a district's schools list names: keep it
REPORT_CSV = f"{REPORT_ROOT}/coverage.csv"
REPORT_XLSX = f"{REPORT_ROOT}/coverage.xlsx"
DISTRICT_ROOT = "tong-hop"
DISTRICT_PAGE = f"{DISTRICT_ROOT}/index.md"
DISTRICT_JSON = f"{DISTRICT_ROOT}/district.json"
DISTRICT_CSV = f"{DISTRICT_ROOT}/district.csv"
DISTRICT_XLSX = f"{DISTRICT_ROOT}/district.xlsx"


def post_src(rel: str) -> str:
    """Where a post pretends to live in docs/, so that its relative links to images resolve."""
    return f"{POSTS_ROOT}/{rel}"


def post_url(post: Post) -> str:
    return f"{POSTS_ROOT}/{post.slug}/"


def front_src(number: int) -> str:
    return FRONT_PAGE if number == 1 else f"{PAGES_ROOT}/{number}/index.md"


def year_src(year: int) -> str:
    return f"{ARCHIVE_ROOT}/{year}/index.md"


def quarter_src(quarter: Quarter) -> str:
    return f"{ARCHIVE_ROOT}/{quarter.year}/quy-{quarter.number}/index.md"


def tag_src(tag_slug: str) -> str:
    return f"{TAGS_ROOT}/{tag_slug}/index.md"


def report_document(year: int) -> str:
    """The school's Word report of ``year``."""
    return f"{REPORT_ROOT}/bao-cao-{year}.docx"


def district_document(year: int) -> str:
    """The district's Word report of ``year``."""
    return f"{DISTRICT_ROOT}/bao-cao-tong-hop-{year}.docx"


def url_of(src_uri: str) -> str:
    """The directory URL MkDocs gives a generated ``.../index.md``."""
    return "" if src_uri == FRONT_PAGE else src_uri.removesuffix("index.md")
