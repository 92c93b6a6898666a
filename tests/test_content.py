"""Loading and validating content files: what a curator writes, what the site gets."""

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator.load.discover import SourceFile, discover
from generator.load.item import load_item
from generator.load.validate import LoadResult

from .conftest import item_text

PARIS = ZoneInfo("Europe/Paris")


def load(tmp_path: Path, text: str | bytes, name: str = "2024-02-15-story.md", tz: ZoneInfo = PARIS) -> LoadResult:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return load_item(SourceFile(path, name, f"content/{name}"), tz)


def messages(result: LoadResult) -> list[str]:
    return [str(problem) for problem in result.problems]


def test_a_full_item_is_read_into_the_model(tmp_path: Path) -> None:
    result = load(
        tmp_path,
        item_text(
            extra="quality: 52\nheat: -1\nimages:\n  - url: https://img.example.com/a.jpg\n"
            "    width: 1050\n    height: 550\n    isCached: true\n"
            'secured: "opaque"\ncategory: news\n'
        ),
    )
    assert messages(result) == []
    item = result.item
    assert item is not None
    assert item.title == "A good item"
    assert item.slug == "story"
    assert item.published_at == datetime(2024, 2, 15, 18, 5, tzinfo=UTC)
    assert item.path == "news/2024/02/15/story/"
    assert item.quality == 52
    assert item.heat is None  # -1 means unknown
    assert item.published is True
    assert item.provider is not None and (item.provider.name, item.provider.domain) == (
        "Example News",
        "news.example.com",
    )
    assert item.topics == ("AI",)
    assert item.lead_image is not None and (item.lead_image.width, item.lead_image.height) == (1050, 550)
    assert item.summary_html == "<p>Summary.</p>\n"


def test_every_file_of_the_real_corpus_loads_cleanly(shared_corpus: Path) -> None:
    sources, problems = discover(shared_corpus)
    assert problems == []
    assert len(sources) >= 5
    for source in sources:
        result = load_item(source, ZoneInfo("UTC"))
        assert result.item is not None, messages(result)
        assert messages(result) == []


def test_a_time_without_a_zone_is_read_in_the_site_time_zone(tmp_path: Path) -> None:
    item = load(tmp_path, item_text(date="2024-03-01 23:30:00")).item
    assert item is not None
    assert item.published_at == datetime(2024, 3, 1, 23, 30, tzinfo=PARIS)
    assert item.published_at.utcoffset() is not None


def test_a_date_alone_means_midnight_in_the_site_time_zone(tmp_path: Path) -> None:
    item = load(tmp_path, item_text(date="2024-03-01")).item
    assert item is not None and item.published_at == datetime(2024, 3, 1, tzinfo=PARIS)


def test_the_address_is_dated_in_the_site_time_zone(tmp_path: Path) -> None:
    # 23:30 UTC is already the next day in Paris.
    item = load(tmp_path, item_text(date="2024-02-15T23:30:00Z")).item
    assert item is not None and item.path == "news/2024/02/16/story/"


def test_the_slug_comes_from_the_title_when_the_name_has_no_date(tmp_path: Path) -> None:
    item = load(tmp_path, item_text(title="Sora: Video From Text!"), name="notes/draft one.md").item
    assert item is not None and item.slug == "sora-video-from-text"


def test_the_older_schema_without_optional_keys_is_accepted(tmp_path: Path) -> None:
    text = (
        '---\ntitle: "Old item"\nexcerpt: "x"\npublishedDateTime: 2019-12-20T16:53:00Z\n'
        "webUrl: https://medicalxpress.com/news/a.html\nampWebUrl: https://medicalxpress.com/a.amp\n"
        "type: article\nprovider:\n  name: Medical Xpress\n  domain: medicalxpress.com\n---\n"
    )
    result = load(tmp_path, text)
    assert messages(result) == []
    item = result.item
    assert item is not None
    assert (item.quality, item.heat, item.published, item.images, item.related) == (None, None, True, (), ())
    assert item.story_url == "https://medicalxpress.com/news/a.html"


