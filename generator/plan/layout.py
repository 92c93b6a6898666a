"""The shapes pages share: head metadata, an HTML page, a paginated list of stories, and a
list's feeds. Sections build their pages from these.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from .. import urls
from ..model import Story
from .channels import feed_pages
from .context import PlanContext
from .page import Html, Page, Unit
from .present import newest, shorten
from .views import FeedSet, MonthView, PageLink, PageMeta, Pagination, TermView

_DESCRIPTION_LENGTH = 200
_PAGINATION_REACH = 2
# Cards at the top of a list, above the fold on most screens: their images are not lazy.
EAGER_CARDS = 3
# Views that count stories: a list's numbered pages get them `settled()`, without counts.
_COUNTED = (TermView, MonthView)


def meta(
    ctx: PlanContext,
    path: str,
    heading: str,
    description: str,
    section: str,
    number: int = 0,
    feeds: FeedSet | None = None,
    **sharing: Any,
) -> PageMeta:
    """Head data for a page; its own feeds (if any) come before the site's. `number` is a
    list's numbered page (see `list_chunks`), 0 for any other page."""
    title = heading if path == urls.HOME else f"{heading} — {ctx.config.title}"
    if number:
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
        Html(template, html_context(ctx, page_meta, **context)),
        origin,
        lastmod,
        listed=not page_meta.noindex,
        shows=shows,
    )


def html_context(ctx: PlanContext, page_meta: PageMeta, **context: Any) -> dict[str, Any]:
    """What every template receives: `site`, `page` and its own names."""
    return {"site": ctx.chrome, "page": page_meta, **context}


def index_page(
    ctx: PlanContext, path: str, template: str, heading: str, description: str, section: str, **context: Any
) -> Page:
    """A section's index (every topic, every source, every month): it changes with the newest story."""
    page_meta = meta(ctx, path, heading, description, section)
    return html_page(ctx, path, template, page_meta, f"{section} index", ctx.newest, **context)


def list_chunks(count: int, per_page: int, short_front: bool = False) -> list[tuple[int, slice]]:
    """How a list of `count` stories (newest first) is cut into pages: (number, slice),
    the front page (number 0) first, then the numbered pages from the newest to the oldest.

    Pages are counted from the oldest story: page 1 holds the oldest `per_page`, page 2 the
    next, and a page's stories never change once it is full. The front page holds the rest,
    between `per_page` and twice that less one, so a new story changes the front page only;
    every `per_page` stories the front page hands its oldest `per_page` to a new page. With
    `short_front` (the search index, which no reader pages through), it holds fewer than
    `per_page`: the rest once every full page is closed."""
    closed = count // per_page if short_front else max(0, count // per_page - 1)
    front = count - closed * per_page
    chunks = [(0, slice(0, front))]
    for number in range(closed, 0, -1):
        stop = count - (number - 1) * per_page
        chunks.append((number, slice(stop - per_page, stop)))
    return chunks


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
    front_only: Mapping[str, Any] | None = None,
    **context: Any,
) -> list[Page]:
    """A list cut into pages as `list_chunks` says; an empty list still gets its front page.
    The front page's `lastmod` is the newest change in the list and in `also_shown` (stories
    it shows beside it, as home's top stories); a numbered page's is its own stories'.

    Numbered pages get `front_only`'s keys empty, and views without counts (`settled()`):
    what they are given is all they show, and it does not change when a story is added, so
    a full page is rendered once."""
    chunks, pages = list_chunks(len(stories), ctx.config.items_per_page), []
    newest_number = chunks[1][0] if len(chunks) > 1 else 0
    front = {**context, **(front_only or {})}
    settled = {key: value.settled() if isinstance(value, _COUNTED) else value for key, value in context.items()}
    settled.update((key, ()) for key in front_only or {})
    # Each page's newest change, the front page's over the whole list: each story read once.
    lastmods = {number: newest(stories[part]) for number, part in chunks}
    lastmods[0] = max(filter(None, [*lastmods.values(), newest(also_shown)]), default=None)
    for number, part in chunks:
        path, chunk = urls.list_page_path(first_path, number), stories[part]
        pages.append(
            html_page(
                ctx,
                path,
                template,
                meta(ctx, path, heading, description, section, number, feeds),
                origin,
                lastmods[number],
                items=tuple(ctx.views[story.source] for story in chunk),
                pagination=pagination(ctx, first_path, number, newest_number),
                # The first cards a reader sees load their images at once; on the home
                # page's front page, the top stories come first and take that role.
                eager_cards=0 if number == 0 and front.get("top_stories") else EAGER_CARDS,
                front=number == 0,
                **(front if number == 0 else settled),
            )
        )
    return pages


def pagination(ctx: PlanContext, first_path: str, number: int, newest_number: int) -> Pagination | None:
    """Links to the front page ("Latest"), the neighbours and page 1. A numbered page links
    only to pages that stay, and never says how many pages there are, so it changes once:
    when the page after it is made."""
    if newest_number == 0:
        return None

    def link(n: int) -> PageLink:
        url = ctx.links.href(urls.list_page_path(first_path, n))
        return PageLink(n, "Latest" if n == 0 else str(n), url, n == number)

    def place(n: int) -> int:  # the front page comes after the newest numbered page
        return newest_number + 1 if n == 0 else n

    around = place(number)
    shown = sorted({0, 1, *range(max(1, around - _PAGINATION_REACH), min(newest_number, around + 1) + 1)}, key=place)
    pages: list[PageLink | None] = []
    for n in reversed(shown):  # newest first, as the list reads; no gap after "Latest", which has no number
        if pages and pages[-1] is not None and pages[-1].number and pages[-1].number - n > 1:
            pages.append(None)
        pages.append(link(n))
    newer = None if number == 0 else (0 if number == newest_number else number + 1)
    older = newest_number if number == 0 else number - 1
    return Pagination(
        number,
        "" if number == 0 else f"Page {number}, counted from the oldest story",
        link(newer).url if newer is not None else None,
        link(older).url if older >= 1 else None,
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
        lastmod=newest(published),
        shows=frozenset(story.source for story in published),
    )


def term_pages(
    ctx: PlanContext, path: str, feeds: FeedSet, stories: Sequence[Story], description: str, **context: Any
) -> list[Page]:
    """A topic's or source's list pages, then its feed."""
    return list_pages(ctx, path, stories, feeds=feeds, description=description, **context) + list_feeds(
        ctx, feeds, path, description, stories
    )


def unit(make: Callable[..., list[Page]], *args: Any, **kwargs: Any) -> Unit:
    """The pages `make(*args, **kwargs)` gives, planned only when a warm build finds its
    arguments changed (see `page.Unit`): `make` reads nothing of the context but what the
    setup decides and its arguments' stories' objects."""
    return Unit(partial(make, *args, **kwargs))
