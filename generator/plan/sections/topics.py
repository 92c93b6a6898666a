"""Topics: the index of every topic (nested under parent topics), and each topic's page,
paginated, with its description, parent and subtopics, and its feed."""

from __future__ import annotations

from ... import urls
from ...config import SiteConfig
from ...model import Site, Topic
from ...urls import Urls
from ..channels import feed_set
from ..context import PlanContext
from ..layout import index_page, term_pages, unit
from ..page import Page, Unit
from ..present import topic_term
from ..section import FeedSets, Section


def feed_sets(links: Urls, config: SiteConfig, site: Site) -> FeedSets:
    title = config.title
    return [
        ("Topics", t.name, feed_set(links, config, t.name, urls.topic_path(t.slug), f"{t.name} — {title}"))
        for t in site.topics
    ]


def topic_pages(ctx: PlanContext, topic: Topic) -> Unit:
    return unit(
        term_pages,
        ctx,
        urls.topic_path(topic.slug),
        ctx.feeds["topics"][topic.name],
        topic.stories,
        f"The latest news about {topic.name}, curated by {ctx.config.title}.",
        template="topic.html",
        heading=topic.name,
        section="topics",
        origin=f"topic {topic.name!r}",
        topic=topic_term(ctx, topic),
    )


def pages(ctx: PlanContext, site: Site) -> list[Page | Unit]:
    index = index_page(
        ctx,
        urls.TOPICS,
        "topics.html",
        "Topics",
        f"Every topic covered by {ctx.config.title}.",
        "topics",
        topics=tuple(topic_term(ctx, topic) for topic in site.topics),
        tree=tuple(topic_term(ctx, topic) for topic in site.topics if topic.parent is None),
    )
    return [index, *(topic_pages(ctx, topic) for topic in site.topics)]


SECTION = Section("topics", urls.TOPICS, "Topics", pages, feed_sets)
