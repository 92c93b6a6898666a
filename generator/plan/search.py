"""The search index: every listed story in one compact JSON file that the search page's
script downloads once and filters in the browser.

Searching in the browser keeps the site static: no server, no service, nothing to run
besides the files. The index is shaped for size, because a reader on a phone downloads
all of it: names of sources and topics are stored once and referred to by number, links
are root-relative, and excerpts are cut short. What a result shows is exactly what the
index holds, so nothing else needs fetching before results appear.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .views import ItemView

# Long enough to recognise a story and to match the words that matter; the full excerpt
# is one click away. Most excerpts of real digests are shorter than this.
EXCERPT_LENGTH = 160


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """The index as plain data: names once, then one row per story, newest first."""

    providers: tuple[str, ...]
    topics: tuple[str, ...]
    # (title, url, local date "YYYY-MM-DD", provider number or -1, topic numbers, excerpt).
    # The script shows the date as the pages do ("15 February 2024") with the browser's own
    # date formatting: a fifth of the file saved at 10,000 stories.
    rows: tuple[tuple[str, str, str, int, tuple[int, ...], str], ...]


def shorten_excerpt(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """`text` cut at a word before `limit` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:.-—") + "…"


def build_index(stories: Sequence[ItemView]) -> SearchIndex:
    """The index of `stories`, in the order given (the site's order: newest first)."""
    providers: dict[str, int] = {}
    topics: dict[str, int] = {}
    rows = []
    for story in stories:
        provider = providers.setdefault(story.provider.text, len(providers)) if story.provider else -1
        topic_numbers = tuple(topics.setdefault(topic.text, len(topics)) for topic in story.topics)
        rows.append(
            (
                story.title,
                story.url,
                story.date_iso[:10],
                provider,
                topic_numbers,
                shorten_excerpt(story.excerpt),
            )
        )
    return SearchIndex(tuple(providers), tuple(topics), tuple(rows))
