"""Daily editions: one page per day with stories, grouped by topic; the list of every day;
and a feed with one entry a day."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ... import urls
from ...config import SiteConfig
from ...model import Edition, Site, Story
from ...urls import Urls
from ..channels import feed_pages, feed_set
from ..context import PlanContext
from ..feed_model import FeedEntry
from ..layout import html_page, meta
from ..page import Page
from ..present import edition_view, newest
from ..section import FeedSets, Section
from ..views import DailyGroup, EditionView


def feed_sets(links: Urls, config: SiteConfig, site: Site) -> FeedSets:
    title = f"{config.title} — daily editions"
    return [("Everything", "", feed_set(links, "Daily editions (one entry a day)", urls.DAILY, title))]


def groups(ctx: PlanContext, edition: Edition) -> tuple[DailyGroup, ...]:
    """The day's stories under their first topic; the group with the hottest story first,
    stories numbered through the whole edition."""
    by_topic: dict[str | None, list[Story]] = {}
    for story in edition.stories:  # already hottest first
        by_topic.setdefault(story.topics[0] if story.topics else None, []).append(story)
    made, start = [], 1
    for name, members in by_topic.items():
        views = tuple(ctx.views[story.source] for story in members)
        made.append(DailyGroup(ctx.topic_links[name] if name else None, views, start))
        start += len(views)
    return tuple(made)


def edition_entry(ctx: PlanContext, edition: Edition, day_groups: Sequence[DailyGroup]) -> FeedEntry:
    """A day as one entry: its headlines, grouped by topic, each linking to its story."""
    parts = []
    for group in day_groups:
        if group.topic is not None:
            parts.append(f"<h3>{escape(group.topic.text, quote=False)}</h3>")
        rows = "".join(
            f'<li><a href="{escape(ctx.links.origin + view.url)}">{escape(view.title, quote=False)}</a>'
            + (f" ({escape(view.provider.text, quote=False)})" if view.provider else "")
            + "</li>"
            for view in group.items
        )
        parts.append(f"<ul>{rows}</ul>")
    count = len(edition.stories)
    return FeedEntry(
        title=f"{edition.day:%Y-%m-%d}: {count} {'story' if count == 1 else 'stories'}",
        link=ctx.links.absolute(urls.daily_path(edition.day)),
        published=max(story.published_at for story in edition.stories),
        updated=None,
        summary="; ".join(story.title for story in edition.stories[:10]),
        content_html="\n".join(parts) + "\n",
        categories=(),
    )


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
    day_groups = [groups(ctx, edition) for edition in editions]
    description = f"Every day's stories, one page a day, from {title}."
    index_meta = meta(ctx, urls.DAILY, "Daily editions", description, "daily", feeds=feeds)
    index = html_page(
        ctx, urls.DAILY, "editions.html", index_meta, "edition index", ctx.newest, editions=tuple(views), feeds=feeds
    )
    entries = [edition_entry(ctx, *pair) for pair in zip(editions[: ctx.config.feed_size], day_groups, strict=False)]
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
