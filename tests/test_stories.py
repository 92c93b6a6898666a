"""One story, many outlets: grouping, the story page, redirects and the real corpus."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from generator.curate.index import build_site
from generator.curate.stories import group_stories, title_key, url_key
from generator.model import Related

from .conftest import Run
from .factories import make_item
from .htmltools import parse_file
from .sitecheck import check_site


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://www.Example.com/news/story/", "http://example.com/news/story"),
        ("https://example.com/a?utm_source=x&utm_medium=rss&id=7", "https://example.com/a?id=7&fbclid=abc"),
        ("https://example.com/a#comments", "https://EXAMPLE.com:443/a"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
    ],
)
def test_addresses_of_one_article_have_one_key(a: str, b: str) -> None:
    assert url_key(a) == url_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://example.com/a?id=7", "https://example.com/a?id=8"),
        ("https://example.com/a", "https://example.org/a"),
        ("https://example.com/a/b", "https://example.com/a"),
    ],
)
def test_different_articles_keep_different_keys(a: str, b: str) -> None:
    assert url_key(a) != url_key(b)


def test_titles_match_whatever_their_case_accents_and_punctuation() -> None:
    assert title_key("Artificial intelligence tracks down leukemia") == title_key(
        "Artificial Intelligence Tracks Down Leukemia!"
    )
    assert title_key("Café — “AI” rules") == title_key("cafe ai rules")


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2024, 3, day, hour, tzinfo=UTC)


def story(n: int, **changes: object):
    return make_item(n, **{"published_at": at(1), "path": f"news/2024/03/01/story-{n}/", **changes})


def grouped(*items):
    return group_stories(sorted(items, key=lambda item: item.published_at, reverse=True), UTC, 3)


def test_the_same_address_makes_one_story_led_by_the_best_item() -> None:
    a = story(1, original_url="https://www.a.example/x?utm_source=feed", quality=40, published_at=at(1))
    b = story(2, original_url="https://a.example/x/", quality=70, published_at=at(2), provider="B", domain="b.example")
    c = story(3, original_url="https://a.example/x", quality=70, published_at=at(3), provider="C", domain="c.example")
    result = grouped(a, b, c)
    (lead,) = result.stories
    assert lead.slug == "story-2"  # the highest quality, then the earliest
    assert [other.slug for other in lead.coverage] == ["story-1", "story-3"]
    assert [(r.path, r.target.slug) for r in result.redirects] == [
        ("news/2024/03/01/story-1/", "story-2"),
        ("news/2024/03/01/story-3/", "story-2"),
    ]


def test_titles_group_within_the_window_and_not_beyond() -> None:
    title = "Artificial intelligence tracks down leukemia"
    first = story(1, title=title, published_at=at(1, 23))
    three_days = story(2, title=title.upper(), published_at=at(4, 1))  # 3 calendar days later
    assert len(grouped(first, three_days).stories) == 1
    four_days = story(3, title=title, published_at=at(5, 1))
    assert len(grouped(first, four_days).stories) == 2
    short = story(4, title="AI news", published_at=at(1))
    also_short = story(5, title="AI News", published_at=at(1))
    assert len(grouped(short, also_short).stories) == 2  # too short a title to mean the same story


def test_a_story_gathers_the_topics_and_related_coverage_of_its_items() -> None:
    shared = Related("Elsewhere", "https://elsewhere.example/x")
    a = story(1, original_url="https://a.example/x", topics=("AI", "Health"), related=(shared,), quality=90)
    b = story(
        2,
        original_url="https://a.example/x",
        topics=("AI", "Leukemia"),
        related=(shared, Related("Item 1 itself", "https://a.example/x"), Related("Another", "https://b.example/y")),
        provider="B",
        domain="b.example",
    )
    (lead,) = grouped(a, b).stories
    assert lead.topics == ("AI", "Health", "Leukemia")
    assert [related.title for related in lead.related] == ["Elsewhere", "Another"]
    providers = {provider.name: [item.slug for item in provider.stories] for provider in build_site([lead]).providers}
    assert providers == {"B": ["story-1"], "Example News": ["story-1"]}  # both outlets list the story


def test_keys_kept_from_an_earlier_build_group_as_keys_worked_out_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm build reads every address's and headline's key from the last build's record
    instead of working it out again, and groups exactly as a cold build does."""
    from generator.curate import stories

    shared = Related("Elsewhere", "https://elsewhere.example/x")
    items = sorted(
        [
            story(1, original_url="https://www.a.example/x?utm_source=feed", related=(shared,), quality=40),
            story(2, original_url="https://a.example/x/", related=(Related("Itself", "https://a.example/x"),)),
            story(3, title="Café — “AI” rules the day", original_url="https://c.example/1", published_at=at(2)),
            story(4, title="Cafe AI rules the day!", original_url="https://d.example/2", published_at=at(3)),
        ],
        key=lambda item: item.published_at,
        reverse=True,
    )
    kept: dict[bytes, object] = {}
    cold = group_stories(items, UTC, 3, stories.Keys(kept))
    addresses = {
        url for item in items for url in (item.original_url, item.web_url, *(r.url for r in item.related)) if url
    }
    headlines = {item.title for item in items} | {related.title for item in items for related in item.related}
    assert set(kept) == {b"url\0" + url.encode() for url in addresses} | {
        b"title\0" + title.encode() for title in headlines
    }
    assert cold == group_stories(items, UTC, 3)

    def worked_out(text: str) -> None:
        raise AssertionError(f"worked out again: {text}")

    monkeypatch.setattr(stories, "_key_and_host", worked_out)
    monkeypatch.setattr(stories, "title_key", worked_out)
    warm = group_stories(items, UTC, 3, stories.Keys(dict(kept)))
    assert warm == cold
    assert [[item.slug for item in story.members] for story in warm.stories] == [
        ["story-3", "story-4"],
        ["story-2", "story-1"],  # story 1 has the lower quality
    ]


