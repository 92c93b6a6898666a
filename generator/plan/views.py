"""What templates receive: ready-made, immutable views of pages, items and feeds.

Templates never see the raw model, so a theme only arranges what it is given and cannot
get a URL, a date format or an escaping rule wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import Any

from markupsafe import Markup

from .. import urls
from ..escape import Deferred
from ..load.markdown import rewrite_urls


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
    script_url: str  # the reader's conveniences (compact mode, keys, saved stories, times)
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
class Outlet:
    """Another outlet's report of a story: a name in the river's "More:" line, an entry of
    "Also covered by" on the story's page."""

    name: str  # the outlet ("" when unknown: the headline stands alone)
    title: str  # its headline
    url: str | None  # its article
    source_url: str | None  # the outlet's page on this site, when it has one
    logo: Picture | None
    initials: str
    date_iso: str  # "" when the date is unknown
    date_text: str


@dataclass(frozen=True, slots=True)
class Summary:
    """The curator's summary as a story's page shows it: trusted HTML, its site-relative
    links moved under the site's base path; true when there is one.

    Every story's view lives as long as the build (it is the story's card on every list),
    yet only the story's page and its API document print the summary. So the view holds
    the item's UTF-8 (`Item.summary_utf8`), and the HTML is made each time it is printed:
    decoded into each view, the bodies took 41 MB at 10,000 items, as much as the items'
    own UTF-8 saves."""

    utf8: bytes
    base_path: str = "/"

    def __html__(self) -> str:
        html = self.utf8.decode("utf-8", "surrogatepass")
        if self.base_path == "/":
            return html
        return rewrite_urls(html, partial(urls.asset_under, self.base_path))

    def __str__(self) -> str:
        return self.__html__()

    def __bool__(self) -> bool:
        return bool(self.utf8)


@dataclass(frozen=True, slots=True)
class ItemView:
    """A story ready to show: in a river (headline, source, time, topics, other outlets) or
    on its own page (with its image, summary and coverage)."""

    title: str
    url: str
    excerpt: str
    date_iso: str  # the full moment, for <time datetime> (and the script's "3 h ago")
    date_text: str  # "15 February 2024"
    time_text: str  # "15 Feb 2024, 18:05", in the site's zone: what a river shows without script
    provider: Link | None
    logo: Picture | None
    image: Picture | None
    initials: str  # the source's initials, shown where it has no logo
    topics: tuple[Link, ...]
    draft: bool
    summary_html: Summary  # printed as HTML
    story_url: str | None
    story_label: str  # "Read the full story at …"
    outlets: tuple[Outlet, ...] = ()  # other outlets' coverage: the digest's own items, then `related`
    more: tuple[Outlet, ...] = ()  # the outlets a river names in "More:", each once
    updated_iso: str = ""  # when updatedDateTime is set
    updated_text: str = ""
    reading_minutes: int = 0  # of the summary, at 220 words a minute; 0 without one


@dataclass(frozen=True, slots=True)
class MoreOnView:
    topic: Link
    items: tuple[ItemView, ...]


@dataclass(frozen=True, slots=True)
class DailyGroup:
    """The stories of one topic in a daily edition (`topic` None: stories without topics);
    stories are numbered through the whole edition, this group's from `start`."""

    topic: Link | None
    items: tuple[ItemView, ...]
    start: int = 1


@dataclass(frozen=True, slots=True)
class EditionView:
    """A day or a week in a list of editions: its page, date, story count and lead headline."""

    url: str
    date_iso: str  # a valid `<time datetime>`: 2024-02-15, or 2024-W07 for a week
    date_text: str  # "15 February 2024", "Week 7, 2024"
    count: int  # the stories it shows
    lead: Link | None = None  # its hottest story
    span_text: str = ""  # a week's days: "12–18 February 2024"
    total: int = 0  # a week's stories, shown or not


