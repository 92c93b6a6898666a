"""The JSON API under `api/`: every file valid against its schema in docs/api/, every link
leading to a file, paging that gives each story of a list exactly once, story documents
that say what their pages show, hostile text that survives, and the switch that turns it off."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from generator import urls
from generator.commands import main
from generator.escape import json_text
from generator.model import Story
from generator.plan.derived import Later, made
from generator.render.renderer import json_bytes

from .conftest import REPO, SITES, Run, copy_sample, item_text, tree_bytes
from .factories import make_item
from .htmltools import Element, parse_file, parse_html
from .sitecheck import internal_target

SCHEMAS = REPO / "docs" / "api"
BASE = "https://digest.example.org/"
# Keys whose values are addresses on this site (site-relative), in every kind of document.
LINK_KEYS = ("url", "apiUrl", "firstPage", "previousPage", "nextPage")
# Keys whose values lead to another API document.
API_KEYS = ("apiUrl", "firstPage", "previousPage", "nextPage")

Document = dict[str, Any]


# --- schemas -------------------------------------------------------------------------------


def schema_files() -> dict[str, Document]:
    """Each schema by its kind (`story` for story.schema.json)."""
    return {path.name.removesuffix(".schema.json"): json.loads(path.read_bytes()) for path in SCHEMAS.glob("*.json")}


FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("uri")
def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc) and not any(char.isspace() or char in '"<>\\' for char in value)


@FORMATS.checks("uri-reference")
def _uri_reference(value: object) -> bool:
    return not isinstance(value, str) or not any(char.isspace() or char in '"<>\\' for char in value)


def validators() -> dict[str, Draft202012Validator]:
    schemas = schema_files()
    registry = Registry().with_resources((schema["$id"], Resource.from_contents(schema)) for schema in schemas.values())
    return {
        kind: Draft202012Validator(schema, registry=registry, format_checker=FORMATS)
        for kind, schema in schemas.items()
    }


def kind_of(name: str) -> str:
    """Which schema a file under `api/` answers to, from its path alone."""
    fixed = {urls.API_INDEX: "index", urls.API_TOPICS: "topics", urls.API_PROVIDERS: "sources"}
    return fixed.get(name) or ("story" if name.startswith(urls.API_STORIES) else "list")


def problems(out: Path) -> dict[str, list[str]]:
    """Every file under `api/` checked against the schema of its kind: kind -> messages."""
    checkers = validators()
    found: dict[str, list[str]] = {}
    for path in sorted((out / "api").rglob("*")):
        if path.is_file():
            name = path.relative_to(out).as_posix()
            errors = checkers[kind_of(name)].iter_errors(json.loads(path.read_bytes()))
            found.setdefault(kind_of(name), []).extend(f"{name}: {e.json_path}: {e.message}" for e in errors)
    return found


# --- building ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site, built once for the tests that only read it."""
    site = copy_sample(tmp_path_factory.mktemp("api"))
    assert main(["--config", str(site / "site.toml"), "--no-cache", "-q"]) == 0
    return site / "_site"


def documents(out: Path) -> dict[str, Document]:
    """Every file under `api/`, parsed, by its path below the output folder."""
    return {
        path.relative_to(out).as_posix(): json.loads(path.read_bytes())
        for path in sorted((out / "api").rglob("*.json"))
    }


def target(out: Path, url: str, base: str = BASE) -> Path:
    found = internal_target(out, url, base)
    assert found is not None, f"{url} is not an address of the site"
    return found


