"""What templates receive: ready-made, immutable views of pages, items and feeds.

Templates never see the raw model, so a theme only arranges what it is given and cannot
get a URL, a date format or an escaping rule wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..escape import Deferred


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True, slots=True)
class Picture:
    """An image with the size its `<img>` reserves before it loads. `exact` is False when
    the content gave no size and the width and height are a stand-in of the usual shape:
    themes then crop the image into that shape rather than let the page jump."""

    url: str
    width: int
    height: int
    exact: bool = True


@dataclass(frozen=True, slots=True)
class NavLink:
    text: str
    url: str
    section: str


@dataclass(frozen=True, slots=True)
class FeedLink:
    """One feed file: `url` for links on the site, `absolute_url` for people to copy."""

    format: str  # "RSS", "Atom" or "JSON Feed"
    media_type: str
    url: str
    absolute_url: str
    title: str


@dataclass(frozen=True, slots=True)
class FeedSet:
    """The three formats of one feed (the site's, a topic's or a source's)."""

    name: str
    channel_title: str  # the feed's own title, as a reader lists the subscription
    page_url: str
    absolute_page_url: str
    links: tuple[FeedLink, ...]


@dataclass(frozen=True, slots=True)
class SiteView:
    """What every template receives as `site`."""

    title: str
    description: str
    language: str
    urls: Mapping[str, str]  # the first page of each section, by its name (`site.urls.topics`)
    feed_url: str  # the site's feed in the first format
    css_url: str
    icon_url: str | None
    nav: tuple[NavLink, ...]  # the sections that have a place in the navigation, in their order
    settings: Mapping[str, Any] = field(default_factory=dict)  # `[theme.settings]` of site.toml, as written


@dataclass(frozen=True, slots=True)
class ShareImage:
    """The image a link preview shows (Open Graph, Twitter cards); `url` is absolute."""

    url: str
    width: int | None
    height: int | None
    alt: str


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What every page needs for its head: titles, addresses, feeds and sharing data."""

    title: str
    heading: str
    description: str
    url: str
    canonical_url: str
    section: str
    feeds: tuple[FeedLink, ...] = ()
    og_type: str = "website"
    image: ShareImage | None = None
    twitter_card: str = "summary"
    published_iso: str = ""
    modified_iso: str = ""
    tags: tuple[str, ...] = ()
    json_ld: Markup | Deferred | None = None
    noindex: bool = False


@dataclass(frozen=True, slots=True)
class RelatedView:
    title: str
    url: str
    provider_name: str
    excerpt: str
    date_iso: str
    date_text: str


@dataclass(frozen=True, slots=True)
class CoverageView:
    """Another outlet's report of the same story: "Also covered by"."""

    provider: Link | None
    title: str
    url: str | None
    date_iso: str
    date_text: str


@dataclass(frozen=True, slots=True)
class ItemView:
    """An item ready to show, in a list (title, provider, date, excerpt) or on its own page."""

    title: str
    url: str
    excerpt: str
    date_iso: str
    date_text: str
    provider: Link | None
    logo: Picture | None
    image: Picture | None
    initials: str  # the source's initials, shown where it has no logo
    topics: tuple[Link, ...]
    draft: bool
    summary_html: Markup
    story_url: str | None
    story_label: str
    related: tuple[RelatedView, ...]
    also: tuple[CoverageView, ...] = ()


@dataclass(frozen=True, slots=True)
class MoreOnView:
    topic: Link
    items: tuple[ItemView, ...]


@dataclass(frozen=True, slots=True)
class DailyGroup:
    """The stories of one topic in a daily edition (`topic` None: stories without topics)."""

    topic: Link | None
    items: tuple[ItemView, ...]


@dataclass(frozen=True, slots=True)
class EditionView:
    """A day in a list of editions: its page, date and story count."""

    url: str
    date_iso: str
    date_text: str
    count: int


@dataclass(frozen=True, slots=True)
class MonthView:
    url: str
    name: str  # "February 2024"
    count: int


@dataclass(frozen=True, slots=True)
class YearView:
    year: int
    months: tuple[MonthView, ...]


@dataclass(frozen=True, slots=True)
class PageLink:
    number: int
    url: str
    is_current: bool


@dataclass(frozen=True, slots=True)
class Pagination:
    """Where a list page stands; `pages` holds the numbers to show, None where some are skipped."""

    number: int
    total: int
    previous_url: str | None
    next_url: str | None
    pages: tuple[PageLink | None, ...]


@dataclass(frozen=True, slots=True)
class TermView:
    """A topic or provider: its name, page, story count, feeds, and what the data folder
    says of it: a description, an image (a source's logo), and for topics the topic above
    it and those below it."""

    name: str
    url: str
    count: int
    logo: Picture | None = None
    domain: str = ""
    feeds: FeedSet | None = None
    description: str = ""
    image: Picture | None = None  # a topic's picture, or a source's large logo
    initials: str = ""
    parent: Link | None = None
    children: tuple[TermView, ...] = ()


@dataclass(frozen=True, slots=True)
class FeedGroup:
    """A heading on the subscribe page and in the OPML file: the site, topics or sources."""

    title: str
    feeds: tuple[FeedSet, ...]
