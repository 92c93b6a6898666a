"""The search index: every listed story in compact JSON files that the search page's
script downloads once and filters in the browser.

Searching in the browser keeps the site static: no server, no service, nothing to run
besides the files. The index is shaped for size, because a reader on a phone downloads
all of it: names of sources and topics are stored once per file and referred to by
number, links are root-relative, and excerpts are cut short. What a result shows is
exactly what the index holds, so nothing else needs fetching before results appear.

The index is cut as list pages are, counted from the oldest story: each closed part holds
`PART_SIZE` stories and never changes once full, and `search/index.json` holds the newer
rest with the parts' addresses. A new story rewrites that one file, not the whole index,
and a reader's browser keeps the parts it fetched before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Story
from .present import Naming

# Long enough to recognise a story and to match the words that matter; the full excerpt
# is one click away. Most excerpts of real digests are shorter than this.
EXCERPT_LENGTH = 160
# Stories in each closed part: about 160 KB (45 KB compressed), so a build adding a story
# writes at most that much again, and a site of 10,000 stories is some twenty files.
PART_SIZE = 500


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


@dataclass(frozen=True, slots=True)
class SearchEntry:
    """What the index holds of one story, as its card shows it."""

    title: str
    url: str
    day: str  # its local date, "YYYY-MM-DD"
    provider: str | None  # the source's name as the site shows it; None without one
    topics: tuple[str, ...]
    excerpt: str


def search_entry(names: Naming, story: Story) -> SearchEntry:
    """A story's entry, read from the story and the site's names as its view reads them
    (`present.item_view`), without making the view: the index changes with every new
    story, and making ten thousand views for it would be most of a warm build."""
    provider = names.provider_links.get(story.provider.key) if story.provider else None
    return SearchEntry(
        story.title,
        names.links.href(story.path),
        story.published_at.astimezone(names.tz).date().isoformat(),
        provider.text if provider else None,
        tuple(names.topic_links[name].text for name in story.topics),
        story.excerpt,
    )


def build_index(entries: Sequence[SearchEntry]) -> SearchIndex:
    """The index of `entries`, in the order given (the site's order: newest first)."""
    providers: dict[str, int] = {}
    topics: dict[str, int] = {}
    rows = []
    for entry in entries:
        provider = providers.setdefault(entry.provider, len(providers)) if entry.provider is not None else -1
        topic_numbers = tuple(topics.setdefault(topic, len(topics)) for topic in entry.topics)
        rows.append((entry.title, entry.url, entry.day, provider, topic_numbers, shorten_excerpt(entry.excerpt)))
    return SearchIndex(tuple(providers), tuple(topics), tuple(rows))
