"""Site-relative images that the site does not have: warn once each, and show none.

Content may point at images of the site itself (`/assets/images/organizations/x.jpg`, as
a Jekyll archive does for its sources' logos). When no static folder holds that file, a
page would show a broken image; instead the image is left out (a source then shows its
initials) and one warning names the missing file and the files that use it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import ContentProblem
from ..model import Image, Item, SiteData
from ..urls import is_site_relative
from .discover import display_path

_NAMED_USERS = 3


def static_file(url: str, static_dirs: Sequence[Path]) -> Path | None:
    """The static file that would serve a site-relative `url`, if any folder has it."""
    relative = unquote(urlsplit(url).path).lstrip("/")
    parts = relative.split("/")
    if not relative or any(part in ("", ".", "..") for part in parts):
        return None
    for folder in reversed(static_dirs):  # the last folder's file is the one published
        if (folder / relative).is_file():
            return folder / relative
    return None


def _item_images(item: Item) -> Iterable[Image]:
    yield from item.images
    if item.provider is not None and item.provider.logo is not None:
        yield item.provider.logo


def _data_images(data: SiteData) -> Iterable[tuple[str, Image]]:
    for topic in data.topics:
        if topic.image is not None:
            yield topic.source, topic.image
    for source in data.sources:
        for logo in source.logos:
            yield source.source, logo


def _users_text(users: list[str]) -> str:
    named = ", ".join(users[:_NAMED_USERS])
    more = len(users) - _NAMED_USERS
    return f"{named} and {more} more" if more > 0 else named


def drop_missing_assets(
    items: Sequence[Item],
    data: SiteData,
    static_dirs: Sequence[Path],
    displays: dict[str, str],
    site_images: Sequence[tuple[str, str]] = (),
) -> tuple[list[Item], SiteData, list[ContentProblem]]:
    """Items and data without the site-relative images no static folder has, and one
    warning per such image. `site_images` are (setting, url) pairs of the configuration,
    reported but kept (the configuration is the curator's to fix)."""
    users: dict[str, list[str]] = defaultdict(list)
    for item in items:
        for image in _item_images(item):
            if is_site_relative(image.url):
                users[image.url].append(displays.get(item.source, item.source))
    for source, image in _data_images(data):
        if is_site_relative(image.url):
            users[image.url].append(source)
    for setting, url in site_images:
        if url and is_site_relative(url):
            users[url].append(f"site.toml ({setting})")
    missing = {url for url in users if static_file(url, static_dirs) is None}
    if not missing:
        return list(items), data, []
    where = static_dirs[-1] if static_dirs else Path("static")
    problems = [
        ContentProblem(
            display_path(where / unquote(urlsplit(url).path).lstrip("/")),
            None,
            None,
            f"not found in the site's static files; used by {_users_text(sorted(dict.fromkeys(users[url])))}; "
            "shown without it",
            is_error=False,
        )
        for url in sorted(missing)
    ]
    return [_without(item, missing) for item in items], _data_without(data, missing), problems


def _without(item: Item, missing: set[str]) -> Item:
    images = tuple(image for image in item.images if image.url not in missing)
    provider = item.provider
    if provider is not None and provider.logo is not None and provider.logo.url in missing:
        provider = replace(provider, logo=None)
    if images == item.images and provider is item.provider:
        return item
    return replace(item, images=images, provider=provider)


def _data_without(data: SiteData, missing: set[str]) -> SiteData:
    topics = tuple(
        replace(topic, image=None) if topic.image is not None and topic.image.url in missing else topic
        for topic in data.topics
    )
    sources = tuple(
        replace(source, logos=tuple(logo for logo in source.logos if logo.url not in missing))
        for source in data.sources
    )
    return SiteData(topics, sources)
