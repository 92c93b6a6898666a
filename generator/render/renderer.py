"""Turn a planned page into bytes: its template for an HTML page, the writer of its kind
for every other file. The one place that knows which payload becomes which bytes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2

from ..escape import json_text
from ..feed_formats import format_named
from ..plan.derived import made
from ..plan.page import EmailFile, FeedFile, Html, JsonFile, OpmlFile, Page, RobotsFile, SearchIndexFile, SitemapFile
from ..plan.search import build_index
from .email import EmailRenderer
from .feeds import forget_entry_texts
from .jinja import Templates
from .search_index import index_bytes
from .sitemap import opml_bytes, robots_bytes, sitemap_bytes


class Renderer:
    """Used as a context manager: leaving it drops what rendering cached for the pages
    of one build (see `close`)."""

    def __init__(self, template_dirs: Sequence[Path], compiled: jinja2.BytecodeCache | None = None) -> None:
        self.templates = Templates(template_dirs, compiled)  # `compiled`: templates kept between builds
        self.emails = EmailRenderer(self.templates)

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Forget the feed entries' texts, which are cached across feeds by entry: each
        entry leads to the build's whole plan, which a long-running `digest serve` would
        otherwise keep until the next build, and every build would free at exit."""
        forget_entry_texts()

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
                return index_bytes(build_index(payload.entries), payload.parts)
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
