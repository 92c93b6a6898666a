"""Choose what the site shows and in which order: the editorial stage.

Pure functions over items; nothing here reads files or knows about pages.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from .model import Item

# Spelling that does not make a topic different: case, spaces, dots, dashes, apostrophes
# ("AI", "A.I." and " ai " are one topic). Symbols that carry meaning stay: "C++" is not "C".
_TOPIC_NOISE = re.compile(r"[\s._\-'\u2019]+")


def topic_key(name: str) -> str:
    return _TOPIC_NOISE.sub("", name.casefold())


def canonical_topic_names(
    items: Iterable[Item], aliases: Mapping[str, str] = {}, preferred: Iterable[str] = ()
) -> dict[str, str]:
    """Every topic spelling used (and every alias) -> the one name its topic is shown under.

    The shown name is the `preferred` spelling (a topic's name in the data folder), else
    the spelling most items use (ties: the one that sorts first); an alias
    (`"Artificial Intelligence" = "AI"`) sends one topic to another's name.
    """
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for item in items:
        for name in item.topics:
            spellings[topic_key(name)][name] += 1
    for target in aliases.values():
        spellings[topic_key(target)][target] += 0
    chosen = {topic_key(name): name for name in preferred}
    shown = {
        key: chosen.get(key) or min(counts, key=lambda name: (-counts[name], name)) for key, counts in spellings.items()
    }
    redirect = {topic_key(alias): topic_key(target) for alias, target in aliases.items()}
    canonical = {}
    for key, counts in spellings.items():
        final = key
        for _ in range(len(redirect) + 1):  # follow chains of aliases, never loop forever
            if final not in redirect or redirect[final] == final:
                break
            final = redirect[final]
        for name in counts:
            canonical[name] = shown[final]
    return canonical


def normalize_topics(
    items: Sequence[Item], aliases: Mapping[str, str] = {}, canonical: Mapping[str, str] | None = None
) -> list[Item]:
    """Items with every topic under its canonical name (and no topic twice); `canonical`
    (from `canonical_topic_names`) may be made from more items than these."""
    canonical = canonical if canonical is not None else canonical_topic_names(items, aliases)
    result = []
    for item in items:
        topics = tuple(dict.fromkeys(canonical.get(name, name) for name in item.topics))
        result.append(item if topics == item.topics else replace(item, topics=topics))
    return result


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
