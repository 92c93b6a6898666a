"""News sources known under several domains: a data file's `aliases` make them one source,
so its stories share one page whichever domain an item gives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..model import Item, SiteData


def primary_domains(data: SiteData) -> dict[str, str]:
    """Every alias domain of a source's data file -> the file's own domain."""
    return {alias: info.domains[0] for info in data.sources for alias in info.domains[1:]}


def merge_source_aliases(items: Sequence[Item], data: SiteData) -> list[Item]:
    """Items whose source's domain is an alias, given the source's own domain instead."""
    primary = primary_domains(data)
    if not primary:
        return list(items)
    return [
        replace(item, provider=replace(item.provider, domain=primary[item.provider.domain]))
        if item.provider is not None and item.provider.domain in primary
        else item
        for item in items
    ]
