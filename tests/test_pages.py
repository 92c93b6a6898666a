"""The page plan: which pages exist, at which address, with what context."""

from pathlib import Path

from generator.config import SiteConfig
from generator.curate.index import build_site
from generator.curate.select import select_items
from generator.plan.pages import plan_pages
from generator.plan.present import format_date

from .factories import as_stories, make_item


def plan(count: int, per_page: int = 20, **config: object):
    site = build_site(as_stories(select_items(make_item(n) for n in range(count))))
    return plan_pages(site, SiteConfig(items_per_page=per_page, root=Path("."), **config))  # type: ignore[arg-type]


def test_home_is_paginated_newest_first() -> None:
    pages = {page.path: page for page in plan(45)}
    home = [pages[path] for path in ("", "page/2/", "page/3/")]
    assert "page/4/" not in pages
    assert [len(page.payload.context["items"]) for page in home] == [20, 20, 5]
    assert home[0].payload.context["items"][0].title == "Story 44"
    assert home[2].payload.context["items"][-1].title == "Story 0"
    first, middle, last = (page.payload.context["pagination"] for page in home)
    assert (first.previous_url, first.next_url) == (None, "/page/2/")
    assert (middle.previous_url, middle.next_url) == ("/", "/page/3/")
    assert (last.previous_url, last.next_url) == ("/page/2/", None)
    assert [link.number for link in middle.pages if link] == [1, 2, 3]
    assert [link.is_current for link in middle.pages if link] == [False, True, False]


def test_a_single_page_list_has_no_pagination() -> None:
    home = next(page for page in plan(3) if page.path == "")
    assert home.payload.context["pagination"] is None


def test_long_pagination_shows_a_window_with_gaps() -> None:
    pages = {page.path: page for page in plan(200, per_page=10)}
    numbers = [link.number if link else None for link in pages["page/10/"].payload.context["pagination"].pages]
    assert numbers == [1, None, 8, 9, 10, 11, 12, None, 20]


def test_an_empty_site_still_has_a_home_page_and_a_feed() -> None:
    paths = [page.path for page in plan(0)]
    assert paths == [
        "",
        "feed.xml",
        "atom.xml",
        "feed.json",
        "topics/",
        "providers/",
        "daily/",
        "daily/feed.xml",
        "daily/atom.xml",
        "daily/feed.json",
        "weekly/",
        "weekly/feed.xml",
        "weekly/atom.xml",
        "weekly/feed.json",
        "archive/",
        "saved/",
        "subscribe/",
        "feeds.opml",
        "404.html",
        "search/",
        "search/index.json",
        "api/index.json",
        "api/topics/index.json",
        "api/providers/index.json",
        "api/latest/index.json",
        "sitemap.xml",
        "robots.txt",
    ]


def test_every_page_kind_is_planned_once() -> None:
    pages = plan(3)
    outputs = [page.output for page in pages]
    assert len(outputs) == len(set(outputs))
    assert "news/2024/01/01/story-0/index.html" in outputs
    assert "topics/ai/index.html" in outputs
    assert "providers/example-news/index.html" in outputs
    assert "feed.xml" in outputs


def test_links_are_under_the_base_path_and_the_canonical_is_absolute() -> None:
    pages = {page.path: page for page in plan(1, base_url="https://example.org/digest/")}
    item_page = pages["news/2024/01/01/story-0/"]
    view = item_page.payload.context["item"]
    assert view.url == "/digest/news/2024/01/01/story-0/"
    assert view.topics[0].url == "/digest/topics/ai/"
    assert view.provider.url == "/digest/providers/example-news/"
    assert item_page.payload.context["page"].canonical_url == "https://example.org/digest/news/2024/01/01/story-0/"


def test_dates_are_shown_the_same_in_every_locale() -> None:
    from datetime import datetime

    assert format_date(datetime(2024, 2, 5)) == "5 February 2024"
