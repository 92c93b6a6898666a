"""Fixtures of the browser tests: the sample site and a 1,000-item `make_corpus.py` site,
built for and served from a local address, and a headless Chromium driven by Playwright.

The tests need a Chromium binary (Debian's `chromium` package, or DIGEST_CHROMIUM naming
one) and skip, saying so, only when none is found. Remote hosts are never reached: every
request off the local server is recorded and refused.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, sync_playwright

from generator.commands import main
from tools.chromium import CHROME_FLAGS, find_chromium
from tools.localsite import build_args, local_url, start_server, write_config

from ..conftest import REPO, SHARED, requires_shared

PER_PAGE = 5  # the sample's 18 stories make four pages of home


# The output folder of each served site, by its address.
SITE_FOLDERS: dict[str, Path] = {}


@contextmanager
def served_site(folder: Path, content: Path, per_page: int) -> Iterator[str]:
    """`content` built with the sample's settings for a local address, and served there."""
    server = start_server(folder / "_site")
    base = local_url(server)
    SITE_FOLDERS[base] = folder / "_site"
    config = write_config(folder, base, items_per_page=per_page)
    code = main([*build_args(config, content, folder / "_site"), "--now", "2025-01-01T00:00:00Z", "-q"])
    assert code in (0, 1)  # 1: a generated corpus may hold items the build reports and leaves out
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample site, with short pages so that lists paginate."""
    with served_site(tmp_path_factory.mktemp("sample"), REPO / "content", PER_PAGE) as url:
        yield url


@pytest.fixture(scope="session")
def sample_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample site with its own settings (20 stories a page), as its reader sees it."""
    with served_site(tmp_path_factory.mktemp("sample20"), REPO / "content", 20) as url:
        yield url


@pytest.fixture(scope="session")
def corpus_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A 1,000-item make_corpus.py site (skipped where ../shared is absent)."""
    make_corpus = requires_shared(SHARED / "tools" / "make_corpus.py")
    folder = tmp_path_factory.mktemp("corpus1k")
    command = [sys.executable, str(make_corpus), "--items", "1000", "--seed", "1", str(folder / "content")]
    subprocess.run(command, check=True, capture_output=True)
    with served_site(folder, folder / "content", 20) as url:
        yield url


@pytest.fixture(params=["sample", "corpus1k"])
def any_site(request: pytest.FixtureRequest) -> str:
    """Each site in turn: the hand-written sample and the generated 1,000 items."""
    return request.getfixturevalue("site_url" if request.param == "sample" else "corpus_url")


@pytest.fixture(params=["sample", "corpus1k"])
def full_site(request: pytest.FixtureRequest) -> str:
    """Each site in turn with 20 stories a page: the sample and the generated 1,000 items."""
    return request.getfixturevalue("sample_url" if request.param == "sample" else "corpus_url")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    executable = find_chromium()
    if executable is None:
        pytest.skip("no Chromium found: install Debian's chromium package or set DIGEST_CHROMIUM to a Chromium binary")
    launched = playwright.chromium.launch(executable_path=executable, args=CHROME_FLAGS)
    yield launched
    launched.close()


@dataclass
class Visit:
    """A browser tab with everything a reader would not see but should never happen."""

    page: Page
    base: str
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[tuple[str, str]] = field(default_factory=list)
    missing_local: list[str] = field(default_factory=list)

    def open(self, path: str) -> Page:
        self.page.goto(self.base + path.lstrip("/"))
        return self.page

    def overflow(self) -> int:
        """How far the page is wider than the window: 0 when nothing scrolls sideways."""
        return self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.fixture
def visit(browser: Browser, site_url: str) -> Iterator[Callable[..., Visit]]:
    contexts: list[BrowserContext] = []

    def open_tab(width: int = 1280, height: int = 900, scheme: str = "light", base: str = site_url) -> Visit:
        context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
        contexts.append(context)
        tab = Visit(context.new_page(), base)

        def route(route: Route) -> None:
            url = route.request.url
            if url.startswith(base):
                route.continue_()
            else:  # no network for tests, and the theme must not need any
                tab.foreign_requests.append((route.request.resource_type, url))
                route.abort()

        context.route("**/*", route)
        tab.page.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
        tab.page.on(
            "response",
            lambda response: response.status >= 400 and tab.missing_local.append(f"{response.status} {response.url}"),
        )
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def refused_image_message(text: str) -> bool:
    """Chromium's console line for a content image the test refused to fetch."""
    return "net::ERR_FAILED" in text


def page_types(tab: Visit) -> list[str]:
    """One page of each kind, found by following the site's own links: home and its second
    page, a story, a topic, a source, the indexes, a day, the archive, search and 404."""

    def first_link(path: str, selector: str) -> str:
        href = tab.open(path).locator(selector).first.get_attribute("href") or ""
        return href.removeprefix(urlsplit(tab.base).path)

    return [
        "",
        "page/1/",
        first_link("", ".story__title a"),
        "topics/",
        first_link("topics/", ".terms a"),
        "providers/",
        first_link("providers/", ".terms a"),
        "daily/",
        first_link("daily/", "main li a"),
        "archive/",
        first_link("archive/", "main li a"),
        "subscribe/",
        "search/?q=model",
        "404.html",
    ]


def box_sizes(page: Page, selector: str) -> list[list[float]]:
    return page.locator(selector).evaluate_all(
        "found => found.map(e => [e.getBoundingClientRect().width, e.getBoundingClientRect().height])"
    )


def scroll_through(page: Page) -> None:
    """Scroll to the end a screen at a time, so that every lazy image is asked for, wait
    until each has loaded or failed, and scroll back."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for top in range(0, height + 1, 600):
        page.evaluate(f"window.scrollTo(0, {top})")
        page.wait_for_timeout(20)
    page.wait_for_function("[...document.images].every(image => image.complete)")  # each loaded or failed
    page.evaluate("window.scrollTo(0, 0)")
