"""The shapes pages share: head metadata, an HTML page, a paginated list of stories, and a
list's feeds. Sections build their pages from these.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from .. import urls
from ..model import Story
from .channels import feed_pages
from .context import PlanContext
from .page import Html, Page
from .present import newest, shorten
from .views import FeedSet, PageLink, PageMeta, Pagination

_DESCRIPTION_LENGTH = 200
_PAGINATION_REACH = 2
# Cards at the top of a list, above the fold on most screens: their images are not lazy.
EAGER_CARDS = 3


def meta(
    ctx: PlanContext,
    path: str,
    heading: str,
    description: str,
    section: str,
    number: int = 1,
    feeds: FeedSet | None = None,
    **sharing: Any,
) -> PageMeta:
    """Head data for a page; its own feeds (if any) come before the site's."""
    title = heading if path == urls.HOME and number == 1 else f"{heading} — {ctx.config.title}"
    if number > 1:
        title = f"{heading} (page {number}) — {ctx.config.title}"
    own_feeds = feeds.links if feeds is not None and feeds is not ctx.site_feeds else ()
    sharing.setdefault("image", ctx.share_logo)
    return PageMeta(
        title,
        heading,
        shorten(description, _DESCRIPTION_LENGTH),
        ctx.links.href(path),
        ctx.links.absolute(path),
        section,
        feeds=own_feeds + ctx.site_feeds.links,
        **sharing,
    )


def html_page(
    ctx: PlanContext,
    path: str,
    template: str,
    page_meta: PageMeta,
    origin: str,
    lastmod: datetime | None,
    shows: frozenset[str] = frozenset(),
    **context: Any,
) -> Page:
    return Page(
        path,
        urls.output_file(path),
        Html(template, {"site": ctx.chrome, "page": page_meta, **context}),
        origin,
        lastmod,
        listed=not page_meta.noindex,
        shows=shows,
    )


def index_page(
    ctx: PlanContext, path: str, template: str, heading: str, description: str, section: str, **context: Any
) -> Page:
    """A section's index (every topic, every source, every month): it changes with the newest story."""
    page_meta = meta(ctx, path, heading, description, section)
    return html_page(ctx, path, template, page_meta, f"{section} index", ctx.newest, **context)


def list_pages(
    ctx: PlanContext,
    first_path: str,
    stories: Sequence[Story],
    template: str,
    heading: str,
    description: str,
    section: str,
    origin: str,
    feeds: FeedSet,
    also_shown: Sequence[Story] = (),
    **context: Any,
) -> list[Page]:
    """A list split into pages of `items_per_page`; an empty list still gets its first page.
    Every page shares one `lastmod`, the newest change in the list and in `also_shown`
    (stories the first page shows beside it, as home's top stories): a new story shifts
    every page along."""
    per_page, lastmod, pages = ctx.config.items_per_page, newest([*stories, *also_shown]), []
    total = max(1, math.ceil(len(stories) / per_page))
    for number in range(1, total + 1):
        path = urls.paginated_path(first_path, number)
        chunk = stories[(number - 1) * per_page : number * per_page]
        pages.append(
            html_page(
                ctx,
                path,
                template,
                meta(ctx, path, heading, description, section, number, feeds),
                origin,
                lastmod,
                items=tuple(ctx.views[story.source] for story in chunk),
                pagination=pagination(ctx, first_path, number, total),
                # The first cards a reader sees load their images at once; on the home
                # page's first page, the top stories come first and take that role.
                eager_cards=0 if number == 1 and context.get("top_stories") else EAGER_CARDS,
                **context,
            )
        )
    return pages


def pagination(ctx: PlanContext, first_path: str, number: int, total: int) -> Pagination | None:
    if total == 1:
        return None

    def href(n: int) -> str:
        return ctx.links.href(urls.paginated_path(first_path, n))

    shown = sorted({1, total, *range(max(1, number - _PAGINATION_REACH), min(total, number + _PAGINATION_REACH) + 1)})
    pages: list[PageLink | None] = []
    for n in shown:
        if pages and pages[-1] is not None and n > pages[-1].number + 1:
            pages.append(None)
        pages.append(PageLink(n, href(n), n == number))
    return Pagination(
        number,
        total,
        href(number - 1) if number > 1 else None,
        href(number + 1) if number < total else None,
        tuple(pages),
    )


def list_feeds(
    ctx: PlanContext, feeds: FeedSet, list_path: str, description: str, stories: Sequence[Story]
) -> list[Page]:
    """A list's feed, one page per format: its newest published stories (drafts never reach a feed)."""
    published = [story for story in stories if story.published][: ctx.config.feed_size]
    return feed_pages(
        feeds,
        list_path,
        description=description,
        config=ctx.config,
        links=ctx.links,
        entries=(ctx.entries.entry(story) for story in published),
        origin=f"feed of {feeds.name!r}" if list_path else "site feed",
    )


def term_pages(
    ctx: PlanContext, path: str, feeds: FeedSet, stories: Sequence[Story], description: str, **context: Any
) -> list[Page]:
    """A topic's or source's list pages, then its feed."""
    return list_pages(ctx, path, stories, feeds=feeds, description=description, **context) + list_feeds(
        ctx, feeds, path, description, stories
    )
