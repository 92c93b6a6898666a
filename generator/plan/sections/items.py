"""One page per story, with its schema.org `NewsArticle` data, and a small redirect page at
every older address of a story (another outlet's item, a `redirect_from` address)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from ... import urls
from ...escape import Deferred, json_text
from ...model import Redirect, Site, Story
from ..context import PlanContext
from ..layout import html_context, html_page, meta
from ..page import Html, Page
from ..present import story_description
from ..section import Section
from ..views import MoreOnView, ShareImage


def _publisher(ctx: PlanContext) -> dict[str, Any]:
    publisher: dict[str, Any] = {"@type": "Organization", "name": ctx.config.title, "url": ctx.links.absolute("")}
    if ctx.share_logo is not None:
        publisher["logo"] = {"@type": "ImageObject", "url": ctx.share_logo.url}
    return publisher


def _based_on(story: Story) -> dict[str, Any]:
    """The original article the story's page is about, with its outlet."""
    based_on: dict[str, Any] = {"@type": "NewsArticle", "url": story.story_url, "headline": story.title}
    if story.provider:
        source: dict[str, Any] = {"@type": "Organization", "name": story.provider.name}
        home = urls.provider_home(story.provider.domain)
        if home:
            source["url"] = home
        based_on["publisher"] = source
    return based_on


def news_article(ctx: PlanContext, story: Story, image: ShareImage | None) -> dict[str, Any]:
    """schema.org `NewsArticle` data: this page, its publisher, and the story it is based on."""
    url = ctx.links.absolute(story.path)
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": story.published_at.astimezone(ctx.tz).isoformat(),
        "dateModified": story.last_change.astimezone(ctx.tz).isoformat(),
    }
    description = story_description(story)
    if description:
        article["description"] = description
    if image is not None:
        article["image"] = [image.url]
    if story.topics:
        article["keywords"] = list(story.topics)
    article["publisher"] = _publisher(ctx)
    if story.story_url:
        article["isBasedOn"] = _based_on(story)
    return article


def _json_ld(ctx: PlanContext, story: Story, image: ShareImage | None) -> str:
    return json_text(news_article(ctx, story, image))


def story_page(ctx: PlanContext, site: Site, story: Story) -> Page:
    """A story's page. Its context is made when the page is rendered, from the story, its
    "More on" neighbours' views and the site's facts (`derived`): most story pages are kept
    as they are when a story is added, and never need it."""
    more = site.more_on.get(story.source)
    more_on = (
        MoreOnView(ctx.topic_links[more.topic], tuple(ctx.views[other.source] for other in more.stories))
        if more
        else None
    )
    context = ctx.derived.later("story page", story, partial(_story_context, ctx, story, more_on), more_on)
    payload, output = Html("item.html", context), urls.output_file(story.path)
    shows = frozenset({story.source})
    return Page(story.path, output, payload, story.source, story.last_change, listed=story.published, shows=shows)


def _story_context(ctx: PlanContext, story: Story, more_on: MoreOnView | None) -> dict[str, Any]:
    lead = story.lead_image
    image = ShareImage(ctx.links.absolute_asset(lead.url), lead.width, lead.height, "") if lead else ctx.share_logo
    page_meta = meta(
        ctx,
        story.path,
        story.title,
        story_description(story) or story.title,
        "item",
        og_type="article",
        image=image,
        twitter_card="summary_large_image" if lead else "summary",
        published_iso=story.published_at.astimezone(ctx.tz).isoformat(),
        modified_iso=story.updated_at.astimezone(ctx.tz).isoformat() if story.updated_at else "",
        tags=story.topics,
        json_ld=Deferred(partial(_json_ld, ctx, story, image)),
        noindex=not story.published,  # the page is listed in the sitemap when it is published
    )
    return html_context(ctx, page_meta, item=ctx.views[story.source], more_on=more_on)


def redirect_page(ctx: PlanContext, redirect: Redirect) -> Page:
    """A tiny page at an old address that sends readers on to its story."""
    target = redirect.target
    page_meta = meta(ctx, redirect.path, target.title, target.excerpt or target.title, "item", noindex=True)
    page_meta = replace(page_meta, canonical_url=ctx.links.absolute(target.path))
    origin = f"redirect from {redirect.source}"
    return html_page(
        ctx, redirect.path, "redirect.html", page_meta, origin, None, target_url=ctx.links.href(target.path)
    )


def pages(ctx: PlanContext, site: Site) -> list[Page]:
    return [story_page(ctx, site, story) for story in site.stories] + [
        redirect_page(ctx, redirect) for redirect in site.redirects
    ]


SECTION = Section("item", None, None, pages)
