"""Topic names: spellings that mean one topic, and the one name each topic is shown under.

Pure functions over items, used before stories are grouped so that every page, feed and
address sees one name per topic.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from ..model import Item

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
