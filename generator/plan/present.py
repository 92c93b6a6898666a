"""Views made from the model: a story, a topic or source, a day, a month, as templates
receive them (titles, links, formatted dates, sized pictures), never the model itself.

Small pure functions; each takes the `Naming` (a story's view, made before the context
exists) or the `PlanContext` for links and names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING

from .. import urls
from ..load.markdown import plain_text, shortened
from ..model import Edition, Image, Item, Month, Provider, Related, Story, Topic, Week
from ..urls import Urls
from .views import EditionView, ItemView, Link, MonthView, Outlet, Picture, Summary, TermView

if TYPE_CHECKING:
    from .context import PlanContext

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# The shape assumed for a story image of unknown size: the 1.91:1 of link previews, which
# most news images are cut to.
_USUAL_IMAGE_SIZE = (1200, 630)


@dataclass(frozen=True)
class Naming:
    """What a story's view needs: how to link, which time zone, and every topic and source."""

    links: Urls
    tz: tzinfo
    topic_links: Mapping[str, Link]  # by topic name
    provider_links: Mapping[str, Link]  # by provider key
    topics: Mapping[str, Topic]  # by name
    providers: Mapping[str, Provider]  # by key


def format_date(moment: datetime) -> str:
    """'15 February 2024': the same in every locale, so builds are reproducible anywhere."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def picture(image: Image | None, links: Urls) -> Picture | None:
    """The view of an image; one without a width and height gets the usual shape, because
    an `<img>` without both makes the page jump when it loads."""
    if image is None:
        return None
    if image.width and image.height:
        return Picture(links.asset(image.url), image.width, image.height)
    return Picture(links.asset(image.url), *_USUAL_IMAGE_SIZE, exact=False)


@lru_cache(maxsize=4096)  # a source's name comes back on every story it covered
def initials(name: str) -> str:
    """What stands for a source without a logo: the first letters of its first two words
    ("The New York Times" -> "NY"), or of its one word."""
    words = [word for word in re.split(r"[\s._-]+", name) if word and word[0].isalnum()]
    if len(words) > 1 and words[0].casefold() == "the":
        words = words[1:]
    return "".join(word[0] for word in words[:2]).upper() or name[:1].upper()


def newest(stories: Sequence[Story]) -> datetime | None:
    return max((story.last_change for story in stories), default=None)


def story_description(story: Story) -> str:
    """The excerpt, or when a file has none, the start of the curator's summary as text, so
    feeds and link previews always say what the story is about."""
    return story.excerpt or shortened(plain_text(story.summary_html))


def story_label(story: Story) -> str:
    return f"Read the full story at {story.provider.name}" if story.provider else "Read the full story"


def short_time(moment: datetime) -> str:
    """'15 Feb 2024, 18:05': a story's moment in a river, in the site's zone."""
    return f"{moment.day} {MONTHS[moment.month - 1][:3]} {moment.year}, {moment:%H:%M}"


# Words a reader reads in a minute, for "4 min read".
_WORDS_A_MINUTE = 220
_TAG = re.compile(r"<[^>]+>")


def reading_minutes(html: str) -> int:
    words = len(_TAG.sub(" ", html).split())
    return max(1, round(words / _WORDS_A_MINUTE)) if words else 0


def named_once(outlets: Sequence[Outlet], own_name: str) -> tuple[Outlet, ...]:
    """The outlets a river's "More:" line names: each outlet once (its first report), never
    the story's own source; unnamed reports stay out, the story's page lists them all."""
    seen = {own_name.casefold()}
    kept = []
    for outlet in outlets:
        key = outlet.name.casefold()
        if outlet.name and key not in seen:
            seen.add(key)
            kept.append(outlet)
    return tuple(kept)


def item_view(names: Naming, story: Story) -> ItemView:
    local = story.published_at.astimezone(names.tz)
    ref = story.provider
    source = names.providers[ref.key] if ref else None
    updated = story.updated_at.astimezone(names.tz) if story.updated_at else None
    provider = names.provider_links.get(ref.key) if ref else None
    outlets = (
        *(coverage_outlet(names, other) for other in story.coverage),
        *(related_outlet(names, related) for related in story.related),
    )
    return ItemView(
        title=story.title,
        url=names.links.href(story.path),
        excerpt=story.excerpt,
        date_iso=local.isoformat(),
        date_text=format_date(local),
        time_text=short_time(local),
        provider=provider,
        logo=picture(source.logo if source else None, names.links),
        image=picture(story.lead_image, names.links),
        initials=initials(source.name) if source else "",
        topics=tuple(names.topic_links[name] for name in story.topics),
        draft=not story.published,
        summary_html=Summary(story.lead.summary_utf8, names.links.base_path),
        story_url=story.story_url,
        story_label=story_label(story),
        outlets=outlets,
        more=named_once(outlets, provider.text if provider else ""),
        updated_iso=updated.isoformat() if updated else "",
        updated_text=format_date(updated) if updated else "",
        reading_minutes=reading_minutes(story.summary_html),
    )


def _outlet_look(names: Naming, key: str | None, name: str) -> tuple[Picture | None, str]:
    """The logo this site knows for an outlet (by its provider key), and its initials."""
    known = names.providers.get(key) if key else None
    return picture(known.logo if known else None, names.links), initials(known.name if known else name)


def coverage_outlet(names: Naming, item: Item) -> Outlet:
    """Another outlet's item in this digest, grouped into the story."""
    local = item.published_at.astimezone(names.tz)
    ref = item.provider
    link = names.provider_links.get(ref.key) if ref else None
    logo, letters = _outlet_look(names, ref.key if ref else None, ref.name if ref else "")
    name = link.text if link else (ref.name if ref else "")
    return Outlet(
        name,
        item.title,
        item.story_url,
        link.url if link else None,
        logo,
        letters,
        local.isoformat(),
        format_date(local),
    )


