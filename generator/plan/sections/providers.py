"""Sources: the index of every news source, and each source's page, paginated, with its
description and logo, and its feed."""

from __future__ import annotations

from ... import urls
from ...config import SiteConfig
from ...model import Provider, Site
from ...urls import Urls
from ..channels import feed_set
from ..context import PlanContext
from ..layout import index_page, term_pages, unit
from ..page import Page, Unit
from ..present import provider_term
from ..section import FeedSets, Section


def feed_sets(links: Urls, config: SiteConfig, site: Site) -> FeedSets:
    return [
        (
            "Sources",
            provider.key,
            feed_set(
                links, config, provider.name, urls.provider_path(provider.slug), f"{provider.name} — {config.title}"
            ),
        )
        for provider in site.providers
    ]


def provider_pages(ctx: PlanContext, provider: Provider) -> Unit:
    return unit(
        term_pages,
        ctx,
        urls.provider_path(provider.slug),
        ctx.feeds["providers"][provider.key],
        provider.stories,
        f"Stories from {provider.name}, curated by {ctx.config.title}.",
        template="provider.html",
        heading=provider.name,
        section="providers",
        origin=f"source {provider.name!r}",
        provider=provider_term(ctx, provider),
    )


def pages(ctx: PlanContext, site: Site) -> list[Page | Unit]:
    description = f"Every news source quoted by {ctx.config.title}."
    providers = tuple(provider_term(ctx, provider) for provider in site.providers)
    index = index_page(ctx, urls.PROVIDERS, "providers.html", "Sources", description, "providers", providers=providers)
    return [index, *(provider_pages(ctx, provider) for provider in site.providers)]


SECTION = Section("providers", urls.PROVIDERS, "Sources", pages, feed_sets)
