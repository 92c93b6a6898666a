"""What daily and weekly editions share: stories grouped by topic and numbered through the
edition, and the edition as one feed entry.

An edition's feed entry keeps its identity and its publication time however the edition
grows: its id is the edition page's address (made from the day or the week alone) and it
is published at the start of its day or week in the site's time zone, so a story added
late in the day updates the entry (`updated`) instead of making a new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from html import escape

from ..model import Story
from .context import PlanContext
from .feed_model import FeedEntry
from .views import DailyGroup


def groups(ctx: PlanContext, stories: Sequence[Story]) -> tuple[DailyGroup, ...]:
    """Stories (hottest first) under their first topic; the group with the hottest story
    first, stories numbered through the whole edition."""
    by_topic: dict[str | None, list[Story]] = {}
    for story in stories:
        by_topic.setdefault(story.topics[0] if story.topics else None, []).append(story)
    made, start = [], 1
    for name, members in by_topic.items():
        views = tuple(ctx.views[story.source] for story in members)
        made.append(DailyGroup(ctx.topic_links[name] if name else None, views, start))
        start += len(views)
    return tuple(made)


def _headlines_html(ctx: PlanContext, edition_groups: Sequence[DailyGroup]) -> str:
    parts = []
    for group in edition_groups:
        if group.topic is not None:
            parts.append(f"<h3>{escape(group.topic.text, quote=False)}</h3>")
        rows = "".join(
            f'<li><a href="{escape(ctx.links.origin + view.url)}">{escape(view.title, quote=False)}</a>'
            + (f" ({escape(view.provider.text, quote=False)})" if view.provider else "")
            + "</li>"
            for view in group.items
        )
        parts.append(f'<ol start="{group.start}">{rows}</ol>')
    return "\n".join(parts) + "\n"


def edition_entry(
    ctx: PlanContext,
    heading: str,
    path: str,
    first_day: date,
    stories: Sequence[Story],
    edition_groups: Sequence[DailyGroup],
) -> FeedEntry:
    """An edition as one entry: its headlines by topic, each linking to its story."""
    count = len(stories)
    published = datetime.combine(first_day, time(0), tzinfo=ctx.tz)
    newest = max(story.lead.last_change for story in stories)
    return FeedEntry(
        title=f"{heading}: {count} {'story' if count == 1 else 'stories'}",
        link=ctx.links.absolute(path),
        published=published,
        updated=newest if newest > published else None,
        summary="; ".join(story.title for story in stories[:10]),
        content_html=_headlines_html(ctx, edition_groups),
        categories=(),
    )
