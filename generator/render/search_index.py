"""The search index as the files the search page's script downloads."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..plan.search import SearchIndex

FORMAT_VERSION = 2


def index_bytes(index: SearchIndex, parts: Sequence[str] | None = None) -> bytes:
    """Compact UTF-8 JSON. Each row is an array, not an object: field names repeated for
    every story would be a third of the file. The script reads the fields by position,
    and `v` lets a future script refuse an index it does not understand. Each file names
    its own sources and topics, so a part stands alone; `parts` (in the first file only)
    are the addresses of the others, newest first."""
    document: dict[str, object] = {
        "v": FORMAT_VERSION,
        "fields": ["title", "url", "date", "provider", "topics", "excerpt"],
        "providers": index.providers,
        "topics": index.topics,
        "items": index.rows,
    }
    if parts is not None:
        document["parts"] = list(parts)
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    # "</" never appears raw, so the index can never end a <script> if a theme inlines it.
    return text.replace("</", "<\\/").encode("utf-8") + b"\n"
