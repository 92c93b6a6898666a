"""Write content files for the curator: one from a title and an address (`new`), or one
per entry of a feed (`import`). Files are created, never replaced, in the full schema.
"""

from __future__ import annotations

import calendar
import html
import json
import re
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import yaml

from . import urls
from .config import SiteConfig
from .content import load_item
from .discover import content_folders, discover
from .stories import clean_url, url_key

_TAG = re.compile(r"<[^>]+>")
EXCERPT_LENGTH = 300
_FETCH_TIMEOUT = 30


def plain_text(markup: str) -> str:
    """Text of an HTML fragment: tags removed, entities decoded, white space collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", markup or "")).split())


def _excerpt(text: str) -> str:
    if len(text) <= EXCERPT_LENGTH:
        return text
    return text[: EXCERPT_LENGTH - 3].rsplit(" ", 1)[0].rstrip(",.;:") + "..."


def _topics(*groups: Iterable[str]) -> tuple[str, ...]:
    names = (" ".join(name.split()) for group in groups for name in group)
    return tuple(dict.fromkeys(name for name in names if name))


@dataclass(frozen=True)
class ItemDraft:
    """A content file to write, with values already checked."""

    title: str
    url: str
    provider: str
    domain: str
    published: datetime
    topics: tuple[str, ...] = ()
    excerpt: str = ""
    image: dict[str, Any] | None = None
    quality: int | None = None
    web_url: str | None = None

    @classmethod
    def from_options(
        cls, *, title: str, url: str, provider: str | None, topics: str, excerpt: str, published: datetime
    ) -> ItemDraft:
        title = " ".join(title.split())
        if not title:
            raise ValueError("--title: the headline cannot be empty")
        if not urls.is_web_url(url):
            raise ValueError(f"--url: {url!r} is not a web address; it must start with http:// or https://")
        domain = _domain(url)
        return cls(
            title=title,
            url=url,
            provider=" ".join((provider or "").split()) or domain,
            domain=domain,
            published=published,
            topics=_topics(topics.split(",")),
            excerpt=" ".join(excerpt.split()),
        )

    def file_name(self, content_dir: Path) -> Path:
        slug = urls.slugify(self.title) or "item"
        return content_dir / f"{self.published.astimezone(UTC):%Y-%m-%d}-{slug}.md"

    def text(self) -> str:
        """The file: YAML written by the YAML library (so any title is quoted correctly)."""
        data: dict[str, Any] = {
            "title": self.title,
            "excerpt": self.excerpt,
            "publishedDateTime": self.published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "originalUrl": self.url,
            "webUrl": self.web_url or self.url,
            "type": "article",
        }
        if self.quality is not None:
            data["quality"] = self.quality
        data["heat"] = -1
        data["published"] = True
        data["provider"] = {"name": self.provider, "domain": self.domain}
        data["topics"] = list(self.topics)
        data["images"] = [self.image] if self.image else []
        data["related"] = []
        front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)
        return f"---\n{front}---\n"


def _domain(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def write_item(content_dir: Path, draft: ItemDraft) -> Path | None:
    """Create the draft's file; None (and nothing written) if a file of that name exists."""
    path = draft.file_name(content_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(draft.text())
    except FileExistsError:
        return None
    return path


def existing_addresses(config: SiteConfig) -> set[str]:
    """The story addresses (normalized) of every content file that loads."""
    sources, _ = discover([folder for folder in content_folders(config) if folder.path.is_dir()])
    known: set[str] = set()
    for source in sources:
        item = load_item(source, config.tz, config.max_file_kb * 1024).item
        if item is not None:
            known.update(url_key(url) for url in (item.original_url, item.web_url) if url)
    return known


@dataclass
class ImportResult:
    entries: int = 0
    added: list[Path] = field(default_factory=list)
    present: list[str] = field(default_factory=list)  # titles already in content/
    unusable: list[str] = field(default_factory=list)  # "title: reason"
    below_quality: int = 0

    def lines(self) -> list[str]:
        lines = [f"added {path}" for path in self.added]
        lines += [f"skipped (already in the content folder): {title}" for title in self.present]
        lines += [f"skipped: {reason}" for reason in self.unusable]
        summary = (
            f"{self.entries} entries: {len(self.added)} added, {len(self.present)} already present, "
            f"{len(self.unusable)} unusable"
        )
        if self.below_quality:
            summary += f", {self.below_quality} below --min-quality"
        return [*lines, summary]


def _read_feed(feed: str) -> bytes:
    if urls.is_web_url(feed):
        request = urllib.request.Request(feed, headers={"User-Agent": "Digest feed import"})
        with urllib.request.urlopen(request, timeout=_FETCH_TIMEOUT) as response:
            return response.read()
    path = Path(feed)
    if not path.is_file():
        raise ValueError(f"{feed}: no such feed file (give a file or an http(s) address)")
    return path.read_bytes()


def _when(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None  # feedparser gives UTC


def _image(entry: Any) -> dict[str, Any] | None:
    candidates = [
        *(
            media
            for media in entry.get("media_content", [])
            if media.get("medium") == "image" or "image" in media.get("type", "")
        ),
        *entry.get("media_thumbnail", []),
        *(
            {"url": link.get("href"), "type": link.get("type")}
            for link in entry.get("links", [])
            if link.get("rel") == "enclosure" and (link.get("type") or "").startswith("image/")
        ),
    ]
    for media in candidates:
        address = media.get("url") or ""
        if urls.is_web_url(address):
            image: dict[str, Any] = {"url": address}
            for key in ("width", "height"):
                if str(media.get(key, "")).isdigit() and int(media[key]) > 0:
                    image[key] = int(media[key])
            return image
    return None


def _missing(title: str, has_address: bool, when: datetime | None) -> str:
    missing = [name for name, ok in (("title", title), ("web address", has_address), ("date", when)) if not ok]
    return "no " + " and no ".join(missing)


def _xml_drafts(data: bytes, topics: tuple[str, ...], quality: int | None) -> Iterable[ItemDraft | str]:
    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        raise ValueError(f"not a feed feedparser can read ({parsed.get('bozo_exception')})")
    feed_title = plain_text(parsed.feed.get("title", ""))
    for entry in parsed.entries:
        title = plain_text(entry.get("title", ""))
        link = entry.get("link", "")
        when = _when(entry)
        if not title or not urls.is_web_url(link) or when is None:
            yield f"{title or link or 'an entry'}: {_missing(title, urls.is_web_url(link), when)}"
            continue
        source = entry.get("source", {}).get("title") if isinstance(entry.get("source"), dict) else None
        yield ItemDraft(
            title=title,
            url=clean_url(link),
            provider=plain_text(source or "") or feed_title or _domain(link),
            domain=_domain(link),
            published=when,
            topics=_topics((tag.get("term", "") for tag in entry.get("tags", [])), topics),
            excerpt=_excerpt(plain_text(entry.get("summary", ""))),
            image=_image(entry),
            quality=quality,
        )


def _json_drafts(data: bytes, topics: tuple[str, ...], quality: int | None) -> Iterable[ItemDraft | str]:
    try:
        feed = json.loads(data)
        items = feed["items"]
    except (ValueError, KeyError, TypeError):
        raise ValueError("not a JSON Feed (no items list)") from None
    feed_title = plain_text(str(feed.get("title", "")))
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        title = plain_text(str(item.get("title", "")))
        original = item.get("external_url") or item.get("url") or ""
        try:
            when = datetime.fromisoformat(str(item.get("date_published", "")).replace("Z", "+00:00"))
        except ValueError:
            when = None
        if not title or not urls.is_web_url(str(original)) or when is None:
            yield f"{title or original or 'an item'}: {_missing(title, urls.is_web_url(str(original)), when)}"
            continue
        authors = item.get("authors") or []
        author = authors[0].get("name") if authors and isinstance(authors[0], dict) else None
        summary = item.get("summary") or item.get("content_text") or plain_text(str(item.get("content_html", "")))
        image = item.get("image")
        yield ItemDraft(
            title=title,
            url=clean_url(str(original)),
            provider=plain_text(str(author or "")) or feed_title or _domain(str(original)),
            domain=_domain(str(original)),
            published=when if when.tzinfo else when.replace(tzinfo=UTC),
            topics=_topics((str(tag) for tag in item.get("tags", []) if isinstance(tag, str)), topics),
            excerpt=_excerpt(plain_text(str(summary))),
            image={"url": image} if isinstance(image, str) and urls.is_web_url(image) else None,
            quality=quality,
            web_url=str(item["url"]) if urls.is_web_url(str(item.get("url", ""))) else None,
        )


def import_feed(
    feed: str,
    content_dir: Path,
    *,
    topics: str = "",
    quality: int | None = None,
    min_quality: int = 0,
    known: set[str] | None = None,
) -> ImportResult:
    """Write one content file per new entry of `feed`; never replace a file."""
    data = _read_feed(feed)
    extra_topics = _topics(topics.split(","))
    is_json = data.lstrip()[:1] == b"{"
    drafts = list(_json_drafts(data, extra_topics, quality) if is_json else _xml_drafts(data, extra_topics, quality))
    result = ImportResult(entries=len(drafts))
    seen = set(known or ())
    for draft in drafts:
        if isinstance(draft, str):
            result.unusable.append(draft)
            continue
        if quality is not None and quality < min_quality:
            result.below_quality += 1
            continue
        keys = {url_key(draft.url), url_key(draft.web_url or draft.url)}
        if keys & seen:
            result.present.append(draft.title)
            continue
        path = write_item(content_dir, draft)
        if path is None:
            result.unusable.append(f"{draft.title}: {draft.file_name(content_dir).name} already exists")
            continue
        seen |= keys
        result.added.append(path)
    return result
