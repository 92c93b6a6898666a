"""Feeds and discovery files as plain data: what the plan hands the writers in `render`.

Every URL here is absolute and every date the content's own, so the writers only format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..escape import Deferred


@dataclass(frozen=True, slots=True)
class FeedAuthor:
    """Who wrote the original story: for a digest, the news source."""

    name: str
    url: str | None
    feed_url: str | None  # the source's own feed on this site, for RSS `<source>`


@dataclass(frozen=True, slots=True)
class FeedImage:
    url: str
    width: int | None
    height: int | None


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One story as every format needs it; every URL is absolute."""

    title: str
    link: str
    published: datetime
    updated: datetime | None
    summary: str  # plain text
    content_html: str | Deferred
    categories: tuple[tuple[str, str], ...]  # (topic name, absolute topic page URL)
    author: FeedAuthor | None = None
    image: FeedImage | None = None
    external_url: str | None = None  # the original article
    source: str = ""  # the content file whose body is in `content_html`, if any
    guid: str = ""  # a story's lasting id (see `urls.story_id`); "" for an edition, known by its link

    @property
    def id(self) -> str:
        """What a feed reader knows the entry by, across every rebuild and correction."""
        return self.guid or self.link

    @property
    def id_is_link(self) -> bool:
        return not self.guid

    @property
    def last_change(self) -> datetime:
        return self.updated or self.published


@dataclass(frozen=True, slots=True)
class FeedChannel:
    title: str
    link: str  # the list page the feed follows
    urls: tuple[tuple[str, str], ...]  # (feed format key, absolute URL of this feed in it), one per format
    description: str
    language: str
    author: str
    entries: tuple[FeedEntry, ...]
    icon: str | None = None  # small and square (a favicon)
    logo: str | None = None  # larger, for RSS <image>, Atom <logo> and JSON Feed `icon`
    hub: str | None = None  # the WebSub hub that readers may subscribe at for pushed updates

    def feed_url(self, format_key: str) -> str:
        """This feed's own address in one format (a document's self link)."""
        return dict(self.urls)[format_key]

    @property
    def updated(self) -> datetime | None:
        """The newest change among the entries: the feed changes only when they do."""
        return max((entry.last_change for entry in self.entries), default=None)


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    url: str  # absolute
    lastmod: datetime | None  # the page's last change, when it has one


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One feed in the OPML list: its title, the page it follows and its address per format."""

    title: str
    html_url: str
    urls: tuple[tuple[str, str], ...]  # (OPML attribute, absolute URL), the primary format's first


@dataclass(frozen=True, slots=True)
class OpmlGroup:
    title: str  # "Everything", "Topics", "Sources"
    feeds: tuple[OpmlFeed, ...]
