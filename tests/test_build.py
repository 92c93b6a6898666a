"""Whole builds, judged by what a reader, a feed reader and a curator see."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
import yaml

from generator.render import jinja

from .conftest import REPO, Run, item_text, tree_bytes
from .htmltools import Element, parse_file
from .sitecheck import html_pages, internal_links, is_allowed_script

BASE = "https://digest.example.org/"


def latest_cards(home: Element) -> list[Element]:
    """The stories of the home page's river (not the top stories beside it)."""
    return home.find("section", class_="latest").find_all("article", class_="story")


def home_stories(home: Element) -> list[Element]:
    """Every story a home page shows: its top stories, then its river."""
    return home.find_all("article", class_="story")


def test_every_internal_link_of_the_sample_site_resolves(built_sample: Path) -> None:
    broken, checked = internal_links(built_sample, BASE)
    assert broken == []
    assert checked > 500


def test_the_sample_site_has_every_page_kind(built_sample: Path) -> None:
    content = sorted((REPO / "content").glob("*.md"))
    assert 12 <= len(content) <= 20
    home = parse_file(built_sample / "index.html")
    cards = latest_cards(home)
    top = home.find("section", class_="top").find_all("article", class_="story")
    # One sample item is `published: false`, and two are one story from two outlets; the top
    # stories lead the page and the river lists the others, each story once.
    assert len(top) >= 3
    assert len(top) + len(cards) == len(home_stories(home)) == len(content) - 2
    links = [story.find("h3").find("a").get("href") for story in home_stories(home)]
    assert len(set(links)) == len(links)
    dates = [card.find("time").get("datetime") for card in cards]
    assert dates == sorted(dates, reverse=True)
    topics = parse_file(built_sample / "topics/index.html").find("ul", class_="terms").find_all("li")
    assert len(topics) >= 5
    # Counts as the curator would tally them from the files: published items only, and an
    # item whose address now redirects counts with the story it redirects to.
    story_topics: dict[str, set[str]] = {}
    for path in content:
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        if not data.get("published", True):
            continue
        address = "/news/" + path.stem[:10].replace("-", "/") + "/" + path.stem[11:] + "/"
        page = parse_file(built_sample / address.strip("/") / "index.html")
        canonical = page.find("link", rel="canonical").get("href").removeprefix(BASE.rstrip("/"))
        story_topics.setdefault(canonical, set()).update(data.get("topics", []))
    for li in topics:
        name = li.find("a").text
        assert li.find("span", class_="count").text == str(sum(name in names for names in story_topics.values()))
    providers = parse_file(built_sample / "providers/index.html").find("ul", class_="terms").find_all("li")
    assert len(providers) >= 5
    for li in providers:
        # The logo is named by its alt (the source's name); the name beside it is hidden
        # from screen readers, which would otherwise read it twice.
        link = li.find("a")
        assert link.find("img").get("alt") == link.find("span").text != ""
        assert link.find("span").get("aria-hidden") == "true"
    for li in providers:
        assert (built_sample / li.find("a").get("href").lstrip("/") / "index.html").is_file()
    assert (built_sample / "topics/ai-in-china/index.html").is_file()
    assert (built_sample / "404.html").is_file()
    assert (built_sample / "css/style.css").is_file()


def outlet_names(story_page: Element) -> list[str]:
    """The outlets a story's page lists under "Also covered by", in its order."""
    names = []
    for line in story_page.find_all("p", class_="coverage__outlet"):
        named = [child for child in line.children if isinstance(child, Element) and child.tag in ("a", "span")]
        names += [child.text for child in named if "logo" not in (child.get("class") or "")][:1]
    return names


def test_every_story_in_a_list_names_the_other_outlets_its_page_lists(built_sample: Path) -> None:
    """A river's "More:" line names each other outlet once (up to four, then "+N more"),
    never the story's own source: the outlets its page lists, in their order."""
    pages = html_pages(built_sample)
    outlets = {
        "/" + name.removesuffix("index.html"): outlet_names(doc)
        for name, doc in pages.items()
        if doc.find_all("article", class_="article")
    }
    checked = 0
    for name, doc in pages.items():
        for story in (e for e in doc.iter() if "story" in (e.get("class") or "").split() and e.get("data-url")):
            if "article" in (story.get("class") or "").split():
                continue
            mine = story.get("data-source") or ""
            expected = list(dict.fromkeys(n for n in outlets[story.get("data-url") or ""] if n and n != mine))
            more = story.find_all("p", class_="more")
            shown = [a.text for a in more[0].find_all("a")] if more else []
            extra = [f"+{len(expected) - 4} more"] if len(expected) > 4 else []
            assert shown == expected[:4] + extra, (name, story.get("data-url"))
            checked += bool(expected)
    assert checked >= 10  # the sample has stories covered by several outlets, on many pages


