"""What a warm build renders: every page, unless the only change since the last build is
in Markdown bodies. A body shows only on its story's page and in the feeds that carry the
story (`Page.shows`), so then only the pages that show an edited body are rendered; every
other file is kept as the last build wrote it.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..plan.page import Page


def body_only_edits(changed_files: set[str] | None, edited_bodies: frozenset[str] | None) -> frozenset[str] | None:
    """The content files whose bodies are the only change since the last build, or None
    when anything else changed (`changed_files`: files whose state changed, None when
    something besides content files did; `edited_bodies`: files parsed again whose item
    differs from the cached one in its body alone, None when some differed in more)."""
    if changed_files is None or edited_bodies is None or not changed_files <= edited_bodies:
        return None
    return edited_bodies


def pages_to_render(pages: Sequence[Page], edited: frozenset[str] | None) -> frozenset[int] | None:
    """The positions of the pages that must be rendered; None: all of them."""
    if edited is None:
        return None
    return frozenset(number for number, page in enumerate(pages) if page.shows & edited)
