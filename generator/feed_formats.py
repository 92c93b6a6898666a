"""Every feed format the site publishes, one row each.

Each list that has feeds (the site, a topic, a source, the daily editions) is published
in every format listed here, or in those the site chooses (the `feed_formats` setting): the
plan makes one file per row and advertises each on the pages and the subscribe page, the
renderer writes each with its row's writer, and the OPML list gives each row's address
under its row's attribute. Adding a format is adding a row; nothing else names the formats.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .plan.feed_model import FeedChannel
from .render import feeds


@dataclass(frozen=True)
class FeedFormat:
    key: str  # what names the format in the plan ("rss")
    label: str  # what readers are told ("RSS")
    media_type: str  # for `<link rel="alternate" type=…>`
    file_name: str  # in the list's own folder ("feed.xml")
    write: Callable[[FeedChannel], bytes]
    # The OPML outline attribute for its address when it is not the site's first format,
    # whose address is always `xmlUrl`, the one attribute every reader takes.
    opml_attribute: str


FORMATS: tuple[FeedFormat, ...] = (
    FeedFormat("rss", "RSS", feeds.RSS_TYPE, "feed.xml", feeds.rss_bytes, "rssUrl"),
    FeedFormat("atom", "Atom", feeds.ATOM_TYPE, "atom.xml", feeds.atom_bytes, "atomUrl"),
    FeedFormat("json_feed", "JSON Feed", feeds.JSON_FEED_TYPE, "feed.json", feeds.json_feed_bytes, "jsonFeedUrl"),
)


def formats() -> tuple[FeedFormat, ...]:
    """The formats, read when asked (so a test may add one for the length of a build)."""
    return FORMATS


def format_named(key: str) -> FeedFormat:
    return next(row for row in formats() if row.key == key)


def chosen(keys: Sequence[str]) -> tuple[FeedFormat, ...]:
    """The rows a site publishes: those its `feed_formats` names, in its order, or every row."""
    return tuple(format_named(key) for key in keys) if keys else formats()


def opml_attributes(rows: Sequence[FeedFormat]) -> tuple[str, ...]:
    """The outline attribute of each chosen format's address: `xmlUrl` for the first."""
    return tuple("xmlUrl" if number == 0 else row.opml_attribute for number, row in enumerate(rows))
