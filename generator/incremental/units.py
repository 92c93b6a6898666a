"""The units of the last build (see `plan.page.Unit`): which pages each was planned as.

A warm build whose settings, code, templates and data files are the last build's digests
each unit's inputs before planning it (`Digests.unit_key`). A unit made from the same inputs
as one of the last build's gives the same pages, so its pages are taken from the record
(where they go, their last change, whether the sitemap lists them, the bodies they show)
with the payload digests the last build recorded for their files, and the unit is not
planned or digested again. Adding five stories to a site of 10,000 then plans the lists
they join, not the site's 700 others.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..plan.page import Kept, Page, Unit
from .fingerprint import Digests, NotDigestible


class KnownUnits:
    """The last build's units, and this build's, as the plan meets them."""

    def __init__(self, digests: Digests, digests_before: Mapping[str, str], units_before: Mapping[str, Any]) -> None:
        self.digests = digests
        self.digests_before = digests_before
        self.units_before = units_before
        # Every unit met, held while the digests' memo (which is by identity) lives, and the
        # pages of each, by its key, to record for the next build.
        self.units: list[Unit] = []
        self.pages: dict[str, list[Page]] = {}
        self.recalled = 0
        self.failed = False

    def pages_of(self, unit: Unit) -> list[Page]:
        self.units.append(unit)
        try:
            key = self.digests.unit_key(unit)
        except NotDigestible:  # then no page digest can be trusted either: every page is rendered
            self.failed = True
            return unit.make()
        pages = self._as_before(unit, self.units_before.get(key))
        if pages is None:
            pages = unit.make()
        else:
            self.recalled += 1
        self.pages[key] = pages
        return pages

    def _as_before(self, unit: Unit, records: Any) -> list[Page] | None:
        """The unit's pages from the last build's records; None where they do not hold."""
        if not isinstance(records, list):
            return None
        pages = []
        try:
            for index, (path, output, lastmod, listed, shows, origin) in enumerate(records):
                digest = self.digests_before.get(output)
                if digest is None:  # no digest recorded for its file: plan it
                    return None
                moment = datetime.fromisoformat(lastmod) if lastmod is not None else None
                kept = Kept(unit, index, digest)
                pages.append(Page(path, output, kept, origin, moment, bool(listed), frozenset(shows)))
        except (TypeError, ValueError):
            return None
        return pages

    def records(self) -> dict[str, list[list[Any]]]:
        """This build's units, to be recalled by the next (none if one could not be named)."""
        if self.failed:
            return {}
        return {key: [_record(page) for page in pages] for key, pages in self.pages.items()}


def _record(page: Page) -> list[Any]:
    lastmod = page.lastmod.isoformat() if page.lastmod else None
    return [page.path, page.output, lastmod, page.listed, sorted(page.shows), page.origin]
