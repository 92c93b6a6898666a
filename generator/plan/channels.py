"""Plan the files other programs read: feeds in three formats, the OPML list, the sitemap
and robots.txt.

Part of the page-planning stage: it turns the model into `FeedChannel`s and plain entries
(every URL absolute, every date the content's own) and wraps them in `Page`s for the
writers in `feeds` and `discovery`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import partial
from html import escape

from .. import urls
from ..config import SiteConfig
from ..escape import Deferred
from ..load.markdown import rewrite_urls
from ..model import Edition, Item, Provider
from ..render.feeds import ATOM_TYPE, JSON_FEED_TYPE, RSS_TYPE, FeedAuthor, FeedChannel, FeedEntry, FeedImage, FeedUrls
from ..render.sitemap import SITEMAP_LIMIT, OpmlFeed, OpmlGroup, SitemapEntry
from ..urls import Urls
from .views import DailyGroup, FeedGroup, FeedLink, FeedSet, Page, PageKind

_FORMATS: tuple[tuple[str, str, PageKind], ...] = (
    ("RSS", RSS_TYPE, "rss"),
    ("Atom", ATOM_TYPE, "atom"),
    ("JSON Feed", JSON_FEED_TYPE, "json_feed"),
)


def feed_set(links: Urls, name: str, list_path: str, channel_title: str) -> FeedSet:
    """The three feed files of a list page (the home page, a topic, a source)."""
    paths = urls.feed_paths(list_path)
    return FeedSet(
        name,
        channel_title,
        links.href(list_path),
        links.absolute(list_path),
        tuple(
            FeedLink(label, media_type, links.href(path), links.absolute(path), f"{channel_title} ({label})")
            for (label, media_type, _), path in zip(_FORMATS, paths, strict=True)
        ),
    )


def story_label(item: Item) -> str:
    return f"Read the full story at {item.provider.name}" if item.provider else "Read the full story"


class EntryMaker:
    """Builds each item's feed entry once; the site, topic and source feeds share them."""

    def __init__(
        self,
        links: Urls,
        topic_urls: Mapping[str, str],
        provider_feeds: Mapping[str, str],
        providers: Sequence[Provider],
    ) -> None:
        self.links = links
        self.topic_urls = topic_urls
        self.authors = {
            provider.key: FeedAuthor(provider.name, urls.provider_home(provider.domain), provider_feeds[provider.key])
            for provider in providers
        }
        self.cache: dict[str, FeedEntry] = {}

    def entry(self, item: Item) -> FeedEntry:
        made = self.cache.get(item.source)
        if made is None:
            made = self.cache[item.source] = self._make(item)
        return made

    def _make(self, item: Item) -> FeedEntry:
        image = item.lead_image
        return FeedEntry(
            title=item.title,
            link=self.links.absolute(item.path),
            published=item.published_at,
            updated=item.updated_at,
            summary=item.excerpt,
            content_html=Deferred(partial(self.content_html, item)),
            categories=tuple((name, self.topic_urls[name]) for name in item.topics),
            author=self.authors[item.provider.key] if item.provider else None,
            image=FeedImage(self.links.absolute_asset(image.url), image.width, image.height) if image else None,
            external_url=item.story_url,
            source=item.source,
        )

    def edition(self, edition: Edition, groups: Sequence[DailyGroup]) -> FeedEntry:
        """A day as one entry: its headlines, grouped by topic, each linking to its story."""
        page = self.links.absolute(urls.daily_path(edition.day))
        parts = []
        for group in groups:
            if group.topic is not None:
                parts.append(f"<h3>{escape(group.topic.text, quote=False)}</h3>")
            rows = "".join(
                f'<li><a href="{escape(self.links.origin + view.url)}">{escape(view.title, quote=False)}</a>'
                + (f" ({escape(view.provider.text, quote=False)})" if view.provider else "")
                + "</li>"
                for view in group.items
            )
            parts.append(f"<ul>{rows}</ul>")
        count = len(edition.items)
        return FeedEntry(
            title=f"{edition.day:%Y-%m-%d}: {count} {'story' if count == 1 else 'stories'}",
            link=page,
            published=max(item.published_at for item in edition.items),
            updated=None,
            summary="; ".join(item.title for item in edition.items[:10]),
            content_html="\n".join(parts) + "\n",
            categories=(),
        )

    def content_html(self, item: Item) -> str:
        """The curator's summary (or the excerpt) and a link to the story, every URL absolute."""
        if item.summary_html:
            html = rewrite_urls(item.summary_html, lambda url: self.links.absolute_from(url, item.path))
        else:
            html = f"<p>{escape(item.excerpt, quote=False)}</p>\n" if item.excerpt else ""
        if item.story_url:
            html += f'<p><a href="{escape(item.story_url)}">{escape(story_label(item), quote=False)}</a></p>\n'
        return html


