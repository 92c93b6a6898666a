"""The subscribe page and the OPML list: every feed of every section, under its heading."""

from __future__ import annotations

from ... import urls
from ...model import Site
from ..channels import opml_groups
from ..context import PlanContext
from ..layout import html_page, meta
from ..page import OpmlFile, Page
from ..section import Section


def pages(ctx: PlanContext, site: Site) -> list[Page]:
    title = ctx.config.title
    subscribe = html_page(
        ctx,
        urls.SUBSCRIBE,
        "subscribe.html",
        meta(ctx, urls.SUBSCRIBE, "Subscribe", f"Follow {title} in your feed reader.", "subscribe"),
        "subscribe page",
        ctx.newest,
        groups=ctx.feed_groups,
        opml_url=ctx.links.href(urls.OPML),
    )
    opml = OpmlFile(f"{title}: every feed", opml_groups(ctx.feed_groups, ctx.config), ctx.newest)
    return [subscribe, Page(urls.OPML, urls.output_file(urls.OPML), opml, "feed list", ctx.newest)]


SECTION = Section("subscribe", urls.SUBSCRIBE, "Subscribe", pages)
