"""Feed documents as bytes: RSS 2.0, Atom 1.0 and JSON Feed 1.1, from one channel value.

The three writers are hand-written for exact, stable output and share one model
(`FeedChannel`), so the formats cannot drift apart: whatever one reader sees, all do.
A feed reader is less forgiving than a browser, so text is escaped exactly once (by
`escape`), and every date is an item's own, never the wall clock, which keeps rebuilds
byte-identical.

RSS never says whether an element holds text or HTML, and readers guess. Following the
RSS Best Practices Profile, plain-text elements (titles) use hexadecimal character
references and HTML elements (`description`, `content:encoded`) carry HTML inside CDATA.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from functools import lru_cache
from html import escape as html_escape
from typing import Any
from urllib.parse import urlsplit

from ..escape import cdata, json_text, xml_attr, xml_text
from ..plan.derived import made
from ..plan.feed_model import FeedChannel, FeedEntry, FeedImage

GENERATOR = "Digest"
# An entry appears in the site feed and in the feeds of each of its topics and its source,
# so its text in each format is written once, as UTF-8 bytes (compact whatever the script),
# and reused; the cache is bounded so that a long-running process does not grow.
_ENTRY_CACHE_SIZE = 20_000
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# A feed must carry a date even when it has no entries; this one says "nothing yet"
# without reading the clock.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
JSON_FEED_TYPE = "application/feed+json"


def rfc822(moment: datetime) -> str:
    return format_datetime(moment)


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _element(name: str, text: str, indent: str) -> str:
    return f"{indent}<{name}>{xml_text(text)}</{name}>"


# A list's feed is written in its three formats one after the other (see
# `channels.feed_pages`), so the contents of a few feeds' entries are all that is reused.
_CONTENT_CACHE_SIZE = 1024


@lru_cache(maxsize=_CONTENT_CACHE_SIZE)
def _content(entry: FeedEntry) -> str:
    """An entry's content, made once for the three formats that carry it (the summary with
    every address made absolute: about a quarter of the work of writing an entry)."""
    return str(entry.content_html)


@lru_cache(maxsize=_ENTRY_CACHE_SIZE)
def _rss_item(promised: FeedEntry) -> bytes:
    entry = made(promised)  # its fields read directly, not each through the promise
    pad = "      "
    lines = [
        "    <item>",
        _element("title", entry.title, pad),
        _element("link", entry.link, pad),
        f'{pad}<guid isPermaLink="{str(entry.id_is_link).lower()}">{xml_text(entry.id)}</guid>',
        _element("pubDate", rfc822(entry.published), pad),
    ]
    if entry.summary:
        lines.append(f"{pad}<description>{cdata(html_escape(entry.summary, quote=False))}</description>")
    lines.append(f"{pad}<content:encoded>{cdata(_content(promised))}</content:encoded>")
    if entry.author is not None:
        lines.append(_element("dc:creator", entry.author.name, pad))
        if entry.author.feed_url:
            lines.append(f"{pad}<source url={xml_attr(entry.author.feed_url)}>{xml_text(entry.author.name)}</source>")
    lines += [f"{pad}<category domain={xml_attr(url)}>{xml_text(name)}</category>" for name, url in entry.categories]
    if entry.image is not None:
        lines.append(f'{pad}<media:content url={xml_attr(entry.image.url)} medium="image"{_size(entry.image)}/>')
    lines.append("    </item>")
    return "\n".join(lines).encode("utf-8")


def _size(image: FeedImage) -> str:
    width = f' width="{image.width}"' if image.width else ""
    return width + (f' height="{image.height}"' if image.height else "")


# Media types by file ending; a fixed table, so that output never depends on the machine's.
_IMAGE_TYPES = {
    "avif": "image/avif",
    "gif": "image/gif",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "png": "image/png",
    "svg": "image/svg+xml",
    "webp": "image/webp",
}


def _image_type(image: FeedImage) -> str:
    """The image's media type from its file name, when the name tells it."""
    ending = urlsplit(image.url).path.rsplit(".", 1)[-1].lower()
    kind = _IMAGE_TYPES.get(ending)
    return f' type="{kind}"' if kind else ""


def rss_bytes(channel: FeedChannel) -> bytes:
    """An RSS 2.0 document with an Atom self link, as UTF-8 bytes."""
    pad = "    "
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">',
        "  <channel>",
        _element("title", channel.title, pad),
        _element("link", channel.link, pad),
        _element("description", channel.description or channel.title, pad),
        _element("language", channel.language, pad),
        _element("generator", GENERATOR, pad),
        f'{pad}<atom:link href={xml_attr(channel.feed_url("rss"))} rel="self" type="{RSS_TYPE}"/>',
    ]
    if channel.hub:
        lines.append(f'{pad}<atom:link href={xml_attr(channel.hub)} rel="hub"/>')
    if channel.updated is not None:
        lines.append(_element("lastBuildDate", rfc822(channel.updated), pad))
    if channel.logo:
        lines += [
            f"{pad}<image>",
            _element("url", channel.logo, pad + "  "),
            _element("title", channel.title, pad + "  "),
            _element("link", channel.link, pad + "  "),
            f"{pad}</image>",
        ]
    return _document(lines, [_rss_item(entry) for entry in channel.entries], ["  </channel>", "</rss>", ""])


