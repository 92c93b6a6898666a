"""The home page: top stories, then every story, newest first, paginated; the site's feed."""

from __future__ import annotations

from ... import urls
from ...config import SiteConfig
from ...model import Site
from ...urls import Urls
from ..channels import feed_set
from ..context import PlanContext
from ..layout import list_feeds, list_pages
from ..page import Page
from ..section import FeedSets, Section


def feed_sets(links: Urls, config: SiteConfig, site: Site) -> FeedSets:
    return [("Everything", "", feed_set(links, config, "Every story", urls.HOME, config.title))]


def pages(ctx: PlanContext, site: Site) -> list[Page]:
    """Top stories lead the first page; the river below lists every other story, so none
    shows twice."""
    config = ctx.config
    top = {story.source for story in site.top_stories}
    listed = list_pages(
        ctx,
        urls.HOME,
        [story for story in site.stories if story.source not in top],
        "home.html",
        config.title,
        config.description,
        "home",
        "home",
        ctx.site_feeds,
        also_shown=site.top_stories,
        front_only={"top_stories": tuple(ctx.views[story.source] for story in site.top_stories)},
    )
    return listed + list_feeds(ctx, ctx.site_feeds, urls.HOME, config.description, site.stories)


SECTION = Section("home", urls.HOME, "Latest", pages, feed_sets)
