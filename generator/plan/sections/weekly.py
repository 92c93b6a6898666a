"""Weekly editions: one page per ISO week with the week's hottest stories by topic, the
list of every week, and a feed with one entry a week.

A week is named as ISO 8601 names it (`weekly/2024-W07/`), Monday to Sunday in the
site's time zone, so its address never depends on what the week holds.
"""

from __future__ import annotations

from ... import urls
from ...config import SiteConfig
from ...model import Site, Week
from ...urls import Urls
from ..briefing import Briefing, Series, groups, series_pages
from ..channels import feed_set
from ..context import PlanContext
from ..page import Page, Unit
from ..present import week_view
from ..section import FeedSets, Section
from ..views import Link


def feed_sets(links: Urls, config: SiteConfig, site: Site) -> FeedSets:
    title = f"{config.title} — weekly editions"
    return [("Everything", "", feed_set(links, config, "Weekly editions (one entry a week)", urls.WEEKLY, title))]


def briefing(ctx: PlanContext, week: Week) -> Briefing:
    view, parts, path = week_view(ctx, week), groups(ctx, week.stories), urls.weekly_path(week.year, week.week)
    title, description = f"The week of {view.span_text}", f"The hottest stories of {view.span_text}."
    return Briefing(path, view, week.stories, parts, week.monday, view.date_text, title, description)


def pages(ctx: PlanContext, site: Site) -> list[Page | Unit]:
    """`/weekly/`, one page per week with stories, and a feed with one entry per week."""
    lead = f"One page a week with its {ctx.config.weekly_size} hottest stories, grouped by topic."
    daily = Link("Daily editions →", ctx.links.href(urls.DAILY))
    series = Series("weekly", urls.WEEKLY, "weekly.html", "Weekly editions", "week", lead, daily)
    return series_pages(ctx, series, [briefing(ctx, week) for week in site.weeks])


SECTION = Section("weekly", urls.WEEKLY, None, pages, feed_sets)
