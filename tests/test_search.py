"""The search page and its index, as the search script and a reader receive them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.plan import search
from generator.plan.search import EXCERPT_LENGTH, shorten_excerpt

from .conftest import Run, item_text
from .htmltools import parse_file


def load_index(site: Path) -> dict:
    return json.loads((site / "search/index.json").read_bytes())


def read_whole_index(site: Path, base: str = "/") -> list[dict]:
    """Every row of the index as the search script gathers them: the first file, then each
    part it names in its order, every row read with its own file's names."""
    first = load_index(site)
    files = [first] + [json.loads((site / url.removeprefix(base)).read_bytes()) for url in first["parts"]]
    rows = []
    for data in files:
        assert data["v"] == 2 and data["fields"] == first["fields"]
        for row in data["items"]:
            fields = dict(zip(data["fields"], row, strict=True))
            fields["provider"] = data["providers"][row[3]] if row[3] >= 0 else None
            fields["topics"] = [data["topics"][number] for number in row[4]]
            rows.append(fields)
    return rows


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
    assert index["v"] == 2 and index["parts"] == []  # a small site's index is one file
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


def test_a_large_index_is_cut_in_parts_that_stay_as_they_are_when_stories_are_added(
    make_site: Callable[..., Path], run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "PART_SIZE", 3)  # 500 on a real site

    def story(day: int) -> tuple[str, str]:
        date = f"2024-03-{day:02d}T08:00:00Z"
        return f"2024-03-{day:02d}-story.md", item_text(title=f"Story of day {day}", date=date)

    site = make_site(dict(story(day) for day in range(1, 8)), {"base_url": "https://example.org/digest/"})
    assert run_build().code == 0
    out = site / "_site"
    first = load_index(out)
    # Seven stories: two closed parts of three, counted from the oldest, and the newest one first.
    assert first["parts"] == ["/digest/search/part/2.json", "/digest/search/part/1.json"]
    assert [row[0] for row in first["items"]] == ["Story of day 7"]
    oldest = json.loads((out / "search/part/1.json").read_bytes())
    assert "parts" not in oldest and [row[0] for row in oldest["items"]] == [f"Story of day {d}" for d in (3, 2, 1)]
    rows = read_whole_index(out, "/digest/")
    assert [row["title"] for row in rows] == [f"Story of day {day}" for day in range(7, 0, -1)]
    assert all(row["provider"] == "Example News" and row["topics"] == ["AI"] for row in rows)
    parts = {path.name: path.read_bytes() for path in (out / "search/part").iterdir()}

    # Two more stories fill the newest file, which becomes part 3; parts 1 and 2 stay.
    for day in (8, 9):
        name, text = story(day)
        (site / "content" / name).write_text(text, encoding="utf-8")
        assert run_build().code == 0
    assert {name: (out / "search/part" / name).read_bytes() for name in parts} == parts
    assert load_index(out)["parts"][0] == "/digest/search/part/3.json"
    assert load_index(out)["items"] == []
    assert [row["title"] for row in read_whole_index(out, "/digest/")] == [
        f"Story of day {day}" for day in range(9, 0, -1)
    ]
