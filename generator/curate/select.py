"""Choose what the site shows: published items, drafts when asked, nothing dated after the
build time, nothing below `min_quality`; newest first.

Pure functions over items; nothing here reads files or knows about pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from ..model import Item


@dataclass(frozen=True, slots=True)
class Selection:
    """The items the site shows, newest first, and how many were held back and why."""

    items: tuple[Item, ...]
    unpublished: int = 0
    future: int = 0
    low_quality: int = 0

    @property
    def held_back(self) -> int:
        return self.unpublished + self.future + self.low_quality


def newest_first(items: Iterable[Item]) -> list[Item]:
    """Newest first; items published at the same moment keep a stable order by source file."""
    return sorted(items, key=lambda item: (-item.published_at.timestamp(), item.source))


def select_items(items: Iterable[Item], *, include_drafts: bool = False) -> list[Item]:
    """The items the site publishes, newest first: `published: false` ones only as drafts."""
    return list(select(items, include_drafts=include_drafts).items)


def select(
    items: Iterable[Item], *, now: datetime | None = None, min_quality: int = 0, include_drafts: bool = False
) -> Selection:
    """What the site publishes at `now`, newest first.

    Items below `min_quality` stay out. Items marked `published: false` or dated after
    `now` stay out too, unless drafts are shown: then they are drafts (`published` false),
    which keeps them out of feeds and the sitemap and gives them a badge.
    """
    shown: list[Item] = []
    unpublished = future = low_quality = 0
    for item in items:
        if item.quality is not None and item.quality < min_quality:
            low_quality += 1
            continue
        is_future = now is not None and item.published_at > now
        if item.published and not is_future:
            shown.append(item)
            continue
        unpublished += not item.published
        future += item.published and is_future
        if include_drafts:
            shown.append(item if not item.published else replace(item, published=False))
    if include_drafts:
        unpublished = future = 0
    return Selection(tuple(newest_first(shown)), unpublished, future, low_quality)


def address_clashes(items: Sequence[Item]) -> list[tuple[Item, Item]]:
    """Pairs (rejected, kept) of items that would be written to the same page.

    The item whose source file sorts first keeps the address, so the outcome does not
    depend on the order files happen to be read in.
    """
    owner: dict[str, Item] = {}
    clashes = []
    for item in sorted(items, key=lambda item: item.source):
        if item.path in owner:
            clashes.append((item, owner[item.path]))
        else:
            owner[item.path] = item
    return clashes
