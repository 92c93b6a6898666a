"""Plan every page of the site: its address, its output file, its template and its context.

Templates receive ready-made views (titles, links, formatted dates), never the raw model,
so a theme only arranges what it is given and cannot get a URL or a date format wrong.
Each item's view is built once and shared by every list that shows it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from markupsafe import Markup

from . import urls
from .config import SiteConfig
from .feeds import FeedChannel, FeedEntry
from .model import Image, Item, Provider, Related, Site, Topic
from .urls import Urls

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DESCRIPTION_LENGTH = 200
_PAGINATION_REACH = 2


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True, slots=True)
class Picture:
    url: str
    width: int | None
    height: int | None


@dataclass(frozen=True, slots=True)
class NavLink:
    text: str
    url: str
    section: str


@dataclass(frozen=True, slots=True)
class SiteView:
    title: str
    description: str
    language: str
    home_url: str
    topics_url: str
    providers_url: str
    feed_url: str
    css_url: str
    nav: tuple[NavLink, ...]


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What every page needs for its head: title, description, canonical address, section."""

    title: str
    heading: str
    description: str
    url: str
    canonical_url: str
    section: str


@dataclass(frozen=True, slots=True)
class RelatedView:
    title: str
    url: str
    provider_name: str
    excerpt: str
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
    topics: tuple[Link, ...]
    draft: bool
    summary_html: Markup
    story_url: str | None
    story_label: str
    related: tuple[RelatedView, ...]


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
    """A topic or provider in an index: its name, page, story count and (providers) logo."""

    name: str
    url: str
    count: int
    logo: Picture | None = None
    domain: str = ""


@dataclass(frozen=True, slots=True)
class Page:
    """One file to produce: rendered by `template` ("*.html") or by a feed writer ("rss")."""

    path: str
    output: str
    kind: Literal["html", "rss"]
    template: str
    context: dict[str, Any]
    origin: str


def format_date(moment: datetime) -> str:
    """'15 February 2024': the same in every locale, so builds are reproducible anywhere."""
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"


def _shorten(text: str, limit: int = _DESCRIPTION_LENGTH) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _picture(image: Image | None, links: Urls) -> Picture | None:
    return Picture(links.asset(image.url), image.width, image.height) if image else None


