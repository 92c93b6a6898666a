"""Selection, ordering and grouping into topics and providers."""

from generator.curate.index import build_site
from generator.curate.select import address_clashes, select_items

from .factories import as_stories, make_item


def test_newest_first_and_unpublished_left_out_unless_drafts() -> None:
    items = [make_item(1), make_item(3, published=False), make_item(2)]
    assert [item.slug for item in select_items(items)] == ["story-2", "story-1"]
    assert [item.slug for item in select_items(items, include_drafts=True)] == ["story-3", "story-2", "story-1"]


def test_same_moment_keeps_a_stable_order() -> None:
    a = make_item(1, source="b.md")
    b = make_item(1, source="a.md", slug="other")
    assert [item.source for item in select_items([a, b])] == ["a.md", "b.md"]
    assert [item.source for item in select_items([b, a])] == ["a.md", "b.md"]


def test_two_items_on_one_address_clash_and_the_first_file_keeps_it() -> None:
    first = make_item(1, source="a/2024-01-01-story-1.md")
    second = make_item(1, source="b/2024-01-01-story-1.md")
    assert address_clashes([second, first]) == [(second, first)]


def test_topics_and_providers_group_items_newest_first() -> None:
    items = select_items(
        [
            make_item(1, topics=("AI", "C")),
            make_item(2, topics=("C++", "AI"), provider="Other", domain="other.example"),
            make_item(3, topics=("AI",), provider="Example News (renamed)"),
        ]
    )
    site = build_site(as_stories(items))
    assert [(topic.name, topic.slug, [i.slug for i in topic.stories]) for topic in site.topics] == [
        ("AI", "ai", ["story-3", "story-2", "story-1"]),
        ("C", "c", ["story-1"]),
        ("C++", "c-plus-plus", ["story-2"]),
    ]
    # A provider is one domain; its newest item names it.
    assert [(p.name, p.slug, p.domain, len(p.stories)) for p in site.providers] == [
        ("Example News (renamed)", "example-news-renamed", "news.example.com", 2),
        ("Other", "other", "other.example", 1),
    ]


def test_providers_with_the_same_name_on_different_domains_get_distinct_pages() -> None:
    site = build_site(
        as_stories(
            select_items(
                [make_item(1, provider="Daily", domain="a.example"), make_item(2, provider="Daily", domain="b.example")]
            )
        )
    )
    assert len({provider.slug for provider in site.providers}) == 2


def test_min_quality_and_the_build_time_hold_items_back() -> None:
    from datetime import UTC, datetime

    from generator.curate.select import select

    items = [
        make_item(1, quality=30),
        make_item(2, quality=None),  # unknown quality is not held back
        make_item(3, quality=80),
        make_item(4, published=False),
        make_item(30, quality=90),  # 2024-01-02T18:00Z, after the build time below
    ]
    now = datetime(2024, 1, 2, 0, 0, tzinfo=UTC)
    chosen = select(items, now=now, min_quality=50)
    assert [item.slug for item in chosen.items] == ["story-3", "story-2"]
    assert (chosen.unpublished, chosen.future, chosen.low_quality, chosen.held_back) == (1, 1, 1, 3)
    drafts = select(items, now=now, min_quality=50, include_drafts=True)
    assert [(item.slug, item.published) for item in drafts.items] == [
        ("story-30", False),  # dated after the build time: shown as a draft
        ("story-4", False),
        ("story-3", True),
        ("story-2", True),
    ]
    assert drafts.low_quality == 1  # below min_quality stays out even with drafts
    at_the_edge = select(items, now=make_item(30).published_at)
    assert "story-30" in [item.slug for item in at_the_edge.items]  # dated exactly now: published


def test_topic_spellings_and_aliases_make_one_topic() -> None:
    from generator.curate.topics import normalize_topics

    items = [
        make_item(1, topics=("AI", "C++")),
        make_item(2, topics=("A.I.", "C", "Café")),
        make_item(3, topics=("ai", "Artificial Intelligence", "Cafe", "c#")),
        make_item(4, topics=("AI",)),
    ]
    normalized = normalize_topics(items, {"Artificial Intelligence": "AI"})
    assert [item.topics for item in normalized] == [
        ("AI", "C++"),
        ("AI", "C", "Café"),
        ("AI", "Cafe", "c#"),  # the alias merged into AI, and AI is listed once
        ("AI",),
    ]
    topics = build_site(as_stories(normalized)).topics
    assert {topic.name: topic.slug for topic in topics} == {
        "AI": "ai",
        "C": "c",
        "C++": "c-plus-plus",
        "c#": "c-sharp",
        "Cafe": "cafe",
        "Café": topics[[t.name for t in topics].index("Café")].slug,
    }
    cafe = next(topic for topic in topics if topic.name == "Café")
    assert cafe.slug.startswith("cafe-") and cafe.slug != "cafe"  # distinct and stable, never overwritten