def links_in(value: Any, keys: tuple[str, ...] = LINK_KEYS) -> Iterator[str]:
    """Every non-null value of `keys` anywhere in a document, and site-relative image addresses."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in keys and isinstance(item, str):
                yield item
            elif key == "images" and keys == LINK_KEYS:
                yield from (image["url"] for image in item if image["url"].startswith("/"))
            else:
                yield from links_in(item, keys)
    elif isinstance(value, list):
        for item in value:
            yield from links_in(item, keys)


def walk_list(out: Path, first: str, base: str = BASE) -> list[Document]:
    """A list's pages, from its first page along `nextPage`, checking each page's own links."""
    pages = [json.loads(target(out, first, base).read_bytes())]
    while pages[-1]["nextPage"] is not None:
        assert len(pages) < 1000, f"{first}: nextPage never ends"
        pages.append(json.loads(target(out, pages[-1]["nextPage"], base).read_bytes()))
    # The front page first, then the numbered pages from the newest down to page 1.
    assert [page["page"] for page in pages] == [None, *range(len(pages) - 1, 0, -1)]
    assert pages[0]["totalPages"] == len(pages)
    for place, page in enumerate(pages):
        assert page["firstPage"] == first
        assert page["previousPage"] == (pages[place - 1]["apiUrl"] if place else None)
        if place:  # totals change with every story: only the front page gives them
            assert (page["totalPages"], page["totalItems"]) == (None, None)
    return pages


def checked_list(out: Path, first: str, base: str = BASE) -> list[Document]:
    """A list's stories, in order, after asserting that its numbered pages hold 20 each and
    its front page the rest (20 to 39, or all of a shorter list), each story exactly once,
    newest first."""
    pages = walk_list(out, first, base)
    sizes = [len(page["items"]) for page in pages]
    total = pages[0]["totalItems"]
    numbered = max(0, total // 20 - 1)
    assert sizes == [total - 20 * numbered] + [20] * numbered, (first, sizes)
    stories = [story for page in pages for story in page["items"]]
    assert len({story["id"] for story in stories}) == len(stories) == total, first
    dates = [story["publishedDateTime"] for story in stories]
    assert dates == sorted(dates, reverse=True), first
    return stories


def html_list_urls(out: Path, page_url: str, base: str = BASE) -> list[str]:
    """The story addresses a paginated HTML list shows, over all of its pages, in order."""
    first = target(out, page_url, base).parent
    # The front page, then the numbered pages from the newest (they count from the oldest).
    pages = [first, *sorted((first / "page").glob("*"), key=lambda folder: -int(folder.name))]
    river = [parse_file(folder / "index.html").find("section", class_="latest") for folder in pages]
    return [card.get("data-url") or "" for section in river for card in section.find_all("article", class_="story")]


# --- every file, every link ------------------------------------------------------------------


def test_every_file_under_api_is_valid_against_the_schema_of_its_kind(sample_out: Path) -> None:
    found = problems(sample_out)
    assert {kind: messages for kind, messages in found.items() if messages} == {}
    counts = Counter(kind_of(rel(sample_out, path)) for path in (sample_out / "api").rglob("*") if path.is_file())
    story_pages = [path for path in (sample_out / "news").rglob("index.html") if path not in redirect_pages(sample_out)]
    docs = documents(sample_out)
    topics, sources = (docs[name]["count"] for name in (urls.API_TOPICS, urls.API_PROVIDERS))
    # The sample's lists all fit on one page: every story's, and one per topic and source.
    assert counts == {"index": 1, "topics": 1, "sources": 1, "story": len(story_pages), "list": 1 + topics + sources}
    assert len(story_pages) == 18 and topics > 10 and sources > 5


def rel(out: Path, path: Path) -> str:
    return path.relative_to(out).as_posix()


def redirect_pages(out: Path) -> list[Path]:
    return [path for path in (out / "news").rglob("index.html") if 'http-equiv="refresh"' in path.read_text("utf-8")]


def test_the_schemas_are_draft_2020_12_with_their_own_ids() -> None:
    schemas = schema_files()
    assert sorted(schemas) == ["index", "list", "sources", "story", "topics"]
    for kind, schema in schemas.items():
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"].endswith(f"/api/v1/{kind}.schema.json")


def test_the_schemas_refuse_what_the_api_must_never_write(sample_out: Path) -> None:
    """The checks above can fail: each change below breaks a promise of the README."""
    checkers = validators()
    docs = documents(sample_out)
    page = docs["api/topics/ai/index.json"]
    story = docs[urls.api_story_path("news/2024/02/15/openai-unveils-sora-text-to-video/")]
    assert checkers["list"].is_valid(page) and checkers["story"].is_valid(story)
    broken_lists = [
        {**page, "items": [{**page["items"][0], "summaryHtml": "<p>x</p>"}]},  # bodies only in stories
        {**page, "items": (page["items"] * 40)[:40]},  # 40 a page: the front page holds at most 39
        {**page, "nextPage": "https://digest.example.org/api/topics/ai/page/2.json"},  # links are root-relative
        {**page, "items": [{key: v for key, v in page["items"][0].items() if key != "heat"}]},
    ]
    broken_stories = [
        {**story, "publishedDateTime": "15 February 2024"},
        {**story, "publishedDateTime": "2024-02-30T18:05:00Z"},
        {**story, "originalUrl": "javascript:alert(1)"},
        {**story, "provider": {**story["provider"], "url": "//elsewhere.example/"}},
        {**story, "secured": "an opaque blob"},
    ]
    assert [checkers["list"].is_valid(doc) for doc in broken_lists] == [False] * len(broken_lists)
    assert [checkers["story"].is_valid(doc) for doc in broken_stories] == [False] * len(broken_stories)


def link_count(out: Path, base: str) -> int:
    """How many links the API holds, after asserting that each leads to a file of the site."""
    checked = 0
    for name, document in documents(out).items():
        for url in links_in(document):
            assert target(out, url, base).is_file(), f"{name}: {url} leads nowhere"
            checked += 1
    return checked


def test_every_link_in_the_api_leads_to_a_file(sample_out: Path) -> None:
    assert link_count(sample_out, BASE) > 1000


def test_links_follow_the_base_path_and_the_address_pattern(tmp_path: Path) -> None:
    site = copy_sample(tmp_path)
    config = (site / "site.toml").read_text(encoding="utf-8")
    assert f'base_url = "{BASE}"' in config
    config = config.replace(f'base_url = "{BASE}"', 'base_url = "https://example.org/digest/"')
    (site / "site.toml").write_text(config + 'permalink = "/:year/:month/:slug.html"\n', encoding="utf-8")
    assert main(["--config", str(site / "site.toml"), "--no-cache", "-q"]) == 0
    out = site / "_site"
    assert {kind: messages for kind, messages in problems(out).items() if messages} == {}
    assert link_count(out, "https://example.org/digest/") > 1000
    story = json.loads((out / "api/stories/2024/02/openai-unveils-sora-text-to-video.json").read_bytes())
    assert story["url"] == "/digest/2024/02/openai-unveils-sora-text-to-video.html"
    assert story["apiUrl"] == "/digest/api/stories/2024/02/openai-unveils-sora-text-to-video.json"
    feed_ids = {entry.link: entry.id for entry in feedparser.parse((out / "feed.xml").read_bytes()).entries}
    assert story["id"] == feed_ids["https://example.org/digest/2024/02/openai-unveils-sora-text-to-video.html"]


@pytest.mark.parametrize(
    ("name", "base"), [("tiny", "https://example.org/digest/"), ("newsroom", "https://news.example.org/")]
)
def test_the_golden_sites_api_is_valid_and_its_links_lead_to_files(name: str, base: str) -> None:
    """The checked-in output of the fixture sites: a base path, drafts held back, stories
    from several outlets, redirects, lists of two pages in HTML."""
    out = SITES / name / "expected"
    assert {kind: messages for kind, messages in problems(out).items() if messages} == {}
    assert link_count(out, base) > 100


def test_the_index_leads_to_every_document_and_nothing_else(sample_out: Path) -> None:
    """From `api/index.json`, following `apiUrl` and the paging links of each document
    reached, every file under `api/` is reached."""
    reached, queue = set(), [urls.API_INDEX]
    while queue:
        name = queue.pop()
        if name in reached:
            continue
        reached.add(name)
        document = json.loads((sample_out / name).read_bytes())
        queue += [rel(sample_out, target(sample_out, url)) for url in links_in(document, API_KEYS)]
    assert reached == {rel(sample_out, path) for path in (sample_out / "api").rglob("*") if path.is_file()}


# --- paging ----------------------------------------------------------------------------------


def test_every_list_of_the_sample_pages_each_story_once(sample_out: Path) -> None:
    docs = documents(sample_out)
    index = docs[urls.API_INDEX]
    latest = checked_list(sample_out, index["latest"]["apiUrl"])
    assert len(latest) == index["latest"]["count"] == 18
    for term in docs[urls.API_TOPICS]["topics"] + docs[urls.API_PROVIDERS]["sources"]:
        stories = checked_list(sample_out, term["apiUrl"])
        assert len(stories) == term["count"], term["name"]
        assert [story["url"] for story in stories] == html_list_urls(sample_out, term["url"]), term["name"]


@pytest.fixture
def many(make_site: Callable[..., Path], run_build: Callable[..., Run]) -> Path:
    """45 stories, all on AI from one source, 23 of them also on Robotics; the HTML lists
    page by 7, which must not change the API's 20."""
    files = {}
    for number in range(45):
        extra = "  - Robotics\n" if number % 2 == 0 else ""
        date = f"2024-01-{1 + number // 2:02d}T{6 + 12 * (number % 2):02d}:00:00Z"
        files[f"2024-01-{1 + number // 2:02d}-story-{number}.md"] = item_text(f"Story number {number}", date, extra)
    site = make_site(files, {"items_per_page": 7})
    # The data folder names the source otherwise than the items do: the site's name wins.
    (site / "data" / "organizations").mkdir(parents=True)
    (site / "data" / "organizations" / "news.example.com.yaml").write_text(
        "name: Example Newsroom\ndomain: news.example.com\n", encoding="utf-8"
    )
    run = run_build()
    assert run.code == 0, run.err
    return site / "_site"