def forget_entry_texts() -> None:
    """Drop every cached entry text (see `Renderer.close`)."""
    for cached in (_rss_item, _atom_entry, _json_item, _content):
        cached.cache_clear()


def _document(head: list[str], entries: list[bytes], tail: list[str]) -> bytes:
    """Head lines, the cached entries, tail lines: one UTF-8 document, a line break between parts."""
    return b"\n".join(["\n".join(head).encode("utf-8"), *entries, "\n".join(tail).encode("utf-8")])


@lru_cache(maxsize=_ENTRY_CACHE_SIZE)
def _atom_entry(promised: FeedEntry) -> bytes:
    entry = made(promised)
    pad = "    "
    lines = [
        "  <entry>",
        _element("title", entry.title, pad),
        f'{pad}<link rel="alternate" type="text/html" href={xml_attr(entry.link)}/>',
        _element("id", entry.id, pad),
        _element("published", rfc3339(entry.published), pad),
        _element("updated", rfc3339(entry.last_change), pad),
    ]
    if entry.external_url:
        lines.append(f'{pad}<link rel="via" type="text/html" href={xml_attr(entry.external_url)}/>')
    if entry.image is not None:
        lines.append(f'{pad}<link rel="enclosure"{_image_type(entry.image)} href={xml_attr(entry.image.url)}/>')
        lines.append(f'{pad}<media:content url={xml_attr(entry.image.url)} medium="image"{_size(entry.image)}/>')
    if entry.author is not None:
        lines.append(f"{pad}<author>")
        lines.append(_element("name", entry.author.name, pad + "  "))
        if entry.author.url:
            lines.append(_element("uri", entry.author.url, pad + "  "))
        lines.append(f"{pad}</author>")
    lines += [
        f"{pad}<category term={xml_attr(name)} scheme={xml_attr(url)} label={xml_attr(name)}/>"
        for name, url in entry.categories
    ]
    if entry.summary:
        lines.append(f'{pad}<summary type="text">{xml_text(entry.summary)}</summary>')
    lines.append(f'{pad}<content type="html">{xml_text(_content(promised))}</content>')
    lines.append("  </entry>")
    return "\n".join(lines).encode("utf-8")


def atom_bytes(channel: FeedChannel) -> bytes:
    """An Atom 1.0 (RFC 4287) document as UTF-8 bytes."""
    pad = "  "
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"'
        f" xml:lang={xml_attr(channel.language)}>",
        _element("title", channel.title, pad),
    ]
    if channel.description:
        lines.append(_element("subtitle", channel.description, pad))
    lines += [
        f'{pad}<link rel="alternate" type="text/html" href={xml_attr(channel.link)}/>',
        f'{pad}<link rel="self" type="{ATOM_TYPE}" href={xml_attr(channel.feed_url("atom"))}/>',
        *([f'{pad}<link rel="hub" href={xml_attr(channel.hub)}/>'] if channel.hub else []),
        _element("id", channel.feed_url("atom"), pad),
        _element("updated", rfc3339(channel.updated or EPOCH), pad),
        f"{pad}<author>",
        _element("name", channel.author, pad + "  "),
        f"{pad}</author>",
        _element("generator", GENERATOR, pad),
    ]
    if channel.icon:
        lines.append(_element("icon", channel.icon, pad))
    if channel.logo:
        lines.append(_element("logo", channel.logo, pad))
    return _document(lines, [_atom_entry(entry) for entry in channel.entries], ["</feed>", ""])


@lru_cache(maxsize=_ENTRY_CACHE_SIZE)
def _json_item(promised: FeedEntry) -> bytes:
    entry = made(promised)
    item: dict[str, Any] = {"id": entry.id, "url": entry.link}
    if entry.external_url:
        item["external_url"] = entry.external_url
    item["title"] = entry.title
    item["content_html"] = _content(promised)
    if entry.summary:
        item["summary"] = entry.summary
    if entry.image is not None:
        item["image"] = entry.image.url
    item["date_published"] = rfc3339(entry.published)
    if entry.updated is not None:
        item["date_modified"] = rfc3339(entry.updated)
    if entry.author is not None:
        author = {"name": entry.author.name}
        if entry.author.url:
            author["url"] = entry.author.url
        item["authors"] = [author]
    if entry.categories:
        item["tags"] = [name for name, _ in entry.categories]
    return json_text(item).encode("utf-8")


def json_feed_bytes(channel: FeedChannel) -> bytes:
    """A JSON Feed 1.1 document as UTF-8 bytes."""
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": channel.title,
        "home_page_url": channel.link,
        "feed_url": channel.feed_url("json_feed"),
    }
    if channel.description:
        feed["description"] = channel.description
    if channel.logo:
        feed["icon"] = channel.logo
    if channel.icon:
        feed["favicon"] = channel.icon
    feed["authors"] = [{"name": channel.author}]
    feed["language"] = channel.language
    if channel.hub:
        feed["hubs"] = [{"type": "WebSub", "url": channel.hub}]
    # One item per line: readable, and each item's text is reused across feeds.
    items = b",\n".join(_json_item(entry) for entry in channel.entries)
    head = json_text(feed).removesuffix("}").encode("utf-8")
    return head + b',"items":[\n' + items + b"\n]}\n"
