"""Weekly editions: one page per ISO week with the week's hottest stories by topic, the
list of every week, and a feed with one entry a week.

A week is named as ISO 8601 names it (`weekly/2024-W07/`), Monday to Sunday in the
site's time zone, so its address never depends on what the week holds.
"""

from __future__ import annotations

from collections.abc import Sequence

from ... import urls
from ...config import SiteConfig
from ...model import Site, Week
from ...urls import Urls
from ..briefing import edition_entry, groups
from ..channels import feed_pages, feed_set
from ..context import PlanContext
from ..layout import html_page, meta
from ..page import Page
from ..present import newest, week_view
from ..section import FeedSets, Section
from ..views import DailyGroup, EditionView, Link


def feed_sets(links: Urls, config: SiteConfig, site: Site) -> FeedSets:
    title = f"{config.title} — weekly editions"
    return [("Everything", "", feed_set(links, "Weekly editions (one entry a week)", urls.WEEKLY, title))]


def week_pages(
    ctx: PlanContext, weeks: Sequence[Week], views: Sequence[EditionView], parts: Sequence[tuple[DailyGroup, ...]]
) -> list[Page]:
    """One page per week, each linking the week before and after."""
    feeds, planned = ctx.feeds["weekly"][""], []
    for number, week in enumerate(weeks):
        path, view = urls.weekly_path(week.year, week.week), views[number]
        description = f"The hottest stories of {view.span_text}."
        planned.append(
            html_page(
                ctx,
                path,
                "weekly.html",
                meta(ctx, path, f"The week of {view.span_text}", description, "weekly", feeds=feeds),
                f"edition of week {view.date_iso}",
                newest(week.stories),
                edition=view,
                groups=parts[number],
                newer=views[number - 1] if number > 0 else None,
                older=views[number + 1] if number + 1 < len(weeks) else None,
            )
        )
    return planned


def pages(ctx: PlanContext, site: Site) -> list[Page]:
    """`/weekly/`, one page per week with stories, and a feed with one entry per week."""
    weeks, title, feeds = site.weeks, ctx.config.title, ctx.feeds["weekly"][""]
    views = [week_view(ctx, week) for week in weeks]
    parts = [groups(ctx, week.stories) for week in weeks]
    index_meta = meta(
        ctx, urls.WEEKLY, "Weekly editions", f"Every week's top stories from {title}.", "weekly", feeds=feeds
    )
    lead_text = f"One page a week with its {ctx.config.weekly_size} hottest stories, grouped by topic."
    index = html_page(
        ctx,
        urls.WEEKLY,
        "editions.html",
        index_meta,
        "weekly index",
        ctx.newest,
        editions=tuple(views),
        feeds=feeds,
        lead_text=lead_text,
        other=Link("Daily editions →", ctx.links.href(urls.DAILY)),
    )
    entries = [
        edition_entry(ctx, view.date_text, urls.weekly_path(week.year, week.week), week.monday, week.stories, part)
        for week, view, part in zip(weeks[: ctx.config.feed_size], views, parts, strict=False)
    ]
    feed = feed_pages(
        feeds,
        urls.WEEKLY,
        description=f"One entry a week with the week's top stories from {title}.",
        config=ctx.config,
        links=ctx.links,
        entries=entries,
        origin="feed of weekly editions",
    )
    return [*week_pages(ctx, weeks, views, parts), index, *feed]


SECTION = Section("weekly", urls.WEEKLY, None, pages, feed_sets)