def test_paging_gives_twenty_a_page_and_each_story_once(many: Path) -> None:
    docs = documents(many)
    assert {kind: messages for kind, messages in problems(many).items() if messages} == {}
    latest = checked_list(many, "/api/latest/index.json")
    assert len(latest) == 45 and latest[0]["title"] == "Story number 44" and latest[-1]["title"] == "Story number 0"
    pages = walk_list(many, "/api/latest/index.json")
    assert [page["apiUrl"] for page in pages] == ["/api/latest/index.json", "/api/latest/page/1.json"]
    assert [len(page["items"]) for page in pages] == [25, 20]
    assert (pages[0]["previousPage"], pages[-1]["nextPage"]) == (None, None)
    ai, robotics = (checked_list(many, f"/api/topics/{slug}/index.json") for slug in ("ai", "robotics"))
    assert len(ai) == 45 and len(robotics) == 23
    assert len(walk_list(many, "/api/topics/robotics/index.json")) == 1  # 23 stories: the front page holds them
    assert checked_list(many, "/api/providers/example-newsroom/index.json") == latest
    assert {story["provider"]["name"] for story in latest} == {"Example Newsroom"}
    check_story_page(many, json.loads(target(many, latest[0]["apiUrl"]).read_bytes()))
    for term in docs[urls.API_TOPICS]["topics"] + docs[urls.API_PROVIDERS]["sources"]:
        stories = checked_list(many, term["apiUrl"])
        assert [story["url"] for story in stories] == html_list_urls(many, term["url"]), term["name"]
    assert {story["apiUrl"] for story in latest} == {"/" + name for name in docs if name.startswith(urls.API_STORIES)}


