"""Every kind of page, in the order the site's navigation, subscribe page and sitemap list
them. A section with a `nav` label appears in the navigation; its feed sets appear on the
subscribe page and in the OPML list, under their headings."""

from __future__ import annotations

from ..section import Section
from . import api, archive, daily, home, items, machine, providers, saved, search, subscribe, topics, weekly

SECTIONS: tuple[Section, ...] = (
    home.SECTION,
    items.SECTION,
    topics.SECTION,
    providers.SECTION,
    daily.SECTION,
    weekly.SECTION,
    archive.SECTION,
    saved.SECTION,
    subscribe.SECTION,
    machine.SECTION,
    search.SECTION,
    api.SECTION,
)
