"""What every page of a site shares, built once before any page is planned: links, the
names of topics and sources, every feed set, every story's view and feed entry, and the
chrome (site name, navigation) that every template receives as `site`.

Sections read it and the curated site; nothing here changes after `build_context`, except
a story's objects (`derived.Later`), each made when something first reads it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import partial

from .. import urls
from ..config import SiteConfig
from ..model import Provider, Site, Topic
from ..urls import Urls
from .channels import EntryMaker
from .derived import Derived, SiteFacts
from .present import Naming, item_view, newest
from .section import Section
from .views import EmailStory, FeedGroup, FeedSet, ItemView, Link, NavLink, ShareImage, SiteView

# The stylesheet of every theme, from its static folder.
_STYLESHEET = "css/style.css"


@dataclass(frozen=True)
class PlanContext:
    """Everything pages share; see the module docstring."""

    config: SiteConfig
    names: Naming  # links, the time zone, and the link and model of every topic and source
    feeds: Mapping[str, Mapping[str, FeedSet]]  # by section name, then by key ("" for a section's one feed)
    feed_groups: tuple[FeedGroup, ...]  # every feed set under its heading, for the subscribe page and OPML
    entries: EntryMaker  # each story's feed entry, made once
    views: Mapping[str, ItemView]  # each story's view, by its source
    chrome: SiteView  # what templates receive as `site`
    share_logo: ShareImage | None  # the site logo, for pages without an image of their own
    newest: datetime | None  # the newest change of any story
    derived: Derived  # every story's objects, and the site's facts they are made from
    mail_stories: dict[str, EmailStory] = field(default_factory=dict)  # see `email.mail_story`

    @property
    def links(self) -> Urls:
        return self.names.links

    @property
    def tz(self) -> tzinfo:
        return self.names.tz

    @property
    def topic_links(self) -> Mapping[str, Link]:
        return self.names.topic_links

    @property
    def provider_links(self) -> Mapping[str, Link]:
        return self.names.provider_links

    @property
    def topics(self) -> Mapping[str, Topic]:
        return self.names.topics

    @property
    def providers(self) -> Mapping[str, Provider]:
        return self.names.providers

    @property
    def site_feeds(self) -> FeedSet:
        return self.feeds["home"][""]


def _feeds(
    links: Urls, config: SiteConfig, site: Site, sections: Sequence[Section]
) -> tuple[dict[str, dict[str, FeedSet]], tuple[FeedGroup, ...]]:
    """Every section's feed sets, by section and key, and grouped under their headings in
    the order the sections and their feeds come."""
    by_section: dict[str, dict[str, FeedSet]] = {}
    grouped: dict[str, list[FeedSet]] = {}
    for section in sections:
        made = section.feed_sets(links, config, site)
        by_section[section.name] = {key: feeds for _, key, feeds in made}
        for heading, _, feeds in made:
            grouped.setdefault(heading, []).append(feeds)
    return by_section, tuple(FeedGroup(heading, tuple(feeds)) for heading, feeds in grouped.items())


def _chrome(links: Urls, config: SiteConfig, sections: Sequence[Section], site_feeds: FeedSet) -> SiteView:
    return SiteView(
        title=config.title,
        description=config.description,
        language=config.language,
        urls={section.name: links.href(section.path) for section in sections if section.path is not None},
        feed_url=site_feeds.links[0].url,
        css_url=links.href(_STYLESHEET),
        script_url=links.href(urls.READER_SCRIPT),
        icon_url=links.asset(config.icon) if config.icon else None,
        nav=tuple(
            NavLink(section.nav, links.href(section.path), section.name)
            for section in sections
            if section.nav and section.path is not None
        ),
        settings=config.theme_settings,
    )


def _naming(links: Urls, config: SiteConfig, site: Site) -> Naming:
    return Naming(
        links=links,
        tz=config.tz,
        topic_links={topic.name: Link(topic.name, links.href(urls.topic_path(topic.slug))) for topic in site.topics},
        provider_links={
            provider.key: Link(provider.name, links.href(urls.provider_path(provider.slug)))
            for provider in site.providers
        },
        topics={topic.name: topic for topic in site.topics},
        providers={provider.key: provider for provider in site.providers},
    )


def build_context(site: Site, config: SiteConfig, sections: Sequence[Section]) -> PlanContext:
    links = Urls(config.base_url)
    names = _naming(links, config, site)
    feeds, groups = _feeds(links, config, site, sections)
    source_feeds = feeds.get("providers", {})
    derived = Derived(SiteFacts(site))
    entries = EntryMaker(
        links,
        {topic.name: links.absolute(urls.topic_path(topic.slug)) for topic in site.topics},
        {provider.key: source_feeds[provider.key].links[0].absolute_url for provider in site.providers},
        site.providers,
        derived,
    )
    return PlanContext(
        config=config,
        names=names,
        feeds=feeds,
        feed_groups=groups,
        entries=entries,
        views={story.source: derived.later("view", story, partial(item_view, names, story)) for story in site.stories},
        chrome=_chrome(links, config, sections, feeds["home"][""]),
        share_logo=ShareImage(links.absolute_asset(config.logo), None, None, config.title) if config.logo else None,
        newest=newest(site.stories),
        derived=derived,
    )
