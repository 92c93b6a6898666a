"""Feed documents as bytes: RSS 2.0 for now, written by hand for exact, stable output.

A feed reader is less forgiving than a browser, so text is stripped of characters XML 1.0
forbids and escaped exactly once, and every date is the item's own (never the wall clock),
which keeps rebuilds byte-identical.

RSS never says whether an element holds text or HTML, and readers guess. Following the
RSS Advisory Board's Best Practices Profile, plain-text elements (titles) escape `&`, `<`
and `>` as hexadecimal character references, and elements the spec defines as HTML
(`description`) carry escaped HTML inside CDATA, so a title like "Q&A: 1 < 2" and an
excerpt mentioning `<script>` reach the reader as the curator wrote them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from html import escape as html_escape
from xml.sax.saxutils import quoteattr

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
GENERATOR = "Digest"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    title: str
    link: str
    published: datetime
    summary: str
    categories: tuple[tuple[str, str], ...]  # (topic name, absolute topic page URL)


@dataclass(frozen=True, slots=True)
class FeedChannel:
    title: str
    link: str
    self_url: str
    description: str
    language: str
    updated: datetime | None
    entries: tuple[FeedEntry, ...]


_TEXT_ESCAPES = str.maketrans({"&": "&#x26;", "<": "&#x3C;", ">": "&#x3E;"})


def xml_text(text: str) -> str:
    """Plain text as element content: forbidden characters removed, markup characters escaped."""
    return _XML_FORBIDDEN.sub("", text).translate(_TEXT_ESCAPES)


def cdata_html(html: str) -> str:
    """HTML as element content, in CDATA (a `]]>` inside is split across two sections)."""
    return "<![CDATA[" + _XML_FORBIDDEN.sub("", html).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def xml_attr(text: str) -> str:
    """A quoted, escaped attribute value."""
    return quoteattr(_XML_FORBIDDEN.sub("", text))


def rfc822(moment: datetime) -> str:
    return format_datetime(moment)


def _element(name: str, text: str, indent: str) -> str:
    return f"{indent}<{name}>{xml_text(text)}</{name}>"


def _rss_item(entry: FeedEntry) -> list[str]:
    lines = [
        "    <item>",
        _element("title", entry.title, "      "),
        _element("link", entry.link, "      "),
        f'      <guid isPermaLink="true">{xml_text(entry.link)}</guid>',
        _element("pubDate", rfc822(entry.published), "      "),
    ]
    if entry.summary:
        lines.append(f"      <description>{cdata_html(html_escape(entry.summary, quote=False))}</description>")
    lines += [f"      <category domain={xml_attr(url)}>{xml_text(name)}</category>" for name, url in entry.categories]
    lines.append("    </item>")
    return lines


def rss_bytes(channel: FeedChannel) -> bytes:
    """An RSS 2.0 document with an Atom self link, as UTF-8 bytes."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
        "  <channel>",
        _element("title", channel.title, "    "),
        _element("link", channel.link, "    "),
        _element("description", channel.description, "    "),
        _element("language", channel.language, "    "),
        _element("generator", GENERATOR, "    "),
        f'    <atom:link href={xml_attr(channel.self_url)} rel="self" type="application/rss+xml"/>',
    ]
    if channel.updated is not None:
        lines.append(_element("lastBuildDate", rfc822(channel.updated), "    "))
    for entry in channel.entries:
        lines += _rss_item(entry)
    lines += ["  </channel>", "</rss>", ""]
    return "\n".join(lines).encode("utf-8")
