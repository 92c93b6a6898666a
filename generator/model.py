"""The typed model of a digest: items as the curator wrote them, and the site built from them.

Frozen dataclasses: once a stage has produced them nobody edits them, which is what lets
later stages run in any order or in parallel without surprises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True)
class ProviderRef:
    """A news source as one item names it (the site-wide `Provider` merges these)."""

    name: str
    domain: str
    logo: Image | None = None

    @property
    def key(self) -> str:
        """What makes two references the same source: the domain, else the name."""
        return self.domain or self.name.casefold()


@dataclass(frozen=True, slots=True)
class Related:
    """Coverage of the same story by another outlet (from the item's `related` list)."""

    title: str
    url: str
    excerpt: str = ""
    published: datetime | None = None
    provider: ProviderRef | None = None
    quality: int | None = None


@dataclass(frozen=True, slots=True)
class Item:
    """One news item, validated and normalized; `source` is its path below `content/`."""

    source: str
    slug: str
    path: str
    title: str
    excerpt: str
    published_at: datetime
    updated_at: datetime | None
    original_url: str | None
    web_url: str | None
    type: str
    quality: int | None
    heat: int | None
    published: bool
    provider: ProviderRef | None
    topics: tuple[str, ...]
    images: tuple[Image, ...]
    related: tuple[Related, ...]
    summary_html: str
    coverage: tuple[Item, ...] = ()  # other outlets' items on the same story (see stories.py)
    aliases: tuple[str, ...] = ()  # older addresses (site paths) that redirect to this item's page

    @property
    def story_url(self) -> str | None:
        """Where "read the full story" points: the original article, else the outlet's page."""
        return self.original_url or self.web_url

    @property
    def last_change(self) -> datetime:
        return self.updated_at or self.published_at

    @property
    def lead_image(self) -> Image | None:
        return self.images[0] if self.images else None


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    slug: str
    items: tuple[Item, ...]
    description: str = ""  # from the site's data folder, like the three fields below
    image: Image | None = None
    parent: str | None = None  # the nearest topic above it that has a page
    children: tuple[str, ...] = ()  # the topics with pages that have it as `parent`


@dataclass(frozen=True, slots=True)
class Provider:
    key: str
    name: str
    domain: str
    slug: str
    logo: Image | None  # small, for bylines and lists
    items: tuple[Item, ...]
    description: str = ""  # from the site's data folder
    large_logo: Image | None = None  # for the source's own page


@dataclass(frozen=True, slots=True)
class MoreOn:
    """Other stories on a story's topics, headed by its most specific shared topic."""

    topic: str
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Edition:
    """The stories of one day (in the site's time zone), hottest first."""

    day: date
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the site shows, newest items first, topics and providers by name."""

    items: tuple[Item, ...]
    topics: tuple[Topic, ...]
    providers: tuple[Provider, ...]
    top_stories: tuple[Item, ...] = ()
    more_on: Mapping[str, MoreOn] = field(default_factory=dict)
    editions: tuple[Edition, ...] = ()  # newest day first
    months: tuple[Month, ...] = ()  # newest month first


@dataclass(frozen=True, slots=True)
class TopicInfo:
    """A topic as a data file describes it."""

    name: str  # the spelling pages show
    ids: tuple[str, ...]  # other names that refer to it (`_id`), for `parent` references
    parent: str | None  # the parent topic's name or id, as written
    description: str
    image: Image | None
    source: str  # the data file, for messages


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """A news source (an "organization") as a data file describes it."""

    name: str
    domains: tuple[str, ...]  # the domain, then any `aliases`: items from these are this source
    description: str
    logos: tuple[Image, ...]
    source: str


@dataclass(frozen=True, slots=True)
class SiteData:
    topics: tuple[TopicInfo, ...] = ()
    sources: tuple[SourceInfo, ...] = ()


NO_DATA = SiteData()
