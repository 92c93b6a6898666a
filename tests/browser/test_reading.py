"""The theme as a news reader uses it: how many headlines the first screen holds, compact
mode, the keys, saved stories, marks for new stories, ages, the subscribe page's bundle
picker, and every page still complete without JavaScript."""

from __future__ import annotations

import gzip
import itertools
import re
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable

import feedparser
import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import Visit, page_types

# A story's headline: a link to a story page inside a heading.
HEADLINES = ":is(h1, h2, h3) a[href*='/news/']"
IN_FIRST_SCREEN = """selector => [...document.querySelectorAll(selector)].filter(link => {
    const box = link.getBoundingClientRect();
    return box.width > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
}).length"""
SHOWN = "selector => [...document.querySelectorAll(selector)].filter(link => link.getClientRects().length).length"


def busiest_topic(tab: Visit) -> str:
    """The address of the topic with the most stories, from the topic index."""
    page = tab.open("topics/")
    counts = page.locator(".terms li").evaluate_all(
        "items => items.map(li => [li.querySelector('a').getAttribute('href'), +li.querySelector('.count').textContent])"
    )
    return max(counts, key=lambda pair: pair[1])[0]


def headlines_in_first_screen(page: Page) -> tuple[int, int]:
    """(headlines entirely inside the first screen, headlines the page shows)."""
    return page.evaluate(IN_FIRST_SCREEN, HEADLINES), page.evaluate(SHOWN, HEADLINES)


@pytest.mark.parametrize(("width", "height", "least"), [(390, 844, 5), (1366, 768, 10)])
def test_a_first_screen_holds_many_headlines_on_home_and_topic_pages(
    visit: Callable[..., Visit], full_site: str, width: int, height: int, least: int
) -> None:
    tab = visit(width=width, height=height, base=full_site)
    for path in ("", busiest_topic(tab)):
        inside, shown = headlines_in_first_screen(tab.open(path))
        assert shown >= least
        assert inside >= least, f"{path or 'home'}: {inside} headlines in the first screen at {width}×{height}"


def test_compact_mode_shows_headlines_only_and_is_remembered(visit: Callable[..., Visit], full_site: str) -> None:
    tab = visit(width=1366, height=768, base=full_site)
    topic = busiest_topic(tab)
    page = tab.open("")
    toggle = page.get_by_role("button", name="Headlines only")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert page.locator(".latest .meta").first.is_visible()
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page.locator(".latest .meta").first.is_hidden()
    for path in (topic, ""):  # other pages, later: the choice is kept
        page = tab.open(path)
        expect(page.locator("html")).to_have_class(re.compile(r"\bcompact\b"))
        inside, shown = headlines_in_first_screen(page)
        assert inside >= min(20, shown), f"{path or 'home'}: {inside} headlines in the first screen, compact"
    page.get_by_role("button", name="Headlines only").click()
    page = tab.open(topic)
    expect(page.locator("html")).not_to_have_class(re.compile(r"\bcompact\b"))
    assert tab.console_errors == [] or all("ERR_FAILED" in text for text in tab.console_errors)


def test_no_story_is_shown_twice_on_a_page(visit: Callable[..., Visit], any_site: str) -> None:
    tab = visit(base=any_site)
    for path in page_types(tab):
        page = tab.open(path)
        shown = page.locator("main .story[data-url]").evaluate_all("found => found.map(e => e.dataset.url)")
        assert len(shown) == len(set(shown)), path


@pytest.mark.parametrize("width", [390, 1366])
def test_the_header_is_small_and_the_keyboard_follows_the_eye(visit: Callable[..., Visit], width: int) -> None:
    tab = visit(width=width, height=844)
    page = tab.open("topics/")
    if width == 390:
        assert page.locator(".site-header").bounding_box()["height"] <= 110
    # Where each control of the header is drawn, before any focus scrolls the navigation.
    places = page.evaluate(
        """() => [...document.querySelectorAll('.site-header :is(a, input, button)')].map(e => {
            const box = e.getBoundingClientRect(); const list = e.closest('ul');
            return [Math.round(box.top), Math.round(box.left + (list ? list.scrollLeft : 0))]; })"""
    )
    page.keyboard.press("Tab")  # the skip link
    order = []
    for _ in range(len(places)):
        page.keyboard.press("Tab")
        order.append(
            page.evaluate(
                "[...document.querySelectorAll('.site-header :is(a, input, button)')].indexOf(document.activeElement)"
            )
        )
    assert order == list(range(len(places)))  # every control, in the order of the document
    drawn = [places[index] for index in order]
    for (top, left), (next_top, next_left) in itertools.pairwise(drawn):
        same_row = abs(next_top - top) < 16
        assert (same_row and next_left > left) or next_top >= top + 16, drawn  # left to right, then down


