"""Daily editions: one page per day with stories, grouped by topic; the list of every day;
and a feed with one entry a day."""

from __future__ import annotations

from ... import urls
from ...config import SiteConfig
from ...model import Site
from ...urls import Urls
from ..briefing import Briefing, Series, groups, series_pages
from ..channels import feed_set
from ..context import PlanContext
from ..page import Page
from ..present import edition_view
from ..section import FeedSets, Section
from ..views import Link


def feed_sets(links: Urls, config: SiteConfig, site: Site) -> FeedSets:
    title = f"{config.title} — daily editions"
    return [("Everything", "", feed_set(links, "Daily editions (one entry a day)", urls.DAILY, title))]


def briefings(ctx: PlanContext, site: Site) -> list[Briefing]:
    made = []
    for edition in site.editions:
        view = edition_view(ctx, edition)
        path, day = urls.daily_path(edition.day), view.date_text
        parts = groups(ctx, edition.stories)
        title, description = f"The digest of {day}", f"The stories of {day}."
        made.append(Briefing(path, view, edition.stories, parts, edition.day, view.date_iso, title, description))
    return made


def pages(ctx: PlanContext, site: Site) -> list[Page]:
    """`/daily/`, one page per day with stories, and a feed with one entry per day."""
    title = ctx.config.title
    series = Series(
        "daily",
        urls.DAILY,
        "daily.html",
        "Daily editions",
        f"Every day's stories, one page a day, from {title}.",
        "One page a day with that day's stories, grouped by topic, hottest first.",
        f"One entry a day with the day's headlines from {title}.",
        Link("Weekly editions →", ctx.links.href(urls.WEEKLY)) if site.weeks else None,
    )
    return series_pages(ctx, series, briefings(ctx, site))


SECTION = Section("daily", urls.DAILY, "Daily", pages, feed_sets)
