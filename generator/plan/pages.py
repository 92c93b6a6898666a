"""Plan every page of the site: each section's pages, in `SECTIONS` order, then the pages
made from all of them (the sitemap).

Templates receive ready-made views (titles, links, formatted dates, head metadata), never
the raw model, so a theme only arranges what it is given and cannot get a URL, a date
format or an escaping rule wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..config import SiteConfig
from ..model import Site
from .context import build_context
from .derived import Derived
from .page import Page
from .sections import SECTIONS


@dataclass(frozen=True)
class Plan:
    pages: list[Page]  # every page, feed and discovery file of the site, in a stable order
    derived: Derived  # what each story's objects on those pages were made from


def plan_site_pages(site: Site, config: SiteConfig) -> Plan:
    ctx = build_context(site, config, SECTIONS)
    pages = [page for section in SECTIONS for page in section.pages(ctx, site)]
    return Plan(pages + [page for section in SECTIONS for page in section.after(ctx, pages)], ctx.derived)


def plan_pages(site: Site, config: SiteConfig) -> list[Page]:
    """Every page, feed and discovery file of the site, in a stable order."""
    return plan_site_pages(site, config).pages


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
