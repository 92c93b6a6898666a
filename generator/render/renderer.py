"""Turn a planned page into bytes: its template for an HTML page, the writer of its kind
for every other file. The one place that knows which payload becomes which bytes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..escape import json_text
from ..feed_formats import format_named
from ..plan.derived import made
from ..plan.page import EmailFile, FeedFile, Html, JsonFile, OpmlFile, Page, RobotsFile, SearchIndexFile, SitemapFile
from ..plan.search import build_index
from .email import EmailRenderer
from .jinja import Templates
from .search_index import index_bytes
from .sitemap import opml_bytes, robots_bytes, sitemap_bytes


class Renderer:
    def __init__(self, template_dirs: Sequence[Path]) -> None:
        self.templates = Templates(template_dirs)
        self.emails = EmailRenderer(self.templates)

    def render(self, page: Page) -> bytes:
        payload = page.payload
        match payload:
            case Html():
                return self.templates.render(payload.template, made(payload.context), page.origin)
            case FeedFile():
                return format_named(payload.format).write(payload.channel)
            case SitemapFile():
                return sitemap_bytes(payload.entries, index=payload.index)
            case RobotsFile():
                return robots_bytes(payload.sitemap_url)
            case OpmlFile():
                return opml_bytes(payload.title, payload.groups, payload.modified)
            case SearchIndexFile():
                return index_bytes(build_index(payload.entries))
            case EmailFile():
                return self.emails.render(payload, page.origin)
            case JsonFile():
                return json_bytes(payload.document)
        raise TypeError(f"no writer for {type(payload).__name__} ({page.origin})")


def json_bytes(document: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON ending in a newline, with the escapes of `json_text`: a document
    that a theme inlines in a `<script>` cannot end it, and every format carries the same
    cleaned text."""
    return (json_text(document, default=made) + "\n").encode("utf-8")
