from datetime import datetime

import pytest

from generator import urls


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Hugging Face raises $40 million", "hugging-face-raises-40-million"),
        ("China’s Rush to Dominate A.I.", "chinas-rush-to-dominate-a-i"),
        ("C++", "c-plus-plus"),
        ("C#", "c-sharp"),
        ("C", "c"),
        ("Café & Culture", "cafe-and-culture"),
        ("中国 AI", "中国-ai"),
        ("  spaces   and---dashes  ", "spaces-and-dashes"),
        ("🤖🚀", ""),
        ("../../etc/passwd", "etc-passwd"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert urls.slugify(text) == slug


def test_slugify_limits_length_at_a_word_boundary() -> None:
    slug = urls.slugify("word " * 40)
    assert len(slug) <= 80
    assert not slug.endswith("-")
    assert set(slug.split("-")) == {"word"}


def test_slug_from_jekyll_file_name() -> None:
    assert urls.slug_from_file_name("2024-02-21-chinas-rush-to-dominate-ai") == "chinas-rush-to-dominate-ai"
    assert urls.slug_from_file_name("2024-02-21-Some Name") == "some-name"
    assert urls.slug_from_file_name("notes about sora") == ""


def test_colliding_names_get_distinct_stable_slugs() -> None:
    slugs = urls.unique_slugs({"AI": "AI", "ai": "ai", "A-I": "A-I", "Robots": "Robots"}, prefix="topic")
    assert len(set(slugs.values())) == 4
    assert slugs["Robots"] == "robots"
    assert slugs["A-I"] == "a-i"
    assert slugs["AI"] == "ai"
    assert slugs["ai"].startswith("ai-")
    # Adding another name does not rename the ones that existed.
    more = urls.unique_slugs({"AI": "AI", "ai": "ai", "A-I": "A-I", "Robots": "Robots", "aI": "aI"}, prefix="topic")
    assert {key: more[key] for key in slugs} == slugs


def test_a_name_without_letters_still_gets_a_slug() -> None:
    slugs = urls.unique_slugs({"🤖": "🤖", "🚀": "🚀"}, prefix="topic")
    assert slugs["🤖"] != slugs["🚀"]
    assert all(slug.startswith("topic-") for slug in slugs.values())


def test_item_and_list_paths() -> None:
    assert urls.item_path(datetime(2024, 2, 5, 23, 0), "sora") == "news/2024/02/05/sora/"
    assert urls.topic_path("c-plus-plus") == "topics/c-plus-plus/"
    assert urls.provider_path("the-new-york-times") == "providers/the-new-york-times/"
    assert urls.list_page_path("", 0) == ""
    assert urls.list_page_path("", 1) == "page/1/"
    assert urls.list_page_path("topics/ai/", 2) == "topics/ai/page/2/"


@pytest.mark.parametrize(
    ("path", "file"),
    [
        ("", "index.html"),
        ("page/2/", "page/2/index.html"),
        ("news/2024/02/15/sora/", "news/2024/02/15/sora/index.html"),
        ("feed.xml", "feed.xml"),
    ],
)
def test_output_file(path: str, file: str) -> None:
    assert urls.output_file(path) == file


@pytest.mark.parametrize("path", ["../outside/", "/etc/passwd", "news/../../x/", "a//b/", "a\\..\\b", "./x"])
def test_output_file_refuses_paths_that_leave_the_output_folder(path: str) -> None:
    with pytest.raises(ValueError, match="outside the output folder"):
        urls.output_file(path)


def test_links_respect_the_base_path_and_encode_unicode() -> None:
    links = urls.Urls("https://example.org/digest/")
    assert links.href("") == "/digest/"
    assert links.href("topics/中国-ai/") == "/digest/topics/%E4%B8%AD%E5%9B%BD-ai/"
    assert links.absolute("feed.xml") == "https://example.org/digest/feed.xml"
    assert links.asset("/images/logo.png") == "/digest/images/logo.png"
    assert links.absolute_asset("/images/logo.png") == "https://example.org/digest/images/logo.png"
    assert links.asset("https://cdn.example.com/a.png") == "https://cdn.example.com/a.png"
    assert links.asset("//cdn.example.com/a.png") == "//cdn.example.com/a.png"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.com/a", True),
        ("HTTP://EXAMPLE.COM", True),
        ("ftp://example.com/a", False),
        ("javascript:alert(1)", False),
        ("https://", False),
        ("example.com/a", False),
        ("http://[::1", False),
    ],
)
def test_is_web_url(url: str, ok: bool) -> None:
    assert urls.is_web_url(url) is ok


def test_content_links_become_absolute_for_feeds() -> None:
    links = urls.Urls("https://example.org/digest/")
    page = "news/2024/02/15/story/"
    assert links.absolute_from("/topics/ai/", page) == "https://example.org/digest/topics/ai/"
    assert links.absolute_from("../other/", page) == "https://example.org/digest/news/2024/02/15/other/"
    assert links.absolute_from("#notes", page) == "https://example.org/digest/news/2024/02/15/story/#notes"
    assert links.absolute_from("https://elsewhere.example/x", page) == "https://elsewhere.example/x"
    assert links.absolute_from("mailto:a@example.org", page) == "mailto:a@example.org"


@pytest.mark.parametrize(
    ("domain", "home"),
    [
        ("theverge.com", "https://theverge.com/"),
        ("news.example.co.uk", "https://news.example.co.uk/"),
        ("", None),
        ("localhost", None),
        ("bad host.com", None),
        ("example.com/path", None),
        ('x.com"onload', None),
    ],
)
def test_a_source_home_page_comes_only_from_a_plain_host_name(domain: str, home: str | None) -> None:
    assert urls.provider_home(domain) == home


@pytest.mark.parametrize(
    ("page", "document", "story_id"),
    [
        ("news/2024/02/15/sora/", "api/stories/news/2024/02/15/sora.json", "news/2024/02/15/sora"),
        ("2024/02/sora.html", "api/stories/2024/02/sora.json", "2024/02/sora"),  # a Jekyll-style `.html` pattern
        ("中国-ai/", "api/stories/中国-ai.json", "中国-ai"),
    ],
)
def test_a_story_document_is_named_after_its_page(page: str, document: str, story_id: str) -> None:
    assert urls.api_story_path(page) == document
    assert urls.api_story_id(page) == story_id
    assert urls.output_file(document) == document


def test_api_lists_mirror_their_pages_and_number_pages_as_files() -> None:
    folder = urls.api_list_folder(urls.topic_path("c-plus-plus"))
    assert folder == "api/topics/c-plus-plus/"
    assert [urls.api_page_path(folder, n) for n in (0, 2, 10)] == [
        "api/topics/c-plus-plus/index.json",
        "api/topics/c-plus-plus/page/2.json",
        "api/topics/c-plus-plus/page/10.json",
    ]
    # The index, the topics and sources lists and every story's list never share a file
    # with a topic's or source's list, whatever its slug (slugs have no dots).
    fixed = {urls.API_INDEX, urls.API_TOPICS, urls.API_PROVIDERS, urls.api_page_path(urls.API_LATEST, 0)}
    assert len(fixed) == 4
    assert urls.api_page_path(urls.api_list_folder(urls.topic_path(urls.slugify("index.json"))), 0) not in fixed