@dataclass(frozen=True, slots=True)
class MonthView:
    url: str
    name: str  # "February 2024"
    count: int

    def settled(self) -> MonthView:
        """The month as its numbered pages show it: without its count (see `TermView.settled`)."""
        return replace(self, count=0)


@dataclass(frozen=True, slots=True)
class YearView:
    year: int
    months: tuple[MonthView, ...]
    weeks: tuple[EditionView, ...] = ()  # the weekly editions of its ISO weeks, newest first


@dataclass(frozen=True, slots=True)
class PageLink:
    number: int  # 0: the list's front page
    text: str  # "Latest", "3"
    url: str
    is_current: bool


@dataclass(frozen=True, slots=True)
class Pagination:
    """Where a list page stands; `pages` holds the pages to link, None where some are skipped.
    Numbered pages count from the oldest story (see `layout.list_chunks`)."""

    number: int  # 0: the front page
    label: str  # what a numbered page says of itself; "" on the front page
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

    def settled(self) -> TermView:
        """The term as a numbered list page shows it: without the counts, which change with
        every new story, so that a full page's inputs (and its digest) stay the same."""
        return replace(self, count=0, children=tuple(child.settled() for child in self.children))


@dataclass(frozen=True, slots=True)
class FeedGroup:
    """A heading on the subscribe page and in the OPML file: the site, topics or sources."""

    title: str
    feeds: tuple[FeedSet, ...]


@dataclass(frozen=True, slots=True)
class EmailSite:
    """What every email says of the site: its name and addresses (all absolute: a mail has no
    page to resolve a link against), and what the sending service fills in."""

    title: str
    language: str
    url: str  # the home page
    subscribe_url: str
    unsubscribe: str  # the service's placeholder, as site.toml gives it
    postal_address: str  # "" when not set
    logo: Picture | None  # the site's logo at header size, when it is an image mail clients show
    settings: Mapping[str, Any] = field(default_factory=dict)  # `[theme.settings]`, as `site.settings`


@dataclass(frozen=True, slots=True)
class EmailStory:
    """A story as an email shows it: absolute addresses, images sized for the mail's column."""

    number: int  # through the whole edition
    title: str
    url: str  # its page on the site
    source: str  # the outlet's name, "" when unknown
    logo: Picture | None  # small; None where mail clients could not show it (SVG)
    time_text: str  # "15 Feb 2024, 18:05", in the site's zone
    date_iso: str
    excerpt: str
    image: Picture | None  # the lead image, scaled to fit the column
    original: Link | None  # "Read at <source>", to the original article
    more: tuple[Link, ...]  # the other outlets' articles ("" as url: the outlet gave none)
    more_hidden: int  # outlets past those `more` names, counted on the story's page
    coverage_url: str  # where the story's page lists every outlet
    share: tuple[Link, ...]  # share this story elsewhere
    draft: bool = False


@dataclass(frozen=True, slots=True)
class EmailGroup:
    """The stories of one topic in an email (`topic` None: stories without topics)."""

    topic: Link | None
    stories: tuple[EmailStory, ...]


@dataclass(frozen=True, slots=True)
class EmailView:
    """An edition (a day's or a week's) as an email: what `email.html` and `email.txt` receive
    as `email`. `left_out` stories did not fit the size a mail client shows unclipped; the
    mail ends with a link to them on the edition's page."""

    kind: str  # the edition's section: "daily", "weekly"
    key: str  # what `digest email KEY` names it by: "2024-02-15", "2024-W07"
    title: str  # "15 February 2024", "Week 7, 2024 (12–18 February 2024)"
    heading: str  # "Daily edition"
    description: str  # "2 stories, by topic, hottest first"
    subject: str  # "The AI Digest: 15 February 2024"
    preheader: str  # the first headlines, the line mail clients show after the subject
    url: str  # the edition's page
    date_iso: str  # its first day
    moment: datetime  # what the message is dated: the start of its first day, in the site's zone
    count: int  # stories in the edition
    groups: tuple[EmailGroup, ...]
    site: EmailSite
    left_out: int = 0
