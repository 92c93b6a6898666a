"""`digest import FEED`: one content file per new entry of an RSS, Atom or JSON feed.

Entries are read with feedparser (RSS and Atom) or as JSON Feed, and written as `ItemDraft`s;
entries whose address is already in the content folder are skipped, nothing is replaced.
"""

from __future__ import annotations

import calendar
import http.client
import json
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser

from .. import urls
from ..config import SiteConfig
from ..curate.stories import clean_url, url_key
from ..errors import ConfigError
from ..load.discover import content_folders, discover, display_path
from ..load.item import load_item
from ..load.markdown import plain_text
from ..load.validate import FIRST_YEAR, LAST_YEAR, in_calendar
from .common import Exit, add_site_options, command_parser, site_config
from .new import ItemDraft, _domain, _excerpt, _topics, write_item

# A feed is a few hundred KB; these bound what a slow, endless or enormous answer can cost.
FETCH_SECONDS = 60
MAX_FEED_BYTES = 20 * 1024 * 1024


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


def _too_big(feed: str) -> ValueError:
    return ValueError(f"{feed}: the feed is over {MAX_FEED_BYTES // (1024 * 1024)} MB; nothing was imported")


def _download(feed: str, into: list[bytes]) -> None:
    request = urllib.request.Request(feed, headers={"User-Agent": "Digest feed import"})
    size = 0
    with urllib.request.urlopen(request, timeout=FETCH_SECONDS) as response:
        while chunk := response.read(64 * 1024):
            size += len(chunk)
            if size > MAX_FEED_BYTES:
                raise _too_big(feed)
            into.append(chunk)


def _fetch(feed: str) -> bytes:
    """An http(s) feed's body, within a total time and size: a slow or endless answer is
    cut off however long each single read takes (the download runs in a thread that the
    command stops waiting for, and that ends with the process)."""
    chunks: list[bytes] = []
    failure: list[BaseException] = []

    def download() -> None:
        try:
            _download(feed, chunks)
        except BaseException as exc:  # handed to the waiting thread, which reports it
            failure.append(exc)

    worker = threading.Thread(target=download, daemon=True)
    worker.start()
    worker.join(FETCH_SECONDS)
    if worker.is_alive():
        raise ValueError(f"{feed}: the server took over {FETCH_SECONDS} s to send the feed; nothing was imported")
    if failure:
        raise failure[0]
    return b"".join(chunks)


def _read_feed(feed: str) -> bytes:
    """The feed's bytes, or a `ValueError` that says in words why there are none."""
    if urls.is_web_url(feed):
        try:
            return _fetch(feed)
        except urllib.error.HTTPError as exc:
            raise ValueError(f"{feed}: the server answered {exc.code} {exc.reason}; nothing was imported") from None
        except urllib.error.URLError as exc:
            raise ValueError(f"{feed}: cannot be fetched ({exc.reason}); nothing was imported") from None
        except (OSError, http.client.HTTPException) as exc:  # timeouts, resets, broken answers
            raise ValueError(f"{feed}: cannot be fetched ({exc or type(exc).__name__}); nothing was imported") from None
    path = Path(feed)
    if not path.is_file():
        raise ValueError(f"{feed}: no such feed file (give a file or an http(s) address)")
    if path.stat().st_size > MAX_FEED_BYTES:
        raise _too_big(feed)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{feed}: cannot be read ({exc.strerror})") from None


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


def _xml_draft(entry: Any, feed_title: str, topics: tuple[str, ...], quality: int | None) -> ItemDraft | str:
    """One RSS or Atom entry as a draft, or why it cannot be one."""
    title = plain_text(str(entry.get("title", "")))
    link = str(entry.get("link", ""))
    when = _when(entry)
    if not title or not urls.is_web_url(link) or when is None:
        return f"{title or link or 'an entry'}: {_missing(title, urls.is_web_url(link), when)}"
    source = entry.get("source", {}).get("title") if isinstance(entry.get("source"), dict) else None
    tags = entry.get("tags") if isinstance(entry.get("tags"), list) else []
    return ItemDraft(
        title=title,
        url=clean_url(link),
        provider=plain_text(str(source or "")) or feed_title or _domain(link),
        domain=_domain(link),
        published=when,
        topics=_topics((str(tag.get("term", "")) for tag in tags if isinstance(tag, dict)), topics),
        excerpt=_excerpt(plain_text(str(entry.get("summary", "")))),
        image=_image(entry),
        quality=quality,
    )


def _xml_drafts(data: bytes, topics: tuple[str, ...], quality: int | None) -> Iterable[ItemDraft | str]:
    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        raise ValueError(f"not a feed feedparser can read ({parsed.get('bozo_exception')})")
    feed_title = plain_text(str(parsed.feed.get("title", "")))
    for entry in parsed.entries:
        yield _drafted(_xml_draft, entry, feed_title, topics, quality)