def test_an_item_page_shows_what_the_issue_promises(built_sample: Path) -> None:
    page = parse_file(built_sample / "news/2024/02/15/openai-unveils-sora-text-to-video/index.html")
    article = page.find("article", class_="story")
    assert article.find("h1").text == "OpenAI Unveils Sora: Minute-Long Videos From a Text Prompt"
    source = article.find("a", class_="meta__source")
    assert source.text == "The Pacific Wire"
    assert source.get("href") == "/providers/the-pacific-wire/"
    assert source.find("img").get("src") == "/images/providers/pacificwire.example.svg"
    assert article.find("time").get("datetime") == "2024-02-15T18:05:00+00:00"
    assert article.find("time").text == "15 Feb 2024, 18:05"
    assert "1 min read" in article.find("p", class_="meta--article").text
    assert article.find("p", class_="article__excerpt").text.startswith("OpenAI has shown Sora")
    lead = article.find("figure").find("img")
    assert (lead.get("src"), lead.get("width"), lead.get("height")) == ("/images/news/openai-sora.svg", "1200", "630")
    summary = article.find("section", class_="article__summary")
    assert summary.find("strong").text == "Main points"
    assert len(summary.find_all("li")) == 3
    # The way out to the source comes before the excerpt, the image and the summary.
    header = article.find("header", class_="article__header")
    read_more = header.find("p", class_="article__out").find("a")
    assert read_more.text == "Read the full story at The Pacific Wire →"
    assert read_more.get("href") == "https://www.pacificwire.example/2024/02/15/openai-sora-text-to-video"
    assert [a.text for a in article.find("nav", class_="article__topics").find_all("a")] == [
        "OpenAI",
        "Generative AI",
        "AI",
    ]
    related = article.find("section", class_="coverage")
    assert related.find("h2").text == "Also covered by"
    assert [li.find("a", class_="coverage__title").get("href") for li in related.find_all("li")] == [
        "https://www.siliconledger.example/news/sora-first-look",
        "https://www.globalaireview.example/2024/02/16/text-to-video-elections",
    ]
    assert page.find("link", rel="canonical").get("href") == BASE + "news/2024/02/15/openai-unveils-sora-text-to-video/"
    assert page.find("html").get("lang") == "en"