def feed_pages(
    feeds: FeedSet,
    list_path: str,
    *,
    description: str,
    config: SiteConfig,
    links: Urls,
    entries: Iterable[FeedEntry],
    origin: str,
) -> list[Page]:
    """The RSS, Atom and JSON Feed pages of one list."""
    rss, atom, json = (link.absolute_url for link in feeds.links)
    channel = FeedChannel(
        title=feeds.channel_title,
        link=links.absolute(list_path),
        urls=FeedUrls(rss, atom, json),
        description=description,
        language=config.language,
        author=config.title,
        entries=tuple(entries),
        icon=links.absolute_asset(config.icon) if config.icon else None,
        logo=links.absolute_asset(config.logo) if config.logo else None,
    )
    bodies = frozenset(entry.source for entry in channel.entries if entry.source)
    return [
        Page(
            path,
            urls.output_file(path),
            kind,
            "",
            {"channel": channel},
            f"{origin} ({label})",
            channel.updated,
            bodies=bodies,
        )
        for (label, _, kind), path in zip(_FORMATS, urls.feed_paths(list_path), strict=True)
    ]


def opml_page(title: str, groups: Sequence[FeedGroup], modified: datetime | None) -> Page:
    opml_groups = tuple(
        OpmlGroup(
            group.title,
            tuple(
                OpmlFeed(feeds.channel_title, feeds.absolute_page_url, *(link.absolute_url for link in feeds.links))
                for feeds in group.feeds
            ),
        )
        for group in groups
        if group.feeds
    )
    context = {"title": f"{title}: every feed", "groups": opml_groups, "modified": modified}
    return Page(urls.OPML, urls.output_file(urls.OPML), "opml", "", context, "feed list", modified)


def sitemap_pages(pages: Sequence[Page], links: Urls) -> list[Page]:
    """`sitemap.xml` listing every listed HTML page once; split under an index when large."""
    entries = tuple(SitemapEntry(links.absolute(page.path), page.lastmod) for page in pages if page.listed)
    if len(entries) <= SITEMAP_LIMIT:
        return [Page(urls.SITEMAP, urls.output_file(urls.SITEMAP), "sitemap", "", {"entries": entries}, "sitemap")]
    parts = [entries[start : start + SITEMAP_LIMIT] for start in range(0, len(entries), SITEMAP_LIMIT)]
    planned = []
    index = []
    for number, part in enumerate(parts, start=1):
        path = urls.sitemap_part_path(number)
        newest = max((entry.lastmod for entry in part if entry.lastmod), default=None)
        index.append(SitemapEntry(links.absolute(path), newest))
        planned.append(Page(path, urls.output_file(path), "sitemap", "", {"entries": part}, f"sitemap part {number}"))
    index_page = Page(
        urls.SITEMAP, urls.output_file(urls.SITEMAP), "sitemap_index", "", {"entries": tuple(index)}, "sitemap index"
    )
    return [index_page, *planned]


def robots_page(links: Urls) -> Page:
    context = {"sitemap_url": links.absolute(urls.SITEMAP)}
    return Page(urls.ROBOTS, urls.output_file(urls.ROBOTS), "robots", "", context, "robots.txt")
