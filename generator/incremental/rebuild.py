"""What a warm build renders, decided here and nowhere else.

- When the only change since the last build is in Markdown bodies, only the pages that
  show an edited body (`Page.shows`: its story's page and the feeds that carry the story).
- Else, when the settings, code, templates, static and data files are as the last build
  left them, only the pages whose payload digest changed (`incremental.fingerprint`): a
  new story renders its page, its lists' front pages, its feeds and the indexes.
- Else every page.

Every page not rendered is kept as the last build wrote it (or rendered, if its file is gone).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..plan.page import Page
from .fingerprint import changed_pages


def body_only_edits(changed_files: set[str] | None, edited_bodies: frozenset[str] | None) -> frozenset[str] | None:
    """The content files whose bodies are the only change since the last build, or None
    when anything else changed (`changed_files`: files whose state changed, None when
    something besides content files did; `edited_bodies`: files parsed again whose item
    differs from the cached one in its body alone, None when some differed in more)."""
    if changed_files is None or edited_bodies is None or not changed_files <= edited_bodies:
        return None
    return edited_bodies


def pages_to_render(
    pages: Sequence[Page],
    edited: frozenset[str] | None,
    digests: Mapping[str, str] | None = None,
    before: Mapping[str, str] | None = None,
) -> frozenset[int] | None:
    """The positions of the pages that must be rendered; None: all of them. `digests` are
    this plan's payload digests, `before` the last build's, when its setup was the same."""
    if edited is not None:  # the narrower answer: a view that carries a body is on many pages
        return frozenset(number for number, page in enumerate(pages) if page.shows & edited)
    if digests is not None and before is not None:
        return changed_pages(pages, digests, before)
    return None
