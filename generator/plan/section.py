"""What a section of the site is: a kind of page with its place in the navigation, its
feeds and its pages. `sections.SECTIONS` lists them; the navigation, the subscribe page
and the OPML list are made from that list, so a new kind of page is one new module."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..config import SiteConfig
from ..model import Site
from ..urls import Urls
from .page import Page, Unit
from .views import FeedSet

if TYPE_CHECKING:
    from .context import PlanContext

# (heading on the subscribe page and in the OPML list, key within the section, the feed set)
FeedSets = Sequence[tuple[str, str, FeedSet]]


def no_feeds(links: Urls, config: SiteConfig, site: Site) -> FeedSets:
    return ()


def nothing_after(ctx: PlanContext, pages: Sequence[Page]) -> list[Page]:
    return []


@dataclass(frozen=True)
class Section:
    name: str  # `page.section` of its pages, and its key in `site.urls`
    path: str | None  # the site path of its first page; None: it has no page of its own
    nav: str | None  # its label in the navigation; None: it has no place there
    pages: Callable[[PlanContext, Site], Sequence[Page | Unit]]  # a unit stands for the pages it makes
    feed_sets: Callable[[Urls, SiteConfig, Site], FeedSets] = no_feeds
    # Pages made from every other page (the sitemap), planned after all sections.
    after: Callable[[PlanContext, Sequence[Page]], list[Page]] = nothing_after