def test_a_single_items_related_coverage_kept_from_an_earlier_build_is_what_merging_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A story of one item leaves out the item's own article and repeats from its related
    coverage; a warm build reads which entries stay from the last build's record, under the
    texts they depend on, and a changed text is worked out again."""
    from generator.curate import stories

    elsewhere = Related("Elsewhere", "https://elsewhere.example/x")
    items = [
        story(1, original_url="https://a.example/x", related=(elsewhere,)),
        story(
            2,
            title="Robots learn to fold laundry at home",
            original_url="https://b.example/robots-learn-to-fold-laundry",
            related=(
                Related("Itself, by address", "https://www.b.example/robots-learn-to-fold-laundry/?utm_source=x"),
                elsewhere,
                Related("Robots learn to fold the laundry at home", "https://b.example/amp/robots-fold"),  # itself
                Related("Elsewhere again", "https://elsewhere.example/x"),  # a repeat
                Related("Another", "https://c.example/y"),
            ),
        ),
        story(3, related=()),
    ]
    kept: dict[bytes, object] = {}
    cold = [stories.own_related(item, stories.Keys(kept)) for item in items]
    assert cold == [stories.merged_related((item,)) for item in items]
    assert [[entry.title for entry in related] for related in cold] == [["Elsewhere"], ["Elsewhere", "Another"], []]
    assert cold[0] is items[0].related  # all of it: the item's own tuple

    def worked_out(*_: object) -> None:
        raise AssertionError("worked out again")

    monkeypatch.setattr(stories, "_staying", worked_out)
    assert [stories.own_related(item, stories.Keys(dict(kept))) for item in items] == cold
    renamed = replace(items[1], related=(Related("Robots learn to fold laundry at home", "https://b.example/z"),))
    with pytest.raises(AssertionError, match="worked out again"):
        stories.own_related(renamed, stories.Keys(dict(kept)))
    monkeypatch.undo()
    assert stories.own_related(renamed, stories.Keys(dict(kept))) == ()  # its own article, by headline


def test_grouping_compares_no_pairs_beyond_equal_titles() -> None:
    """10,000 distinct stories group in linear time: each is its own story."""
    items = [
        make_item(
            n,
            title=f"Distinct headline number {n}",
            original_url=f"https://a.example/{n}",
            published_at=at(1) + timedelta(minutes=n),
        )
        for n in range(10_000)
    ]
    assert len(grouped(*items).stories) == 10_000


def test_the_story_page_lists_the_other_outlets_and_old_addresses_redirect(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    def item(title: str, date: str, url: str, provider: str, quality: int) -> str:
        return (
            f'---\ntitle: "{title}"\npublishedDateTime: {date}\noriginalUrl: "{url}"\nquality: {quality}\n'
            f"provider:\n  name: {provider}\n  domain: {provider.lower().replace(' ', '')}.example\n"
            "topics:\n  - AI\nrelated:\n  - title: Other coverage\n    webUrl: https://third.example/x\n"
            f"  - title: The first outlet\n    webUrl: {url}\n---\n\nSummary by {provider}.\n"
        )

    make_site(
        {
            "2024-03-01-leukemia.md": item(
                "AI tracks down leukemia", "2024-03-01T10:00:00Z", "https://one.example/a", "One", 40
            ),
            "2024-03-03-leukemia-again.md": item(
                "AI Tracks Down Leukemia", "2024-03-03T10:00:00Z", "https://two.example/b?utm_source=x", "Two", 80
            ),
        }
    )
    run = run_build()
    assert run.code == 0, run.err
    assert run.out.startswith("2 items read, 2 published as 1 story, ")
    out = Path("_site")
    page = parse_file(out / "news/2024/03/03/leukemia-again/index.html")
    also = page.find("section", class_="coverage")
    assert also.find("h2").text == "Also covered by"
    # The grouped outlet's item first, with its source page; then the `related` entry that is
    # not the grouped outlet's own address again.
    assert [a.get("href") for a in also.find_all("a")] == [
        "/providers/one/",
        "https://one.example/a",
        "https://third.example/x",
    ]
    redirect = parse_file(out / "news/2024/03/01/leukemia/index.html")
    refresh = redirect.find("meta", **{"http-equiv": "refresh"}).get("content")
    assert refresh == "0; url=/news/2024/03/03/leukemia-again/"
    assert redirect.find("link", rel="canonical").get("href") == "https://example.org/news/2024/03/03/leukemia-again/"
    assert redirect.find("meta", name="robots").get("content") == "noindex"
    assert check_site(out, "https://example.org/") == []  # redirects stay out of the sitemap
    home = parse_file(out / "index.html")
    assert len(home.find_all("article", class_="story")) == 1
    more = home.find("p", class_="more")
    assert [a.text for a in more.find_all("a")] == ["One"]  # the unnamed `related` entry is on the page only


def test_the_known_duplicates_of_the_real_corpus_are_one_story(
    shared_corpus: Path, run_build: Callable[..., Run], tmp_path: Path
) -> None:
    out = tmp_path / "site"
    run = run_build("--content", shared_corpus, "--output", out, "--drafts")  # both items are unpublished
    assert run.code == 0, run.err
    assert "5 items read, 5 published as 4 stories, " in run.out
    leukemia = parse_file(out / "news/2019/12/23/artificial-intelligence-tracks-down-leukemia/index.html")
    also = leukemia.find("section", class_="coverage")
    assert "Medical Xpress" in also.text
    moved = parse_file(out / "news/2019/12/20/artificial-intelligence-tracks-down-leukemia/index.html")
    assert (
        moved.find("link", rel="canonical")
        .get("href")
        .endswith("/news/2019/12/23/artificial-intelligence-tracks-down-leukemia/")
    )
