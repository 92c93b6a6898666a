"""The home page: top stories, then every story, newest first, paginated; the site's feed."""

from __future__ import annotations

from collections.abc import Sequence

from ... import urls
from ...config import SiteConfig
from ...model import Site, Story
from ...urls import Urls
from ..channels import feed_set
from ..context import PlanContext
from ..layout import list_feeds, list_pages, unit
from ..page import Page, Unit
from ..section import FeedSets, Section


def feed_sets(links: Urls, config: SiteConfig, site: Site) -> FeedSets:
    return [("Everything", "", feed_set(links, config, "Every story", urls.HOME, config.title))]


def home_pages(ctx: PlanContext, river: Sequence[Story], top: Sequence[Story], stories: Sequence[Story]) -> list[Page]:
    """The home page's list of `river` below the `top` stories, and the site's feed of `stories`."""
    config = ctx.config
    listed = list_pages(
        ctx,
        urls.HOME,
        river,
        "home.html",
        config.title,
        config.description,
        "home",
        "home",
        ctx.site_feeds,
        also_shown=top,
        front_only={"top_stories": tuple(ctx.views[story.source] for story in top)},
    )
    return listed + list_feeds(ctx, ctx.site_feeds, urls.HOME, config.description, stories)


def pages(ctx: PlanContext, site: Site) -> list[Unit]:
    """Top stories lead the first page; the river below lists every other story, so none
    shows twice."""
    top = {story.source for story in site.top_stories}
    river = tuple(story for story in site.stories if story.source not in top)
    return [unit(home_pages, ctx, river, site.top_stories, site.stories)]


SECTION = Section("home", urls.HOME, "Latest", pages, feed_sets)
