"""The search page and the index its script reads."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from ... import urls
from ...model import Site, Story
from .. import search
from ..context import PlanContext
from ..layout import html_page, list_chunks, meta
from ..page import Page, SearchIndexFile
from ..search import search_entry
from ..section import Section


def pages(ctx: PlanContext, site: Site) -> list[Page]:
    """The index holds only what the lists show: the curated stories, newest first. The
    page itself is left out of the sitemap (`noindex`): a search page without a query has
    nothing for a crawler."""
    page_meta = meta(ctx, urls.SEARCH, "Search", f"Search the stories of {ctx.config.title}.", "search", noindex=True)
    page = html_page(
        ctx,
        urls.SEARCH,
        "search.html",
        page_meta,
        "search page",
        ctx.newest,
        index_url=ctx.links.href(urls.SEARCH_INDEX),
        script_url=ctx.links.href(urls.SEARCH_SCRIPT),
        story_count=len(site.stories),
    )
    return [page, *index_pages(ctx, site.stories)]


def index_pages(ctx: PlanContext, stories: Sequence[Story]) -> list[Page]:
    """The index's first file, with the newest stories, then its closed parts (see `search`)."""
    entries = tuple(
        ctx.derived.later("search entry", story, partial(search_entry, ctx.names, story)) for story in stories
    )
    (_, newest), *closed = list_chunks(len(entries), search.PART_SIZE, short_front=True)
    paths = [urls.search_part_path(number) for number, _ in closed]
    parts = tuple(ctx.links.href(path) for path in paths)
    first = SearchIndexFile(entries[newest], parts)
    pages = [Page(urls.SEARCH_INDEX, urls.output_file(urls.SEARCH_INDEX), first, "search index")]
    for path, (number, chunk) in zip(paths, closed, strict=True):
        pages.append(Page(path, urls.output_file(path), SearchIndexFile(entries[chunk]), f"search index part {number}"))
    return pages


SECTION = Section("search", urls.SEARCH, None, pages)
