"""The search index as the file the search page's script downloads."""

from __future__ import annotations

import json

from ..plan.search import SearchIndex

FORMAT_VERSION = 1


def index_bytes(index: SearchIndex) -> bytes:
    """Compact UTF-8 JSON. Each row is an array, not an object: field names repeated for
    every story would be a third of the file. The script reads the fields by position,
    and `v` lets a future script refuse an index it does not understand."""
    document = {
        "v": FORMAT_VERSION,
        "fields": ["title", "url", "date", "provider", "topics", "excerpt"],
        "providers": index.providers,
        "topics": index.topics,
        "items": index.rows,
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    # "</" never appears raw, so the index can never end a <script> if a theme inlines it.
    return text.replace("</", "<\\/").encode("utf-8") + b"\n"
