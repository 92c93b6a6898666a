"""Top stories, "More on", daily editions and monthly archives."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser

from generator.curate.ranking import more_on, top_stories
from generator.curate.select import newest_first

from .conftest import Run, item_text
from .factories import make_item
from .htmltools import parse_file
from .sitecheck import check_site


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2024, 3, day, hour, tzinfo=UTC)


def test_top_stories_are_the_hottest_of_the_window_before_the_newest_story() -> None:
    items = newest_first(
        [
            make_item(1, heat=99, published_at=at(1, 11)),  # 7 days and 1 hour before the newest: out
            make_item(2, heat=50, published_at=at(1, 12)),  # exactly 7 days before: in
            make_item(3, heat=80, published_at=at(5)),
            make_item(4, heat=None, published_at=at(6)),  # unknown heat is not ranked
            make_item(5, heat=80, published_at=at(7)),  # equal heat: the newer first
            make_item(6, heat=10, published_at=at(8)),
            make_item(7, heat=100, published_at=at(8), published=False),  # drafts never rank
        ]
    )
    assert [item.slug for item in top_stories(items, 7, 3)] == ["story-5", "story-3", "story-2"]
    assert [item.slug for item in top_stories(items, 7, 10)] == ["story-5", "story-3", "story-2", "story-6"]
    assert top_stories(items, 7, 0) == ()


def test_more_on_weights_rare_topics_over_common_ones() -> None:
    items = newest_first(
        [
            make_item(1, topics=("AI", "Robotics"), published_at=at(9)),
            make_item(2, topics=("AI",), published_at=at(1)),
            make_item(3, topics=("AI",), published_at=at(2)),
            make_item(4, topics=("AI", "Robotics", "Health"), published_at=at(8)),
            make_item(5, topics=("AI", "Health"), published_at=at(7)),
            make_item(6, topics=("Cooking",), published_at=at(6)),
        ]
    )
    related = more_on(items, size=3)
    first = related[make_item(1).source]
    assert first.topic == "Robotics"
    # Sharing the rare "Robotics" beats sharing only "AI"; among AI-only stories, the newest.
    assert [item.slug for item in first.stories] == ["story-4", "story-5", "story-3"]
    assert make_item(6).source not in related  # nothing shares "Cooking"
    assert all(make_item(6).source not in [item.source for item in entry.stories] for entry in related.values())
    # Only earlier stories: the oldest story has none, and no story lists a newer one.
    assert make_item(2).source not in related
    published = {item.source: item.published_at for item in items}
    assert all(other.published_at < published[source] for source, entry in related.items() for other in entry.stories)


def test_a_newer_story_never_changes_an_older_storys_more_on() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    topics = (("AI", "Robotics"), ("AI",), ("AI", "Chips"), ("Robotics", "Chips"), ("AI", "Health"))
    items = [make_item(n, topics=topics[n % 5], published_at=start + timedelta(hours=n)) for n in range(300)]
    before = more_on(newest_first(items))
    later = [make_item(n, topics=topics[n % 3], published_at=start + timedelta(hours=n)) for n in range(300, 320)]
    after = more_on(newest_first(items + later))
    assert {source: after[source] for source in before} == before


def test_more_on_lists_kept_from_an_earlier_build_are_the_lists_worked_out_afresh() -> None:
    """A build keeps each list under a hash of its story's history (the story and every
    earlier one). One that reads them back must get exactly the lists it would work out,
    after newer stories, an older one inserted, one removed and one's topics changed, and
    works out again only the lists of the stories at or after the oldest change."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    topics = (("AI", "Robotics"), ("AI",), ("AI", "Chips"), ("Robotics", "Chips"), ("AI", "Health"))
    items = [make_item(n, topics=topics[n % 5], published_at=start + timedelta(hours=n)) for n in range(300)]
    known: dict[bytes, tuple[str, tuple[str, ...]]] = {}
    assert more_on(newest_first(items), known=known) == more_on(newest_first(items))
    assert len(known) == 300
    inserted = make_item(999, topics=("AI", "Robotics"), published_at=start + timedelta(hours=50, minutes=30))
    newer = [make_item(n, topics=topics[n % 3], published_at=start + timedelta(hours=n)) for n in range(300, 320)]
    changed = [*items[:20], replace(items[20], topics=("Chips",)), *items[21:200], *items[201:], inserted, *newer]
    kept = dict(known)
    assert more_on(newest_first(changed), known=kept) == more_on(newest_first(changed))
    assert len(set(kept) - set(known)) == 279 + 1 + 20  # stories 20-299 but 200, the inserted one, the newer


def test_more_on_stays_fast_when_every_story_shares_one_topic() -> None:
    """100,000 stories that all have "AI": no comparison of every pair (that would take hours)."""
    start = datetime(2020, 1, 1, tzinfo=UTC)
    items = [
        make_item(n, topics=("AI", f"Topic {n % 500}"), published_at=start + timedelta(minutes=n))
        for n in range(100_000)
    ]
    started = time.perf_counter()
    related = more_on(newest_first(items))
    elapsed = time.perf_counter() - started
    assert len(related) == 99_999  # every story but the first has earlier ones
    assert sum(len(entry.stories) == 5 for entry in related.values()) == 99_995
    print(f"more_on over 100,000 stories: {elapsed:.1f} s")  # a figure for the curious, not a pass mark


def day_item(name: str, date: str, heat: int, topics: str) -> str:
    return item_text(title=name, date=date, extra=f"heat: {heat}\n").replace(
        "topics:\n  - AI\n", "topics:\n" + "".join(f"  - {topic}\n" for topic in topics.split(","))
    )


