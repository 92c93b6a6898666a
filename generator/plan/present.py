"""Views made from the model: a story, a topic or source, a day, a month, as templates
receive them (titles, links, formatted dates, sized pictures), never the model itself.

Small pure functions; each takes the `Naming` (a story's view, made before the context
exists) or the `PlanContext` for links and names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from markupsafe import Markup

from .. import urls
from ..load.markdown import rewrite_urls
from ..model import Edition, Image, Item, Month, Provider, Related, Story, Topic
from ..urls import Urls
from .views import CoverageView, EditionView, ItemView, Link, MonthView, Picture, RelatedView, TermView

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


def initials(name: str) -> str:
    """What stands for a source without a logo: the first letters of its first two words
    ("The New York Times" -> "NY"), or of its one word."""
    words = [word for word in re.split(r"[\s._-]+", name) if word and word[0].isalnum()]
    if len(words) > 1 and words[0].casefold() == "the":
        words = words[1:]
    return "".join(word[0] for word in words[:2]).upper() or name[:1].upper()


def newest(stories: Sequence[Story]) -> datetime | None:
    return max((story.last_change for story in stories), default=None)


def story_label(story: Story) -> str:
    return f"Read the full story at {story.provider.name}" if story.provider else "Read the full story"


def _markup(html: str) -> Markup:
    """Trusted HTML as Markup, without copying it when it already is (a summary is)."""
    return html if isinstance(html, Markup) else Markup(html)


def page_summary(names: Naming, html: str) -> str:
    """A summary as its page shows it: root-relative links moved under the base path
    (nothing to move, and no copy made, when the site lives at the root)."""
    return rewrite_urls(html, names.links.asset) if names.links.base_path != "/" else html


def item_view(names: Naming, story: Story) -> ItemView:
    local = story.published_at.astimezone(names.tz)
    ref = story.provider
    source = names.providers[ref.key] if ref else None
    return ItemView(
        title=story.title,
        url=names.links.href(story.path),
        excerpt=story.excerpt,
        date_iso=local.isoformat(),
        date_text=format_date(local),
        provider=names.provider_links.get(ref.key) if ref else None,
        logo=picture(source.logo if source else None, names.links),
        image=picture(story.lead_image, names.links),
        initials=initials(source.name) if source else "",
        topics=tuple(names.topic_links[name] for name in story.topics),
        draft=not story.published,
        summary_html=_markup(page_summary(names, story.summary_html)),
        story_url=story.story_url,
        story_label=story_label(story),
        related=tuple(related_view(names, related) for related in story.related),
        also=tuple(coverage_view(names, other) for other in story.coverage),
    )


def coverage_view(names: Naming, item: Item) -> CoverageView:
    local = item.published_at.astimezone(names.tz)
    provider = names.provider_links.get(item.provider.key) if item.provider else None
    return CoverageView(provider, item.title, item.story_url, local.isoformat(), format_date(local))


def related_view(names: Naming, related: Related) -> RelatedView:
    local = related.published.astimezone(names.tz) if related.published else None
    return RelatedView(
        title=related.title,
        url=related.url,
        provider_name=related.provider.name if related.provider else "",
        excerpt=related.excerpt,
        date_iso=local.isoformat() if local else "",
        date_text=format_date(local) if local else "",
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
    return EditionView(
        ctx.links.href(urls.daily_path(edition.day)),
        edition.day.isoformat(),
        format_date(edition.day),
        len(edition.stories),
    )


def month_view(ctx: PlanContext, month: Month) -> MonthView:
    return MonthView(
        ctx.links.href(urls.month_path(month.year, month.month)),
        f"{MONTHS[month.month - 1]} {month.year}",
        len(month.stories),
    )