def test_an_empty_site_has_an_index_and_empty_lists(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    site = make_site({})
    assert run_build().code == 0
    out = site / "_site"
    assert sorted(documents(out)) == sorted(
        [urls.API_INDEX, urls.API_TOPICS, urls.API_PROVIDERS, urls.api_page_path(urls.API_LATEST, 0)]
    )
    assert {kind: messages for kind, messages in problems(out).items() if messages} == {}
    latest = json.loads((out / "api/latest/index.json").read_bytes())
    assert (latest["items"], latest["totalItems"], latest["totalPages"], latest["nextPage"]) == ([], 0, 1, None)


# --- what the pages show ---------------------------------------------------------------------


def own_text(element: Element) -> str:
    """The text directly inside an element, without its children's (a logo's initials)."""
    return " ".join("".join(child for child in element.children if isinstance(child, str)).split())


def outlet_name(paragraph: Element) -> str:
    name = next(
        child
        for child in paragraph.children
        if isinstance(child, Element) and child.tag in ("a", "span") and "logo" not in (child.get("class") or "")
    )
    return name.text


def with_class(element: Element, name: str) -> Element:
    return next(found for found in element.iter() if name in (found.get("class") or "").split())


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def check_story_page(out: Path, story: Document) -> None:
    """Assert that a story's document says what its page shows."""
    page = parse_file(target(out, story["url"]))
    article = page.find("article", class_="story")
    assert article.find("h1").text == story["title"]
    source = article.find("a", class_="meta__source")
    assert (own_text(source), source.get("href")) == (story["provider"]["name"], story["provider"]["url"])
    assert instant(article.find("time").get("datetime") or "") == instant(story["publishedDateTime"])
    if story["excerpt"]:
        assert article.find("p", class_="article__excerpt").text == " ".join(story["excerpt"].split())
    assert article.find("a", class_="button").get("href") == (story["originalUrl"] or story["webUrl"])
    topics = article.find("nav", class_="article__topics").find_all("a")
    assert [(a.text, a.get("href")) for a in topics] == [(t["name"], t["url"]) for t in story["topicLinks"]]
    assert [t["name"] for t in story["topicLinks"]] == story["topics"]
    outlets = [
        (outlet_name(li.find("p", class_="coverage__outlet")), with_class(li, "coverage__title").text)
        for li in (article.find_all("ul", class_="coverage__list") or [Element("ul")])[0].find_all("li")
    ]
    others = [*story["coverage"], *story["related"]]
    assert outlets == [((o["provider"] or {}).get("name", ""), " ".join(o["title"].split())) for o in others]
    meta = article.find("p", class_="meta").text
    assert (f"{story['readingMinutes']} min read" in meta) == (story["readingMinutes"] > 0)
    summary = article.find_all("section", class_="article__summary")
    assert (summary[0].text if summary else "") == parse_html(story["summaryHtml"]).text
    images = article.find_all("figure", class_="article__image")
    assert [figure.find("img").get("src") for figure in images] == [image["url"] for image in story["images"][:1]]


def test_each_story_document_says_what_its_page_shows(sample_out: Path) -> None:
    stories = [doc for name, doc in documents(sample_out).items() if name.startswith(urls.API_STORIES)]
    for story in stories:
        check_story_page(sample_out, story)
    assert sum(bool(story["coverage"]) for story in stories) >= 1
    assert sum(bool(story["related"]) for story in stories) >= 3
    assert sum(bool(story["summaryHtml"]) for story in stories) >= 10


def test_a_list_entry_is_its_story_without_the_body(sample_out: Path) -> None:
    """Lists carry every field of a story but those made from its Markdown body."""
    docs = documents(sample_out)
    listed = {item["id"]: item for page in walk_list(sample_out, "/api/latest/index.json") for item in page["items"]}
    stories = {doc["id"]: doc for name, doc in docs.items() if name.startswith(urls.API_STORIES)}
    assert sorted(listed) == sorted(stories)
    for story_id, story in stories.items():
        assert listed[story_id] == {key: value for key, value in story.items() if key not in BODY_FIELDS}


BODY_FIELDS = ("summaryHtml", "readingMinutes")
HOSTILE_TITLE = 'Title </script><script>alert("x")</script> & \'quoted\' "twice" \\ back — café 中国 🤖 ends'
HOSTILE_TOPIC = '</script>"Topic" & <b>'
HOSTILE_SOURCE = 'The "Quote" & <Co> </script>'


def hostile_item() -> str:
    front = {
        "title": HOSTILE_TITLE,
        "excerpt": "An excerpt with </script> and \u2028 a line separator",
        "publishedDateTime": "2024-02-15T18:05:00Z",
        "originalUrl": "https://news.example.com/a?b=1&c=2",
        "provider": {"name": HOSTILE_SOURCE, "domain": "news.example.com"},
        "topics": [HOSTILE_TOPIC, "Ünïcödé"],
    }
    return (
        "---\n"
        + yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
        + "---\n\nA body with <script>x</script>.\n"
    )


def test_hostile_text_round_trips_and_cannot_end_a_script(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    site = make_site({"2024-02-15-hostile.md": hostile_item()})
    assert run_build().code == 0
    out = site / "_site"
    assert {kind: messages for kind, messages in problems(out).items() if messages} == {}
    for path in (out / "api").rglob("*.json"):
        raw = path.read_bytes()
        assert b"<" not in raw and b">" not in raw and "\u2028".encode() not in raw, path
    docs = documents(out)
    (story,) = (doc for name, doc in docs.items() if name.startswith(urls.API_STORIES))
    assert story["title"] == HOSTILE_TITLE
    assert story["provider"]["name"] == HOSTILE_SOURCE
    assert story["topics"] == [HOSTILE_TOPIC, "Ünïcödé"]
    assert story["originalUrl"] == "https://news.example.com/a?b=1&c=2"
    assert "&lt;script&gt;x&lt;/script&gt;" in story["summaryHtml"]
    check_story_page(out, story)
    names = {topic["name"] for topic in docs[urls.API_TOPICS]["topics"]}
    assert names == {HOSTILE_TOPIC, "Ünïcödé"}
    assert docs["api/latest/index.json"]["items"] == [
        {key: value for key, value in story.items() if key not in BODY_FIELDS}
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"t": "a\x01b\x0bc\x0cd\x1f"}, {"t": "abcd"}),  # C0 controls, written by json as \\u0001, \\f…
        ({"t": "tab\tline\ncr\r"}, {"t": "tab\tline\ncr\r"}),  # allowed
        ({"t": "c1 \x85\x9f del \x7f"}, {"t": "c1  del "}),
        ({"t": "lone \ud800 surrogate \ufffe \ufdd0"}, {"t": "lone  surrogate  "}),
        ({"k\x02": ["\x03", {"\x04": "\x05x"}]}, {"k": ["", {"": "x"}]}),  # keys and nesting
        ({"t": "\\u0001 \\b \\f written out"}, {"t": "\\u0001 \\b \\f written out"}),  # text, not controls
        ({"t": "</script> & \u2028"}, {"t": "</script> & \u2028"}),
    ],
)
def test_the_json_writer_removes_what_no_format_can_carry(value: Document, expected: Document) -> None:
    """Documents are written as they are unless their text shows a character to remove;
    whatever the path, the result is the cleaned text, and nothing can end a script."""
    raw = json_bytes(value)
    assert json.loads(raw) == expected
    assert b"<" not in raw and "\u2028".encode() not in raw