class _Planner:
    """Holds what every page shares (links, chrome, item views) while the pages are planned."""

    def __init__(self, site: Site, config: SiteConfig) -> None:
        self.site = site
        self.config = config
        self.tz = config.tz
        self.links = Urls(config.base_url)
        self.topic_links = {
            topic.name: Link(topic.name, self.links.href(urls.topic_path(topic.slug))) for topic in site.topics
        }
        self.provider_links = {
            provider.key: Link(provider.name, self.links.href(urls.provider_path(provider.slug)))
            for provider in site.providers
        }
        self.providers = {provider.key: provider for provider in site.providers}
        self.views = {item.source: self.item_view(item) for item in site.items}
        self.chrome = SiteView(
            title=config.title,
            description=config.description,
            language=config.language,
            home_url=self.links.href(urls.HOME),
            topics_url=self.links.href(urls.TOPICS),
            providers_url=self.links.href(urls.PROVIDERS),
            feed_url=self.links.href(urls.FEED),
            css_url=self.links.href("css/style.css"),
            nav=(
                NavLink("Latest", self.links.href(urls.HOME), "home"),
                NavLink("Topics", self.links.href(urls.TOPICS), "topics"),
                NavLink("Sources", self.links.href(urls.PROVIDERS), "providers"),
            ),
        )

    def item_view(self, item: Item) -> ItemView:
        local = item.published_at.astimezone(self.tz)
        provider = item.provider
        provider_link = self.provider_links.get(provider.key) if provider else None
        logo = self.providers[provider.key].logo if provider else None
        return ItemView(
            title=item.title,
            url=self.links.href(item.path),
            excerpt=item.excerpt,
            date_iso=local.isoformat(),
            date_text=format_date(local),
            provider=provider_link,
            logo=_picture(logo, self.links),
            image=_picture(item.lead_image, self.links),
            topics=tuple(self.topic_links[name] for name in item.topics),
            draft=not item.published,
            summary_html=Markup(item.summary_html),
            story_url=item.story_url,
            story_label=f"Read the full story at {provider.name}" if provider else "Read the full story",
            related=tuple(self.related_view(related) for related in item.related),
        )

    def related_view(self, related: Related) -> RelatedView:
        local = related.published.astimezone(self.tz) if related.published else None
        return RelatedView(
            title=related.title,
            url=related.url,
            provider_name=related.provider.name if related.provider else "",
            excerpt=related.excerpt,
            date_iso=local.isoformat() if local else "",
            date_text=format_date(local) if local else "",
        )

    def meta(self, path: str, heading: str, description: str, section: str, number: int = 1) -> PageMeta:
        title = heading if path == urls.HOME and number == 1 else f"{heading} — {self.config.title}"
        if number > 1:
            title = f"{heading} (page {number}) — {self.config.title}"
        return PageMeta(
            title, heading, _shorten(description), self.links.href(path), self.links.absolute(path), section
        )

    def html(self, path: str, template: str, meta: PageMeta, origin: str, **context: Any) -> Page:
        return Page(
            path, urls.output_file(path), "html", template, {"site": self.chrome, "page": meta, **context}, origin
        )

    def list_pages(
        self,
        first_path: str,
        items: Sequence[Item],
        template: str,
        heading: str,
        description: str,
        section: str,
        origin: str,
        **context: Any,
    ) -> list[Page]:
        """A list split into pages of `items_per_page`; an empty list still gets its first page."""
        per_page = self.config.items_per_page
        total = max(1, math.ceil(len(items) / per_page))
        pages = []
        for number in range(1, total + 1):
            path = urls.paginated_path(first_path, number)
            chunk = items[(number - 1) * per_page : number * per_page]
            pages.append(
                self.html(
                    path,
                    template,
                    self.meta(path, heading, description, section, number),
                    origin,
                    items=tuple(self.views[item.source] for item in chunk),
                    pagination=self.pagination(first_path, number, total),
                    **context,
                )
            )
        return pages

    def pagination(self, first_path: str, number: int, total: int) -> Pagination | None:
        if total == 1:
            return None

        def href(n: int) -> str:
            return self.links.href(urls.paginated_path(first_path, n))

        shown = sorted(
            {1, total, *range(max(1, number - _PAGINATION_REACH), min(total, number + _PAGINATION_REACH) + 1)}
        )
        pages: list[PageLink | None] = []
        for n in shown:
            if pages and pages[-1] is not None and n > pages[-1].number + 1:
                pages.append(None)
            pages.append(PageLink(n, href(n), n == number))
        return Pagination(
            number,
            total,
            href(number - 1) if number > 1 else None,
            href(number + 1) if number < total else None,
            tuple(pages),
        )

    def topic_pages(self, topic: Topic) -> list[Page]:
        return self.list_pages(
            urls.topic_path(topic.slug),
            topic.items,
            "topic.html",
            topic.name,
            f"The latest news about {topic.name}, curated by {self.config.title}.",
            "topics",
            f"topic {topic.name!r}",
            topic=TermView(topic.name, self.topic_links[topic.name].url, len(topic.items)),
        )

    def provider_pages(self, provider: Provider) -> list[Page]:
        return self.list_pages(
            urls.provider_path(provider.slug),
            provider.items,
            "provider.html",
            provider.name,
            f"Stories from {provider.name}, curated by {self.config.title}.",
            "providers",
            f"source {provider.name!r}",
            provider=self.provider_term(provider),
        )

    def provider_term(self, provider: Provider) -> TermView:
        return TermView(
            provider.name,
            self.provider_links[provider.key].url,
            len(provider.items),
            _picture(provider.logo, self.links),
            provider.domain,
        )

    def item_page(self, item: Item) -> Page:
        view = self.views[item.source]
        meta = self.meta(item.path, item.title, item.excerpt or item.title, "item")
        return self.html(item.path, "item.html", meta, item.source, item=view)

    def feed(self) -> Page:
        published = [item for item in self.site.items if item.published][: self.config.feed_size]
        topic_urls = {topic.name: self.links.absolute(urls.topic_path(topic.slug)) for topic in self.site.topics}
        channel = FeedChannel(
            title=self.config.title,
            link=self.links.absolute(urls.HOME),
            self_url=self.links.absolute(urls.FEED),
            description=self.config.description,
            language=self.config.language,
            updated=published[0].published_at if published else None,
            entries=tuple(
                FeedEntry(
                    title=item.title,
                    link=self.links.absolute(item.path),
                    published=item.published_at,
                    summary=item.excerpt,
                    categories=tuple((name, topic_urls[name]) for name in item.topics),
                )
                for item in published
            ),
        )
        return Page(urls.FEED, urls.output_file(urls.FEED), "rss", "rss", {"channel": channel}, "site feed")

    def plan(self) -> list[Page]:
        site, title = self.site, self.config.title
        pages = self.list_pages(urls.HOME, site.items, "home.html", title, self.config.description, "home", "home")
        pages += [self.item_page(item) for item in site.items]
        pages.append(
            self.html(
                urls.TOPICS,
                "topics.html",
                self.meta(urls.TOPICS, "Topics", f"Every topic covered by {title}.", "topics"),
                "topic index",
                topics=tuple(
                    TermView(topic.name, self.topic_links[topic.name].url, len(topic.items)) for topic in site.topics
                ),
            )
        )
        for topic in site.topics:
            pages += self.topic_pages(topic)
        pages.append(
            self.html(
                urls.PROVIDERS,
                "providers.html",
                self.meta(urls.PROVIDERS, "Sources", f"Every news source quoted by {title}.", "providers"),
                "source index",
                providers=tuple(self.provider_term(provider) for provider in site.providers),
            )
        )
        for provider in site.providers:
            pages += self.provider_pages(provider)
        pages.append(
            self.html(
                urls.NOT_FOUND,
                "404.html",
                self.meta(urls.NOT_FOUND, "Page not found", self.config.description, "none"),
                "404 page",
            )
        )
        pages.append(self.feed())
        return pages


def plan_pages(site: Site, config: SiteConfig) -> list[Page]:
    """Every page and feed of the site, in a stable order."""
    return _Planner(site, config).plan()


def output_clashes(pages: Sequence[Page]) -> list[tuple[Page, Page]]:
    """Pairs of pages that would be written to the same file (the second would overwrite the first)."""
    seen: dict[str, Page] = {}
    clashes = []
    for page in pages:
        if page.output in seen:
            clashes.append((page, seen[page.output]))
        else:
            seen[page.output] = page
    return clashes
