"""Group the selected items into the site model: topics and providers with their items.

Pure: the input order (newest first) is kept inside every group, so each list page of
the site is already sorted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, tzinfo

from . import urls
from .model import Edition, Item, Month, MoreOn, Provider, ProviderRef, Site, Topic


def _by_name(name: str) -> tuple[str, str]:
    return (name.casefold(), name)


def build_topics(items: Sequence[Item]) -> tuple[Topic, ...]:
    members: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        for name in item.topics:
            members[name].append(item)
    slugs = urls.unique_slugs({name: name for name in members}, prefix="topic")
    return tuple(Topic(name, slugs[name], tuple(members[name])) for name in sorted(members, key=_by_name))


def build_providers(items: Sequence[Item]) -> tuple[Provider, ...]:
    """One provider per domain (or name); its name comes from its newest item.

    A source lists every story it covered, including those whose page is another
    outlet's item (the story's `coverage`).
    """
    members: dict[str, list[tuple[ProviderRef, Item]]] = defaultdict(list)
    for item in items:
        for member in (item, *item.coverage):
            if member.provider is not None:
                group = members[member.provider.key]
                if not group or group[-1][1] is not item:
                    group.append((member.provider, item))
    newest = {key: group[0][0] for key, group in members.items()}
    slugs = urls.unique_slugs({key: ref.name for key, ref in newest.items()}, prefix="source")
    providers = [
        Provider(
            key=key,
            name=newest[key].name,
            domain=newest[key].domain,
            slug=slugs[key],
            logo=next((ref.logo for ref, _ in group if ref.logo is not None), None),
            items=tuple(item for _, item in group),
        )
        for key, group in members.items()
    ]
    return tuple(sorted(providers, key=lambda provider: (*_by_name(provider.name), provider.key)))


def hottest_first(items: Sequence[Item]) -> tuple[Item, ...]:
    """By heat (unknown last), then newest first."""
    return tuple(
        sorted(
            items, key=lambda item: (item.heat is None, -(item.heat or 0), -item.published_at.timestamp(), item.source)
        )
    )


def build_editions(items: Sequence[Item], tz: tzinfo) -> tuple[Edition, ...]:
    """One edition per day (in the site's time zone) with published stories, newest day first."""
    days: dict[date, list[Item]] = defaultdict(list)
    for item in items:
        if item.published:
            days[item.published_at.astimezone(tz).date()].append(item)
    return tuple(Edition(day, hottest_first(days[day])) for day in sorted(days, reverse=True))


def build_months(items: Sequence[Item], tz: tzinfo) -> tuple[Month, ...]:
    """One archive per month with published stories, newest month first, stories newest first."""
    months: dict[tuple[int, int], list[Item]] = defaultdict(list)
    for item in items:
        if item.published:
            local = item.published_at.astimezone(tz)
            months[(local.year, local.month)].append(item)
    return tuple(Month(year, month, tuple(months[(year, month)])) for year, month in sorted(months, reverse=True))


def build_site(
    items: Sequence[Item],
    tz: tzinfo | None = None,
    top_stories: Sequence[Item] = (),
    more_on: Mapping[str, MoreOn] | None = None,
) -> Site:
    """The site model from already selected, newest-first items (and their ranking)."""
    calendar = tz is not None
    return Site(
        tuple(items),
        build_topics(items),
        build_providers(items),
        tuple(top_stories),
        dict(more_on or {}),
        build_editions(items, tz) if calendar else (),
        build_months(items, tz) if calendar else (),
    )
