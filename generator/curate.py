"""Choose what the site shows and in which order: the editorial stage.

Pure functions over items; nothing here reads files or knows about pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import Item


def newest_first(items: Iterable[Item]) -> list[Item]:
    """Newest first; items published at the same moment keep a stable order by source file."""
    return sorted(items, key=lambda item: (-item.published_at.timestamp(), item.source))


def select_items(items: Iterable[Item], *, include_drafts: bool = False) -> list[Item]:
    """The items the site publishes, newest first: `published: false` ones only as drafts."""
    return newest_first(item for item in items if item.published or include_drafts)


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
