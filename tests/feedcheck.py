"""The feed rules a validator checks offline, written from the specifications, for tests.

Each function takes a document's bytes and the URL it is published at, and returns the
problems found (an empty list means valid): required elements (RSS 2.0, RFC 4287, JSON
Feed 1.1), date formats (RFC 822, RFC 3339), self links that point at the file itself,
and URLs that are absolute.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
MEDIA = "{http://search.yahoo.com/mrss/}"
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d{2}:\d{2}:\d{2} [+-]\d{4}$"
)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
HREF_OR_SRC = re.compile(r'(?:href|src)="([^"]*)"')


def shown(detail_value: str, detail_type: str) -> str:
    """What a reader displays: HTML values lose their tags and entities, text stays as is."""
    if detail_type in ("text/html", "application/xhtml+xml"):
        return html.unescape(re.sub(r"<[^>]+>", "", detail_value))
    return detail_value


def is_absolute(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _rfc822(value: str | None, where: str, problems: list[str]) -> None:
    if not value or not RFC822.match(value):
        problems.append(f"{where}: {value!r} is not an RFC 822 date")
        return
    parsedate_to_datetime(value)  # raises on an impossible date


def _rfc3339(value: str | None, where: str, problems: list[str]) -> None:
    if not isinstance(value, str) or not RFC3339.match(value):
        problems.append(f"{where}: {value!r} is not an RFC 3339 date")


def _html_urls(html: str, where: str, problems: list[str]) -> None:
    for url in HREF_OR_SRC.findall(html):
        if not is_absolute(url) and not url.startswith("mailto:"):
            problems.append(f"{where}: relative URL {url!r} in HTML content")


def _require(element: ET.Element, names: tuple[str, ...], where: str, problems: list[str]) -> None:
    for name in names:
        if element.find(name) is None or not (element.findtext(name) or "").strip():
            problems.append(f"{where}: missing {name}")


def check_rss(data: bytes, self_url: str) -> list[str]:
    problems: list[str] = []
    root = ET.fromstring(data)
    if root.tag != "rss" or root.get("version") != "2.0":
        return [f"root is {root.tag} version {root.get('version')}, not RSS 2.0"]
    channel = root.find("channel")
    assert channel is not None
    _require(channel, ("title", "link", "description"), "channel", problems)
    if not is_absolute(channel.findtext("link")):
        problems.append("channel/link is not absolute")
    selfs = [link.get("href") for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
    if selfs != [self_url]:
        problems.append(f"atom:link rel=self is {selfs}, expected [{self_url!r}]")
    if channel.find("lastBuildDate") is not None:
        _rfc822(channel.findtext("lastBuildDate"), "channel/lastBuildDate", problems)
    image = channel.find("image")
    if image is not None:
        _require(image, ("url", "title", "link"), "channel/image", problems)
        if image.findtext("link") != channel.findtext("link") or image.findtext("title") != channel.findtext("title"):
            problems.append("channel/image title and link must match the channel's")
    for index, item in enumerate(channel.findall("item")):
        where = f"item[{index}]"
        if item.find("title") is None and item.find("description") is None:
            problems.append(f"{where}: needs a title or a description")
        if not is_absolute(item.findtext("link")):
            problems.append(f"{where}/link is not absolute")
        guid = item.find("guid")
        if guid is None or (guid.get("isPermaLink", "true") == "true" and not is_absolute(guid.text)):
            problems.append(f"{where}/guid is missing or not an absolute permalink")
        _rfc822(item.findtext("pubDate"), f"{where}/pubDate", problems)
        source = item.find("source")
        if source is not None and not is_absolute(source.get("url")):
            problems.append(f"{where}/source has no absolute url attribute")
        for category in item.findall("category"):
            if category.get("domain") is not None and not category.get("domain"):
                problems.append(f"{where}/category has an empty domain")
        for media in item.findall(f"{MEDIA}content"):
            if not is_absolute(media.get("url")):
                problems.append(f"{where}/media:content url is not absolute")
        _html_urls(item.findtext(f"{CONTENT}encoded") or "", f"{where}/content:encoded", problems)
        _html_urls(item.findtext("description") or "", f"{where}/description", problems)
    return problems


def check_atom(data: bytes, self_url: str) -> list[str]:
    problems: list[str] = []
    root = ET.fromstring(data)
    if root.tag != f"{ATOM}feed":
        return [f"root is {root.tag}, not an Atom feed"]
    _require(root, (f"{ATOM}id", f"{ATOM}title", f"{ATOM}updated"), "feed", problems)
    _rfc3339(root.findtext(f"{ATOM}updated"), "feed/updated", problems)
    links = root.findall(f"{ATOM}link")
    if [link.get("href") for link in links if link.get("rel") == "self"] != [self_url]:
        problems.append("feed: the self link is not the feed's own URL")
    if not all(is_absolute(link.get("href")) for link in links):
        problems.append("feed: a link is not absolute")
    feed_has_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    for index, entry in enumerate(root.findall(f"{ATOM}entry")):
        where = f"entry[{index}]"
        _require(entry, (f"{ATOM}id", f"{ATOM}title", f"{ATOM}updated"), where, problems)
        _rfc3339(entry.findtext(f"{ATOM}updated"), f"{where}/updated", problems)
        if entry.find(f"{ATOM}published") is not None:
            _rfc3339(entry.findtext(f"{ATOM}published"), f"{where}/published", problems)
        if not feed_has_author and entry.find(f"{ATOM}author/{ATOM}name") is None:
            problems.append(f"{where}: no author in the entry or the feed")
        alternates = [link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
        if entry.find(f"{ATOM}content") is None and not alternates:
            problems.append(f"{where}: needs content or an alternate link")
        if not all(is_absolute(link.get("href")) for link in entry.findall(f"{ATOM}link")):
            problems.append(f"{where}: a link is not absolute")
        for category in entry.findall(f"{ATOM}category"):
            if not category.get("term"):
                problems.append(f"{where}/category has no term")
        content = entry.find(f"{ATOM}content")
        if content is not None and content.get("type") == "html":
            _html_urls(content.text or "", f"{where}/content", problems)
    return problems


def check_json_feed(data: bytes, self_url: str) -> list[str]:
    """The required fields and types of JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    problems: list[str] = []
    feed = json.loads(data)
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append(f"version is {feed.get('version')!r}")
    if not isinstance(feed.get("title"), str) or not feed["title"]:
        problems.append("title is missing")
    if feed.get("feed_url") != self_url:
        problems.append(f"feed_url is {feed.get('feed_url')!r}, expected {self_url!r}")
    for key in ("home_page_url", "feed_url", "icon", "favicon"):
        if key in feed and not is_absolute(feed[key]):
            problems.append(f"{key} is not absolute")
    for author in feed.get("authors", []):
        if not isinstance(author, dict) or not any(key in author for key in ("name", "url", "avatar")):
            problems.append("an author needs a name, url or avatar")
    items = feed.get("items")
    if not isinstance(items, list):
        return [*problems, "items is not a list"]
    ids = [item.get("id") for item in items]
    if len(set(ids)) != len(ids):
        problems.append("item ids are not unique")
    for index, item in enumerate(items):
        where = f"items[{index}]"
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"{where}: id must be a non-empty string")
        if not isinstance(item.get("content_html"), str) and not isinstance(item.get("content_text"), str):
            problems.append(f"{where}: needs content_html or content_text")
        for key in ("url", "external_url", "image", "banner_image"):
            if key in item and not is_absolute(item[key]):
                problems.append(f"{where}/{key} is not absolute")
        for key in ("date_published", "date_modified"):
            if key in item:
                _rfc3339(item[key], f"{where}/{key}", problems)
        if "tags" in item and not all(isinstance(tag, str) for tag in item["tags"]):
            problems.append(f"{where}/tags must be strings")
        _html_urls(item.get("content_html", ""), f"{where}/content_html", problems)
    return problems


CHECKERS = {"feed.xml": check_rss, "atom.xml": check_atom, "feed.json": check_json_feed}