def test_keys_move_between_stories_save_them_and_open_one(visit: Callable[..., Visit]) -> None:
    tab = visit(width=1366, height=768)
    page = tab.open("")
    stories = page.locator("main .story[data-url]")
    titles = [stories.nth(n).get_attribute("data-title") for n in range(3)]
    page.keyboard.press("j")
    expect(stories.nth(0)).to_have_class(re.compile("story--current"))
    assert page.evaluate("document.activeElement.textContent") == titles[0]
    page.keyboard.press("j")
    expect(stories.nth(1)).to_have_class(re.compile("story--current"))
    page.keyboard.press("k")
    expect(stories.nth(0)).to_have_class(re.compile("story--current"))
    page.keyboard.press("s")
    expect(stories.nth(0).locator("button.save")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("j")
    page.keyboard.press("s")
    stories.nth(2).get_by_role("button", name=f"Save: {titles[2]}").click()
    page = tab.open("saved/")
    saved = page.locator(".saved__list .story__title a")
    expect(saved).to_have_text([titles[2], titles[1], titles[0]])  # the last saved first
    expect(page.locator(".saved__status")).to_have_text("3 saved stories.")
    page.get_by_role("button", name=f"Remove: {titles[1]}").click()
    expect(saved).to_have_text([titles[2], titles[0]])
    saved.first.click()
    expect(page.locator("h1")).to_have_text(titles[2] or "")
    page = tab.open("")
    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page.locator("h1")).to_have_text(titles[0] or "")
    expect(page.locator("article.article button.save")).to_have_attribute("aria-pressed", "true")


def test_stories_since_the_last_visit_are_marked_new(visit: Callable[..., Visit]) -> None:
    tab = visit()
    page = tab.open("")
    assert page.locator(".story__new").count() == 0  # a first visit marks nothing
    times = page.locator("main .story[data-time]").evaluate_all("found => found.map(e => Date.parse(e.dataset.time))")
    cut = sorted(times)[len(times) // 2]
    page.evaluate(f"localStorage.setItem('digest-last-seen', '{cut}')")  # a visit long ago
    for _ in range(2):  # and pages seen during this visit keep the marks
        page.reload()
        new = page.locator("main .story--new").evaluate_all("found => found.map(e => Date.parse(e.dataset.time))")
        assert sorted(new) == sorted(time for time in times if time > cut)
        expect(page.locator(".story--new .story__new").first).to_have_text("New")


def test_times_read_as_ages_on_the_readers_clock(visit: Callable[..., Visit]) -> None:
    tab = visit()
    tab.page.clock.set_fixed_time("2024-10-09T13:30:00Z")  # three hours after the sample's newest story
    page = tab.open("")
    newest = page.locator("main time[datetime='2024-10-09T10:30:00+00:00']").first
    expect(newest).to_have_text("3 h ago")
    assert newest.get_attribute("title") == "9 Oct 2024, 10:30"
    expect(page.locator("main time[datetime='2024-10-04T16:20:00+00:00']").first).to_have_text("5 days ago")
    # Older than a week: the date the page was built with.
    expect(page.locator("main time[datetime='2024-06-25T11:45:00+00:00']").first).to_have_text("25 Jun 2024, 11:45")


def test_the_bundle_picker_makes_one_opml_file_of_the_ticked_feeds(visit: Callable[..., Visit]) -> None:
    tab = visit()
    page = tab.open("subscribe/")
    page.get_by_label("Filter").fill("ai")
    entries = page.locator(".bundle li[data-feed]")
    visible = [n for n in range(entries.count()) if entries.nth(n).is_visible()]
    names = [entries.nth(n).get_attribute("data-name") or "" for n in visible]
    assert names and all("ai" in name.lower() for name in names)
    assert len(visible) < entries.count()
    chosen = [entries.nth(n) for n in visible[:2]]
    for entry in chosen:
        entry.get_by_role("checkbox").check()
    expect(page.locator(".bundle__count")).to_have_text("2 feeds chosen")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download OPML").click()
    assert download.value.suggested_filename == "feeds.opml"
    opml = ET.parse(download.value.path()).getroot()
    outlines = opml.find("body").findall("outline")
    assert [(o.get("text"), o.get("xmlUrl"), o.get("htmlUrl")) for o in outlines] == [
        (entry.get_attribute("data-title"), entry.get_attribute("data-feed"), entry.get_attribute("data-page"))
        for entry in chosen
    ]
    for outline in outlines:  # each address is a feed a reader can read
        with urllib.request.urlopen(outline.get("xmlUrl")) as response:
            feed = feedparser.parse(response.read())
        assert feed.bozo == 0 and feed.entries


def test_without_javascript_every_page_reads_completely(browser: Browser, sample_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(sample_url)
        assert page.locator("main .story").count() == 18
        assert page.locator("button.save").first.is_hidden() and page.locator(".view-toggle").is_hidden()
        page.goto(sample_url + "subscribe/")
        assert page.locator(".bundle__tools").is_hidden() and page.locator(".bundle li a").first.is_visible()
        page.goto(sample_url + "saved/")
        assert "needs JavaScript" in page.locator("main").inner_text()
    finally:
        context.close()


def test_the_big_site_stays_light(corpus_url: str) -> None:
    """The 1,000-item site's home page under 60 KB gzipped; its subscribe page lists every
    topic and source once, not three addresses each."""
    with urllib.request.urlopen(corpus_url) as response:
        home = response.read()
    assert len(gzip.compress(home)) < 60_000
    with urllib.request.urlopen(corpus_url + "subscribe/") as response:
        subscribe = response.read()
    assert len(subscribe) < 200_000
