"""What each page the column adds (or claims) is, decided once when the files are gathered.

``on_files`` registers a typed view per page source; every later event does one lookup and
dispatches on the view's type, instead of working the page's kind out again from its path,
its template name or a side table. A new kind of page is one more class here and one branch
where it is printed.

Pure: no MkDocs import.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from .listings import Listing, ListingKind, PostPage
from .plans import Plan


@dataclass(frozen=True)
class PostView:
    """A published post, at ``bai-viet/<slug>/``."""

    page: PostPage
    template = "post.html"

    @property
    def rel(self) -> str:
        return self.page.entry.post.rel


@dataclass(frozen=True)
class ListingView:
    """A generated listing (the front page and its numbered pages, archives, tags)."""

    listing: Listing
    title: str | None  # None: the page is the site's own (docs/index.md) and keeps its title

    @property
    def template(self) -> str:
        return self.listing.kind.template

    @property
    def kind(self) -> ListingKind:
        return self.listing.kind


@dataclass(frozen=True)
class PlanView:
    """A plan page of docs/ke-hoach/: its facts and the plans around it."""

    plan: Plan
    plans: Sequence[Plan]
    template = "plan.html"


@dataclass(frozen=True)
class PlanIndexView:
    """docs/ke-hoach/index.md, or the page generated in its place: every plan, newest first."""

    plans: Sequence[Plan]
    title: str | None  # None: docs/ke-hoach/index.md, with its own title
    template = "plans.html"


View = PostView | ListingView | PlanView | PlanIndexView


@dataclass
class Registry:
    """Page source (``src_uri``) → its view, for one build."""

    views: dict[str, View] = field(default_factory=dict)

    def add(self, src_uri: str, view: View) -> None:
        if src_uri in self.views:
            raise ValueError(f"two views for {src_uri}")  # a programming error: each page is made once
        self.views[src_uri] = view

    def get(self, src_uri: str) -> View | None:
        return self.views.get(src_uri)

    def posts(self) -> Iterator[tuple[str, PostView]]:
        """(src_uri, view) of every post, in the order they were registered (newest first)."""
        return ((src, view) for src, view in self.views.items() if isinstance(view, PostView))
