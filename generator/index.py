"""Group the selected items into the site model: topics and providers with their items.

Pure: the input order (newest first) is kept inside every group, so each list page of
the site is already sorted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from . import urls
from .model import Item, Provider, ProviderRef, Site, Topic


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


def build_site(items: Sequence[Item]) -> Site:
    """The site model from already selected, newest-first items."""
    return Site(tuple(items), build_topics(items), build_providers(items))
