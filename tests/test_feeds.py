"""The RSS feed as a feed reader sees it: parsed with feedparser and a strict XML parser."""

import html
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone

import feedparser

from generator.feeds import FeedChannel, FeedEntry, rss_bytes

TRICKY = "Q&A: \"AI\" models & the 'open' question, 1 < 2 > 0 — 人工智能 🤖"
MARKUP = "Why <script> & ]]> never break a feed"


def shown(detail_value: str, detail_type: str) -> str:
    """What a reader displays: HTML values lose their tags and entities, text stays as is."""
    if detail_type == "text/html":
        return html.unescape(re.sub(r"<[^>]+>", "", detail_value))
    return detail_value


def channel(*entries: FeedEntry, updated: datetime | None = None) -> FeedChannel:
    return FeedChannel(
        title="Tiny & Digest",
        link="https://example.org/",
        self_url="https://example.org/feed.xml",
        description="News <and> views",
        language="en",
        updated=updated,
        entries=entries,
    )


def entry(n: int, title: str = "Story", when: datetime | None = None, summary: str = "") -> FeedEntry:
    return FeedEntry(
        title=title,
        link=f"https://example.org/news/{n}/",
        published=when or datetime(2024, 2, 15, 18, 5, tzinfo=UTC),
        summary=summary or f"Summary {n} & more",
        categories=(("AI", "https://example.org/topics/ai/"), ("C++", "https://example.org/topics/c-plus-plus/")),
    )


def test_feedparser_reads_every_field_without_error() -> None:
    when = datetime(2024, 2, 15, 19, 5, tzinfo=timezone(timedelta(hours=1)))
    data = rss_bytes(channel(entry(1, TRICKY, when), entry(2), updated=when))
    feed = feedparser.parse(data)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.title == "Tiny & Digest"
    assert feed.feed.link == "https://example.org/"
    assert feed.feed.language == "en"
    assert feed.feed.updated == "Thu, 15 Feb 2024 19:05:00 +0100"
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == ["https://example.org/feed.xml"]
    first = feed.entries[0]
    assert first.title == TRICKY
    assert first.link == "https://example.org/news/1/"
    assert first.id == "https://example.org/news/1/"
    assert ET.fromstring(data).find("channel/item/guid").get("isPermaLink") == "true"
    assert first.published == "Thu, 15 Feb 2024 19:05:00 +0100"
    assert first.published_parsed[:6] == (2024, 2, 15, 18, 5, 0)  # feedparser normalizes to UTC
    assert shown(first.summary, first.summary_detail.type) == "Summary 1 & more"
    assert [tag.term for tag in first.tags] == ["AI", "C++"]


def test_the_feed_is_well_formed_xml_with_text_escaped_once() -> None:
    data = rss_bytes(channel(entry(1, TRICKY, summary=MARKUP)))
    root = ET.fromstring(data)
    assert root.find("channel/item/title").text == TRICKY
    assert b"&amp;amp;" not in data
    assert b"<script>" not in data


def test_markup_in_an_excerpt_is_shown_as_text_by_a_reader() -> None:
    feed = feedparser.parse(rss_bytes(channel(entry(1, MARKUP, summary=MARKUP))))
    assert feed.bozo == 0
    first = feed.entries[0]
    assert shown(first.summary, first.summary_detail.type) == MARKUP


def test_characters_xml_forbids_are_removed() -> None:
    data = rss_bytes(channel(entry(1, "Bell\x07 and null\x00 and escape\x1b end")))
    assert ET.fromstring(data).find("channel/item/title").text == "Bell and null and escape end"


def test_an_empty_feed_has_no_build_date_from_the_clock() -> None:
    data = rss_bytes(channel())
    assert b"lastBuildDate" not in data
    assert feedparser.parse(data).bozo == 0