def test_a_lists_stories_written_from_their_kept_texts_give_the_bytes_of_the_whole_list() -> None:
    """A list's entries are written once per process and joined; escapes and cleaning act on
    each string alone, so the result is byte for byte the document written at once."""
    stories = [Story.single(make_item(n)) for n in range(3)]
    texts = ["plain", "</script> & \u2028 \x01 café", "\ud800 lone"]
    entries = [
        Later("API entry", story, "", lambda text=text: {"title": text, "topics": ["AI", "<b>"], "heat": None})
        for story, text in zip(stories, texts, strict=True)
    ]
    document = {
        "kind": "topic",
        "name": "A & B",
        "page": None,
        "items": [entries[1], entries[0], entries[2], entries[1]],
    }
    whole = (json_text({**document, "items": [made(entry) for entry in document["items"]]}) + "\n").encode()
    assert json_bytes(document) == whole
    assert json_bytes(document) == whole  # again, from the kept texts
    assert json.loads(whole)["items"][0]["title"] == "</script> & \u2028  café"  # the control character goes
    assert json_bytes({"items": []}) == b'{"items":[]}\n'


# --- the switch, and the same bytes every time -----------------------------------------------


def test_turning_the_api_off_removes_it_and_changes_nothing_else(
    sample_site: Path, run_build: Callable[..., Run]
) -> None:
    config = sample_site / "site.toml"
    assert run_build("--config", config).code == 0
    out = sample_site / "_site"
    before = tree_bytes(out)
    assert any(name.startswith("api/") for name in before)
    config.write_text(config.read_text(encoding="utf-8") + "api = false\n", encoding="utf-8")
    run = run_build("--config", config)
    assert run.code == 0, run.err
    assert not (out / "api").exists()
    after = tree_bytes(out)
    kept = {name: data for name, data in before.items() if not name.startswith("api/")}
    assert {name: data for name, data in after.items() if name != ".digest-build.json"} == {
        name: data for name, data in kept.items() if name != ".digest-build.json"
    }
    config.write_text(config.read_text(encoding="utf-8").replace("api = false", 'api = "no"'), encoding="utf-8")
    refused = run_build("--config", config)
    assert refused.code == 2
    assert "api: should be true or false, got 'no'" in refused.err


def test_the_api_is_the_same_bytes_at_every_build(
    sample_site: Path, run_build: Callable[..., Run], tmp_path: Path
) -> None:
    builds = []
    for number, jobs in enumerate(("1", "2")):
        out = tmp_path / f"out{number}"
        assert run_build("--config", sample_site / "site.toml", "--output", out, "--no-cache", "-j", jobs).code == 0
        builds.append({name: data for name, data in tree_bytes(out).items() if name.startswith("api/")})
    assert builds[0] == builds[1]
    assert len(builds[0]) > 40
    assert all(data.endswith(b"}\n") and data.count(b"\n") == 1 for data in builds[0].values())
