"""What daily and weekly editions share: stories grouped by topic and numbered through the
edition, the edition as one feed entry, and the edition as an email.

An edition's feed entry keeps its identity and its publication time however the edition
grows: its id is the edition page's address (made from the day or the week alone) and it
is published at the start of its day or week in the site's time zone, so a story added
late in the day updates the entry (`updated`) instead of making a new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from html import escape

from ..escape import Deferred
from ..model import Story
from .channels import feed_pages
from .context import PlanContext
from .email import Issue, TopicGroups, email_pages, email_url
from .feed_model import FeedEntry
from .layout import html_page, meta, unit
from .page import Page, Unit
from .present import edition_start, newest
from .views import DailyGroup, EditionView, Link


@dataclass(frozen=True, slots=True)
class Briefing:
    """One edition, of a day or of a week, as its page and its feed entry show it."""

    path: str  # its page
    view: EditionView
    stories: tuple[Story, ...]  # hottest first
    groups: tuple[DailyGroup, ...]
    first_day: date  # its entry is published at this day's start
    entry_title: str  # "2024-02-15", "Week 7, 2024"
    title: str  # its page's title
    description: str  # its page's description


@dataclass(frozen=True, slots=True)
class Series:
    """Daily or weekly editions: what differs between the two kinds, and nothing else."""

    section: str  # its `Section` name, and its feed set's
    path: str  # the list of editions
    template: str  # one edition's page
    name: str  # "Daily editions"
    unit: str  # "day", "week"
    lead_text: str  # what the list says of its editions
    other: Link | None  # the other kind of edition, from the list


def topic_groups(stories: Sequence[Story]) -> TopicGroups:
    """Stories (hottest first) under their first topic, the group with the hottest story
    first: the order of an edition's page and of its email alike."""
    by_topic: dict[str | None, list[Story]] = {}
    for story in stories:
        by_topic.setdefault(story.topics[0] if story.topics else None, []).append(story)
    return tuple((name, tuple(members)) for name, members in by_topic.items())


def groups(ctx: PlanContext, stories: Sequence[Story]) -> tuple[DailyGroup, ...]:
    """Stories (hottest first) under their first topic; the group with the hottest story
    first, stories numbered through the whole edition."""
    made, start = [], 1
    for name, members in topic_groups(stories):
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


def edition_entry(ctx: PlanContext, briefing: Briefing) -> FeedEntry:
    """An edition as one entry: its headlines by topic, each linking to its story."""
    stories, count = briefing.stories, len(briefing.stories)
    published = edition_start(briefing.first_day, ctx.tz)
    newest = max(story.lead.last_change for story in stories)
    return FeedEntry(
        title=f"{briefing.entry_title}: {count} {'story' if count == 1 else 'stories'}",
        link=ctx.links.absolute(briefing.path),
        published=published,
        updated=newest if newest > published else None,
        summary="; ".join(story.title for story in stories[:10]),
        content_html=Deferred(partial(_headlines_html, ctx, briefing.groups)),
        categories=(),
    )


def edition_pages(
    ctx: PlanContext, series: Series, briefing: Briefing, newer: EditionView | None, older: EditionView | None
) -> list[Page]:
    """One edition's page, linking the one after and the one before, and its email."""
    page = _edition_page(ctx, series, briefing, newer, older)
    emails = email_pages(ctx, [issue(series, briefing)]) if ctx.config.emails else []
    return [page, *emails]


def _edition_page(
    ctx: PlanContext, series: Series, briefing: Briefing, newer: EditionView | None, older: EditionView | None
) -> Page:
    feeds = ctx.feeds[series.section][""]
    return html_page(
        ctx,
        briefing.path,
        series.template,
        meta(ctx, briefing.path, briefing.title, briefing.description, series.section, feeds=feeds),
        f"edition {briefing.view.date_iso}",
        newest(briefing.stories),
        edition=briefing.view,
        groups=briefing.groups,
        newer=newer,
        older=older,
        email_url=email_url(ctx, briefing.path) if ctx.config.emails else None,
    )


def issue(series: Series, briefing: Briefing) -> Issue:
    """The edition as its email is made from it: the stories its page shows, in its order."""
    view, count = briefing.view, len(briefing.stories)
    shown = f"{count} {'story' if count == 1 else 'stories'}, by topic, hottest first"
    if view.total > count:  # a week shows its hottest
        shown = f"The {series.unit}'s {count} hottest of {view.total} stories, by topic"
    return Issue(
        series.section,
        view.date_iso,
        f"{view.date_text} ({view.span_text})" if view.span_text else view.date_text,
        series.name.removesuffix("s"),  # one of the "Daily editions"
        shown,
        briefing.path,
        briefing.first_day,
        topic_groups(briefing.stories),
    )


def series_pages(ctx: PlanContext, series: Series, briefings: Sequence[Briefing]) -> list[Page | Unit]:
    """Every edition's page and email (newest first), the list of them, and a feed with one
    entry each. An edition is a unit (see `page.Unit`): a new story plans its own edition
    again, and the neighbours that link to it when it is new, not the others."""
    feeds, span, title = ctx.feeds[series.section][""], series.unit, ctx.config.title
    description = f"Every {span}'s stories, one page a {span}, from {title}."
    index_meta = meta(ctx, series.path, series.name, description, series.section, feeds=feeds)
    index = html_page(
        ctx,
        series.path,
        "editions.html",
        index_meta,
        f"{series.section} index",
        ctx.newest,
        editions=tuple(briefing.view for briefing in briefings),
        feeds=feeds,
        lead_text=series.lead_text,
        other=series.other,
    )
    entries = [edition_entry(ctx, briefing) for briefing in briefings[: ctx.config.feed_size]]
    feed = feed_pages(
        feeds,
        series.path,
        description=f"One entry a {span} with the {span}'s headlines from {title}.",
        config=ctx.config,
        links=ctx.links,
        entries=entries,
        origin=f"feed of {series.section} editions",
        lastmod=max((entry.last_change for entry in entries), default=None),
    )
    editions = [
        unit(
            edition_pages,
            ctx,
            series,
            briefing,
            briefings[number - 1].view if number > 0 else None,
            briefings[number + 1].view if number + 1 < len(briefings) else None,
        )
        for number, briefing in enumerate(briefings)
    ]
    return [*editions, index, *feed]