def test_without_a_provider_the_story_host_names_the_source(tmp_path: Path) -> None:
    text = '---\ntitle: "T"\npublishedDateTime: 2024-01-01T00:00:00Z\noriginalUrl: "https://www.third.example/x"\n---\n'
    item = load(tmp_path, text).item
    assert item is not None and item.provider is not None
    assert (item.provider.name, item.provider.domain) == ("third.example", "third.example")


def test_a_site_relative_logo_is_kept(tmp_path: Path) -> None:
    text = item_text().replace(
        "  domain: news.example.com\n",
        "  domain: news.example.com\n  images:\n"
        "    - url: /assets/images/organizations/news.example.com-50x50.jpg\n"
        "      width: 50\n      height: 50\n",
    )
    item = load(tmp_path, text).item
    assert item is not None and item.provider is not None and item.provider.logo is not None
    assert item.provider.logo.url == "/assets/images/organizations/news.example.com-50x50.jpg"


def test_a_bom_and_crlf_line_endings_are_fine(tmp_path: Path) -> None:
    result = load(tmp_path, b"\xef\xbb\xbf" + item_text().replace("\n", "\r\n").encode())
    assert messages(result) == []
    assert result.item is not None and result.item.title == "A good item"


def test_duplicate_topics_and_blank_ones_are_dropped(tmp_path: Path) -> None:
    text = item_text().replace("  - AI\n", "  - AI\n  - ' AI '\n  - ''\n  - Robots\n")
    item = load(tmp_path, text).item
    assert item is not None and item.topics == ("AI", "Robots")


# The promised messages: path, line (when YAML knows it), field and plain words.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "---\ntitle: [unclosed\npublishedDateTime: 2024-01-01\n---\n",
            "content/2024-02-15-story.md:2: front matter: is not valid YAML (a [list] starts on this line but is not closed with ])",
        ),
        (
            "---\ntitle: Ok\npublishedDateTime: 2024-01-01T00:00:00Z\ntopics:\n  - a\n - b\n---\n",
            "content/2024-02-15-story.md:6: front matter: is not valid YAML (did not find expected key)",
        ),
        (
            "---\nexcerpt: no title here\npublishedDateTime: 2024-01-01T00:00:00Z\n---\n",
            "content/2024-02-15-story.md: title: missing; every item needs a title",
        ),
        (
            "---\ntitle: No date\n---\n",
            "content/2024-02-15-story.md: publishedDateTime: missing; every item needs its publication date "
            "(write it like 2024-02-15T18:05:00Z)",
        ),
        (
            "---\ntitle: Bad date\npublishedDateTime: yesterday\n---\n",
            'content/2024-02-15-story.md:3: publishedDateTime: "yesterday" is not a date; write it like 2024-02-15T18:05:00Z',
        ),
        (
            "---\ntitle: Bad date\npublishedDateTime: 2024-13-45\n---\n",
            'content/2024-02-15-story.md:3: publishedDateTime: "2024-13-45" is not a date; write it like 2024-02-15T18:05:00Z',
        ),
        (
            "---\ntitle: Topics\npublishedDateTime: 2024-01-01T00:00:00Z\ntopics: AI, Robots\n---\n",
            "content/2024-02-15-story.md:4: topics: should be a list of topic names (one '- name' line each), "
            'got "AI, Robots"',
        ),
        (
            "---\ntitle: Topics\npublishedDateTime: 2024-01-01T00:00:00Z\ntopics:\n  - AI\n  - name: Robots\n---\n",
            "content/2024-02-15-story.md:6: topics[1]: should be a topic name, got a group of fields",
        ),
        (
            "---\ntitle: Flag\npublishedDateTime: 2024-01-01T00:00:00Z\npublished: maybe\n---\n",
            'content/2024-02-15-story.md:4: published: should be true or false, got "maybe"',
        ),
        (
            "---\ntitle: Score\npublishedDateTime: 2024-01-01T00:00:00Z\nquality: -5\n---\n",
            "content/2024-02-15-story.md:4: quality: should be a whole number of 0 or more, got the number -5",
        ),
        (
            "---\ntitle: [a, list]\npublishedDateTime: 2024-01-01T00:00:00Z\n---\n",
            "content/2024-02-15-story.md:2: title: should be the headline as text, got a list",
        ),
        (
            "---\n- just\n- a list\n---\n",
            "content/2024-02-15-story.md:2: front matter: should be 'field: value' lines, got a list",
        ),
        (
            "title: no fences\n",
            "content/2024-02-15-story.md:1: front matter: missing; the file must start with a '---' line, then the fields",
        ),
        (
            "---\ntitle: never closed\npublishedDateTime: 2024-01-01T00:00:00Z\n",
            "content/2024-02-15-story.md:1: front matter: not closed; add a '---' line after the last field",
        ),
        (
            "",
            "content/2024-02-15-story.md: front matter: the file is empty; it needs front matter between two '---' lines",
        ),
    ],
)
def test_invalid_front_matter_is_rejected_with_a_plain_message(tmp_path: Path, text: str, expected: str) -> None:
    result = load(tmp_path, text)
    assert result.item is None
    assert expected in messages(result)


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = "---\ntitle: ''\npublishedDateTime: someday\noriginalUrl: mailto:x@example.com\ntopics: AI\n---\n"
    result = load(tmp_path, text)
    assert result.item is None
    assert [(p.line, p.field) for p in result.problems] == [  # the address only warns
        (2, "title"),
        (3, "publishedDateTime"),
        (4, "originalUrl"),
        (5, "topics"),
    ]


