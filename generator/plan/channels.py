"""Feeds as the plan makes them: the feed set of a list (one file per format of
`feed_formats`), each story's entry, and the pages that carry them.

Every URL is absolute and every date the content's own; the writers in `render.feeds`
only format what is planned here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import partial
from html import escape

from .. import urls
from ..config import SiteConfig
from ..escape import Deferred
from ..feed_formats import chosen, opml_attributes
from ..load.markdown import rewrite_urls
from ..model import Image, Provider, Story
from ..urls import Urls
from .derived import Derived
from .feed_model import FeedAuthor, FeedChannel, FeedEntry, FeedImage, OpmlFeed, OpmlGroup
from .page import FeedFile, Page
from .present import story_description, story_label
from .views import FeedGroup, FeedLink, FeedSet


def feed_set(links: Urls, config: SiteConfig, name: str, list_path: str, channel_title: str) -> FeedSet:
    """The feed files of a list page (the home page, a topic, a source, the daily editions),
    one per format the site publishes, in the list's own folder."""
    return FeedSet(
        name,
        channel_title,
        links.href(list_path),
        links.absolute(list_path),
        tuple(
            FeedLink(
                row.label,
                row.media_type,
                links.href(list_path + row.file_name),
                links.absolute(list_path + row.file_name),
                f"{channel_title} ({row.label})",
            )
            for row in chosen(config.feed_formats)
        ),
    )


class EntryMaker:
    """Builds each story's feed entry once; the site, topic and source feeds share them."""

    def __init__(
        self,
        links: Urls,
        topic_urls: Mapping[str, str],
        provider_feeds: Mapping[str, str],
        providers: Sequence[Provider],
        derived: Derived,
    ) -> None:
        self.links = links
        self.derived = derived
        self.topic_urls = topic_urls
        self.authors = {
            provider.key: FeedAuthor(provider.name, urls.provider_home(provider.domain), provider_feeds[provider.key])
            for provider in providers
        }
        self.cache: dict[str, FeedEntry] = {}

    def entry(self, story: Story) -> FeedEntry:
        made = self.cache.get(story.source)
        if made is None:
            made = self.cache[story.source] = self.derived.later("feed entry", story, partial(self._make, story))
        return made

    def _make(self, story: Story) -> FeedEntry:
        image = story.lead_image
        return FeedEntry(
            title=story.title,
            link=self.links.absolute(story.path),
            published=story.published_at,
            updated=story.updated_at,
            summary=story_description(story),
            content_html=Deferred(partial(self.content_html, story)),
            categories=tuple((name, self.topic_urls[name]) for name in story.topics),
            author=self.authors[story.provider.key] if story.provider else None,
            image=FeedImage(self.links.absolute_asset(image.url), image.width, image.height) if image else None,
            external_url=story.story_url,
            source=story.source,
            guid=self.links.story_id(story.identity),
        )

    def content_html(self, story: Story) -> str:
        """The lead image, the curator's summary (or the excerpt) and a link to the story,
        every URL absolute: readers that show only the content still show the picture."""
        html = self.image_html(story.lead_image)
        summary = story.summary_html  # decoded from the item's UTF-8 once, not per use
        if summary:
            html += rewrite_urls(summary, lambda url: self.links.absolute_from(url, story.path))
        elif story.excerpt:
            html += f"<p>{escape(story.excerpt, quote=False)}</p>\n"
        if story.story_url:
            html += f'<p><a href="{escape(story.story_url)}">{escape(story_label(story), quote=False)}</a></p>\n'
        return html

    def image_html(self, image: Image | None) -> str:
        if image is None:
            return ""
        size = (f' width="{image.width}"' if image.width else "") + (
            f' height="{image.height}"' if image.height else ""
        )
        return f'<p><img src="{escape(self.links.absolute_asset(image.url))}" alt=""{size}></p>\n'


def feed_pages(
    feeds: FeedSet,
    list_path: str,
    *,
    description: str,
    config: SiteConfig,
    links: Urls,
    entries: Iterable[FeedEntry],
    origin: str,
    lastmod: datetime | None,
    shows: frozenset[str] = frozenset(),
) -> list[Page]:
    """One page per format for one list's feed. `lastmod` is its entries' newest change, and
    `shows` the content files whose bodies they carry: both are given, not read from the
    entries, which a story's feed entry is made only when the feed is written (`derived.Later`)."""
    rows = chosen(config.feed_formats)
    channel = FeedChannel(
        title=feeds.channel_title,
        link=links.absolute(list_path),
        urls=tuple((row.key, link.absolute_url) for row, link in zip(rows, feeds.links, strict=True)),
        description=description,
        language=config.language,
        author=config.title,
        entries=tuple(entries),
        icon=links.absolute_asset(config.icon) if config.icon else None,
        logo=links.absolute_asset(config.logo) if config.logo else None,
        hub=config.websub_hub or None,
    )
    return [
        Page(
            list_path + row.file_name,
            urls.output_file(list_path + row.file_name),
            FeedFile(row.key, channel),
            f"{origin} ({row.label})",
            lastmod,
            shows=shows,
        )
        for row in rows
    ]


def opml_groups(groups: Sequence[FeedGroup], config: SiteConfig) -> tuple[OpmlGroup, ...]:
    """The OPML list's groups: each feed once, with its address in every format."""
    attributes = opml_attributes(chosen(config.feed_formats))
    return tuple(
        OpmlGroup(
            group.title,
            tuple(
                OpmlFeed(
                    feeds.channel_title,
                    feeds.absolute_page_url,
                    tuple(zip(attributes, (link.absolute_url for link in feeds.links), strict=True)),
                )
                for feeds in group.feeds
            ),
        )
        for group in groups
        if group.feeds
    )
