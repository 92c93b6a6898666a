"""Files for hosts and crawlers: the 404 page, the sitemap (made from every other page)
and robots.txt."""

from __future__ import annotations

from collections.abc import Sequence

from ... import urls
from ...model import Site
from ..context import PlanContext
from ..feed_model import SitemapEntry
from ..layout import html_page, meta
from ..page import Page, RobotsFile, SitemapFile
from ..section import Section

# The sitemaps.org limit for one file; a larger site gets a sitemap index.
SITEMAP_LIMIT = 50_000


def pages(ctx: PlanContext, site: Site) -> list[Page]:
    page_meta = meta(ctx, urls.NOT_FOUND, "Page not found", ctx.config.description, "machine", noindex=True)
    return [html_page(ctx, urls.NOT_FOUND, "404.html", page_meta, "404 page", None)]


def _sitemap(path: str, entries: tuple[SitemapEntry, ...], origin: str, *, index: bool = False) -> Page:
    return Page(path, urls.output_file(path), SitemapFile(entries, index), origin)


def sitemap_pages(ctx: PlanContext, planned: Sequence[Page]) -> list[Page]:
    """`sitemap.xml` listing every listed page once, split under an index when large; then
    robots.txt pointing at it."""
    entries = tuple(SitemapEntry(ctx.links.absolute(page.path), page.lastmod) for page in planned if page.listed)
    robots = Page(
        urls.ROBOTS, urls.output_file(urls.ROBOTS), RobotsFile(ctx.links.absolute(urls.SITEMAP)), "robots.txt"
    )
    if len(entries) <= SITEMAP_LIMIT:
        return [_sitemap(urls.SITEMAP, entries, "sitemap"), robots]
    parts = [entries[start : start + SITEMAP_LIMIT] for start in range(0, len(entries), SITEMAP_LIMIT)]
    made, index = [], []
    for number, part in enumerate(parts, start=1):
        path = urls.sitemap_part_path(number)
        index.append(SitemapEntry(ctx.links.absolute(path), max((e.lastmod for e in part if e.lastmod), default=None)))
        made.append(_sitemap(path, part, f"sitemap part {number}"))
    return [_sitemap(urls.SITEMAP, tuple(index), "sitemap index", index=True), *made, robots]


SECTION = Section("machine", None, None, pages, after=sitemap_pages)
