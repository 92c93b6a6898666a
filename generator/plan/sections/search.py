"""The search page and the index its script reads."""

from __future__ import annotations

from functools import partial

from ... import urls
from ...model import Site
from ..context import PlanContext
from ..layout import html_page, meta
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
    entries = tuple(
        ctx.derived.later("search entry", story, partial(search_entry, ctx.names, story)) for story in site.stories
    )
    data = Page(urls.SEARCH_INDEX, urls.output_file(urls.SEARCH_INDEX), SearchIndexFile(entries), "search index")
    return [page, data]


SECTION = Section("search", urls.SEARCH, None, pages)