def test_invalid_utf8_is_reported(tmp_path: Path) -> None:
    result = load(tmp_path, b"---\ntitle: \xff\xfe\n---\n")
    assert messages(result) == ["content/2024-02-15-story.md: is not UTF-8 text (bad byte at offset 11)"]


def test_broken_extras_only_warn_and_are_left_out(tmp_path: Path) -> None:
    extra = (
        "images:\n  - url: javascript:alert(1)\n  - url: https://img.example.com/ok.jpg\n    width: wide\n"
        "related:\n  - title: Elsewhere\n    webUrl: ftp://elsewhere.example/a\n  - just text\n"
    )
    result = load(tmp_path, item_text(extra=extra))
    item = result.item
    assert item is not None
    assert [image.url for image in item.images] == ["https://img.example.com/ok.jpg"]
    assert item.images[0].width is None
    assert item.related == ()
    assert all(not problem.is_error for problem in result.problems)
    assert messages(result) == [
        'warning: content/2024-02-15-story.md:12: images[0].url: "javascript:alert(1)" is not an image address '
        "(http(s) or /path); image left out",
        'warning: content/2024-02-15-story.md:14: images[1].width: should be a size in pixels, got "wide"; left out',
        'warning: content/2024-02-15-story.md:17: related[0].webUrl: "ftp://elsewhere.example/a" is not a web address '
        "(http:// or https://); left out",
        "warning: content/2024-02-15-story.md:18: related[1]: should be a related story with title and webUrl, "
        'got "just text"; left out',
    ]


def test_discovery_is_recursive_sorted_and_skips_hidden_files(tmp_path: Path) -> None:
    for name in ["b.md", "a/c.md", "a/.hidden.md", "_drafts/x.md", ".git/y.md", "notes.txt", "Z.MD"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    sources, problems = discover(tmp_path)
    assert [source.relative for source in sources] == ["Z.MD", "a/c.md", "b.md"]
    assert problems == []


def test_discovery_refuses_links_that_leave_the_content_folder(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (tmp_path / "secret.md").write_text("---\ntitle: secret\n---\n")
    (content / "leak.md").symlink_to(tmp_path / "secret.md")
    sources, problems = discover(content)
    assert sources == []
    assert [problem.message for problem in problems] == ["links to a file outside the content folder; skipped"]
