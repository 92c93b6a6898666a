"""Plan every page of the site: its address, its output file, its template and its context.

Templates receive ready-made views (titles, links, formatted dates, head metadata), never
the raw model, so a theme only arranges what it is given and cannot get a URL, a date
format or an escaping rule wrong. Each item's view is built once and shared by every list
that shows it; feeds, the sitemap and the OPML list are planned by `syndication`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any

from markupsafe import Markup

from .. import urls
from ..config import SiteConfig
from ..curate.stories import Redirect
from ..escape import Deferred, json_text
from ..load.markdown import rewrite_urls
from ..model import Edition, Image, Item, Month, Provider, Related, Site, Topic
from ..urls import Urls
from . import channels as syndication
from . import search
from .views import (
    CoverageView,
    DailyGroup,
    EditionView,
    FeedGroup,
    FeedSet,
    ItemView,
    Link,
    MonthView,
    MoreOnView,
    NavLink,
    Page,
    PageLink,
    PageMeta,
    Pagination,
    Picture,
    RelatedView,
    ShareImage,
    SiteView,
    TermView,
    YearView,
)

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
# Cards at the top of a list, above the fold on most screens: their images are not lazy.
_EAGER_CARDS = 3
# The shape assumed for a story image of unknown size: the 1.91:1 of link previews, which
# most news images are cut to.
_USUAL_IMAGE_SIZE = (1200, 630)


def format_date(moment: datetime) -> str:
    """'15 February 2024': the same in every locale, so builds are reproducible anywhere."""
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"


def _shorten(text: str, limit: int = _DESCRIPTION_LENGTH) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _picture(image: Image | None, links: Urls) -> Picture | None:
    """The view of an image; one without a width and height gets the usual shape, because
    an `<img>` without both makes the page jump when it loads."""
    if image is None:
        return None
    if image.width and image.height:
        return Picture(links.asset(image.url), image.width, image.height)
    return Picture(links.asset(image.url), *_USUAL_IMAGE_SIZE, exact=False)


def initials(name: str) -> str:
    """What stands for a source without a logo: the first letters of its first two words
    ("The New York Times" -> "NY"), or of its one word."""
    words = [word for word in re.split(r"[\s._-]+", name) if word and word[0].isalnum()]
    if len(words) > 1 and words[0].casefold() == "the":
        words = words[1:]
    return "".join(word[0] for word in words[:2]).upper() or name[:1].upper()


def _newest(items: Sequence[Item]) -> datetime | None:
    return max((item.last_change for item in items), default=None)


def _markup(html: str) -> Markup:
    """Trusted HTML as Markup, without copying it when it already is (a summary is)."""
    return html if isinstance(html, Markup) else Markup(html)


class _Planner:
    """Holds what every page shares (links, chrome, item views, feeds) while pages are planned."""

    def __init__(self, site: Site, config: SiteConfig) -> None:
        self.site = site
        self.config = config
        self.tz = config.tz
        self.links = links = Urls(config.base_url)
        self.topic_links = {
            topic.name: Link(topic.name, links.href(urls.topic_path(topic.slug))) for topic in site.topics
        }
        self.provider_links = {
            provider.key: Link(provider.name, links.href(urls.provider_path(provider.slug)))
            for provider in site.providers
        }
        self.providers = {provider.key: provider for provider in site.providers}
        self.topics = {topic.name: topic for topic in site.topics}
        self.site_feeds = syndication.feed_set(links, "Every story", urls.HOME, config.title)
        self.daily_feeds = syndication.feed_set(
            links, "Daily editions (one entry a day)", urls.DAILY, f"{config.title} — daily editions"
        )
        self.topic_feeds = {
            topic.name: syndication.feed_set(
                links, topic.name, urls.topic_path(topic.slug), f"{topic.name} — {config.title}"
            )
            for topic in site.topics
        }
        self.provider_feeds = {
            provider.key: syndication.feed_set(
                links, provider.name, urls.provider_path(provider.slug), f"{provider.name} — {config.title}"
            )
            for provider in site.providers
        }
        self.entries = syndication.EntryMaker(
            links,
            {name: feeds.absolute_page_url for name, feeds in self.topic_feeds.items()},
            {key: feeds.links[0].absolute_url for key, feeds in self.provider_feeds.items()},
            site.providers,
        )
        self.views = {item.source: self.item_view(item) for item in site.items}
        self.newest = _newest(site.items)
        self.share_logo = (
            ShareImage(links.absolute_asset(config.logo), None, None, config.title) if config.logo else None
        )
        self.chrome = SiteView(
            title=config.title,
            description=config.description,
            language=config.language,
            home_url=links.href(urls.HOME),
            topics_url=links.href(urls.TOPICS),
            providers_url=links.href(urls.PROVIDERS),
            subscribe_url=links.href(urls.SUBSCRIBE),
            daily_url=links.href(urls.DAILY),
            archive_url=links.href(urls.ARCHIVE),
            feed_url=links.href(urls.FEED),
            search_url=links.href(urls.SEARCH),
            css_url=links.href("css/style.css"),
            icon_url=links.asset(config.icon) if config.icon else None,
            settings=config.theme_settings,
            nav=(
                NavLink("Latest", links.href(urls.HOME), "home"),
                NavLink("Topics", links.href(urls.TOPICS), "topics"),
                NavLink("Sources", links.href(urls.PROVIDERS), "providers"),
                NavLink("Daily", links.href(urls.DAILY), "daily"),
                NavLink("Archive", links.href(urls.ARCHIVE), "archive"),
                NavLink("Subscribe", links.href(urls.SUBSCRIBE), "subscribe"),
            ),
        )

    def item_view(self, item: Item) -> ItemView:
        local = item.published_at.astimezone(self.tz)
        provider = item.provider
        provider_link = self.provider_links.get(provider.key) if provider else None
        source = self.providers[provider.key] if provider else None
        logo = source.logo if source else None
        return ItemView(
            title=item.title,
            url=self.links.href(item.path),
            excerpt=item.excerpt,
            date_iso=local.isoformat(),
            date_text=format_date(local),
            provider=provider_link,
            logo=_picture(logo, self.links),
            image=_picture(item.lead_image, self.links),
            initials=initials(source.name) if source else "",
            topics=tuple(self.topic_links[name] for name in item.topics),
            draft=not item.published,
            summary_html=_markup(self.page_summary(item.summary_html)),
            story_url=item.story_url,
            story_label=syndication.story_label(item),
            related=tuple(self.related_view(related) for related in item.related),
            also=tuple(self.coverage_view(other) for other in item.coverage),
        )

    def coverage_view(self, item: Item) -> CoverageView:
        local = item.published_at.astimezone(self.tz)
        provider = self.provider_links.get(item.provider.key) if item.provider else None
        return CoverageView(provider, item.title, item.story_url, local.isoformat(), format_date(local))

    def page_summary(self, html: str) -> str:
        """A summary as its page shows it: root-relative links moved under the base path
        (nothing to move, and no copy made, when the site lives at the root)."""
        return rewrite_urls(html, self.links.asset) if self.links.base_path != "/" else html

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

    def meta(
        self,
        path: str,
        heading: str,
        description: str,
        section: str,
        number: int = 1,
        feeds: FeedSet | None = None,
        **sharing: Any,
    ) -> PageMeta:
        """Head data for a page; its own feeds (if any) come before the site's."""
        title = heading if path == urls.HOME and number == 1 else f"{heading} — {self.config.title}"
        if number > 1:
            title = f"{heading} (page {number}) — {self.config.title}"
        own_feeds = feeds.links if feeds is not None and feeds is not self.site_feeds else ()
        sharing.setdefault("image", self.share_logo)
        return PageMeta(
            title,
            heading,
            _shorten(description),
            self.links.href(path),
            self.links.absolute(path),
            section,
            feeds=own_feeds + self.site_feeds.links,
            **sharing,
        )

    def html(
        self,
        path: str,
        template: str,
        meta: PageMeta,
        origin: str,
        lastmod: datetime | None,
        bodies: frozenset[str] = frozenset(),
        **context: Any,
    ) -> Page:
        return Page(
            path,
            urls.output_file(path),
            "html",
            template,
            {"site": self.chrome, "page": meta, **context},
            origin,
            lastmod,
            listed=not meta.noindex,
            bodies=bodies,
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
        feeds: FeedSet,
        **context: Any,
    ) -> list[Page]:
        """A list split into pages of `items_per_page`; an empty list still gets its first page.

        Every page of a list shares one `lastmod`, the newest change in the whole list:
        a new story shifts every page along.
        """
        per_page = self.config.items_per_page
        total = max(1, math.ceil(len(items) / per_page))
        lastmod = _newest(items)
        pages = []
        for number in range(1, total + 1):
            path = urls.paginated_path(first_path, number)
            chunk = items[(number - 1) * per_page : number * per_page]
            pages.append(
                self.html(
                    path,
                    template,
                    self.meta(path, heading, description, section, number, feeds),
                    origin,
                    lastmod,
                    items=tuple(self.views[item.source] for item in chunk),
                    pagination=self.pagination(first_path, number, total),
                    # The first cards a reader sees load their images at once; on the home
                    # page's first page, the top stories come first and take that role.
                    eager_cards=0 if number == 1 and context.get("top_stories") else _EAGER_CARDS,
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

    def feed_pages(self, feeds: FeedSet, list_path: str, description: str, items: Sequence[Item]) -> list[Page]:
        """The three feeds of a list: its newest published items (drafts never reach a feed)."""
        published = [item for item in items if item.published][: self.config.feed_size]
        return syndication.feed_pages(
            feeds,
            list_path,
            description=description,
            config=self.config,
            links=self.links,
            entries=(self.entries.entry(item) for item in published),
            origin=f"feed of {feeds.name!r}" if list_path else "site feed",
        )

    def topic_term(self, topic: Topic) -> TermView:
        return TermView(
            topic.name,
            self.topic_links[topic.name].url,
            len(topic.items),
            feeds=self.topic_feeds[topic.name],
            description=topic.description,
            image=_picture(topic.image, self.links),
            parent=self.topic_links[topic.parent] if topic.parent else None,
            children=tuple(self.topic_term(self.topics[name]) for name in topic.children),
        )

    def provider_term(self, provider: Provider) -> TermView:
        return TermView(
            provider.name,
            self.provider_links[provider.key].url,
            len(provider.items),
            _picture(provider.logo, self.links),
            provider.domain,
            self.provider_feeds[provider.key],
            description=provider.description,
            image=_picture(provider.large_logo, self.links),
            initials=initials(provider.name),
        )

    def term_pages(
        self, path: str, feeds: FeedSet, items: Sequence[Item], description: str, **context: Any
    ) -> list[Page]:
        """A topic's or source's list pages, then its three feeds."""
        return self.list_pages(path, items, feeds=feeds, description=description, **context) + self.feed_pages(
            feeds, path, description, items
        )

    def topic_pages(self, topic: Topic) -> list[Page]:
        return self.term_pages(
            urls.topic_path(topic.slug),
            self.topic_feeds[topic.name],
            topic.items,
            f"The latest news about {topic.name}, curated by {self.config.title}.",
            template="topic.html",
            heading=topic.name,
            section="topics",
            origin=f"topic {topic.name!r}",
            topic=self.topic_term(topic),
        )

    def provider_pages(self, provider: Provider) -> list[Page]:
        return self.term_pages(
            urls.provider_path(provider.slug),
            self.provider_feeds[provider.key],
            provider.items,
            f"Stories from {provider.name}, curated by {self.config.title}.",
            template="provider.html",
            heading=provider.name,
            section="providers",
            origin=f"source {provider.name!r}",
            provider=self.provider_term(provider),
        )

    def json_ld(self, item: Item, image: ShareImage) -> str:
        return json_text(self.news_article(item, image))

    def item_page(self, item: Item) -> Page:
        view = self.views[item.source]
        lead = item.lead_image
        image = (
            ShareImage(self.links.absolute_asset(lead.url), lead.width, lead.height, "") if lead else self.share_logo
        )
        meta = self.meta(
            item.path,
            item.title,
            item.excerpt or item.title,
            "item",
            og_type="article",
            image=image,
            twitter_card="summary_large_image" if lead else "summary",
            published_iso=view.date_iso,
            modified_iso=item.updated_at.astimezone(self.tz).isoformat() if item.updated_at else "",
            tags=item.topics,
            json_ld=Deferred(partial(self.json_ld, item, image)),
            noindex=not item.published,
        )
        more = self.site.more_on.get(item.source)
        more_on = (
            MoreOnView(self.topic_links[more.topic], tuple(self.views[other.source] for other in more.items))
            if more
            else None
        )
        return self.html(
            item.path,
            "item.html",
            meta,
            item.source,
            item.last_change,
            frozenset({item.source}),
            item=view,
            more_on=more_on,
        )

    def news_article(self, item: Item, image: ShareImage | None) -> dict[str, Any]:
        """schema.org `NewsArticle` data: this page, its publisher, and the story it is based on."""
        url = self.links.absolute(item.path)
        publisher: dict[str, Any] = {"@type": "Organization", "name": self.config.title, "url": self.links.absolute("")}
        if self.share_logo is not None:
            publisher["logo"] = {"@type": "ImageObject", "url": self.share_logo.url}
        article: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": item.title,
            "url": url,
            "mainEntityOfPage": url,
            "datePublished": item.published_at.astimezone(self.tz).isoformat(),
            "dateModified": item.last_change.astimezone(self.tz).isoformat(),
        }
        if item.excerpt:
            article["description"] = item.excerpt
        if image is not None:
            article["image"] = [image.url]
        if item.topics:
            article["keywords"] = list(item.topics)
        article["publisher"] = publisher
        if item.story_url:
            based_on: dict[str, Any] = {"@type": "NewsArticle", "url": item.story_url, "headline": item.title}
            if item.provider:
                source: dict[str, Any] = {"@type": "Organization", "name": item.provider.name}
                home = urls.provider_home(item.provider.domain)
                if home:
                    source["url"] = home
                based_on["publisher"] = source
            article["isBasedOn"] = based_on
        return article

    def edition_view(self, edition: Edition) -> EditionView:
        return EditionView(
            self.links.href(urls.daily_path(edition.day)),
            edition.day.isoformat(),
            format_date(edition.day),
            len(edition.items),
        )

    def daily_groups(self, edition: Edition) -> tuple[DailyGroup, ...]:
        """The day's stories under their first topic; the group with the hottest story first."""
        groups: dict[str | None, list[Item]] = {}
        for item in edition.items:  # already hottest first
            groups.setdefault(item.topics[0] if item.topics else None, []).append(item)
        return tuple(
            DailyGroup(self.topic_links[name] if name else None, tuple(self.views[item.source] for item in members))
            for name, members in groups.items()
        )

    def daily_pages(self) -> list[Page]:
        """`/daily/`, one page per day with stories, and a feed with one entry per day."""
        editions, title = self.site.editions, self.config.title
        views = [self.edition_view(edition) for edition in editions]
        groups = [self.daily_groups(edition) for edition in editions]
        pages = []
        for number, edition in enumerate(editions):
            path = urls.daily_path(edition.day)
            day = views[number].date_text
            meta = self.meta(path, f"The digest of {day}", f"The stories of {day}.", "daily", feeds=self.daily_feeds)
            pages.append(
                self.html(
                    path,
                    "daily.html",
                    meta,
                    f"edition of {edition.day}",
                    _newest(edition.items),
                    edition=views[number],
                    groups=groups[number],
                    newer=views[number - 1] if number > 0 else None,
                    older=views[number + 1] if number + 1 < len(editions) else None,
                )
            )
        description = f"Every day's stories, one page a day, from {title}."
        index_meta = self.meta(urls.DAILY, "Daily editions", description, "daily", feeds=self.daily_feeds)
        pages.append(
            self.html(
                urls.DAILY,
                "editions.html",
                index_meta,
                "edition index",
                self.newest,
                editions=tuple(views),
                feeds=self.daily_feeds,
            )
        )
        latest = self.config.feed_size
        return pages + syndication.feed_pages(
            self.daily_feeds,
            urls.DAILY,
            description=f"One entry a day with the day's headlines from {title}.",
            config=self.config,
            links=self.links,
            entries=[
                self.entries.edition(edition, group) for edition, group in zip(editions[:latest], groups, strict=False)
            ],
            origin="feed of daily editions",
        )

    def month_view(self, month: Month) -> MonthView:
        return MonthView(
            self.links.href(urls.month_path(month.year, month.month)),
            f"{_MONTHS[month.month - 1]} {month.year}",
            len(month.items),
        )

    def archive_pages(self) -> list[Page]:
        """`/archive/` by year and month, and each month's stories, paginated."""
        pages = []
        views = [self.month_view(month) for month in self.site.months]
        for month, view in zip(self.site.months, views, strict=True):
            pages += self.list_pages(
                urls.month_path(month.year, month.month),
                month.items,
                "month.html",
                view.name,
                f"The stories of {view.name}, curated by {self.config.title}.",
                "archive",
                f"archive of {view.name}",
                self.site_feeds,
                month=view,
            )
        years: dict[int, list[MonthView]] = {}
        for month, view in zip(self.site.months, views, strict=True):
            years.setdefault(month.year, []).append(view)
        meta = self.meta(urls.ARCHIVE, "Archive", f"Every month of {self.config.title}.", "archive")
        pages.append(
            self.html(
                urls.ARCHIVE,
                "archive.html",
                meta,
                "archive index",
                self.newest,
                years=tuple(YearView(year, tuple(months)) for year, months in years.items()),
            )
        )
        return pages

    def subscribe_groups(self) -> tuple[FeedGroup, ...]:
        return (
            FeedGroup("Everything", (self.site_feeds, self.daily_feeds)),
            FeedGroup("Topics", tuple(self.topic_feeds[topic.name] for topic in self.site.topics)),
            FeedGroup("Sources", tuple(self.provider_feeds[provider.key] for provider in self.site.providers)),
        )

    def redirect_page(self, redirect: Redirect) -> Page:
        """A tiny page at an item's old address that sends readers on to its story."""
        target = redirect.target
        meta = self.meta(redirect.path, target.title, target.excerpt or target.title, "item", noindex=True)
        meta = replace(meta, canonical_url=self.links.absolute(target.path))
        return self.html(
            redirect.path,
            "redirect.html",
            meta,
            f"redirect from {redirect.source}",
            None,
            target_url=self.links.href(target.path),
        )

    def search_pages(self) -> list[Page]:
        """The search page and the index its script reads. The index holds only what the
        lists show: the curated stories, newest first. The page itself is left out of the
        sitemap (`noindex`): a search page without a query has nothing for a crawler."""
        index = search.build_index([self.views[item.source] for item in self.site.items])
        index_url = self.links.href(urls.SEARCH_INDEX)
        meta = self.meta(urls.SEARCH, "Search", f"Search the stories of {self.config.title}.", "search", noindex=True)
        page = self.html(
            urls.SEARCH,
            "search.html",
            meta,
            "search page",
            self.newest,
            index_url=index_url,
            script_url=self.links.href(urls.SEARCH_SCRIPT),
            story_count=len(index.rows),
        )
        data = Page(
            urls.SEARCH_INDEX, urls.output_file(urls.SEARCH_INDEX), "search_index", "", {"index": index}, "search index"
        )
        return [page, data]

    def plan(self, redirects: Sequence[Redirect] = ()) -> list[Page]:
        site, title, description = self.site, self.config.title, self.config.description
        pages = self.list_pages(
            urls.HOME,
            site.items,
            "home.html",
            title,
            description,
            "home",
            "home",
            self.site_feeds,
            top_stories=tuple(self.views[item.source] for item in site.top_stories),
        )
        pages += self.feed_pages(self.site_feeds, urls.HOME, description, site.items)
        pages += [self.item_page(item) for item in site.items]
        pages += [self.redirect_page(redirect) for redirect in redirects]
        pages.append(
            self.html(
                urls.TOPICS,
                "topics.html",
                self.meta(urls.TOPICS, "Topics", f"Every topic covered by {title}.", "topics"),
                "topic index",
                self.newest,
                topics=tuple(self.topic_term(topic) for topic in site.topics),
                tree=tuple(self.topic_term(topic) for topic in site.topics if topic.parent is None),
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
                self.newest,
                providers=tuple(self.provider_term(provider) for provider in site.providers),
            )
        )
        for provider in site.providers:
            pages += self.provider_pages(provider)
        pages += self.daily_pages()
        pages += self.archive_pages()
        groups = self.subscribe_groups()
        pages.append(
            self.html(
                urls.SUBSCRIBE,
                "subscribe.html",
                self.meta(urls.SUBSCRIBE, "Subscribe", f"Follow {title} in your feed reader.", "subscribe"),
                "subscribe page",
                self.newest,
                groups=groups,
                opml_url=self.links.href(urls.OPML),
            )
        )
        pages.append(syndication.opml_page(title, groups, self.newest))
        pages.append(
            self.html(
                urls.NOT_FOUND,
                "404.html",
                self.meta(urls.NOT_FOUND, "Page not found", description, "none", noindex=True),
                "404 page",
                None,
            )
        )
        pages += self.search_pages()
        pages += syndication.sitemap_pages(pages, self.links)
        pages.append(syndication.robots_page(self.links))
        return pages


def plan_pages(site: Site, config: SiteConfig, redirects: Sequence[Redirect] = ()) -> list[Page]:
    """Every page, feed and discovery file of the site, in a stable order."""
    return _Planner(site, config).plan(redirects)


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
