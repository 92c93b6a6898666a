"""The typed model of a digest: items as the curator wrote them, the stories they make, and
the site built from those.

Frozen dataclasses: once a stage has produced them nobody edits them, which is what lets
later stages run in any order or in parallel without surprises. Every field says what it
holds; addresses are site paths (see `urls`), dates are timezone-aware.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .pickled import Pickled


@dataclass(frozen=True, slots=True)
class Image(Pickled):
    url: str  # http(s), or site-relative (`/images/x.png`, served from a static folder)
    width: int | None = None  # pixels, when the content gives them
    height: int | None = None


@dataclass(frozen=True, slots=True)
class ProviderRef(Pickled):
    """A news source as one item names it (the site-wide `Provider` merges these)."""

    name: str  # as the item spells it
    domain: str  # lower case, without `www.`; "" when the item gives none
    logo: Image | None = None  # the first of the item's `provider.images`

    @property
    def key(self) -> str:
        """What makes two references the same source: the domain, else the name."""
        return self.domain or self.name.casefold()

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return provider_ref, (self.name, self.domain, self.logo)


_REFERENCES: dict[tuple[str, str, Image | None], ProviderRef] = {}


def provider_ref(name: str, domain: str, logo: Image | None = None) -> ProviderRef:
    """The one shared object for a source reference, made on first use.

    A site names few sources many times: at 10,000 make_corpus items, 30,000 references
    (each item's own and its related coverage's) name 400 sources. One object each, with
    its texts and logo, instead of one per reference, is about 1 MB less per 1,000 items in
    every process of a build and 5 % off the content cache; a cached item unpickles
    through here, so it does not make them again either. References are frozen values,
    compared by value everywhere; the table holds only as many as the sources ever met.
    """
    key = (name, domain, logo)
    reference = _REFERENCES.get(key)
    if reference is None:
        reference = _REFERENCES[key] = ProviderRef(name, domain, logo)
    return reference


@dataclass(frozen=True, slots=True)
class Related(Pickled):
    """Coverage of the same story by another outlet (from the item's `related` list)."""

    title: str  # one line, cut to the title limit
    url: str  # http(s)
    excerpt: str = ""
    published: datetime | None = None
    provider: ProviderRef | None = None
    quality: int | None = None  # as the entry gives it; unused but kept


@dataclass(frozen=True, slots=True)
class Item(Pickled):
    """One news item, validated and normalized: one content file."""

    source: str  # the file's identity: its path below its content folder (see `load.discover`)
    slug: str  # from the file name's `YYYY-MM-DD-slug`, else from the title
    path: str  # the site path of its page, from the `permalink` pattern
    title: str  # one line, cut to 300 characters
    excerpt: str  # one line, plain text; "" when none
    published_at: datetime  # publishedDateTime, in the zone it was written in (or the site's)
    updated_at: datetime | None  # updatedDateTime, never before published_at
    original_url: str | None  # the article itself (http(s))
    web_url: str | None  # the outlet's page for it (http(s))
    type: str  # "article" unless the file says otherwise
    quality: int | None  # 0 or more, no upper bound; None when not given
    heat: int | None  # 0 or more; None when not given or -1 (unknown)
    published: bool  # false: a draft, shown only with --drafts
    provider: ProviderRef | None  # the news source; from the address's host when not given
    topics: tuple[str, ...]  # as written (canonical names come in `curate.topics`)
    images: tuple[Image, ...]  # the first is the lead image
    related: tuple[Related, ...]  # other outlets' coverage, as the file lists it
    # The curator's Markdown body, rendered and made safe, as UTF-8 (b"" when none); read
    # as `summary_html`. Held as text, one character outside Latin-1 (a curly quote, an
    # emoji) makes Python store the whole body at two or four bytes a character: 4.4 KB
    # an item against 1.2 KB of UTF-8 in make_corpus's items, 32 MB at 10,000 items.
    summary_utf8: bytes
    aliases: tuple[str, ...] = ()  # older site paths that redirect to this item's page

    @property
    def summary_html(self) -> str:
        """The body's HTML ("" when none), decoded each time it is read: its readers (a
        story's feed content, its reading time, the description of a story without an
        excerpt) each read it about once; pages print it through `views.Summary`."""
        return self.summary_utf8.decode("utf-8", "surrogatepass")

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
class Story:
    """One story as the site shows it: the item whose page it is, and the other outlets'
    items on the same story (see `curate.stories`). What a page shows of the story's text,
    date and address is the lead item's; topics, heat and related coverage are the whole
    story's."""

    lead: Item  # the best item (highest quality, then earliest): the story's page is its page
    coverage: tuple[Item, ...] = ()  # the other outlets' items, oldest first ("Also covered by")
    topics: tuple[str, ...] = ()  # every member's topics once, canonical names, the lead's first
    heat: int | None = None  # the hottest member's heat
    related: tuple[Related, ...] = ()  # every member's related coverage once, members' own articles left out
    # The member whose content file names the story in feeds (see `curate.stories.first_reported`);
    # "" means the lead's. Unlike the lead, it does not change when a better outlet joins.
    founder: str = ""

    @classmethod
    def single(cls, item: Item, related: tuple[Related, ...] | None = None) -> Story:
        """A story of one item; `related`: the part of its related coverage it keeps (all of it by default)."""
        return cls(item, (), item.topics, item.heat, item.related if related is None else related, item.source)

    @property
    def identity(self) -> str:
        """The content file the story's feed id is made from (see `urls.story_id`)."""
        return self.founder or self.lead.source

    @property
    def members(self) -> tuple[Item, ...]:
        return (self.lead, *self.coverage)

    # The lead item's fields, read through the story.
    @property
    def source(self) -> str:
        return self.lead.source

    @property
    def slug(self) -> str:
        return self.lead.slug

    @property
    def path(self) -> str:
        return self.lead.path

    @property
    def title(self) -> str:
        return self.lead.title

    @property
    def excerpt(self) -> str:
        return self.lead.excerpt

    @property
    def published_at(self) -> datetime:
        return self.lead.published_at

    @property
    def updated_at(self) -> datetime | None:
        return self.lead.updated_at

    @property
    def last_change(self) -> datetime:
        return self.lead.last_change

    @property
    def published(self) -> bool:
        return self.lead.published

    @property
    def provider(self) -> ProviderRef | None:
        return self.lead.provider

    @property
    def images(self) -> tuple[Image, ...]:
        return self.lead.images

    @property
    def lead_image(self) -> Image | None:
        return self.lead.lead_image

    @property
    def story_url(self) -> str | None:
        return self.lead.story_url

    @property
    def summary_html(self) -> str:
        return self.lead.summary_html

    @property
    def quality(self) -> int | None:
        return self.lead.quality


@dataclass(frozen=True, slots=True)
class Redirect:
    """An old address that now leads to a story's page."""

    source: str  # the content file whose item used to live at `path` (or asked for it)
    path: str  # the old site path
    target: Story  # the story whose page it leads to


@dataclass(frozen=True, slots=True)
class Topic:
    name: str  # the shown spelling (see `curate.topics`)
    slug: str  # decided from every loaded item, so drafts never move the page
    stories: tuple[Story, ...]  # newest first
    description: str = ""  # from the site's data folder, like the three fields below
    image: Image | None = None
    parent: str | None = None  # the nearest topic above it that has a page
    children: tuple[str, ...] = ()  # the topics with pages that have it as `parent`


@dataclass(frozen=True, slots=True)
class Provider:
    key: str  # the domain, else the casefolded name (`ProviderRef.key`)
    name: str  # from the data folder, else from its newest story
    domain: str
    slug: str  # decided from every loaded item and the data folder, so drafts never move the page
    logo: Image | None  # small, for bylines and lists
    stories: tuple[Story, ...]  # newest first, including stories it covered as `coverage`
    description: str = ""  # from the site's data folder
    large_logo: Image | None = None  # for the source's own page


@dataclass(frozen=True, slots=True)
class MoreOn:
    """Other stories on a story's topics, headed by its most specific shared topic."""

    topic: str  # the heading's topic
    stories: tuple[Story, ...]


@dataclass(frozen=True, slots=True)
class Edition:
    """The stories of one day (in the site's time zone), hottest first."""

    day: date
    stories: tuple[Story, ...]


@dataclass(frozen=True, slots=True)
class Week:
    """The top stories of one ISO week (Monday to Sunday in the site's time zone), hottest first."""

    year: int  # the ISO year, which differs from the calendar year around New Year
    week: int  # 1-53
    stories: tuple[Story, ...]  # the week's hottest, at most `weekly_size`
    total: int  # every story of the week, shown or not

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 7)


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int  # 1-12
    stories: tuple[Story, ...]  # newest first


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the site shows, newest stories first, topics and providers by name."""

    stories: tuple[Story, ...]  # newest first; drafts included only with --drafts
    topics: tuple[Topic, ...]  # by name, case-insensitively
    providers: tuple[Provider, ...]  # by name, case-insensitively
    top_stories: tuple[Story, ...] = ()  # the home page's, hottest first
    more_on: Mapping[str, MoreOn] = field(default_factory=dict)  # by the story's source
    editions: tuple[Edition, ...] = ()  # newest day first
    months: tuple[Month, ...] = ()  # newest month first
    redirects: tuple[Redirect, ...] = ()  # by path; none on a page's address
    weeks: tuple[Week, ...] = ()  # newest week first


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
    source: str  # the data file, for messages


@dataclass(frozen=True, slots=True)
class SiteData:
    """What the curator's data folder says of topics and sources."""

    topics: tuple[TopicInfo, ...] = ()
    sources: tuple[SourceInfo, ...] = ()


NO_DATA = SiteData()
