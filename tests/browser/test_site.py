"""The sample site as a reader meets it: served over HTTP and driven in headless Chromium.

These tests click through the site, search it, resize it and switch it to dark mode, and
fail on anything a reader would notice: a dead click, sideways scrolling, a blocked
resource, a request to another host, an error in the console.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, expect

from ..conftest import REPO
from .conftest import PER_PAGE, Visit, box_sizes, page_types, refused_image_message, scroll_through


def test_a_reader_goes_from_home_to_a_topic_to_a_story_to_its_source(
    visit: Callable[..., Visit], any_site: str
) -> None:
    tab = visit(base=any_site)
    page = tab.open("/")
    expect(page.locator("h1")).to_have_text("Latest stories")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Topics").click()
    expect(page.locator("h1")).to_have_text("Topics")
    topic = page.locator(".terms a").first
    topic_name = topic.inner_text()
    topic.click()
    expect(page.locator("h1")).to_have_text(topic_name)
    story = page.locator(".story__title a").first
    story_title = story.inner_text()
    story.click()
    expect(page.locator("h1")).to_have_text(story_title)
    assert page.get_by_role("link", name=re.compile("^Read the full story")).count() >= 1
    topics_of_story = page.get_by_role("navigation", name="Topics").get_by_role("link").all_inner_texts()
    assert topic_name in topics_of_story
    # Where the story comes from, and the way out to it, come first on its page.
    source = page.locator("article.article .meta__source")
    source_name = source.inner_text()
    source.click()
    expect(page.locator("h1")).to_have_text(source_name)
    assert story_title in page.locator(".story__title a").all_inner_texts()
    assert tab.missing_local == []


def test_a_reader_pages_through_the_latest_stories(visit: Callable[..., Visit], any_site: str) -> None:
    tab = visit(base=any_site)
    page = tab.open("/")
    top = page.locator(".top .story__title a").all_inner_texts()
    front = page.locator(".latest .story__title a").all_inner_texts()
    assert top and not set(top) & set(front)  # the top stories are not listed again
    per_page = PER_PAGE if len(front) < 2 * PER_PAGE else 20  # the sample's site is built with 5 a page
    assert per_page <= len(front) < 2 * per_page  # the front page holds the newest, never fewer than a page
    pages = page.get_by_role("navigation", name="Pages")
    expect(pages.locator('[aria-current="page"]')).to_have_text("Latest")
    newest = int(pages.locator("li a").nth(1).inner_text())
    meta = page.locator(".page-header__meta")
    seen = list(front)
    for number in range(newest, 0, -1):  # "Older" walks the numbered pages down to page 1
        page.get_by_role("navigation", name="Pages").get_by_role("link", name="Older →").click()
        expect(meta).to_have_text(f"Page {number}, counted from the oldest story")
        expect(page.get_by_role("navigation", name="Pages").locator('[aria-current="page"]')).to_have_text(str(number))
        shown = page.locator(".story__title a").all_inner_texts()
        assert len(shown) == per_page  # a numbered page is always full
        seen += shown
        if number == newest - 2:
            break
    assert len(seen) == len(set(seen)) and not set(seen) & set(top)  # each story once
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="1", exact=True).click()
    expect(meta).to_have_text("Page 1, counted from the oldest story")
    assert page.get_by_role("link", name="Older →").count() == 0
    page.get_by_role("link", name="← Newer").click()
    if newest > 1:
        expect(meta).to_have_text("Page 2, counted from the oldest story")
        page.get_by_role("navigation", name="Pages").get_by_role("link", name="Latest").click()
    expect(page.locator(".top")).to_be_visible()
    assert tab.missing_local == []


def test_search_finds_the_oldest_stories_kept_in_the_index_parts(visit: Callable[..., Visit], corpus_url: str) -> None:
    """A thousand items: the index's first file holds the newest stories, and the oldest are
    in a part the script fetches beside it."""
    with urllib.request.urlopen(corpus_url + "search/index.json") as response:
        first = json.load(response)
    assert first["parts"], "a site of 1,000 items has closed parts"
    with urllib.request.urlopen(corpus_url + first["parts"][-1].lstrip("/")) as response:
        oldest = json.load(response)["items"][-1]
    assert all(row[1] != oldest[1] for row in first["items"])
    tab = visit(base=corpus_url)
    page = tab.open("search/?q=" + urllib.parse.quote(oldest[0]))
    results = page.locator("#search-results li")
    expect(results.first).to_be_visible()
    assert oldest[1] in results.locator("h2 a").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert tab.console_errors == [] and tab.missing_local == []


def test_searching_from_the_header_shows_results_as_you_type_and_opens_one(visit: Callable[..., Visit]) -> None:
    tab = visit()
    page = tab.open("topics/")
    header_search = page.get_by_role("search").get_by_label("Search stories")
    header_search.fill("sora")
    header_search.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=sora$"))
    results = page.locator("#search-results li")
    expect(results.first).to_be_visible()
    titles = results.locator("h2 a").all_inner_texts()
    assert titles and all("sora" in title.lower() for title in titles[:1])
    box = page.get_by_label("Search for")
    expect(box).to_have_value("sora")
    # Typing, without pressing Enter, narrows the results and keeps the address in step.
    box.fill("")
    box.press_sequentially("gemini", delay=20)
    expect(page.locator("#search-status")).to_have_text("2 stories match “gemini”.")
    assert all("gemini" in title.lower() for title in results.locator("h2 a").all_inner_texts())
    box.press_sequentially(" 1.5", delay=20)
    expect(page.locator("#search-status")).to_have_text("1 story matches “gemini 1.5”.")
    page.wait_for_url(re.compile(r"q=gemini\+1\.5$"))
    assert "Gemini 1.5" in results.locator("h2 a").inner_text()
    # The words a term begins are marked, in the title and the excerpt.
    assert results.locator("h2 a mark").all_inner_texts() == ["Gemini", "1", "5"]
    assert "Gemini" in results.locator(".search-result__excerpt mark").all_inner_texts()
    # Accents and case do not matter, and a term matches the start of a word.
    box.fill("RÉGUL")
    expect(page.locator("#search-status")).to_contain_text("match")
    assert results.count() >= 1
    box.fill("zzzz-no-such-story")
    expect(page.locator("#search-status")).to_have_text("No story matches “zzzz-no-such-story”.")
    assert results.count() == 0
    box.fill("mixtral")
    first = results.locator("h2 a").first
    title = first.inner_text()
    shown_date = results.locator("time").first.get_attribute("datetime") or ""
    first.click()
    expect(page.locator("h1")).to_have_text(title)
    # A result shows the day the story's own page shows.
    assert (page.locator("article.article .meta time").get_attribute("datetime") or "").startswith(shown_date)
    assert tab.console_errors == [] and tab.missing_local == []


def test_any_story_can_be_found_by_the_words_of_its_title(visit: Callable[..., Visit], any_site: str) -> None:
    tab = visit(base=any_site)
    titles = tab.open("page/1/").locator(".story__title a").all_inner_texts()
    title = titles[len(titles) // 2]
    words = re.findall(r"\w+", title)[:3]
    page = tab.open("search/")
    page.get_by_label("Search for").press_sequentially(" ".join(words), delay=10)
    expect(page.locator("#search-status")).to_contain_text("match")
    found = page.locator("#search-results h2 a", has_text=title).first
    found.click()
    expect(page.locator("h1")).to_have_text(title)
    assert tab.console_errors == [] or all(refused_image_message(text) for text in tab.console_errors)


def test_search_finds_stories_by_topic_and_by_source(visit: Callable[..., Visit]) -> None:
    tab = visit()
    page = tab.open("search/?q=ai+in+china")
    expect(page.locator("#search-status")).to_contain_text("match")
    china = page.locator("#search-results li h2 a").all_inner_texts()
    topic_page = tab.open("topics/ai-in-china/")
    assert set(topic_page.locator(".story__title a").all_inner_texts()) <= set(china)
    page = tab.open("search/?q=pacific+wire")
    expect(page.locator("#search-status")).to_contain_text("match")
    by_source = page.locator("#search-results .meta__source").all_inner_texts()
    assert by_source and set(by_source) == {"The Pacific Wire"}


@pytest.mark.parametrize("width", [320, 375, 768, 1920])
def test_no_page_scrolls_sideways_from_phone_to_wide_desktop(
    visit: Callable[..., Visit], any_site: str, width: int
) -> None:
    tab = visit(width=width, height=800, base=any_site)
    for path in page_types(tab):
        tab.open(path)
        tab.page.wait_for_load_state("load")
        assert tab.overflow() <= 0, f"{path} scrolls sideways by {tab.overflow()} px at {width} px"


def luminance(css_color: str) -> float:
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", css_color)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_colour_scheme_follows_the_reader_setting(visit: Callable[..., Visit], any_site: str, scheme: str) -> None:
    tab = visit(scheme=scheme, base=any_site)
    page = tab.open(page_types(tab)[2])
    background = luminance(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    text = luminance(page.evaluate("getComputedStyle(document.body).color"))
    card = luminance(page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor"))
    if scheme == "dark":
        assert background < 0.15 and text > 0.8 and card < 0.2
    else:
        assert background > 0.9 and text < 0.2 and card > 0.85


def test_pages_make_no_requests_elsewhere_but_content_images_and_log_no_errors(
    visit: Callable[..., Visit], any_site: str
) -> None:
    tab = visit(base=any_site)
    for path in page_types(tab):
        tab.open(path)
        tab.page.wait_for_load_state("load")
    # The sample's images are its own files; content images elsewhere are the only
    # requests allowed off the site.
    kinds = {kind for kind, _ in tab.foreign_requests}
    assert kinds <= {"image"}, tab.foreign_requests
    assert [text for text in tab.console_errors if not refused_image_message(text)] == []
    assert tab.missing_local == [], "a page asked for a file the site does not have"


def test_the_content_security_policy_blocks_inline_script(visit: Callable[..., Visit]) -> None:
    tab = visit()
    page = tab.open("/")
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content") or ""
    assert "script-src 'self'" in policy and "default-src 'self'" in policy
    # A script smuggled into the page after the fact is refused by the policy itself.
    page.evaluate(
        """() => { const s = document.createElement('script'); s.textContent = 'window.ran = true';
                   document.body.appendChild(s); }"""
    )
    assert page.evaluate("window.ran === undefined")
    assert any("Content Security Policy" in text for text in tab.console_errors)


def test_broken_images_collapse_to_nothing_or_to_initials(visit: Callable[..., Visit], any_site: str) -> None:
    """Every image fails (as when a news site's server is down): no broken-image icon and no
    empty frame is left; a logo becomes its source's initials, at the logo's size, and so
    does the lead story's picture, in its frame, so nothing above the river moves."""
    tab = visit(width=390, height=844, base=any_site)
    tab.page.route(
        "**/*",
        lambda route: route.abort() if route.request.resource_type == "image" else route.fallback(),
    )
    page = tab.open("/")
    scroll_through(page)
    lead = page.locator(".story--lead h3 a").get_attribute("href") or ""
    expect(page.locator("main img")).to_have_count(0)  # each failed image is gone
    # The lead story's picture keeps its frame, with the source's initials in it.
    frames = page.locator(".story--lead .story__picture")
    assert frames.evaluate("e => e.tagName") == "SPAN" and frames.inner_text().strip()
    ((width, height),) = box_sizes(page, ".story--lead .story__picture")
    assert width == height == 88  # 5.5rem square on a phone, as the picture was
    initials = box_sizes(page, ".meta .logo--initials")
    assert initials and all(size == [16, 16] for size in initials)
    assert all(text.strip() for text in page.locator(".meta .logo--initials").all_inner_texts())
    assert tab.overflow() <= 0
    page = tab.open(lead.removeprefix(urlsplit(any_site).path))
    scroll_through(page)
    expect(page.locator("main img")).to_have_count(0)
    assert page.locator(".article__image").count() == 0
    assert tab.overflow() <= 0


def test_the_keyboard_reaches_the_skip_link_first_and_focus_is_visible(visit: Callable[..., Visit]) -> None:
    tab = visit()
    page = tab.open("news/2024/02/15/openai-unveils-sora-text-to-video/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to the content"
    skip = page.locator(".skip-link")
    assert skip.bounding_box()["x"] >= 0  # on screen once focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # The next stop after skipping is inside <main>, not the header's links.
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_a_story_prints_with_the_site_name_and_its_address_but_no_chrome(visit: Callable[..., Visit]) -> None:
    tab = visit()
    page = tab.open("news/2024/02/15/openai-unveils-sora-text-to-video/")
    page.emulate_media(media="print")
    assert page.locator(".site-title").is_visible()
    for chrome in (".site-nav", ".site-search", ".skip-link", ".pagination", ".save", ".more-on"):
        assert page.locator(chrome).count() == 0 or page.locator(chrome).first.is_hidden(), chrome
    assert page.locator("article.article h1").is_visible()
    address = page.locator(".site-footer .print-only")
    expect(address).to_be_visible()
    assert address.inner_text() == page.locator('link[rel="canonical"]').get_attribute("href")
    source_link = page.locator(".article__out a")
    printed = page.evaluate("getComputedStyle(document.querySelector('.article__out a'), '::after').content")
    assert source_link.get_attribute("href") in printed  # the story's own address is on paper too
    background = luminance(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    assert background > 0.99


def test_a_page_without_javascript_still_offers_search_and_says_what_it_needs(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "search/?q=sora")
        assert "needs JavaScript" in page.locator("main").inner_text()
        page.goto(site_url)
        assert page.get_by_role("search").count() == 1
    finally:
        context.close()


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """`build.py serve` on a copy of the sample site: the curator's live preview."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copytree(REPO / "static", site / "static")
    shutil.copy(REPO / "site.toml", site / "site.toml")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, str(REPO / "build.py"), "serve", "--port", str(port)]
    process = subprocess.Popen(command, cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(base, timeout=2):
                    break
            except OSError:
                time.sleep(0.1)
        yield site, base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_preview_reloads_an_open_page_after_an_edit_and_shows_a_broken_file(
    visit: Callable[..., Visit], preview: tuple[Path, str]
) -> None:
    site, base = preview
    tab = visit(base=base)
    page = tab.open("news/2024/02/15/openai-unveils-sora-text-to-video/")
    expect(page.locator("h1")).to_have_text("OpenAI Unveils Sora: Minute-Long Videos From a Text Prompt")
    story = site / "content/2024-02-15-openai-unveils-sora-text-to-video.md"
    story.write_text(story.read_text(encoding="utf-8").replace("OpenAI Unveils Sora", "Sora, Edited"), encoding="utf-8")
    # Nobody navigates: the page's reload script, allowed by the page's own policy, does.
    expect(page.locator("h1")).to_have_text("Sora, Edited: Minute-Long Videos From a Text Prompt", timeout=20_000)
    (site / "content/2024-02-16-broken.md").write_text("---\ntitle: Broken\npublishedDateTime: someday\n---\n")
    expect(page.locator("#digest-build-error")).to_contain_text("2024-02-16-broken.md:3", timeout=20_000)
    assert [text for text in tab.console_errors if not refused_image_message(text)] == []
