"""Plan every page of the site: each section's pages, in `SECTIONS` order, then the pages
made from all of them (the sitemap).

Templates receive ready-made views (titles, links, formatted dates, head metadata), never
the raw model, so a theme only arranges what it is given and cannot get a URL, a date
format or an escaping rule wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..config import SiteConfig
from ..model import Site
from .context import build_context
from .derived import SHOWN_ONCE, Derived, Later
from .page import Html, JsonFile, Kept, Page, Unit
from .sections import SECTIONS


class Units(Protocol):
    """What a warm build knows of the last build's units (see `page.Unit`)."""

    def pages_of(self, unit: Unit) -> list[Page]:
        """The unit's pages: as the last build planned them if it was made from the same
        inputs, else planned now."""


@dataclass(frozen=True)
class Plan:
    pages: list[Page]  # every page, feed and discovery file of the site, in a stable order
    derived: Derived  # what each story's objects on those pages were made from
    units: Units | None = None  # what was taken from the last build's units, and what was planned


def plan_site_pages(site: Site, config: SiteConfig, known_units: Callable[[Derived], Units] | None = None) -> Plan:
    """Every page; with `known_units`, a unit made from the same inputs as one of the last
    build's is not planned again (see `page.Unit`)."""
    ctx = build_context(site, config, SECTIONS)
    units = known_units(ctx.derived) if known_units is not None else None
    pages = [page for section in SECTIONS for page in _pages(section.pages(ctx, site), units)]
    return Plan(pages + [page for section in SECTIONS for page in section.after(ctx, pages)], ctx.derived, units)


def _pages(planned: Sequence[Page | Unit], units: Units | None) -> Iterator[Page]:
    for entry in planned:
        if type(entry) is not Unit:
            yield entry
            continue
        yield from units.pages_of(entry) if units is not None else entry.make()


def made_again(pages: Iterable[Page]) -> list[Page]:
    """Pages as rendering needs them: those kept from the last build's plan are planned
    again, each unit once however many of its pages are asked for."""
    units: dict[int, list[Page]] = {}
    made = []
    for page in pages:
        kept = page.payload
        if type(kept) is Kept:
            unit_pages = units.get(id(kept.unit))
            if unit_pages is None:
                unit_pages = units[id(kept.unit)] = kept.unit.make()
            page = unit_pages[kept.index]
        made.append(page)
    return made


def render_order(pages: Sequence[Page]) -> list[Page]:
    """The pages as rendering takes them: those without a date first, as planned, then the
    rest from the oldest `lastmod` to the newest.

    A story is written into every list it is on (the home list, its topics', its source's,
    its day's, in HTML and in the API) and its entry's text is made once per process and
    reused (see `render.feeds` and `render.renderer`), from a cache that holds a bounded
    number. In the plan's order, a list's pages follow each other and a story's lists are
    far apart, so at 100,000 items most of a story's entries had left the cache before its
    next list came and were made again. In order of date, the pages that show a story
    are rendered close together, so one process meets most of them while the entry is
    cached. The files written are the same in any order."""
    dated = sorted((page for page in pages if page.lastmod is not None), key=lambda page: page.lastmod.timestamp())
    return [*(page for page in pages if page.lastmod is None), *dated]


def story_outputs(pages: Iterable[Page]) -> Iterator[tuple[str, str]]:
    """(content file, output file) of each page that shows one story's object alone: its
    page and its API document. A build keeps them as they were while that file is broken."""
    for page in pages:
        payload = page.payload
        kind = type(payload)
        later = payload.context if kind is Html else payload.document if kind is JsonFile else None
        if type(later) is Later and later.kind in SHOWN_ONCE:
            yield later.story.source, page.output


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
