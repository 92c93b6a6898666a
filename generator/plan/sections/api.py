"""The JSON API under `api/`: a document per story, a paged list of every story and of each
topic's and source's stories, the lists of topics and sources, and an index linking them.

It keeps the shape of the API of the digest this project is modelled on, so a front end
written for that one reads these lists: the content schema's field names (`title`,
`publishedDateTime`, `provider` with `name`, `domain` and `images`…), `PAGE_SIZE` stories a
page and a `nextPage` link. Digest adds what it knows beyond one file: the story's page here
(`url`), the other outlets' items grouped into it (`coverage`), its summary. Links are
root-relative, as on the pages; `docs/api/` holds a JSON Schema for each kind of document.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import Any

from ... import urls
from ...model import Image, Item, Provider, ProviderRef, Related, Site, Story, Topic
from ...render.feeds import rfc3339
from ..context import PlanContext
from ..derived import Later, made
from ..layout import list_chunks, unit
from ..page import JsonFile, Page, Unit
from ..present import newest
from ..section import Section

# The original API's page size, which front ends written for it expect; `items_per_page`
# is how a theme pages its HTML lists, so it does not change this.
PAGE_SIZE = 20
# Raised when a document changes in a way an existing front end would misread.
VERSION = 1

Document = dict[str, Any]


def timestamp(moment: datetime | None) -> str | None:
    """RFC 3339 in UTC (`2024-02-15T18:05:00Z`), as the content schema and the feeds write dates."""
    return rfc3339(moment) if moment else None


def list_url(ctx: PlanContext, page_path: str, number: int = 0) -> str:
    """The API list that mirrors the list page at `page_path`, at page `number` (0: its front page)."""
    return ctx.links.href(urls.api_page_path(urls.api_list_folder(page_path), number))


class Catalog:
    """Builds each story's entry, and each source's and topic's reference, once: a story
    appears in the list of every story, of each of its topics and of each outlet that
    covered it, and all of those share one dict.

    What it holds is the setup's and the stories' objects', so a unit of the API's lists
    that is given it is digested by its type (see `incremental.fingerprint`)."""

    def __init__(self, ctx: PlanContext, site: Site) -> None:
        self.ctx = ctx
        self.sources = {provider.key: self._known_source(provider) for provider in site.providers}
        self.topics = {topic.name: self._topic_link(topic) for topic in site.topics}
        self.entries: dict[str, Document] = {}

    def _known_source(self, provider: Provider) -> Document:
        return {
            "name": provider.name,
            "domain": provider.domain,
            # The logo for bylines first, as in the content schema; the large one, when there is one.
            "images": self.images(tuple(dict.fromkeys((provider.logo, provider.large_logo)))),
            "url": self.ctx.provider_links[provider.key].url,
            "apiUrl": list_url(self.ctx, urls.provider_path(provider.slug)),
        }

    def _topic_link(self, topic: Topic) -> Document:
        page = urls.topic_path(topic.slug)
        return {"name": topic.name, "url": self.ctx.links.href(page), "apiUrl": list_url(self.ctx, page)}

    def image(self, image: Image | None) -> Document | None:
        """`{url, width, height}`, the address as pages give it; a size the content lacks is null."""
        if image is None:
            return None
        return {"url": self.ctx.links.asset(image.url), "width": image.width, "height": image.height}

    def images(self, images: Sequence[Image | None]) -> list[Document]:
        return [made for image in images if (made := self.image(image)) is not None]

    def source(self, ref: ProviderRef | None) -> Document | None:
        """The content schema's `provider`, named and pictured as this site shows the source,
        with its page and list here; a source the site has no page for, as the item gives it."""
        if ref is None:
            return None
        known = self.sources.get(ref.key)
        if known is not None:
            return known
        return {"name": ref.name, "domain": ref.domain, "images": self.images((ref.logo,)), "url": None, "apiUrl": None}

    def item_fields(self, item: Item) -> Document:
        """The fields of one outlet's item, under the content schema's names."""
        return {
            "title": item.title,
            "excerpt": item.excerpt,
            "publishedDateTime": timestamp(item.published_at),
            "updatedDateTime": timestamp(item.updated_at),
            "originalUrl": item.original_url,
            "webUrl": item.web_url,
            "type": item.type,
            "quality": item.quality,
            "heat": -1 if item.heat is None else item.heat,  # the schema's "unknown"
            "provider": self.source(item.provider),
            "images": self.images(item.images),
        }

    def related(self, related: Related) -> Document:
        return {
            "title": related.title,
            "excerpt": related.excerpt,
            "publishedDateTime": timestamp(related.published),
            "webUrl": related.url,
            "quality": related.quality,
            "provider": self.source(related.provider),
        }

    def entry(self, story: Story) -> Document:
        """A story in a list: the lead item's fields, the whole story's heat, topics and
        related coverage, and the other outlets' items as `coverage`. Nothing made from
        the Markdown body, so a list never changes when only a body does (see `Page.shows`)."""
        made = self.entries.get(story.source)
        if made is None:
            made = self.entries[story.source] = self.ctx.derived.later("API entry", story, partial(self._entry, story))
        return made

    def _entry(self, story: Story) -> Document:
        fields = self.item_fields(story.lead)
        fields["heat"] = -1 if story.heat is None else story.heat
        return {
            "id": self.ctx.links.story_id(story.identity),  # as in every feed
            "url": self.ctx.links.href(story.path),  # as the story's view gives it
            "apiUrl": self.ctx.links.href(urls.api_story_path(story.path)),
            **fields,
            "published": story.published,
            "topics": list(story.topics),
            "topicLinks": [self.topics[name] for name in story.topics],
            "related": [self.related(related) for related in story.related],
            "coverage": [self.item_fields(item) for item in story.coverage],
        }


def json_page(
    path: str,
    document: Document | Later[Document],
    origin: str,
    shows: frozenset[str] = frozenset(),
    lastmod: datetime | None = None,
) -> Page:
    """`lastmod`: the newest change among the stories it gives; no sitemap lists a document,
    but rendering orders pages by it (see `pages.render_order`)."""
    return Page(path, urls.output_file(path), JsonFile(document), origin, lastmod, shows=shows)


def story_document(catalog: Catalog, story: Story) -> Page:
    """Everything of a story: its list entry, then its summary as its page shows it (links
    under the base path) and the reading time the page gives."""
    document = catalog.ctx.derived.later("API document", story, partial(_story_fields, catalog, story))
    path = urls.api_story_path(story.path)
    return json_page(path, document, f"API document of {story.source}", frozenset({story.source}), story.last_change)


def _story_fields(catalog: Catalog, story: Story) -> Document:
    view = made(catalog.ctx.views[story.source])
    entry = made(catalog.entry(story))
    return {**entry, "summaryHtml": str(view.summary_html), "readingMinutes": view.reading_minutes}


def list_document(ctx: PlanContext, head: Document, folder: str, number: int, newest: int, total: int) -> Document:
    """A list page's own fields: where it stands and the links to its neighbours. Pages are
    cut as the HTML lists are (`layout.list_chunks`): numbered from the oldest story, each
    full and never changing, the front page holding the newest; only the front page gives
    the totals, which change with every story."""

    def href(n: int) -> str:
        return ctx.links.href(urls.api_page_path(folder, n))

    newer = None if number == 0 else (0 if number == newest else number + 1)
    older = newest if number == 0 else number - 1
    return {
        **head,
        "apiUrl": href(number),
        "page": number or None,
        "totalPages": newest + 1 if number == 0 else None,
        "totalItems": total if number == 0 else None,
        "perPage": PAGE_SIZE,
        "firstPage": href(0),
        "previousPage": href(newer) if newer is not None else None,
        "nextPage": href(older) if older >= 1 else None,
    }


def list_pages(catalog: Catalog, head: Document, folder: str, stories: Sequence[Story], origin: str) -> list[Page]:
    """A list cut into pages as the HTML lists are; an empty list still has its front page."""
    chunks, planned = list_chunks(len(stories), PAGE_SIZE), []
    newest_number = chunks[1][0] if len(chunks) > 1 else 0
    for number, part in chunks:
        document = list_document(catalog.ctx, head, folder, number, newest_number, len(stories))
        chunk = stories[part]
        document["items"] = [catalog.entry(story) for story in chunk]
        origin_page = f"{origin} (API page {number or 'front'})"
        planned.append(json_page(urls.api_page_path(folder, number), document, origin_page, lastmod=newest(chunk)))
    return planned


def latest_pages(catalog: Catalog, site: Site) -> Unit:
    head = {"kind": "latest", "name": "Latest", "url": catalog.ctx.links.href(urls.HOME)}
    return unit(list_pages, catalog, head, urls.API_LATEST, site.stories, "every story")


def topic_pages(catalog: Catalog, topic: Topic) -> Unit:
    head = {"kind": "topic", "name": topic.name, "url": catalog.topics[topic.name]["url"]}
    folder = urls.api_list_folder(urls.topic_path(topic.slug))
    return unit(list_pages, catalog, head, folder, topic.stories, f"topic {topic.name!r}")


def source_pages(catalog: Catalog, provider: Provider) -> Unit:
    head = {"kind": "source", "name": provider.name, "url": catalog.sources[provider.key]["url"]}
    folder = urls.api_list_folder(urls.provider_path(provider.slug))
    return unit(list_pages, catalog, head, folder, provider.stories, f"source {provider.name!r}")


def topics_document(catalog: Catalog, site: Site) -> Page:
    """Every topic, with its page, its list, its story count and what the data folder says of it."""
    ctx = catalog.ctx
    topics = [
        {
            **catalog.topics[topic.name],
            "slug": topic.slug,
            "count": len(topic.stories),
            "description": topic.description,
            "image": catalog.image(topic.image),
            "parent": topic.parent,
            "children": list(topic.children),
        }
        for topic in site.topics
    ]
    document = {"url": ctx.links.href(urls.TOPICS), "apiUrl": ctx.links.href(urls.API_TOPICS), "count": len(topics)}
    return json_page(urls.API_TOPICS, {**document, "topics": topics}, "API topics list")


def sources_document(catalog: Catalog, site: Site) -> Page:
    """Every news source, with its page, its list, its story count and its description."""
    ctx = catalog.ctx
    sources = [
        {**catalog.sources[p.key], "slug": p.slug, "count": len(p.stories), "description": p.description}
        for p in site.providers
    ]
    document = {"url": ctx.links.href(urls.PROVIDERS), "apiUrl": ctx.links.href(urls.API_PROVIDERS)}
    return json_page(urls.API_PROVIDERS, {**document, "count": len(sources), "sources": sources}, "API sources list")


def index_document(ctx: PlanContext, site: Site) -> Page:
    """The way in: the site, and the three lists every other document is reached from."""

    def part(page: str, api: str, count: int) -> Document:
        return {"url": ctx.links.href(page), "apiUrl": ctx.links.href(api), "count": count}

    document = {
        "version": VERSION,
        "title": ctx.config.title,
        "description": ctx.config.description,
        "language": ctx.config.language,
        "url": ctx.links.href(urls.HOME),
        "apiUrl": ctx.links.href(urls.API_INDEX),
        "perPage": PAGE_SIZE,
        "latest": part(urls.HOME, urls.api_page_path(urls.API_LATEST, 0), len(site.stories)),
        "topics": part(urls.TOPICS, urls.API_TOPICS, len(site.topics)),
        "sources": part(urls.PROVIDERS, urls.API_PROVIDERS, len(site.providers)),
    }
    return json_page(urls.API_INDEX, document, "API index")


def pages(ctx: PlanContext, site: Site) -> list[Page | Unit]:
    """Every document of the API, or none when the site turns it off (`api = false`)."""
    if not ctx.config.api:
        return []
    catalog = Catalog(ctx, site)
    return [
        index_document(ctx, site),
        topics_document(catalog, site),
        sources_document(catalog, site),
        latest_pages(catalog, site),
        *(topic_pages(catalog, topic) for topic in site.topics),
        *(source_pages(catalog, provider) for provider in site.providers),
        *(story_document(catalog, story) for story in site.stories),
    ]


SECTION = Section("api", None, None, pages)
