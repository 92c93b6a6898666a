"""A planned page: where it goes, what it is made from, and which content it shows.

The payload says what the renderer makes of the page: an HTML template and its context,
or the plain data of a feed, a sitemap, robots.txt, the OPML list, the search index or a
document of the JSON API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from .derived import Later
from .feed_model import FeedChannel, OpmlGroup, SitemapEntry
from .search import SearchEntry
from .views import EmailView


@dataclass(frozen=True, slots=True)
class Html:
    template: str  # below the theme's templates/
    # `site`, `page` and the template's own names (see the README's table); a story's page
    # gets it made when it is rendered (`derived.Later`).
    context: dict[str, Any] | Later[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class FeedFile:
    format: str  # a `feed_formats` key
    channel: FeedChannel


@dataclass(frozen=True, slots=True)
class SitemapFile:
    entries: tuple[SitemapEntry, ...]
    index: bool = False  # a sitemap index pointing at parts, not a list of pages


@dataclass(frozen=True, slots=True)
class RobotsFile:
    sitemap_url: str


@dataclass(frozen=True, slots=True)
class OpmlFile:
    title: str
    groups: tuple[OpmlGroup, ...]
    modified: datetime | None


@dataclass(frozen=True, slots=True)
class SearchIndexFile:
    """One file of the search index: these stories (newest first), made when it is written.
    The first file (`search/index.json`) also gives the addresses of the closed parts,
    newest first; a closed part has None."""

    entries: tuple[SearchEntry, ...]
    parts: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class EmailFile:
    """One part of an edition's email: `email.html` or `email.txt`, receiving `email`.

    Both parts of one email show the same stories: as many as keep the HTML part within
    `max_bytes` (Gmail cuts a longer message off behind a "View entire message" link), which
    only rendering can tell, so the renderer decides and the plan only sets the limit.
    """

    template: str  # below the theme's templates/
    email: EmailView
    max_bytes: int  # of the HTML part
    measured: str = "email.html"  # the template of the HTML part, whose size decides


@dataclass(frozen=True, slots=True)
class JsonFile:
    """A JSON document (of the API), as plain dicts, lists, text and numbers, any of which may
    be a story's object made when it is written (`derived.Later`). Its keys are written in
    the order the plan made them, so the bytes are the same at every build."""

    document: dict[str, Any] | Later[dict[str, Any]]


@dataclass(frozen=True, slots=True, eq=False)
class Unit:
    """Pages planned together by one call (a list's pages and feeds, a list of the API),
    from nothing but what the call is given and the settings, code and templates.

    A section hands the plan a unit instead of its pages. A warm build whose setup is the
    last build's asks whether the unit's call and arguments are those of a unit of the last
    build (`incremental.units`): then its pages are that unit's, planned and digested then,
    and are not planned again (see `Kept`). A unit's call may read from the plan context only
    what the setup decides (settings, links, the chrome) and each story's objects through its
    arguments' stories; anything else it shows must be an argument.
    """

    make: partial[list[Page]]


@dataclass(frozen=True, slots=True)
class Kept:
    """The payload of a page of a unit that the last build planned from the same inputs: the
    page is as it was then, and its file (whose payload digest was `digest`) is kept. Made
    again from its unit in the rare build that must render it (its file is gone; see
    `pages.made_again`)."""

    unit: Unit
    index: int  # its place among the unit's pages
    digest: str  # its payload digest at the last build


Payload = Html | FeedFile | SitemapFile | RobotsFile | OpmlFile | SearchIndexFile | JsonFile | EmailFile | Kept


@dataclass(frozen=True, slots=True)
class Page:
    """One file of the site.

    `shows` names the content files whose Markdown body this page displays: its own story's
    page, and the feeds that carry those stories' summaries. Anything else of an item (its
    title, date, excerpt, topics) may appear on many pages without being listed, because
    `shows` serves one question only: after an edit that changed nothing but bodies, which
    pages can differ? Only those that show an edited body (see `incremental.rebuild`).
    """

    path: str  # the site path (see `urls`)
    output: str  # the file below the output folder
    payload: Payload
    origin: str  # what it was planned from, for messages ("topic 'AI'")
    # Its newest content's last change: the sitemap's date, and the order pages are rendered
    # in (see `pages.render_order`).
    lastmod: datetime | None = None
    listed: bool = False  # in the sitemap
    shows: frozenset[str] = field(default_factory=frozenset)

    @property
    def template(self) -> str:
        return self.payload.template if isinstance(self.payload, Html | EmailFile) else ""
