"""Subscribing and discovery on built sites: feeds for every list, OPML, sitemap, sharing tags."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest
from jsonschema import Draft7Validator

from generator.plan.sections import machine

from .conftest import REPO, SHARED, SITES, Run, item_text, requires_shared
from .feedcheck import ATOM, shown
from .htmltools import parse_file
from .sitecheck import SITEMAP, check_site, feed_files, html_pages, is_noindex, url_of

BASE = "https://digest.example.org/"
# RSS does not say whether a title is text or HTML, so readers (feedparser included) guess:
# a title holding a whole element (`<b>x</b>`) or an entity-like word (`&amp;`) is shown
# as HTML. Titles here avoid those two; the excerpt, HTML in every format, carries `&amp;`.
TRICKY = "Q&A: \"AI\" & <b> models 'open' 1 < 2 > 0 — 人工智能 🤖"


# The JSON Feed 1.1 schema of the `jsonfeed-schema` npm package, pinned in
# tools/validators/package-lock.json with the other checkers.
JSON_FEED_SCHEMA = REPO / "tools/validators/node_modules/jsonfeed-schema/schema-v1.1.json"


@pytest.fixture(scope="session")
def json_feed_schema() -> Draft7Validator:
    if not JSON_FEED_SCHEMA.is_file():
        if shutil.which("npm") is None:
            pytest.skip("npm not found: the JSON Feed schema is installed with the other checkers")
        from tools import validate

        validate.ensure_node_modules()
    schema = json.loads(JSON_FEED_SCHEMA.read_bytes())
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def json_feed_errors(site: Path, schema: Draft7Validator) -> list[str]:
    """Every JSON Feed file of a site against the schema; also that it says version 1.1."""
    problems = []
    for path in sorted(site.rglob("feed.json")):
        feed = json.loads(path.read_bytes())
        name = path.relative_to(site).as_posix()
        problems += [f"{name}: {'/'.join(map(str, error.path))}: {error.message}" for error in schema.iter_errors(feed)]
        if feed.get("version") != "https://jsonfeed.org/version/1.1":
            problems.append(f"{name}: version {feed.get('version')}")
    return problems


def read_feeds(folder: Path) -> dict[str, feedparser.FeedParserDict | dict]:
    return {
        "rss": feedparser.parse((folder / "feed.xml").read_bytes()),
        "atom": feedparser.parse((folder / "atom.xml").read_bytes()),
        "json": json.loads((folder / "feed.json").read_bytes()),
    }


def test_the_sample_site_passes_every_feed_and_discovery_check(
    built_sample: Path, json_feed_schema: Draft7Validator
) -> None:
    assert check_site(built_sample, BASE) == []
    assert json_feed_errors(built_sample, json_feed_schema) == []
    topics = [path.parent for path in (built_sample / "topics").glob("*/index.html")]
    providers = [path.parent for path in (built_sample / "providers").glob("*/index.html")]
    assert len(topics) >= 10 and len(providers) >= 5
    for folder in [built_sample, *topics, *providers]:
        assert all((folder / name).is_file() for name in ("feed.xml", "atom.xml", "feed.json")), folder
    assert len(feed_files(built_sample)) == 3 * (3 + len(topics) + len(providers))  # site, daily, weekly, lists


def test_each_topic_feed_carries_the_topic_page_stories(built_sample: Path) -> None:
    for page_path in sorted((built_sample / "topics").glob("*/index.html")):
        folder = page_path.parent
        page = parse_file(page_path)
        name = page.find("h1").text
        links = [BASE + h3.find("a").get("href").lstrip("/") for h3 in page.find_all("h3", class_="story__title")]
        dates = [card.find("time").get("datetime") for card in page.find_all("article", class_="story")]
        feeds = read_feeds(folder)
        for kind in ("rss", "atom"):
            feed = feeds[kind]
            assert feed.bozo == 0
            assert feed.feed.title == f"{name} — The AI Digest"
            assert feed.feed.link == url_of(built_sample, page_path, BASE)
            assert [entry.link for entry in feed.entries] == links
            assert all(name in [tag.term for tag in entry.tags] for entry in feed.entries)
        json_feed = feeds["json"]
        assert [item["url"] for item in json_feed["items"]] == links
        assert [item["date_published"] for item in json_feed["items"]] == [
            date.replace("+00:00", "Z") for date in dates
        ]
        # The newest story's date, never the clock.
        assert feeds["rss"].feed.updated_parsed == feeds["rss"].entries[0].published_parsed


def test_feed_entries_have_the_full_summary_the_source_and_the_image(built_sample: Path) -> None:
    sora = BASE + "news/2024/02/15/openai-unveils-sora-text-to-video/"
    rss = feedparser.parse((built_sample / "feed.xml").read_bytes())
    entry = next(entry for entry in rss.entries if entry.link == sora)
    # The documented rule: a version 5 UUID of the site's address without its scheme and the file.
    file_name = "2024-02-15-openai-unveils-sora-text-to-video.md"
    assert entry.id == f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'digest.example.org/#' + file_name)}"
    # The lead image first in the content, in every format.
    image = BASE + "images/news/openai-sora.svg"
    assert f'src="{image}"' in entry.content[0].value.split("</p>")[0]
    atom_entry = next(e for e in feedparser.parse((built_sample / "atom.xml").read_bytes()).entries if e.link == sora)
    assert atom_entry.id == entry.id
    assert [(link.href, link.type) for link in atom_entry.links if link.rel == "enclosure"] == [
        (image, "image/svg+xml")
    ]
    assert f'src="{image}"' in atom_entry.content[0].value.split("</p>")[0]
    json_item = next(i for i in json.loads((built_sample / "feed.json").read_bytes())["items"] if i["url"] == sora)
    assert (json_item["id"], json_item["image"]) == (entry.id, image)
    assert json_item["content_html"].startswith(f'<p><img src="{image}"')
    assert entry.author == "The Pacific Wire"
    assert entry.source == {"href": BASE + "providers/the-pacific-wire/feed.xml", "title": "The Pacific Wire"}
    assert entry.media_content[0]["url"] == BASE + "images/news/openai-sora.svg"
    assert [tag.term for tag in entry.tags] == ["OpenAI", "Generative AI", "AI"]
    assert "<strong>Main points</strong>" in entry.content[0].value
    assert 'href="https://www.pacificwire.example/2024/02/15/openai-sora-text-to-video"' in entry.content[0].value
    assert entry.summary.startswith("OpenAI has shown Sora")
    item = next(item for item in json.loads((built_sample / "feed.json").read_bytes())["items"] if item["url"] == sora)
    assert item["image"] == BASE + "images/news/openai-sora.svg"
    assert item["external_url"] == "https://www.pacificwire.example/2024/02/15/openai-sora-text-to-video"
    assert item["authors"] == [{"name": "The Pacific Wire", "url": "https://pacificwire.example/"}]
    atom = ET.parse(built_sample / "atom.xml").getroot()
    assert atom.findtext(f"{ATOM}logo") == BASE + "images/logo.png"
    assert atom.findtext(f"{ATOM}icon") == BASE + "images/icon.svg"


def test_pages_link_to_their_own_feeds_first(built_sample: Path) -> None:
    site_feeds = [BASE + "feed.xml", BASE + "atom.xml", BASE + "feed.json"]

    def alternates(relative: str) -> list[str]:
        return [
            BASE + link.get("href").lstrip("/")
            for link in parse_file(built_sample / relative).find_all("link", rel="alternate")
        ]

    assert alternates("index.html") == site_feeds
    assert alternates("news/2024/02/15/openai-unveils-sora-text-to-video/index.html") == site_feeds
    topic = BASE + "topics/openai/"
    assert alternates("topics/openai/index.html") == [
        topic + "feed.xml",
        topic + "atom.xml",
        topic + "feed.json",
        *site_feeds,
    ]
    follow = parse_file(built_sample / "topics/openai/index.html").find("div", class_="follow")
    assert [a.text for a in follow.find_all("a")] == ["RSS", "Atom", "JSON Feed"]


def test_the_subscribe_page_and_the_opml_list_every_feed(built_sample: Path) -> None:
    page = parse_file(built_sample / "subscribe/index.html")
    # The site's and the daily feeds in full; every topic and source as a link to its page
    # (which offers its feeds) carrying its RSS address for the bundle picker.
    shown = {code.text for code in page.find_all("code")}
    shown |= {item.get("data-feed") for item in page.find_all("li") if item.get("data-feed")}
    written = {url_of(built_sample, path, BASE) for path in feed_files(built_sample)}
    of_lists = {url for url in written if "/topics/" in url or "/providers/" in url}
    assert shown == (written - of_lists) | {url for url in of_lists if url.endswith("/feed.xml")}
    for item in page.find_all("li"):
        if item.get("data-feed"):
            target = built_sample / item.find("a").get("href").lstrip("/") / "index.html"
            offered = [a.get("href") for a in parse_file(target).find("div", class_="follow").find_all("a")]
            assert item.get("data-feed") == BASE + offered[0].lstrip("/")
            assert {BASE + href.lstrip("/") for href in offered} <= written
    assert page.find("a", href="/feeds.opml") is not None
    nav = parse_file(built_sample / "index.html").find("nav", class_="site-nav")
    assert nav.find("a", href="/subscribe/").text == "Subscribe"
    opml = ET.parse(built_sample / "feeds.opml").getroot()
    groups = [outline.get("text") for outline in opml.find("body")]
    assert groups == ["Everything", "Topics", "Sources"]
    topics = opml.find("body")[1]
    assert all(outline.get("xmlUrl").startswith(BASE + "topics/") for outline in topics)


def test_item_pages_carry_sharing_tags_and_news_article_data(built_sample: Path) -> None:
    page = parse_file(built_sample / "news/2024/02/15/openai-unveils-sora-text-to-video/index.html")
    meta = {tag.get("property") or tag.get("name"): tag.get("content") for tag in page.find_all("meta")}
    url = BASE + "news/2024/02/15/openai-unveils-sora-text-to-video/"
    assert meta["og:type"] == "article"
    assert meta["og:title"] == "OpenAI Unveils Sora: Minute-Long Videos From a Text Prompt"
    assert meta["og:url"] == url
    assert meta["og:image"] == BASE + "images/news/openai-sora.svg"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["article:published_time"] == "2024-02-15T18:05:00+00:00"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:description"].startswith("OpenAI has shown Sora")
    (script,) = page.find_all("script", type="application/ld+json")
    data = json.loads(script.text)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == meta["og:title"]
    assert data["datePublished"] == "2024-02-15T18:05:00+00:00"
    assert data["image"] == [meta["og:image"]]
    assert data["mainEntityOfPage"] == url
    assert data["publisher"]["name"] == "The AI Digest"
    assert data["publisher"]["logo"]["url"] == BASE + "images/logo.png"
    assert data["isBasedOn"]["url"] == "https://www.pacificwire.example/2024/02/15/openai-sora-text-to-video"
    assert data["isBasedOn"]["publisher"] == {
        "@type": "Organization",
        "name": "The Pacific Wire",
        "url": "https://pacificwire.example/",
    }
    home = {tag.get("property"): tag.get("content") for tag in parse_file(built_sample / "index.html").find_all("meta")}
    assert home["og:type"] == "website"
    assert home["og:image"] == BASE + "images/logo.png"  # the site logo where a page has no image


def test_the_sitemap_lists_exactly_the_indexable_html_files(built_sample: Path) -> None:
    root = ET.parse(built_sample / "sitemap.xml").getroot()
    listed = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root}
    pages = html_pages(built_sample)
    assert set(listed) == {
        url_of(built_sample, built_sample / name, BASE) for name, doc in pages.items() if not is_noindex(doc)
    }
    assert BASE + "news/2024/10/09/nobel-chemistry-second-outlet/" not in listed  # a redirect
    assert listed[BASE + "news/2024/02/15/openai-unveils-sora-text-to-video/"] == "2024-02-15T18:05:00Z"
    newest = max(listed.values())
    assert listed[BASE] == listed[BASE + "topics/"] == newest
    assert (built_sample / "robots.txt").read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"


def test_the_tiny_site_under_a_base_path_passes_and_keeps_the_feed_size(
    tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    site = tmp_path / "tiny"
    shutil.copytree(SITES / "tiny", site, ignore=shutil.ignore_patterns("expected"))
    assert run_build("--config", site / "site.toml").code == 0
    out, base = site / "_site", "https://example.org/digest/"
    assert check_site(out, base) == []
    feeds = read_feeds(out)
    assert len(feeds["rss"].entries) == len(feeds["atom"].entries) == len(feeds["json"]["items"]) == 2  # feed_size
    assert feeds["json"]["language"] == "en-GB"


def test_tricky_text_comes_out_as_written_everywhere(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    title = TRICKY + "\x07"
    make_site(
        {
            "2024-02-15-tricky.md": item_text(
                title=title.replace("\\", "\\\\").replace('"', '\\"').replace("\x07", "\\a"),
                body="Body with *emphasis* & <b>raw</b> 人工智能 🤖.",
            ).replace('excerpt: "An excerpt."', 'excerpt: "Excerpt: 1 < 2 & \\"quoted\\" &amp; — 🤖"')
        }
    )
    assert run_build().code == 0
    out = Path("_site")
    assert check_site(out, "https://example.org/") == []
    expected_excerpt = 'Excerpt: 1 < 2 & "quoted" &amp; — 🤖'
    feeds = read_feeds(out)
    for kind in ("rss", "atom"):
        entry = feeds[kind].entries[0]
        assert entry.title == TRICKY  # the control character is gone, nothing else changed
        assert shown(entry.summary, entry.summary_detail.type) == expected_excerpt
        assert "&lt;b&gt;raw&lt;/b&gt; 人工智能 🤖" in entry.content[0].value
    item = feeds["json"]["items"][0]
    assert (item["title"], item["summary"]) == (TRICKY, expected_excerpt)
    assert "&lt;b&gt;raw&lt;/b&gt; 人工智能 🤖" in item["content_html"]
    raw = b"".join(path.read_bytes() for path in feed_files(out))
    assert b"&amp;amp;amp;" not in raw and b"\x07" not in raw
    page = parse_file(out / "news/2024/02/15/tricky/index.html")
    assert page.find("h1").text == TRICKY
    assert json.loads(page.find("script", type="application/ld+json").text)["headline"] == TRICKY


def test_links_in_a_summary_are_absolute_in_feeds_and_under_the_base_path_on_pages(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    body = "[topic](/topics/ai/) [sibling](../other/) [here](#notes) [mail](mailto:a@example.org)\n\n![chart](/images/c.png)"
    make_site({"2024-02-15-links.md": item_text(body=body)}, {"base_url": "https://example.org/sub/"})
    assert run_build().code == 0
    content = feedparser.parse(Path("_site/feed.xml").read_bytes()).entries[0].content[0].value
    page = "https://example.org/sub/news/2024/02/15/links/"
    for url in (
        "https://example.org/sub/topics/ai/",
        "https://example.org/sub/news/2024/02/15/other/",
        page + "#notes",
        "mailto:a@example.org",
        "https://example.org/sub/images/c.png",
    ):
        assert f'"{url}"' in content
    summary = parse_file(Path("_site/news/2024/02/15/links/index.html")).find("section", class_="article__summary")
    assert [a.get("href") for a in summary.find_all("a")] == [
        "/sub/topics/ai/",
        "../other/",
        "#notes",
        "mailto:a@example.org",
    ]
    assert summary.find("img").get("src") == "/sub/images/c.png"


def test_an_updated_date_reaches_feeds_sitemap_and_page(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    make_site({"2024-02-15-story.md": item_text(extra="updatedDateTime: 2024-02-16T09:30:00Z\n")})
    assert run_build().code == 0
    out = Path("_site")
    atom = feedparser.parse((out / "atom.xml").read_bytes())
    assert atom.entries[0].updated == "2024-02-16T09:30:00Z"
    assert atom.entries[0].published == "2024-02-15T18:05:00Z"
    assert atom.feed.updated == "2024-02-16T09:30:00Z"
    assert json.loads((out / "feed.json").read_bytes())["items"][0]["date_modified"] == "2024-02-16T09:30:00Z"
    sitemap = ET.parse(out / "sitemap.xml").getroot()
    lastmods = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in sitemap}
    assert lastmods["https://example.org/news/2024/02/15/story/"] == "2024-02-16T09:30:00Z"
    page = parse_file(out / "news/2024/02/15/story/index.html")
    assert page.find("meta", property="article:modified_time").get("content") == "2024-02-16T09:30:00+00:00"


def test_a_bad_updated_date_is_a_warning_and_is_ignored(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    make_site({"2024-02-15-story.md": item_text(extra="updatedDateTime: 2024-01-01T00:00:00Z\n")})
    run = run_build()
    assert run.code == 0
    assert (
        "warning: content/2024-02-15-story.md:11: updatedDateTime: is earlier than publishedDateTime; ignored"
        in run.err_lines
    )
    assert "date_modified" not in json.loads(Path("_site/feed.json").read_bytes())["items"][0]


def test_feed_ids_do_not_change_when_stories_are_added(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    site = make_site({"2024-02-15-first.md": item_text(title="First")})
    assert run_build().code == 0
    before = [entry.id for entry in feedparser.parse(Path("_site/feed.xml").read_bytes()).entries]
    (site / "content/2024-02-20-second.md").write_text(item_text(title="Second", date="2024-02-20T08:00:00Z"))
    assert run_build().code == 0
    after = [entry.id for entry in feedparser.parse(Path("_site/feed.xml").read_bytes()).entries]
    assert after[1:] == before and after[0] not in before


def story_ids(out: Path, title: str) -> dict[str, str]:
    """The id of the entry titled `title` in every feed file that carries it, by file."""
    found = {}
    for path in feed_files(out):
        name = path.relative_to(out).as_posix()
        if path.name == "feed.json":
            entries = [(item["title"], item["id"]) for item in json.loads(path.read_bytes())["items"]]
        else:
            parsed = feedparser.parse(path.read_bytes())
            assert parsed.bozo == 0, name
            entries = [(entry.title, entry.id) for entry in parsed.entries]
        found.update((name, entry_id) for entry_title, entry_id in entries if entry_title == title)
    return found


def test_a_story_keeps_its_feed_id_when_a_better_outlet_joins_and_when_it_is_corrected(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    first = "---\ntitle: Chipmakers race to build AI acelerators\nexcerpt: A race.\n"
    first += "publishedDateTime: 2024-02-15T18:05:00Z\noriginalUrl: https://small.example.com/chips\n"
    first += "quality: 20\nprovider:\n  name: Small Paper\n  domain: small.example.com\ntopics:\n  - Chips\n---\n"
    site = make_site({"2024-02-15-chips.md": first, "2024-02-14-other.md": item_text(title="Other news")})
    assert run_build("--now", "2024-03-01T00:00:00Z").code == 0
    ids = story_ids(Path("_site"), "Chipmakers race to build AI acelerators")
    # site, topic and source feeds, three formats each; one id everywhere
    assert len(ids) == 9 and len(set(ids.values())) == 1
    (story_id,) = set(ids.values())

    # A better outlet reports the same article (its aggregator page is the first's address): it leads now.
    better = "---\ntitle: Chipmakers race to build AI accelerators\nexcerpt: The race.\n"
    better += "publishedDateTime: 2024-02-16T07:00:00Z\noriginalUrl: https://big.example.com/chips-race\n"
    better += "webUrl: https://small.example.com/chips\nquality: 90\n"
    better += "provider:\n  name: Big Paper\n  domain: big.example.com\ntopics:\n  - Chips\n---\n"
    (site / "content/2024-02-16-better.md").write_text(better)
    assert run_build("--now", "2024-03-01T00:00:00Z").code == 0
    lead_title = "Chipmakers race to build AI accelerators"
    links = [entry.link for entry in feedparser.parse(Path("_site/feed.xml").read_bytes()).entries]
    assert "https://example.org/news/2024/02/16/better/" in links  # the new lead's page is the story's now
    ids = story_ids(Path("_site"), lead_title)
    assert len(ids) >= 9 and set(ids.values()) == {story_id}

    # The first report's date is corrected (to the day before), then the lead's title is fixed.
    corrected = first.replace("2024-02-15T18:05:00Z", "2024-02-14T22:00:00Z")
    (site / "content/2024-02-15-chips.md").write_text(corrected)
    assert run_build("--now", "2024-03-01T00:00:00Z").code == 0
    assert set(story_ids(Path("_site"), lead_title).values()) == {story_id}
    fixed_title = "Chipmakers race to build AI accelerators, and fast"
    (site / "content/2024-02-16-better.md").write_text(better.replace(lead_title, fixed_title))
    assert run_build("--now", "2024-03-01T00:00:00Z").code == 0
    ids = story_ids(Path("_site"), fixed_title)
    assert len(ids) >= 9 and set(ids.values()) == {story_id}
    # and a clean rebuild from the same files gives the same id
    shutil.rmtree("_site")
    assert run_build("--now", "2024-03-01T00:00:00Z").code == 0
    assert set(story_ids(Path("_site"), fixed_title).values()) == {story_id}


def test_an_item_without_an_excerpt_is_described_by_its_summary(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    body = "The **new chip** runs models at the edge. " * 20
    make_site({"2024-02-15-a.md": item_text(title="No excerpt").replace('excerpt: "An excerpt."\n', "") + body})
    assert run_build("--now", "2024-03-01T00:00:00Z").code == 0
    rss = feedparser.parse(Path("_site/feed.xml").read_bytes()).entries[0]
    atom = feedparser.parse(Path("_site/atom.xml").read_bytes()).entries[0]
    item = json.loads(Path("_site/feed.json").read_bytes())["items"][0]
    assert rss.summary.startswith("Summary. The new chip runs models at the edge. The new chip")
    assert atom.summary == rss.summary == item["summary"]
    assert len(item["summary"]) <= 300 and item["summary"].endswith("...")
    page = parse_file(Path("_site/news/2024/02/15/a/index.html"))
    assert page.find("meta", name="description").get("content")[:150] == item["summary"][:150]


def test_a_sitemap_over_the_limit_becomes_an_index(
    make_site: Callable[..., Path], run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(machine, "SITEMAP_LIMIT", 4)
    make_site(
        {
            f"2024-02-{day:02}-story-{day}.md": item_text(title=f"Story {day}", date=f"2024-02-{day:02}T08:00:00Z")
            for day in range(1, 6)
        }
    )
    assert run_build().code == 0
    out = Path("_site")
    index = ET.parse(out / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP}sitemapindex"
    parts = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    listed = []
    for number, url in enumerate(parts, start=1):
        assert url == f"https://example.org/sitemap-{number}.xml"
        urls = [loc.text for loc in ET.parse(out / f"sitemap-{number}.xml").getroot().iter(f"{SITEMAP}loc")]
        assert 1 <= len(urls) <= 4
        listed += urls
    pages = [
        name
        for name, doc in html_pages(out).items()
        if not any(meta.get("name") == "robots" and meta.get("content") == "noindex" for meta in doc.find_all("meta"))
    ]
    assert "search/index.html" not in pages and "404.html" not in pages
    assert sorted(listed) == sorted(url_of(out, out / name, "https://example.org/") for name in pages)


def test_the_real_corpus_passes_every_feed_and_discovery_check(
    shared_corpus: Path, run_build: Callable[..., Run], tmp_path: Path
) -> None:
    out = tmp_path / "site"
    assert run_build("--content", shared_corpus, "--output", out).code == 0
    assert check_site(out, BASE) == []  # the repository's site.toml is in effect


def test_a_thousand_item_synthetic_site_passes_every_check(
    tmp_path: Path, run_build: Callable[..., Run], json_feed_schema: Draft7Validator
) -> None:
    make_corpus = requires_shared(SHARED / "tools" / "make_corpus.py")
    corpus = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, make_corpus, "--items", "1000", "--seed", "1", corpus], check=True, capture_output=True
    )
    out = tmp_path / "site"
    run = run_build("--content", corpus, "--output", out)
    assert run.code == 0, run.err
    assert check_site(out, BASE) == []
    assert len(feed_files(out)) > 100
    assert json_feed_errors(out, json_feed_schema) == []


def test_drafts_never_reach_a_feed_or_the_sitemap(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    make_site(
        {
            "2024-02-15-live.md": item_text(title="Live"),
            "2024-02-16-draft.md": item_text(title="Draft", date="2024-02-16T08:00:00Z", extra="published: false\n"),
        }
    )
    assert run_build("--drafts").code == 0
    out = Path("_site")
    draft = parse_file(out / "news/2024/02/16/draft/index.html")
    assert draft.find("meta", name="robots").get("content") == "noindex"
    assert check_site(out, "https://example.org/") == []  # the sitemap holds every page but the noindex ones
    sitemap = (out / "sitemap.xml").read_text()
    assert "news/2024/02/15/live/" in sitemap and "draft" not in sitemap
    for path in feed_files(out):
        assert b"draft" not in path.read_bytes().lower(), path
