"""Daily editions: one page per day with stories, grouped by topic; the list of every day;
and a feed with one entry a day."""

from __future__ import annotations

from collections.abc import Sequence

from ... import urls
from ...config import SiteConfig
from ...model import Edition, Site
from ...urls import Urls
from ..briefing import edition_entry, groups
from ..channels import feed_pages, feed_set
from ..context import PlanContext
from ..layout import html_page, meta
from ..page import Page
from ..present import edition_view, newest
from ..section import FeedSets, Section
from ..views import DailyGroup, EditionView, Link


def feed_sets(links: Urls, config: SiteConfig, site: Site) -> FeedSets:
    title = f"{config.title} — daily editions"
    return [("Everything", "", feed_set(links, "Daily editions (one entry a day)", urls.DAILY, title))]


def edition_pages(
    ctx: PlanContext,
    editions: Sequence[Edition],
    views: Sequence[EditionView],
    day_groups: Sequence[tuple[DailyGroup, ...]],
) -> list[Page]:
    """One page per day, each linking the day before and after."""
    feeds, planned = ctx.feeds["daily"][""], []
    for number, edition in enumerate(editions):
        path, day = urls.daily_path(edition.day), views[number].date_text
        planned.append(
            html_page(
                ctx,
                path,
                "daily.html",
                meta(ctx, path, f"The digest of {day}", f"The stories of {day}.", "daily", feeds=feeds),
                f"edition of {edition.day}",
                newest(edition.stories),
                edition=views[number],
                groups=day_groups[number],
                newer=views[number - 1] if number > 0 else None,
                older=views[number + 1] if number + 1 < len(editions) else None,
            )
        )
    return planned


def pages(ctx: PlanContext, site: Site) -> list[Page]:
    """`/daily/`, one page per day with stories, and a feed with one entry per day."""
    editions, title, feeds = site.editions, ctx.config.title, ctx.feeds["daily"][""]
    views = [edition_view(ctx, edition) for edition in editions]
    day_groups = [groups(ctx, edition.stories) for edition in editions]
    description = f"Every day's stories, one page a day, from {title}."
    index_meta = meta(ctx, urls.DAILY, "Daily editions", description, "daily", feeds=feeds)
    lead_text = "One page a day with that day's stories, grouped by topic, hottest first."
    index = html_page(
        ctx,
        urls.DAILY,
        "editions.html",
        index_meta,
        "edition index",
        ctx.newest,
        editions=tuple(views),
        feeds=feeds,
        lead_text=lead_text,
        other=Link("Weekly editions →", ctx.links.href(urls.WEEKLY)) if site.weeks else None,
    )
    entries = [
        edition_entry(ctx, f"{edition.day:%Y-%m-%d}", urls.daily_path(edition.day), edition.day, edition.stories, parts)
        for edition, parts in zip(editions[: ctx.config.feed_size], day_groups, strict=False)
    ]
    feed = feed_pages(
        feeds,
        urls.DAILY,
        description=f"One entry a day with the day's headlines from {title}.",
        config=ctx.config,
        links=ctx.links,
        entries=entries,
        origin="feed of daily editions",
    )
    return [*edition_pages(ctx, editions, views, day_groups), index, *feed]


SECTION = Section("daily", urls.DAILY, "Daily", pages, feed_sets)
