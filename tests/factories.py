"""Model objects for unit tests of the stages after loading."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from generator import urls
from generator.model import Item, ProviderRef, Story

_START = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)


def make_item(
    n: int,
    *,
    topics: tuple[str, ...] = ("AI",),
    provider: str = "Example News",
    domain: str = "news.example.com",
    **changes: object,
) -> Item:
    """Item number n, published n hours after the start (so higher n is newer)."""
    when = _START + timedelta(hours=n)
    slug = f"story-{n}"
    item = Item(
        source=f"{when:%Y-%m-%d}-{slug}.md",
        slug=slug,
        path=urls.item_path(when, slug),
        title=f"Story {n}",
        excerpt=f"Excerpt {n}.",
        published_at=when,
        updated_at=None,
        original_url=f"https://{domain}/{n}",
        web_url=None,
        type="article",
        quality=50,
        heat=None,
        published=True,
        provider=ProviderRef(provider, domain),
        topics=topics,
        images=(),
        related=(),
        summary_utf8=b"<p>Summary.</p>\n",
    )
    return replace(item, **changes)  # type: ignore[arg-type]


def as_stories(items: Iterable[Item]) -> list[Story]:
    """Each item as a story of its own, in the given order."""
    return [Story.single(item) for item in items]
