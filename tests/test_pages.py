"""The page plan: which pages exist, at which address, with what context."""

from collections.abc import Callable
from pathlib import Path

from generator.config import SiteConfig
from generator.curate.index import build_site
from generator.curate.select import select_items
from generator.plan.derived import Later, made
from generator.plan.pages import plan_pages, plan_site_pages
from generator.plan.present import format_date
from generator.render.renderer import Renderer

from .conftest import REPO, Run, item_text, tree_bytes
from .factories import as_stories, make_item
from .htmltools import parse_file


def plan(count: int, per_page: int = 20, **config: object):
    site = build_site(as_stories(select_items(make_item(n) for n in range(count))))
    return plan_pages(site, SiteConfig(items_per_page=per_page, root=Path("."), **config))  # type: ignore[arg-type]


def test_planning_makes_no_story_object_and_rendering_a_page_makes_only_its_own() -> None:
    """A warm build plans every page but renders a few: the views, feed entries, API entries
    and email stories of the others must not be made at all (that is most of planning)."""
    site = build_site(as_stories(select_items(make_item(n) for n in range(45))))
    plan = plan_site_pages(site, SiteConfig(root=Path(".")))  # type: ignore[arg-type]
    objects = plan.derived.laters
    assert len(objects) >= 4 * 45 and all(type(made) is Later for made in objects)
    assert not any(made.is_made for made in objects)
    page = next(page for page in plan.pages if page.path == "page/1/")  # the 20 oldest stories
    Renderer([REPO / "generator" / "themes" / "default" / "templates"]).render(page)
    assert sum(made.is_made for made in objects) == 20


def test_a_story_page_and_its_api_document_are_made_for_their_page_and_not_kept() -> None:
    """Only one page shows a story's page context or its API document: the build must not
    hold every story's copy of them until it ends. The objects other pages share (the
    story's view, its API entry) are kept, and rendering the page again gives its bytes."""
    site = build_site(as_stories(select_items(make_item(n) for n in range(5))))
    plan = plan_site_pages(site, SiteConfig(root=Path(".")))  # type: ignore[arg-type]
    story = site.stories[0]
    shown = [page for page in plan.pages if page.shows == frozenset({story.source})]
    assert {page.output.rsplit(".", 1)[-1] for page in shown} == {"html", "json"}
    renderer = Renderer([REPO / "generator" / "themes" / "default" / "templates"])
    first = [renderer.render(page) for page in shown]
    assert b"<h1" in first[0] or b"<h1" in first[1]
    mine = [later for later in plan.derived.laters if later.story is story]
    kept = {later.kind for later in mine if later.is_made}
    assert {"view", "API entry"} <= kept
    assert not kept & {"story page", "API document"}
    assert [renderer.render(page) for page in shown] == first


def test_home_pages_count_from_the_oldest_story() -> None:
    pages = {page.path: page for page in plan(45)}
    home = [pages[path] for path in ("", "page/1/")]
    assert "page/2/" not in pages
    # Page 1 holds the 20 oldest; the front page the 25 newest (20 to 39 of them, always).
    assert [len(page.payload.context["items"]) for page in home] == [25, 20]
    assert home[0].payload.context["items"][0].title == "Story 44"
    assert home[0].payload.context["items"][-1].title == "Story 20"
    assert home[1].payload.context["items"][0].title == "Story 19"
    assert home[1].payload.context["items"][-1].title == "Story 0"
    front, oldest = (page.payload.context["pagination"] for page in home)
    assert (front.previous_url, front.next_url) == (None, "/page/1/")
    assert (oldest.previous_url, oldest.next_url) == ("/", None)
    assert [(link.text, link.is_current) for link in oldest.pages if link] == [("Latest", False), ("1", True)]
    assert [page.payload.context["front"] for page in home] == [True, False]


def test_a_new_story_changes_only_the_front_page() -> None:
    def numbered(count: int) -> dict[str, object]:
        return {
            page.path: (tuple(view.title for view in page.payload.context["items"]), page.payload.context["pagination"])
            for page in plan(count, per_page=10)
            if page.path.startswith("page/")
        }

    before = numbered(95)
    assert sorted(before) == [f"page/{n}/" for n in range(1, 9)]
    for count in range(96, 100):  # until the front page hands on its oldest ten
        assert numbered(count) == before
    after = numbered(100)
    assert sorted(after) == [f"page/{n}/" for n in range(1, 10)]
    # The new page 9 takes the front page's oldest ten; page 8 now links to it instead of the front page.
    assert {path: value for path, value in after.items() if path not in ("page/8/", "page/9/")} == {
        path: value for path, value in before.items() if path != "page/8/"
    }
    assert after["page/8/"][0] == before["page/8/"][0]


def test_a_single_page_list_has_no_pagination() -> None:
    home = next(page for page in plan(3) if page.path == "")
    assert home.payload.context["pagination"] is None


def test_long_pagination_shows_a_window_with_gaps() -> None:
    pages = {page.path: page for page in plan(200, per_page=10)}
    # 19 numbered pages (the front page holds the newest 10 to 19)
    assert "page/19/" in pages and "page/20/" not in pages

    def texts(path: str) -> list[str | None]:
        return [link.text if link else None for link in pages[path].payload.context["pagination"].pages]

    assert texts("page/10/") == ["Latest", "11", "10", "9", "8", None, "1"]
    assert texts("page/19/") == ["Latest", "19", "18", "17", None, "1"]
    assert texts("") == ["Latest", "19", "18", None, "1"]
    assert texts("page/1/") == ["Latest", "2", "1"]


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
    context = made(item_page.payload.context)  # a story page's context is made when it is rendered
    view = context["item"]
    assert view.url == "/digest/news/2024/01/01/story-0/"
    assert view.topics[0].url == "/digest/topics/ai/"
    assert view.provider.url == "/digest/providers/example-news/"
    assert context["page"].canonical_url == "https://example.org/digest/news/2024/01/01/story-0/"


def test_dates_are_shown_the_same_in_every_locale() -> None:
    from datetime import datetime

    assert format_date(datetime(2024, 2, 5)) == "5 February 2024"


def test_a_new_story_leaves_every_numbered_page_as_it_was(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    def story(day: int) -> str:
        return item_text(title=f"Story of day {day}", date=f"2024-03-{day:02}T08:00:00Z")

    site = make_site({f"2024-03-{day:02}-s.md": story(day) for day in range(1, 24)}, {"items_per_page": 5})
    assert run_build("--now", "2024-04-01T00:00:00Z").code == 0
    before = {name: data for name, data in tree_bytes(Path("_site")).items() if "page/" in name}
    assert {"page/3/index.html", "topics/ai/page/3/index.html", "providers/example-news/page/1/index.html"} <= set(
        before
    )
    (site / "content/2024-03-24-s.md").write_text(story(24))
    assert run_build("--now", "2024-04-01T00:00:00Z").code == 0
    after = {name: data for name, data in tree_bytes(Path("_site")).items() if "page/" in name}
    html = [name for name in before if name.endswith(".html")]
    assert all(after[name] == before[name] for name in html)  # home's, the topic's, the source's, the month's
    front = parse_file(Path("_site/index.html"))
    assert front.find("a", rel="next").get("href") == "/page/3/"
    oldest = parse_file(Path("_site/page/1/index.html"))
    assert [a.text for a in oldest.find_all("h3")][-1] == "Story of day 1"