def test_the_sample_feed_reads_cleanly_in_a_feed_reader(built_sample: Path) -> None:
    feed = feedparser.parse((built_sample / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    home_links = [
        card.find("h3", class_="story__title").find("a").get("href")
        for card in home_stories(parse_file(built_sample / "index.html"))
    ]
    pages = [
        path for path in (built_sample / "news").rglob("index.html") if b'http-equiv="refresh"' not in path.read_bytes()
    ]
    assert len(feed.entries) == len(home_links) == len(pages)
    # The feed is newest first; home leads with the top stories, then the river, newest first.
    assert sorted(entry.link for entry in feed.entries) == sorted(BASE + link.lstrip("/") for link in home_links)
    river = [
        BASE + card.find("h3").find("a").get("href").lstrip("/")
        for card in latest_cards(parse_file(built_sample / "index.html"))
    ]
    assert [entry.link for entry in feed.entries if entry.link in river] == river
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)
    for entry in feed.entries:
        assert entry.id.startswith("urn:uuid:") and entry.guidislink is False
        assert (built_sample / urlsplit(entry.link).path.lstrip("/") / "index.html").is_file()
        assert entry.published_parsed is not None
        assert entry.tags
    assert feed.feed.updated == feed.entries[0].published


def test_the_same_input_gives_byte_identical_output(
    sample_site: Path, run_build: Callable[..., Run], tmp_path: Path
) -> None:
    assert run_build("--config", sample_site / "site.toml", "--output", tmp_path / "one").code == 0
    assert run_build("--config", sample_site / "site.toml", "--output", tmp_path / "two").code == 0
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")


def test_cards_made_again_after_leaving_their_cache_are_the_same(
    sample_site: Path, run_build: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process keeps the cards it rendered last, not all of them (a big site's would not
    fit): a card dropped and rendered again for a later list reads as it did."""
    config = sample_site / "site.toml"
    assert run_build("--config", config, "--output", tmp_path / "kept", "--no-cache").code == 0
    monkeypatch.setattr(jinja, "_CARDS_KEPT", 1)
    assert run_build("--config", config, "--output", tmp_path / "dropped", "--no-cache").code == 0
    assert tree_bytes(tmp_path / "kept") == tree_bytes(tmp_path / "dropped")


def test_every_file_of_the_real_corpus_builds(
    shared_corpus: Path, run_build: Callable[..., Run], tmp_path: Path
) -> None:
    out = tmp_path / "site"
    run = run_build("--content", shared_corpus, "--output", out)
    assert run.code == 0, run.err
    # The archive's item names its source's logo by a site-relative address this site lacks.
    leukemia = shared_corpus / "archive/2019-12-23-artificial-intelligence-tracks-down-leukemia.md"
    assert run.err_lines == [
        "warning: static/assets/images/organizations/sciencedaily.com-50x50.jpg: not found in the site's static "
        f"files; used by {leukemia}; shown without it"
    ]
    published = [path for path in shared_corpus.rglob("*.md") if "published: false" not in path.read_text()]
    assert f"{len(list(shared_corpus.rglob('*.md')))} items read, {len(published)} published" in run.out
    assert len(list((out / "news").rglob("index.html"))) == len(published)
    nyt = parse_file(
        out / "news/2024/02/21/chinas-rush-to-dominate-ai-comes-with-a-twist-it-depends-on-us-technology/index.html"
    )
    assert nyt.find("h1").text == "China’s Rush to Dominate A.I. Comes With a Twist: It Depends on U.S. Technology"
    # Its `related` list holds the Times' own article again, under a second address
    # (`chinas-united-states-…` beside `china-united-states-…`): only the other outlet stays.
    related = nyt.find("section", class_="coverage").find_all("a", class_="coverage__title")
    assert [link.attrs["href"] for link in related] == [
        "https://www.straitstimes.com/business/china-s-rush-to-dominate-ai-comes-with-a-twist-it-depends-on-us-technology"
    ]
    assert feedparser.parse((out / "feed.xml").read_bytes()).bozo == 0


def test_drafts_are_shown_with_a_badge_only_when_asked(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    make_site(
        {
            "2024-02-01-draft.md": item_text(title="Draft story", extra="published: false\n"),
            "2024-02-02-live.md": item_text(title="Live story", date="2024-02-02T10:00:00Z"),
        }
    )
    assert run_build().code == 0
    assert not Path("_site/news/2024/02/15/draft").exists()
    assert run_build("--drafts").code == 0
    page = parse_file(Path("_site/news/2024/02/15/draft/index.html"))
    assert page.find("span", class_="badge").text == "Draft"
    titles = [entry.title for entry in feedparser.parse(Path("_site/feed.xml").read_bytes()).entries]
    assert titles == ["Live story"]


# --- bad input -------------------------------------------------------------------------

BROKEN = {
    "2024-02-01-bad-yaml.md": '---\ntitle: "unclosed\npublishedDateTime: 2024-02-01T00:00:00Z\n---\n',
    "2024-02-02-no-title.md": "---\npublishedDateTime: 2024-02-02T00:00:00Z\n---\n",
    "2024-02-03-bad-date.md": "---\ntitle: Bad date\npublishedDateTime: next Tuesday\n---\n",
    "2024-02-04-bad-quality.md": "---\ntitle: Bad quality\npublishedDateTime: 2024-02-04T00:00:00Z\n"
    "quality: high\n---\n",
    "2024-02-05-bad-topics.md": "---\ntitle: Bad topics\npublishedDateTime: 2024-02-05T00:00:00Z\ntopics: AI\n---\n",
}


def test_broken_files_are_reported_and_the_rest_of_the_site_builds(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    make_site({**BROKEN, "2024-02-15-good.md": item_text()})
    run = run_build()
    assert run.code == 1
    assert run.err_lines == [
        "content/2024-02-01-bad-yaml.md:2: front matter: is not valid YAML (a quoted text starts on this line but its "
        "closing quote is missing)",
        "content/2024-02-02-no-title.md: title: missing; every item needs a title",
        'content/2024-02-03-bad-date.md:3: publishedDateTime: "next Tuesday" is not a date; '
        "write it like 2024-02-15T18:05:00Z",
        'content/2024-02-04-bad-quality.md:4: quality: should be a whole number of 0 or more, got "high"',
        "content/2024-02-05-bad-topics.md:4: topics: should be a list of topic names (one '- name' line each), got \"AI\"",
    ]
    assert run.out.startswith("6 items read, 1 published, ")
    assert run.out.rstrip().endswith("s") and "0 warnings, 5 errors in" in run.out
    assert Path("_site/news/2024/02/15/good/index.html").is_file()
    assert len(home_stories(parse_file(Path("_site/index.html")))) == 1
    assert feedparser.parse(Path("_site/feed.xml").read_bytes()).bozo == 0


def test_strict_stops_at_the_first_error_and_changes_nothing(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    site = make_site({"2024-02-15-good.md": item_text()})
    assert run_build().code == 0
    before = tree_bytes(site / "_site")
    for name, text in BROKEN.items():
        (site / "content" / name).write_text(text)
    run = run_build("--strict")
    assert run.code == 1
    assert run.err_lines == [
        "content/2024-02-01-bad-yaml.md:2: front matter: is not valid YAML (a quoted text starts on this line but its "
        "closing quote is missing)",
        "build stopped (--strict): the output folder was not changed",
    ]
    assert run.out == ""
    assert tree_bytes(site / "_site") == before


def test_a_file_that_breaks_keeps_its_published_page(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    site = make_site(
        {
            "2024-02-15-story.md": item_text(title="Published yesterday"),
            "2024-02-16-other.md": item_text(title="Other", date="2024-02-16T10:00:00Z"),
        }
    )
    assert run_build().code == 0
    page = site / "_site/news/2024/02/15/story/index.html"
    document = site / "_site/api/stories/news/2024/02/15/story.json"
    published, published_document = page.read_bytes(), document.read_bytes()
    (site / "content/2024-02-15-story.md").write_text(item_text(date="not a date"))
    run = run_build()
    assert run.code == 1
    assert (
        "warning: content/2024-02-15-story.md: kept the page from the previous build until this file is fixed"
        in run.err_lines
    )
    assert page.read_bytes() == published
    assert document.read_bytes() == published_document  # and its API document
    # A deleted file, unlike a broken one, takes its page with it.
    (site / "content/2024-02-15-story.md").unlink()
    assert run_build().code == 0
    assert not page.exists() and not document.exists()


def test_two_files_on_one_address_are_reported_with_both_names(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    make_site({"a/2024-02-15-story.md": item_text(title="First"), "b/2024-02-15-story.md": item_text(title="Second")})
    run = run_build()
    assert run.code == 1
    assert run.err_lines == [
        "content/b/2024-02-15-story.md: has the same address /news/2024/02/15/story/ as "
        "content/a/2024-02-15-story.md; rename one of the files"
    ]
    assert parse_file(Path("_site/news/2024/02/15/story/index.html")).find("h1").text == "First"


def test_content_can_never_inject_markup(make_site: Callable[..., Path], run_build: Callable[..., Run]) -> None:
    evil = '</script><script>alert(1)</script><img src=x onerror=alert(2)> & "quotes"'
    make_site(
        {
            "2024-02-15-evil.md": item_text(
                title=evil.replace('"', '\\"'),
                extra='images:\n  - url: "https://img.example.com/a.jpg\\" onload=\\"alert(3)"\n',
                body="<script>alert(4)</script>\n\n[link](javascript:alert(5)) [data](data:text/html;base64,PHNjcmlwdD4=)",
            )
        }
    )
    assert run_build().code == 0
    for name, doc in html_pages(Path("_site")).items():
        assert all(is_allowed_script(script) for script in doc.find_all("script")), name
        for element in doc.iter():
            assert not any(key.startswith("on") for key in element.attrs), (name, element)
            for value in element.attrs.values():
                assert not (value or "").lower().startswith(("javascript:", "data:")), (name, element)
    page = parse_file(Path("_site/news/2024/02/15/evil/index.html"))
    assert page.find("h1").text == evil
    assert page.find_all("figure") == []  # an image address with a quote in it is dropped
    (json_ld,) = page.find_all("script", type="application/ld+json")
    assert json.loads(json_ld.text)["headline"] == evil  # the title stayed inside its JSON string


# --- themes and failed builds ------------------------------------------------------------


def add_theme(site: Path, name: str, files: dict[str, str]) -> Path:
    """Write a theme's files (paths below the theme folder) into a site's `themes/`."""
    theme = site / "themes" / name
    for relative, text in files.items():
        (theme / relative).parent.mkdir(parents=True, exist_ok=True)
        (theme / relative).write_text(text)
    return theme


def test_a_theme_can_override_one_template_and_inherit_the_rest(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    site = make_site({"2024-02-15-story.md": item_text()}, {"theme": "mine"})
    add_theme(
        site,
        "mine",
        {
            "templates/item.html": '{% extends "base.html" %}{% block main %}<p class="mine">{{ item.title }}</p>'
            "{% endblock %}\n",
            "static/extra.css": "/* mine */",
        },
    )
    assert run_build().code == 0
    page = parse_file(site / "_site/news/2024/02/15/story/index.html")
    assert page.find("p", class_="mine").text == "A good item"
    assert page.find("header", class_="site-header")  # base.html comes from the default theme
    assert (site / "_site/css/style.css").is_file()
    assert (site / "_site/extra.css").read_text() == "/* mine */"


def test_a_sites_item_template_prints_tests_and_filters_the_summary(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    """`item.summary_html` prints as the curator's HTML, is false for a story without a body,
    and takes the filters a theme puts on text."""
    body = "A **bold** start, d\u00e9j\u00e0 vu \U0001f680, and [a link](/topics/ai/)."
    site = make_site(
        {
            "2024-02-15-story.md": item_text(body=body),
            "2024-02-16-bare.md": item_text("No body", "2024-02-16T10:00:00Z", body=""),
        },
        {"base_url": "https://example.org/sub/"},
    )
    (site / "templates").mkdir()
    (site / "templates/item.html").write_text(
        '{% extends "base.html" %}{% block main %}'
        '{% if item.summary_html %}<div class="summary">{{ item.summary_html }}</div>'
        '<p class="plain">{{ item.summary_html|striptags|truncate(30) }}</p>'
        '{% else %}<p class="none">no summary</p>{% endif %}{% endblock %}\n',
        encoding="utf-8",
    )
    run = run_build()
    assert run.code == 0, run.err
    page = parse_file(site / "_site/news/2024/02/15/story/index.html")
    summary = page.find("div", class_="summary")
    assert summary.find("strong").text == "bold"
    assert summary.find("a").get("href") == "/sub/topics/ai/"
    assert "d\u00e9j\u00e0 vu \U0001f680" in summary.text
    assert page.find("p", class_="plain").text == "A bold start, d\u00e9j\u00e0 vu \U0001f680,..."
    bare = parse_file(site / "_site/news/2024/02/16/bare/index.html")
    assert bare.find("p", class_="none").text == "no summary"
    assert bare.find_all("div", class_="summary") == []


def test_a_sites_templates_folder_overrides_one_partial_and_theme_settings_reach_it(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    site = make_site({"2024-02-15-story.md": item_text()})
    (site / "site.toml").write_text(
        'base_url = "https://example.org/"\n[theme.settings]\nribbon = "Beta"\nshow_excerpts = false\n',
        encoding="utf-8",
    )
    (site / "templates/partials").mkdir(parents=True)
    (site / "templates/partials/card.html").write_text(
        '<article class="my-card" data-ribbon="{{ site.settings.ribbon }}"><a href="{{ item.url }}">{{ item.title }}</a>'
        "{% if site.settings.show_excerpts %}<p>{{ item.excerpt }}</p>{% endif %}</article>\n",
        encoding="utf-8",
    )
    run = run_build()
    assert run.code == 0, run.err
    assert run.err == ""
    home = parse_file(site / "_site/index.html")
    (card,) = home.find_all("article", class_="my-card")
    assert (card.get("data-ribbon"), card.text, card.find_all("p")) == ("Beta", "A good item", [])
    assert home.find("header", class_="site-header")  # everything else from the default theme


def test_a_missing_theme_is_a_config_error(make_site: Callable[..., Path], run_build: Callable[..., Run]) -> None:
    make_site({"2024-02-15-story.md": item_text()}, {"theme": "nowhere"})
    run = run_build()
    assert run.code == 2
    assert run.err_lines[0].startswith("error: theme: 'nowhere' not found (looked in ")
    assert run.err_lines[0].endswith("; themes here: default)")
    assert "Traceback" not in run.err


def test_a_template_error_names_the_file_and_line_and_keeps_the_old_site(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    site = make_site({"2024-02-15-story.md": item_text()}, {"theme": "broken"})
    add_theme(
        site,
        "broken",
        {
            "templates/item.html": '{% extends "base.html" %}\n{% block main %}\n<h1>{{ item.titel }}</h1>\n{% endblock %}\n',
        },
    )
    (site / "site.toml").write_text('base_url = "https://example.org/"\n')
    assert run_build().code == 0
    before = tree_bytes(site / "_site")
    (site / "site.toml").write_text('base_url = "https://example.org/"\ntheme = "broken"\n')
    run = run_build()
    assert run.code == 2
    assert run.err_lines == [
        "error: themes/broken/templates/item.html:3: ItemView has no attribute 'titel' "
        "(while rendering 2024-02-15-story.md)",
        "nothing was built: the output folder was not changed",
    ]
    assert tree_bytes(site / "_site") == before
    assert sorted(path.name for path in site.iterdir() if path.name.startswith(".") and path.name != ".cache") == []


def test_a_template_syntax_error_names_the_file_and_line(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    site = make_site({"2024-02-15-story.md": item_text()}, {"theme": "broken"})
    add_theme(site, "broken", {"templates/home.html": "{% extends 'list.html' %}\n{% block list_header %}\n{% if %}\n"})
    run = run_build()
    assert run.code == 2
    assert run.err_lines[0] == (
        "error: themes/broken/templates/home.html:3: Expected an expression, "
        "got 'end of statement block' (while rendering home)"
    )


def test_an_output_folder_not_made_by_digest_is_refused(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    site = make_site({"2024-02-15-story.md": item_text()})
    before = tree_bytes(site)
    run = run_build("--output", ".")
    assert run.code == 2
    assert "refusing to replace this folder: it is not empty and was not made by Digest" in run.err
    assert tree_bytes(site) == before


def test_every_image_has_a_size_and_only_the_lead_story_shows_its_image_at_once(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    """No image without width and height (the page would jump as it loads): a story image
    of unknown size gets the usual 1200 × 630 and is cropped to it. A river is headlines:
    on home only the lead story shows its image, and it is wanted first."""
    unsized = 'images:\n  - url: "https://img.example.com/unsized.jpg"\n'
    sized = 'images:\n  - url: "https://img.example.com/sized.jpg"\n    width: 800\n    height: 800\n'
    make_site(
        {
            f"2024-02-{day:02}-story-{day}.md": item_text(
                title=f"Story {day}",
                date=f"2024-02-{day:02}T08:00:00Z",
                extra=(unsized if day == 1 else sized) + f"heat: {day}\n",
            )
            for day in range(1, 7)
        },
        {"top_stories": 2},
    )
    assert run_build().code == 0
    for name, doc in html_pages(Path("_site")).items():
        for image in doc.find_all("img"):
            assert image.get("width") and image.get("height"), (name, image)
    story = parse_file(Path("_site/news/2024/02/01/story-1/index.html")).find("figure").find("img")
    assert (story.get("width"), story.get("height"), story.get("class")) == ("1200", "630", "cropped")
    assert story.get("loading") is None and story.get("fetchpriority") == "high"
    square = parse_file(Path("_site/news/2024/02/02/story-2/index.html")).find("figure").find("img")
    assert (square.get("width"), square.get("height"), square.get("class")) == ("800", "800", None)
    (lead,) = parse_file(Path("_site/index.html")).find_all("a", class_="story__image")
    assert lead.get("href") == "/news/2024/02/06/story-6/"
    assert (lead.find("img").get("loading"), lead.find("img").get("fetchpriority")) == (None, "high")
