"""The three feed formats as a feed reader sees them: feedparser, a strict XML parser, json."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import feedparser
import pytest

from generator.plan.feed_model import FeedAuthor, FeedChannel, FeedEntry, FeedImage, OpmlFeed, OpmlGroup
from generator.render.feeds import atom_bytes, json_feed_bytes, rss_bytes
from generator.render.sitemap import opml_bytes

from .feedcheck import ATOM, check_atom, check_json_feed, check_rss, shown

TRICKY = "Q&A: \"AI\" models & the 'open' question, 1 < 2 > 0 — 人工智能 🤖"
MARKUP = "Why <script> & ]]> never break a feed &amp; stay literal"
SELF_URL = {
    "rss": "https://example.org/feed.xml",
    "atom": "https://example.org/atom.xml",
    "json": "https://example.org/feed.json",
}
URLS = (("rss", SELF_URL["rss"]), ("atom", SELF_URL["atom"]), ("json_feed", SELF_URL["json"]))
WRITERS: dict[str, Callable[[FeedChannel], bytes]] = {"rss": rss_bytes, "atom": atom_bytes, "json": json_feed_bytes}
CHECKS = {"rss": check_rss, "atom": check_atom, "json": check_json_feed}


def parse(data: bytes) -> feedparser.FeedParserDict:
    """A feed as a reader sees it. feedparser (6.0) reads RSS and Atom but not JSON Feed, so
    a JSON Feed is mapped by hand onto the same names, straight from `json.loads`."""
    if not data.lstrip().startswith(b"{"):
        return feedparser.parse(data)
    feed = json.loads(data)
    Dict = feedparser.FeedParserDict

    def when(text: str | None) -> tuple[int, ...] | None:
        return datetime.fromisoformat(text).astimezone(UTC).timetuple() if text else None

    def entry(item: dict) -> feedparser.FeedParserDict:
        return Dict(
            title=item.get("title"),
            link=item.get("url"),
            id=item["id"],
            published_parsed=when(item.get("date_published")),
            updated_parsed=when(item.get("date_modified")),
            summary=item.get("summary", ""),
            summary_detail=Dict(type="text/plain"),
            content=[Dict(value=item["content_html"], type="text/html")],
            tags=[Dict(term=tag) for tag in item.get("tags", [])],
            author=item["authors"][0]["name"] if item.get("authors") else None,
        )

    entries = [entry(item) for item in feed["items"]]
    newest = max((e.updated_parsed or e.published_parsed for e in entries), default=None)
    info = Dict(
        title=feed["title"], link=feed.get("home_page_url"), language=feed.get("language"), updated_parsed=newest
    )
    return Dict(bozo=0, version="json11" if feed["version"].endswith("1.1") else "", feed=info, entries=entries)


def channel(*entries: FeedEntry, logo: str | None = None) -> FeedChannel:
    return FeedChannel(
        title="Tiny & Digest",
        link="https://example.org/",
        urls=URLS,
        description="News <and> views",
        language="en",
        author="Tiny & Digest",
        entries=entries,
        icon="https://example.org/icon.png" if logo else None,
        logo=logo,
    )


def entry(
    n: int,
    title: str = "Story",
    when: datetime | None = None,
    summary: str = "",
    content: str = "",
    updated: datetime | None = None,
) -> FeedEntry:
    return FeedEntry(
        title=title,
        link=f"https://example.org/news/{n}/",
        published=when or datetime(2024, 2, 15, 18, 5, tzinfo=UTC),
        updated=updated,
        summary=summary or f"Summary {n} & more",
        content_html=content or f'<p>Body {n} with <a href="https://example.org/x">a link</a>.</p>',
        categories=(("AI", "https://example.org/topics/ai/"), ("C++", "https://example.org/topics/c-plus-plus/")),
        author=FeedAuthor(
            "Example News", "https://news.example.com/", "https://example.org/providers/example/feed.xml"
        ),
        image=FeedImage("https://img.example.com/a.jpg", 1200, 630),
        external_url=f"https://news.example.com/{n}",
    )


@pytest.mark.parametrize("kind", WRITERS)
def test_feedparser_reads_every_field_without_error(kind: str) -> None:
    when = datetime(2024, 2, 15, 19, 5, tzinfo=timezone(timedelta(hours=1)))
    updated = datetime(2024, 2, 16, 9, 0, tzinfo=UTC)
    data = WRITERS[kind](
        channel(entry(1, TRICKY, when, updated=updated), entry(2), logo="https://example.org/logo.png")
    )
    feed = parse(data)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == {"rss": "rss20", "atom": "atom10", "json": "json11"}[kind]
    assert feed.feed.title == "Tiny & Digest"
    assert feed.feed.link == "https://example.org/"
    assert feed.feed.language == "en"
    assert feed.feed.updated_parsed[:6] == (2024, 2, 16, 9, 0, 0)  # the newest change, not the clock
    if kind != "json":
        assert [link.href for link in feed.feed.links if link.rel == "self"] == [SELF_URL[kind]]
    assert len(feed.entries) == 2
    first = feed.entries[0]
    assert first.title == TRICKY
    assert first.link == "https://example.org/news/1/"
    assert first.id == "https://example.org/news/1/"
    assert first.published_parsed[:6] == (2024, 2, 15, 18, 5, 0)  # in UTC
    assert shown(first.summary, first.summary_detail.type) == "Summary 1 & more"
    assert [tag.term for tag in first.tags] == ["AI", "C++"]
    assert first.author == "Example News"
    assert first.content[0].value == '<p>Body 1 with <a href="https://example.org/x">a link</a>.</p>'
    if kind != "rss":  # RSS has no updated date for an item
        assert first.updated_parsed[:6] == (2024, 2, 16, 9, 0, 0)
    assert CHECKS[kind](data, SELF_URL[kind]) == []


def test_rss_has_guid_source_and_media_content() -> None:
    data = rss_bytes(channel(entry(1), logo="https://example.org/logo.png"))
    item = ET.fromstring(data).find("channel/item")
    assert item is not None
    assert item.find("guid").get("isPermaLink") == "true"
    assert item.find("source").get("url") == "https://example.org/providers/example/feed.xml"
    assert item.find("source").text == "Example News"
    media = item.find("{http://search.yahoo.com/mrss/}content")
    assert (media.get("url"), media.get("width"), media.get("height")) == (
        "https://img.example.com/a.jpg",
        "1200",
        "630",
    )
    image = parse(data).feed.image
    assert (image.href, image.title, image.link) == (
        "https://example.org/logo.png",
        "Tiny & Digest",
        "https://example.org/",
    )


def test_atom_names_the_original_story_and_the_feed_author() -> None:
    root = ET.fromstring(atom_bytes(channel(entry(1), logo="https://example.org/logo.png")))
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "Tiny & Digest"
    assert root.findtext(f"{ATOM}logo") == "https://example.org/logo.png"
    assert root.findtext(f"{ATOM}icon") == "https://example.org/icon.png"
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}entry/{ATOM}link")}
    assert links == {
        "alternate": "https://example.org/news/1/",
        "via": "https://news.example.com/1",
        "enclosure": "https://img.example.com/a.jpg",
    }
    enclosure = root.find(f"{ATOM}entry/{ATOM}link[@rel='enclosure']")
    assert enclosure is not None and enclosure.get("type") == "image/jpeg"


def test_json_feed_has_the_image_and_the_original_story() -> None:
    feed = json.loads(json_feed_bytes(channel(entry(1), logo="https://example.org/logo.png")))
    item = feed["items"][0]
    assert item["image"] == "https://img.example.com/a.jpg"
    assert item["external_url"] == "https://news.example.com/1"
    assert item["authors"] == [{"name": "Example News", "url": "https://news.example.com/"}]
    assert (feed["icon"], feed["favicon"]) == ("https://example.org/logo.png", "https://example.org/icon.png")


@pytest.mark.parametrize("kind", WRITERS)
def test_tricky_text_comes_out_as_written(kind: str) -> None:
    content = f"<p>{html.escape(MARKUP)}</p>"
    data = WRITERS[kind](channel(entry(1, TRICKY + " " + MARKUP, summary=MARKUP, content=content)))
    assert b"<script>" not in data  # markup in text is always escaped or inside CDATA
    feed = parse(data)
    assert feed.bozo == 0
    first = feed.entries[0]
    assert first.title == TRICKY + " " + MARKUP
    assert shown(first.summary, first.summary_detail.type) == MARKUP
    assert shown(first.content[0].value, first.content[0].type) == MARKUP


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_xml_feeds_parse_strictly_with_the_exact_text(kind: str) -> None:
    data = WRITERS[kind](channel(entry(1, TRICKY, summary=TRICKY)))
    assert b"&amp;amp;" not in data and b"&amp;#" not in data  # escaped exactly once
    root = ET.fromstring(data)  # raises on any well-formedness error
    title = root.find("channel/item/title") if kind == "rss" else root.find(f"{ATOM}entry/{ATOM}title")
    assert title is not None and title.text == TRICKY


@pytest.mark.parametrize("kind", WRITERS)
def test_characters_xml_forbids_are_removed(kind: str) -> None:
    data = WRITERS[kind](channel(entry(1, "Bell\x07 and null\x00 and escape\x1b and \ud800 end")))
    assert parse(data).entries[0].title == "Bell and null and escape and  end"


@pytest.mark.parametrize("kind", WRITERS)
def test_an_empty_feed_takes_no_date_from_the_clock(kind: str) -> None:
    data = WRITERS[kind](channel())
    assert WRITERS[kind](channel()) == data
    feed = parse(data)
    assert feed.bozo == 0
    assert feed.entries == []
    assert b"lastBuildDate" not in data
    assert CHECKS[kind](data, SELF_URL[kind]) == []


def test_the_checkers_catch_what_a_validator_would() -> None:
    """The offline checks are only worth something if they can fail."""
    broken = entry(1, content='<p><a href="/relative">x</a></p>')
    assert check_rss(rss_bytes(channel(broken)), SELF_URL["rss"]) == [
        "item[0]/content:encoded: relative URL '/relative' in HTML content"
    ]
    assert check_atom(atom_bytes(channel(entry(1))), "https://example.org/elsewhere.xml") == [
        "feed: the self link is not the feed's own URL"
    ]
    assert check_json_feed(b'{"version": "1", "items": [{"id": ""}]}', SELF_URL["json"]) == [
        "version is '1'",
        "title is missing",
        "feed_url is None, expected 'https://example.org/feed.json'",
        "items[0]: id must be a non-empty string",
        "items[0]: needs content_html or content_text",
    ]


def test_opml_text_holds_html_and_title_holds_plain_text() -> None:
    feeds = (OpmlFeed("AT&T <Labs>", "https://example.org/p/", (("xmlUrl", "https://example.org/p/feed.xml"),)),)
    root = ET.fromstring(opml_bytes("Digest", (OpmlGroup("R&D", feeds),), None))
    group, feed = root.find("body/outline"), root.find("body/outline/outline")
    assert group is not None and feed is not None
    # OPML 2.0: `text` may contain HTML, so a reader that renders it must get the entities back.
    assert (group.get("text"), group.get("title")) == ("R&amp;D", "R&D")
    assert (feed.get("text"), feed.get("title")) == ("AT&amp;T &lt;Labs&gt;", "AT&T <Labs>")
    assert html.unescape(feed.get("text") or "") == "AT&T <Labs>"