def related_outlet(names: Naming, related: Related) -> Outlet:
    """An entry of an item's `related` list: coverage the curator noted, outside the digest."""
    local = related.published.astimezone(names.tz) if related.published else None
    ref = related.provider
    link = names.provider_links.get(ref.key) if ref else None
    logo, letters = _outlet_look(names, ref.key if ref else None, ref.name if ref else "")
    return Outlet(
        link.text if link else (ref.name if ref else ""),
        related.title,
        related.url,
        link.url if link else None,
        logo,
        letters,
        local.isoformat() if local else "",
        format_date(local) if local else "",
    )


def topic_term(ctx: PlanContext, topic: Topic) -> TermView:
    return TermView(
        topic.name,
        ctx.topic_links[topic.name].url,
        len(topic.stories),
        feeds=ctx.feeds["topics"][topic.name],
        description=topic.description,
        image=picture(topic.image, ctx.links),
        parent=ctx.topic_links[topic.parent] if topic.parent else None,
        children=tuple(topic_term(ctx, ctx.topics[name]) for name in topic.children),
    )


def provider_term(ctx: PlanContext, provider: Provider) -> TermView:
    return TermView(
        provider.name,
        ctx.provider_links[provider.key].url,
        len(provider.stories),
        picture(provider.logo, ctx.links),
        provider.domain,
        ctx.feeds["providers"][provider.key],
        description=provider.description,
        image=picture(provider.large_logo, ctx.links),
        initials=initials(provider.name),
    )


def edition_view(ctx: PlanContext, edition: Edition) -> EditionView:
    lead = edition.stories[0] if edition.stories else None
    return EditionView(
        ctx.links.href(urls.daily_path(edition.day)),
        edition.day.isoformat(),
        format_date(edition.day),
        len(edition.stories),
        Link(lead.title, ctx.links.href(lead.path)) if lead else None,
    )


def edition_start(day: date, tz: tzinfo) -> datetime:
    """When an edition is dated (its feed entry, its email): the start of its first day in
    the site's zone, so stories added to it later never move it."""
    return datetime.combine(day, time(0), tzinfo=tz)


def week_span(monday: date, sunday: date) -> str:
    """'12–18 February 2024', '29 January – 4 February 2024', '30 December 2024 – 5 January 2025'."""
    if monday.year != sunday.year:
        return f"{format_date(monday)} – {format_date(sunday)}"
    if monday.month != sunday.month:
        return f"{monday.day} {MONTHS[monday.month - 1]} – {format_date(sunday)}"
    return f"{monday.day}–{format_date(sunday)}"


def week_view(ctx: PlanContext, week: Week) -> EditionView:
    lead = week.stories[0] if week.stories else None
    return EditionView(
        ctx.links.href(urls.weekly_path(week.year, week.week)),
        f"{week.year:04}-W{week.week:02}",
        f"Week {week.week}, {week.year}",
        len(week.stories),
        Link(lead.title, ctx.links.href(lead.path)) if lead else None,
        week_span(week.monday, week.sunday),
        week.total,
    )


def month_view(ctx: PlanContext, month: Month) -> MonthView:
    return MonthView(
        ctx.links.href(urls.month_path(month.year, month.month)),
        f"{MONTHS[month.month - 1]} {month.year}",
        len(month.stories),
    )
