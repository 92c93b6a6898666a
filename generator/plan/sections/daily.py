"""Daily editions: one page per day with stories, grouped by topic; the list of every day;
and a feed with one entry a day."""

from __future__ import annotations

from ... import urls
from ...config import SiteConfig
from ...model import Edition, Site
from ...urls import Urls
from ..briefing import Briefing, Series, groups, series_pages
from ..channels import feed_set
from ..context import PlanContext
from ..page import Page, Unit
from ..present import edition_view
from ..section import FeedSets, Section
from ..views import Link


def feed_sets(links: Urls, config: SiteConfig, site: Site) -> FeedSets:
    title = f"{config.title} — daily editions"
    return [("Everything", "", feed_set(links, config, "Daily editions (one entry a day)", urls.DAILY, title))]


def briefing(ctx: PlanContext, edition: Edition) -> Briefing:
    view, parts = edition_view(ctx, edition), groups(ctx, edition.stories)
    title, description = f"The digest of {view.date_text}", f"The stories of {view.date_text}."
    return Briefing(
        urls.daily_path(edition.day), view, edition.stories, parts, edition.day, view.date_iso, title, description
    )


def pages(ctx: PlanContext, site: Site) -> list[Page | Unit]:
    """`/daily/`, one page per day with stories, and a feed with one entry per day."""
    lead = "One page a day with that day's stories, grouped by topic, hottest first."
    weekly = Link("Weekly editions →", ctx.links.href(urls.WEEKLY)) if site.weeks else None
    series = Series("daily", urls.DAILY, "daily.html", "Daily editions", "day", lead, weekly)
    return series_pages(ctx, series, [briefing(ctx, edition) for edition in site.editions])


SECTION = Section("daily", urls.DAILY, "Daily", pages, feed_sets)
