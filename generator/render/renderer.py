"""Turn a planned page into bytes: its template for an HTML page, the writer of its kind
for every other file. The one place that knows which payload becomes which bytes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..feed_formats import format_named
from ..plan.page import FeedFile, Html, OpmlFile, Page, RobotsFile, SearchIndexFile, SitemapFile
from .jinja import Templates
from .search_index import index_bytes
from .sitemap import opml_bytes, robots_bytes, sitemap_bytes


class Renderer:
    def __init__(self, template_dirs: Sequence[Path]) -> None:
        self.templates = Templates(template_dirs)

    def render(self, page: Page) -> bytes:
        payload = page.payload
        match payload:
            case Html():
                return self.templates.render(payload.template, payload.context, page.origin)
            case FeedFile():
                return format_named(payload.format).write(payload.channel)
            case SitemapFile():
                return sitemap_bytes(payload.entries, index=payload.index)
            case RobotsFile():
                return robots_bytes(payload.sitemap_url)
            case OpmlFile():
                return opml_bytes(payload.title, payload.groups, payload.modified)
            case SearchIndexFile():
                return index_bytes(payload.index)
        raise TypeError(f"no writer for {type(payload).__name__} ({page.origin})")
