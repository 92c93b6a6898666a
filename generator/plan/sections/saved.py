"""The reader's saved stories: a page the site's script fills from the reader's own browser
(nothing is sent anywhere); without script it says what it needs."""

from __future__ import annotations

from ... import urls
from ...model import Site
from ..context import PlanContext
from ..layout import html_page, meta
from ..page import Page
from ..section import Section


def pages(ctx: PlanContext, site: Site) -> list[Page]:
    description = f"The stories you saved on {ctx.config.title}, kept in this browser only."
    page_meta = meta(ctx, urls.SAVED, "Saved stories", description, "saved", noindex=True)
    return [html_page(ctx, urls.SAVED, "saved.html", page_meta, "saved page", None)]


SECTION = Section("saved", urls.SAVED, None, pages)
