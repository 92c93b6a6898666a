"""Turn a planned page into bytes: its template for an HTML page, the writer of its kind
for every other file. The one place that knows which payload becomes which bytes."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from ..escape import json_text
from ..feed_formats import format_named
from ..plan.derived import Later, made
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
        """Forget the texts of feed and API entries, which are cached across lists by entry: each
        entry leads to the build's whole plan, which a long-running `digest serve` would
        otherwise keep until the next build, and every build would free at exit."""
        forget_entry_texts()
        _story_json.cache_clear()

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


def json_bytes(document: dict[str, Any] | Later[dict[str, Any]]) -> bytes:
    """Compact UTF-8 JSON ending in a newline, with the escapes of `json_text`: a document
    that a theme inlines in a `<script>` cannot end it, and every format carries the same
    cleaned text.

    A list's stories (its last field, `items`) are written from each story's text, made
    once per process: a story is on the list of every story, of each of its topics and of
    its sources, and writing its entry again for each list was most of writing the API.
    Escapes and cleaning act on each string alone, so the bytes are those of the whole
    document written at once."""
    document = made(document)
    items = document.get("items")
    if not isinstance(items, list) or next(reversed(document)) != "items" or len(document) < 2:
        return (json_text(document, default=made) + "\n").encode("utf-8")
    head = json_text({key: value for key, value in document.items() if key != "items"}, default=made)
    return b"".join(
        (head.removesuffix("}").encode("utf-8"), b',"items":[', b",".join(map(_json_value, items)), b"]}\n")
    )


def _json_value(value: Any) -> bytes:
    return _story_json(value) if type(value) is Later else json_text(value, default=made).encode("utf-8")


# A story's API entry as text, by the `Later` that stands for it (one per story and plan);
# bounded as the feeds' entry texts are (see `feeds`), and forgotten with them.
@lru_cache(maxsize=20_000)
def _story_json(entry: Later[dict[str, Any]]) -> bytes:
    return json_text(entry.made(), default=made).encode("utf-8")
