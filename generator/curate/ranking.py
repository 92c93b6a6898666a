"""Rank stories like an editor: top stories for the home page, "More on" (earlier
stories on its topics) for each story.

Both are deterministic: the top-stories window ends at the newest story, never at the
clock, and every tie is broken by date, then by source file.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Mapping, MutableMapping, Sequence
from datetime import UTC, datetime, timedelta

from ..model import MoreOn, Story

MORE_ON_SIZE = 5
# Posting lists up to this long are scanned whole; a longer one (a topic like "AI" that
# nearly every story has) only contributes the stories nearest in time, so no story is
# ever compared with every other one.
_FULL_SCAN = 60
_NEIGHBOURS = 20
_COMMON_WEIGHT = math.log(3)  # log(1 + N/df) for a topic on half of all stories


def _newest_key(item: Story) -> tuple[float, str]:
    return (-item.published_at.timestamp(), item.source)


def top_stories(items: Sequence[Story], window_days: int, count: int) -> tuple[Story, ...]:
    """The `count` hottest published stories of the `window_days` before the newest one.

    Stories without a `heat` are not ranked; equal heat goes to the newer story.
    """
    published = [item for item in items if item.published]
    if not published or count <= 0:
        return ()
    newest = max(item.published_at for item in published)
    try:
        start = newest - timedelta(days=window_days)
    except OverflowError:  # a window longer than the calendar holds every story
        start = datetime.min.replace(tzinfo=UTC)
    hot = [item for item in published if item.published_at >= start and item.heat is not None]
    hot.sort(key=lambda item: (-(item.heat or 0), *_newest_key(item)))
    return tuple(hot[:count])


# A story's "More on" by the key of its history (see `more_on`): its heading topic and the
# sources of the stories chosen, ("", ()) for none.
KnownMoreOn = MutableMapping[bytes, tuple[str, tuple[str, ...]]]


def more_on(items: Sequence[Story], size: int = MORE_ON_SIZE, known: KnownMoreOn | None = None) -> dict[str, MoreOn]:
    """For each story (by source), up to `size` earlier stories that share its topics.

    Only stories published before it count, and a shared topic counts by its rarity
    (inverse document frequency) among the stories up to it, so sharing "Robotics"
    outweighs sharing "AI", and a story's list is settled when it is published: newer
    stories never change an older story's page. Equal scores go to the newer story. The
    heading topic is the story's topic that contributes most to the stories chosen (rarity
    times how many of them have it).

    Being settled, a story's list is a function of its history: itself and every earlier
    story (their files, dates and topics). `known` holds lists by a hash of that history,
    as an earlier build found them; a list found there is not worked out again, and every
    list worked out is added to it.
    """
    ordered = sorted((item for item in items if item.published), key=_newest_key)
    postings: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(ordered):
        for topic in item.topics:
            postings[topic].append(index)
    position = {topic: {index: place for place, index in enumerate(indexes)} for topic, indexes in postings.items()}

    def settled(index: int) -> tuple[str, tuple[str, ...]]:
        return _settled(ordered[index], index, ordered, postings, position, size)

    if known is None:
        lists = [settled(index) for index in range(len(ordered))]
    else:
        lists = []
        for index, history in enumerate(_histories(ordered, size)):
            found = known.get(history)
            if found is None:
                found = known[history] = settled(index)
            lists.append(found)
    by_source = {item.source: item for item in ordered}
    return {
        item.source: MoreOn(heading, tuple(by_source[source] for source in sources))
        for item, (heading, sources) in zip(ordered, lists, strict=True)
        if sources
    }


def _histories(ordered: Sequence[Story], size: int) -> list[bytes]:
    """For each story (newest first), a hash of it and every earlier story, as `more_on`
    reads them: chained from the oldest, so it costs one short hash per story."""
    histories = [b""] * len(ordered)
    chained = hashlib.blake2b(b"more on %d" % size, digest_size=16).digest()
    for index in range(len(ordered) - 1, -1, -1):
        item = ordered[index]
        read = repr((item.source, _newest_key(item)[0], item.topics)).encode("utf-8", "surrogatepass")
        chained = histories[index] = hashlib.blake2b(chained + read, digest_size=16).digest()
    return histories


def _settled(
    item: Story,
    index: int,
    ordered: Sequence[Story],
    postings: Mapping[str, list[int]],
    position: Mapping[str, Mapping[int, int]],
    size: int,
) -> tuple[str, tuple[str, ...]]:
    """The heading and the sources of the "More on" list of `ordered[index]`."""
    until = len(ordered) - index  # this story and every earlier one
    weight, scores = {}, defaultdict(float)
    for topic in item.topics:
        indexes, place = postings[topic], position[topic][index]
        weight[topic] = math.log(1 + until / (len(indexes) - place))
        earlier = (
            indexes[place + 1 :]
            if len(indexes) - place - 1 <= _FULL_SCAN
            else indexes[place + 1 : place + 1 + _NEIGHBOURS]
        )
        for other in earlier:
            scores[other] += weight[topic]
    if not scores:
        return "", ()
    best = [ordered[other] for other in sorted(scores, key=lambda other: (-scores[other], other))[:size]]
    return _heading(item, best, weight), tuple(story.source for story in best)


def _heading(item: Story, chosen: Sequence[Story], weight: dict[str, float]) -> str:
    """A topic that a reader would call a section: not one that half the site has, if possible."""

    def contribution(topic: str) -> tuple[float, int]:
        return (weight[topic] * sum(topic in other.topics for other in chosen), -item.topics.index(topic))

    specific = [topic for topic in item.topics if weight[topic] > _COMMON_WEIGHT]
    return max(specific or item.topics, key=contribution)