def _drafted(make: Any, entry: Any, feed_title: str, topics: tuple[str, ...], quality: int | None) -> ItemDraft | str:
    """`make(entry, ...)`, or what went wrong with this one entry: one odd entry never costs
    the others."""
    try:
        draft = make(entry, feed_title, topics, quality)
    except (ValueError, TypeError, AttributeError, KeyError, OverflowError) as exc:
        return f"an entry could not be read ({type(exc).__name__}: {exc})"
    if isinstance(draft, ItemDraft) and not in_calendar(draft.published, UTC):
        return f"{draft.title}: its date is outside the years {FIRST_YEAR} to {LAST_YEAR}"
    return draft


def _json_when(value: Any) -> datetime | None:
    """A JSON Feed date as an aware datetime (UTC when it gives no zone), or None."""
    try:
        when = datetime.fromisoformat(str(value or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _json_author(item: dict[str, Any]) -> str:
    authors = item.get("authors")
    first = authors[0] if isinstance(authors, list) and authors else None
    name = first.get("name") if isinstance(first, dict) else None
    return plain_text(name) if isinstance(name, str) else ""


def _json_tags(item: dict[str, Any]) -> list[str]:
    tags = item.get("tags")
    return [tag for tag in tags if isinstance(tag, str)] if isinstance(tags, list) else []


def _json_draft(item: dict[str, Any], feed_title: str, topics: tuple[str, ...], quality: int | None) -> ItemDraft | str:
    """One JSON Feed item as a draft, or why it cannot be one."""
    title = plain_text(str(item.get("title", "")))
    original = str(item.get("external_url") or item.get("url") or "")
    when = _json_when(item.get("date_published"))
    if not title or not urls.is_web_url(original) or when is None:
        return f"{title or original or 'an item'}: {_missing(title, urls.is_web_url(original), when)}"
    summary = item.get("summary") or item.get("content_text") or plain_text(str(item.get("content_html", "")))
    image = item.get("image")
    return ItemDraft(
        title=title,
        url=clean_url(original),
        provider=_json_author(item) or feed_title or _domain(original),
        domain=_domain(original),
        published=when,
        topics=_topics(_json_tags(item), topics),
        excerpt=_excerpt(plain_text(str(summary))),
        image={"url": image} if isinstance(image, str) and urls.is_web_url(image) else None,
        quality=quality,
        web_url=str(item["url"]) if urls.is_web_url(str(item.get("url", ""))) else None,
    )


def _json_drafts(data: bytes, topics: tuple[str, ...], quality: int | None) -> Iterable[ItemDraft | str]:
    try:
        feed = json.loads(data)
        items = feed["items"]
    except (ValueError, KeyError, TypeError):
        raise ValueError("not a JSON Feed (no items list)") from None
    feed_title = plain_text(str(feed.get("title", "")))
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            yield _drafted(_json_draft, item, feed_title, topics, quality)


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
        try:
            path = write_item(content_dir, draft)
        except OSError as exc:
            result.unusable.append(f"{draft.title}: cannot be written ({exc.strerror})")
            continue
        if path is None:
            result.unusable.append(f"{draft.title}: {draft.file_name(content_dir).name} already exists")
            continue
        seen |= keys
        result.added.append(path)
    return result


def main(argv: list[str]) -> int:
    parser = command_parser("import", "Turn the entries of an RSS, Atom or JSON feed into content files.")
    add_site_options(parser)
    parser.add_argument("feed", help="a feed file, or an http(s) address")
    parser.add_argument("--topics", default="", help="comma-separated topics to add to every imported item")
    parser.add_argument("--quality", type=int, help="the quality (0 or more) to give every imported item")
    parser.add_argument(
        "--min-quality", type=int, help="import nothing when --quality is below this (default: min_quality of the site)"
    )
    args = parser.parse_args(argv)
    try:
        config, _ = site_config(args)
        if args.quality is not None and args.quality < 0:
            raise ValueError(f"--quality should be 0 or more, got {args.quality}")
    except (ConfigError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return Exit.USAGE
    threshold = args.min_quality if args.min_quality is not None else config.min_quality
    if not config.content_dir.is_dir():
        try:
            config.content_dir.mkdir(parents=True)
        except OSError as exc:
            print(f"error: cannot create the content folder {config.content_dir}: {exc.strerror}", file=sys.stderr)
            return Exit.USAGE
        print(f"created the content folder {display_path(config.content_dir)}")
    try:
        result = import_feed(
            args.feed,
            config.content_dir,
            topics=args.topics,
            quality=args.quality,
            min_quality=threshold,
            known=existing_addresses(config),
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return Exit.USAGE
    for line in result.lines():
        print(line)
    return Exit.OK
