"""The search page and its index, as the search script and a reader receive them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from generator.plan.search import EXCERPT_LENGTH, shorten_excerpt

from .conftest import Run, item_text
from .htmltools import parse_file


def load_index(site: Path) -> dict:
    return json.loads((site / "search/index.json").read_bytes())


def rows_by_title(index: dict) -> dict[str, dict]:
    return {row[0]: dict(zip(index["fields"], row, strict=True)) for row in index["items"]}


def test_the_index_lists_every_published_story_newest_first_with_what_a_result_shows(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    long_excerpt = "word " * 100
    make_site(
        {
            "2024-02-15-old.md": item_text(title="Older story", date="2024-02-15T08:00:00Z"),
            "2024-03-01-new.md": item_text(title="Newer story", date="2024-03-01T08:00:00Z").replace(
                'excerpt: "An excerpt."', f'excerpt: "{long_excerpt}"'
            ),
            "2024-03-02-draft.md": item_text(
                title="Draft story", date="2024-03-02T08:00:00Z", extra="published: false\n"
            ),
            "2024-03-03-own.md": item_text(title="No source </script>", date="2024-03-03T08:00:00Z")
            .replace("provider:\n  name: Example News\n  domain: news.example.com\n", "")
            .replace("originalUrl: ", "x-address: "),
        }
    )
    assert run_build().code == 0
    raw = Path("_site/search/index.json").read_text(encoding="utf-8")
    assert "</script>" not in raw  # never able to close a <script> element
    index = json.loads(raw)
    assert index["v"] == 1
    assert [row[0] for row in index["items"]] == ["No source </script>", "Newer story", "Older story"]
    rows = rows_by_title(index)
    newer = rows["Newer story"]
    assert newer["url"] == "/news/2024/03/01/new/"
    assert (Path("_site") / newer["url"].strip("/") / "index.html").is_file()
    assert newer["date"] == "2024-03-01"
    assert index["providers"][newer["provider"]] == "Example News"
    assert [index["topics"][n] for n in newer["topics"]] == ["AI"]
    assert len(newer["excerpt"]) <= EXCERPT_LENGTH and newer["excerpt"].endswith("word…")
    assert rows["No source </script>"]["provider"] == -1
    # Names are stored once however many stories share them.
    assert index["providers"] == ["Example News"] and index["topics"] == ["AI"]


def test_the_search_page_is_served_with_its_script_and_left_out_of_the_sitemap(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    make_site({"2024-02-15-a.md": item_text()}, {"base_url": "https://example.org/digest/"})
    assert run_build().code == 0
    page = parse_file(Path("_site/search/index.html"))
    form = page.find("form", class_="search-form")
    assert form.get("action") == "/digest/search/" and form.get("data-index") == "/digest/search/index.json"
    assert [script.get("src") for script in page.find_all("script")] == ["/digest/js/reader.js", "/digest/js/search.js"]
    assert Path("_site/js/search.js").is_file()
    assert page.find("meta", name="robots").get("content") == "noindex"
    assert "/search/" not in Path("_site/sitemap.xml").read_text(encoding="utf-8")
    # Every other page carries the header's search form, pointing at the search page.
    home = parse_file(Path("_site/index.html"))
    header_form = home.find("header").find("form")
    assert header_form.get("role") == "search" and header_form.get("action") == "/digest/search/"
    assert header_form.find("input").get("name") == "q"


def test_excerpts_are_cut_at_a_word() -> None:
    assert shorten_excerpt("short one") == "short one"
    assert shorten_excerpt("alpha beta gamma delta", limit=12) == "alpha beta…"
    assert shorten_excerpt("spaces   and\nlines  collapse") == "spaces and lines collapse"
    assert shorten_excerpt("x" * 50, limit=10) == "x" * 9 + "…"