def test_daily_editions_and_monthly_archives(make_site: Callable[..., Path], run_build: Callable[..., Run]) -> None:
    make_site(
        {
            "2024-02-28-a.md": day_item("Leap year chips", "2024-02-28T09:00:00Z", 40, "Chips,AI"),
            "2024-03-01-b.md": day_item("Robots in March", "2024-03-01T09:00:00Z", 30, "Robotics,AI"),
            "2024-03-01-c.md": day_item("Hot chips news", "2024-03-01T10:00:00Z", 90, "Chips,AI"),
            "2024-03-01-d.md": day_item("Cooler chips news", "2024-03-01T11:00:00Z", 20, "Chips"),
            "2024-03-03-e.md": day_item("Sunday robots", "2024-03-03T23:30:00Z", 10, "Robotics"),
        }
    )
    run = run_build("--now", "2024-03-05T00:00:00Z")
    assert run.code == 0, run.err
    out = Path("_site")
    assert check_site(out, "https://example.org/") == []
    day = parse_file(out / "daily/2024-03-01/index.html")
    groups = day.find_all("section", class_="briefing__group")
    assert [group.find("h2").text for group in groups] == ["Chips", "Robotics"]  # the hottest story's group first
    assert [h3.text for h3 in groups[0].find_all("h3", class_="story__title")] == [
        "Hot chips news",
        "Cooler chips news",
    ]
    # Numbered through the whole day: the second group goes on from the first.
    assert [group.find("ol").get("start") for group in groups] == ["1", "3"]
    pager = day.find("nav", class_="pagination")
    assert pager.find("a", rel="next").get("href") == "/daily/2024-03-03/"
    assert pager.find("a", rel="prev").get("href") == "/daily/2024-02-28/"
    editions = parse_file(out / "daily/index.html").find("ol", class_="editions")
    assert [a.get("href") for a in editions.find_all("a") if "editions__lead" not in str(a.get("class"))][::2] == [
        "/daily/2024-03-03/",
        "/daily/2024-03-01/",
        "/daily/2024-02-28/",
    ]
    feed = feedparser.parse((out / "daily/feed.xml").read_bytes())
    assert feed.bozo == 0
    assert [entry.link for entry in feed.entries] == [
        "https://example.org/daily/2024-03-03/",
        "https://example.org/daily/2024-03-01/",
        "https://example.org/daily/2024-02-28/",
    ]
    assert feed.entries[1].title == "2024-03-01: 3 stories"
    assert 'href="https://example.org/news/2024/03/01/c/"' in feed.entries[1].content[0].value
    assert (
        json.loads((out / "daily/feed.json").read_bytes())["items"][0]["id"] == "https://example.org/daily/2024-03-03/"
    )
    archive = parse_file(out / "archive/index.html")
    assert [h2.text for h2 in archive.find_all("h2")] == ["2024"]
    year_lists = archive.find("section", class_="archive-year").find_all("ul")
    assert [a.text for a in year_lists[0].find_all("a")] == ["March 2024", "February 2024"]
    assert [(a.text, a.get("href")) for a in year_lists[1].find_all("a")] == [("Week 9, 2024", "/weekly/2024-W09/")]
    week = parse_file(out / "weekly/2024-W09/index.html")
    # Monday to Sunday, across a month
    assert "26 February – 3 March 2024" in week.find("header", class_="page-header").text
    assert [h3.text for h3 in week.find_all("h3", class_="story__title")] == [
        "Hot chips news",
        "Leap year chips",
        "Cooler chips news",
        "Robots in March",
        "Sunday robots",
    ]
    assert "/weekly/2024-W09/" in (out / "sitemap.xml").read_text()
    weekly = feedparser.parse((out / "weekly/feed.xml").read_bytes())
    assert weekly.bozo == 0
    assert [(entry.link, entry.title) for entry in weekly.entries] == [
        ("https://example.org/weekly/2024-W09/", "Week 9, 2024: 5 stories")
    ]
    assert weekly.entries[0].published == "Mon, 26 Feb 2024 00:00:00 +0000"  # the week's start, whatever it holds
    assert feed.entries[1].published == "Fri, 01 Mar 2024 00:00:00 +0000"  # the day's start
    march = parse_file(out / "archive/2024/03/index.html")
    assert len(march.find_all("article", class_="story")) == 4
    home = parse_file(out / "index.html")
    top = home.find("section", class_="top")
    assert [h3.text for h3 in top.find_all("h3", class_="story__title")][:2] == ["Hot chips news", "Leap year chips"]


def test_future_items_wait_for_their_date_and_show_as_drafts_only_when_asked(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    make_site(
        {
            "2024-02-28-now.md": item_text(title="Already out", date="2024-02-28T09:00:00Z"),
            "2024-03-02-later.md": item_text(title="Embargoed until March", date="2024-03-02T09:00:00Z"),
        }
    )
    run = run_build("--now", "2024-03-01T00:00:00Z")
    assert run.out.startswith("2 items read, 1 published, 1 held back, ")
    assert not Path("_site/news/2024/03/02/later").exists()
    run = run_build("--now", "2024-03-01T00:00:00Z", "--drafts")
    page = parse_file(Path("_site/news/2024/03/02/later/index.html"))
    assert page.find("span", class_="badge").text == "Draft"
    assert page.find("meta", name="robots").get("content") == "noindex"
    for name in ("feed.xml", "sitemap.xml", "daily/feed.xml"):
        assert b"later" not in Path("_site", name).read_bytes(), name
    run = run_build("--now", "2024-03-02T09:00:00Z")  # the item's own moment: published
    assert run.out.startswith("2 items read, 2 published, ")
    assert b"news/2024/03/02/later/" in Path("_site/feed.xml").read_bytes()
