"""Real archives build as they are: Jekyll collections, the data folder of topics and
sources, real ranges of quality and heat, images the site lacks, old addresses kept."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from .conftest import Run, item_text
from .htmltools import Element, parse_file


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def jekyll_item(title: str, date: str, extra: str = "", topic: str = "AI") -> str:
    text = item_text(title, date, extra="category: news\n" + extra)
    return text.replace("topics:\n  - AI\n", f"topics:\n  - {topic}\n")


@pytest.fixture
def jekyll_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A digest in a Jekyll repository's layout, with its data folder."""
    site = tmp_path / "repo"
    write(
        site,
        {
            "_config.yml": "title: A Jekyll digest\n",
            "README.md": "# The repository's readme\n",
            "_news/2024-02-15-robots-learn-to-fold-laundry.md": jekyll_item(
                "Robots learn to fold laundry", "2024-02-15T10:00:00Z", topic="Robotics"
            ),
            "_news/2024-02-16-a-vision-model-reads-x-rays.md": jekyll_item(
                "A vision model reads X-rays", "2024-02-16T10:00:00Z", topic="Computer Vision"
            ),
            "_archive/_news/2019-12-16-an-old-story-from-the-archive.md": jekyll_item(
                "An old story from the archive", "2019-12-16T10:00:00Z"
            ),
            # Jekyll's YAML data files may end with a document marker and no newline.
            "_data/topics/00-ai.yaml": "taxonomy: topic\n_id: ai\nname: AI\n"
            "description: Machines that learn, see and reason.\n---",
            "_data/topics/01-computer-vision.yaml": "_id: computer-vision\nname: Computer Vision\nparent: AI\n"
            "description: How machines “see”.\nimages:\n  - https://img.example.com/vision.jpg\n",
            "_data/topics/02-robotics.yaml": "_id: ai-in-robotics\nname: Robotics\nparent: ai\n",
            # An organization file without the .md, and one whose logo the site does not have.
            "_data/organizations/news.example.com": "---\ntaxonomy: organization\n_id: news.example.com\n"
            "name: The Example Times\ndomain: news.example.com\n"
            "description: News from the example desk since 1851.\nimages:\n"
            "  - url: /assets/images/organizations/news.example.com-50x50.jpg\n    width: 50\n    height: 50\n"
            "  - url: https://img.example.com/times-400.png\n    width: 400\n    height: 400\n---\n",
        },
    )
    monkeypatch.chdir(site)
    return site


def site_toml(site: Path, text: str) -> None:
    (site / "site.toml").write_text('base_url = "https://example.org/"\n' + text, encoding="utf-8")


JEKYLL_TOML = 'content = ["_news", "_archive/_news"]\ndata = "_data"\n'


def test_a_jekyll_layout_without_settings_says_which_setting_reads_it(
    jekyll_site: Path, run_build: Callable[..., Run]
) -> None:
    run = run_build("--content", ".")
    assert run.err_lines[0] == (
        "warning: .: only 1 Markdown file here outside folders whose names start with _ or . (skipped): "
        '_archive/_news/ (1), _news/ (2); to read them, name them in site.toml: content = ["_archive/_news", "_news"]'
    )
    assert (
        run.err_lines[1] == "README.md:1: front matter: missing; the file must start with a '---' line, then the fields"
    )
    site_toml(jekyll_site, 'content = "."\n')
    assert run_build().err_lines[0].endswith('name them in site.toml: content = ["_archive/_news", "_news"]')


def test_a_missing_content_folder_in_a_jekyll_site_points_to_init(
    jekyll_site: Path, run_build: Callable[..., Run]
) -> None:
    run = run_build()
    assert run.code == 2
    assert run.err_lines[0] == (
        "error: content folder not found: content; this looks like a Jekyll site: "
        "`digest init` here writes a site.toml that reads its collections"
    )


def test_content_folders_and_the_data_folder_build_the_whole_archive(
    jekyll_site: Path, run_build: Callable[..., Run]
) -> None:
    site_toml(jekyll_site, JEKYLL_TOML)
    run = run_build()
    assert run.code == 0, run.err
    assert run.err_lines == [
        "warning: static/assets/images/organizations/news.example.com-50x50.jpg: not found in the site's static "
        f"files; used by {os.path.join('_data', 'organizations', 'news.example.com')}; shown without it"
    ]
    assert run.out.startswith("3 items read, 3 published")
    out = jekyll_site / "_site"
    assert (out / "news/2019/12/16/an-old-story-from-the-archive/index.html").is_file()

    ai = parse_file(out / "topics/ai/index.html")
    assert ai.find("span", class_="page-header__description").text == "Machines that learn, see and reason."
    within = ai.find("nav", class_="subtopics")
    assert [(link.text, link.get("href")) for link in within.find_all("a")] == [
        ("Computer Vision", "/topics/computer-vision/"),
        ("Robotics", "/topics/robotics/"),  # `parent: ai` names AI by its id
    ]
    vision = parse_file(out / "topics/computer-vision/index.html")
    kicker = vision.find("p", class_="page-header__kicker")
    assert [(link.text, link.get("href")) for link in kicker.find_all("a")] == [
        ("Topics", "/topics/"),
        ("AI", "/topics/ai/"),
    ]
    assert vision.find("img", class_="aside__image").get("src") == "https://img.example.com/vision.jpg"
    assert vision.find("span", class_="page-header__description").text == "How machines “see”."

    index = parse_file(out / "topics/index.html")
    nested = index.find("ul", class_="terms--nested")
    assert [link.text for link in nested.find_all("a")] == ["Computer Vision", "Robotics"]

    source = parse_file(out / "providers/the-example-times/index.html")
    assert source.find("h1").text == "The Example Times"
    assert source.find("span", class_="page-header__description").text == "News from the example desk since 1851."
    # The small logo is missing, so the large one (remote) is the one shown, never a broken image.
    assert source.find("img", class_="logo").get("src") == "https://img.example.com/times-400.png"


def test_a_missing_site_relative_logo_becomes_the_sources_initials(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    logo = "  images:\n    - url: /assets/logos/example.png\n      width: 50\n      height: 50\n"
    site = make_site(
        {
            "2024-02-15-one.md": item_text("One story about logos", "2024-02-15T10:00:00Z").replace(
                "  domain: news.example.com\n", "  domain: news.example.com\n" + logo
            ),
            "2024-02-16-two.md": item_text("Two stories about logos", "2024-02-16T10:00:00Z").replace(
                "  domain: news.example.com\n", "  domain: news.example.com\n" + logo
            ),
        }
    )
    run = run_build()
    assert run.code == 0
    assert run.err_lines == [
        "warning: static/assets/logos/example.png: not found in the site's static files; used by "
        f"{os.path.join('content', '2024-02-15-one.md')}, {os.path.join('content', '2024-02-16-two.md')}; "
        "shown without it"
    ]
    home = parse_file(site / "_site/index.html")
    assert home.find_all("img", class_="logo") == []
    assert [badge.text for badge in home.find_all("span", class_="logo--initials")] == ["EN", "EN"]
    # Once the file is there, the logo is shown and the warning is gone.
    (site / "static/assets/logos").mkdir(parents=True)
    (site / "static/assets/logos/example.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    run = run_build()
    assert run.err == ""
    assert len(parse_file(site / "_site/index.html").find_all("img", class_="logo")) == 2


def test_a_broken_data_file_is_reported_and_the_rest_builds(jekyll_site: Path, run_build: Callable[..., Run]) -> None:
    site_toml(jekyll_site, JEKYLL_TOML)
    write(
        jekyll_site,
        {"_data/topics/03-broken.yaml": "name: Broken\nparent: [AI\n", "_data/topics/04-nameless.yaml": "parent: AI\n"},
    )
    run = run_build()
    assert run.code == 1
    problems = [line for line in run.err_lines if "static/assets" not in line]
    assert problems == [
        f"{os.path.join('_data', 'topics', '03-broken.yaml')}:2: "
        "is not valid YAML (a [list] starts on this line but is not closed with ])",
        f"{os.path.join('_data', 'topics', '04-nameless.yaml')}: name: missing; a topic file needs the topic's name",
    ]
    assert (jekyll_site / "_site/topics/ai/index.html").is_file()


def test_topics_whose_parents_lead_back_to_them_are_reported_and_shown_at_the_top(
    jekyll_site: Path, run_build: Callable[..., Run]
) -> None:
    """AI under Robotics and Robotics under AI (through a topic no story has): a loop with no
    top. Its topics are shown at the top level and their files named; Computer Vision,
    below the loop, keeps its parent."""
    site_toml(jekyll_site, JEKYLL_TOML)
    write(
        jekyll_site,
        {
            "_data/topics/00-ai.yaml": "_id: ai\nname: AI\nparent: Robotics\n",
            "_data/topics/02-robotics.yaml": "_id: ai-in-robotics\nname: Robotics\nparent: Machines\n",
            "_data/topics/03-machines.yaml": "name: Machines\nparent: ai\n",
        },
    )
    run = run_build()
    assert run.code == 0, run.err
    topics = os.path.join("_data", "topics")
    assert [line for line in run.err_lines if "static/assets" not in line] == [
        f"warning: {os.path.join(topics, '00-ai.yaml')}: parent: 'Robotics' leads back to this topic "
        "(AI → Robotics → Machines → AI); a topic cannot sit under itself, so it is shown without a parent",
        f"warning: {os.path.join(topics, '02-robotics.yaml')}: parent: 'Machines' leads back to this topic "
        "(Robotics → Machines → AI → Robotics); a topic cannot sit under itself, so it is shown without a parent",
        f"warning: {os.path.join(topics, '03-machines.yaml')}: parent: 'ai' leads back to this topic "
        "(Machines → AI → Robotics → Machines); a topic cannot sit under itself, so it is shown without a parent",
    ]
    out = jekyll_site / "_site"
    for slug in ("ai", "robotics"):
        kicker = parse_file(out / f"topics/{slug}/index.html").find("p", class_="page-header__kicker")
        assert [link.text for link in kicker.find_all("a")] == ["Topics"]
    vision = parse_file(out / "topics/computer-vision/index.html").find("p", class_="page-header__kicker")
    assert [link.text for link in vision.find_all("a")] == ["Topics", "AI"]


def test_real_quality_and_heat_are_accepted_and_rank_stories(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    site = make_site(
        {
            "2024-02-15-warm.md": item_text("A warm story today", "2024-02-15T10:00:00Z", "quality: 121\nheat: 206\n"),
            "2024-02-15-hot.md": item_text(
                "The hottest story today", "2024-02-15T11:00:00Z", "quality: 188\nheat: 650\n"
            ),
            "2024-02-15-cold.md": item_text("A cold story today", "2024-02-15T12:00:00Z", "quality: 3\nheat: -1\n"),
        },
        {"min_quality": 100},
    )
    run = run_build()
    assert run.code == 0, run.err
    assert run.out.startswith("3 items read, 2 published, 1 held back")
    home = parse_file(site / "_site/index.html")
    top = home.find("section", class_="top")
    assert [link.text for link in top.find_all("a") if "/news/" in (link.get("href") or "")][:2] == [
        "The hottest story today",
        "A warm story today",
    ]


def test_an_image_address_with_a_space_is_encoded_not_dropped(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    image = 'images:\n  - url: "https://img.example.com/Screenshot at 12.55.55 AM.png?w=1200"\n    width: 1200\n    height: 630\n'
    site = make_site({"2024-02-15-shot.md": item_text("A screenshot story", extra=image)})
    run = run_build()
    assert run.err == ""
    page = parse_file(next((site / "_site/news").rglob("index.html")))
    assert page.find("figure", class_="article__image").find("img").get("src") == (
        "https://img.example.com/Screenshot%20at%2012.55.55%20AM.png?w=1200"
    )


def source_addresses(out: Path) -> list[str]:
    return sorted(path.parent.name for path in (out / "providers").glob("*/index.html"))


def test_a_sources_address_does_not_depend_on_drafts(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    # Two sources named alike; the draft (newer) would sort first and used to take the plain slug.
    site = make_site(
        {
            "2024-02-15-a.md": item_text("A story from the daily", "2024-02-15T10:00:00Z").replace(
                "  name: Example News\n  domain: news.example.com", "  name: The Daily\n  domain: b-daily.example"
            ),
            "2024-02-16-b.md": item_text(
                "A draft from another daily", "2024-02-16T10:00:00Z", "published: false\n"
            ).replace(
                "  name: Example News\n  domain: news.example.com", "  name: The Daily\n  domain: a-daily.example"
            ),
        }
    )
    assert run_build("--output", site / "without").code == 0
    assert run_build("--drafts", "--output", site / "with").code == 0
    without, with_drafts = source_addresses(site / "without"), source_addresses(site / "with")
    assert len(without) == 1 and len(with_drafts) == 2
    assert without[0] in with_drafts
    page = parse_file(site / "without/providers" / without[0] / "index.html")
    assert page.find("h1").text.endswith("The Daily")


def test_jekyll_permalinks_and_redirects_keep_old_links(jekyll_site: Path, run_build: Callable[..., Run]) -> None:
    site_toml(
        jekyll_site,
        JEKYLL_TOML + 'redirect_from = ["/:categories/:title/", "/:collection/:title.html"]\n',
    )
    write(
        jekyll_site,
        {
            "_news/2024-02-17-moved.md": jekyll_item(
                "A story that moved", "2024-02-17T10:00:00Z", "redirect_from:\n  - /old/moved-story/\n"
            )
        },
    )
    run = run_build()
    assert run.code == 0, run.err
    out = jekyll_site / "_site"
    target = "/news/2024/02/15/robots-learn-to-fold-laundry/"

    def redirect_target(path: str) -> str:
        page: Element = parse_file(out / path)
        return page.find("link", rel="canonical").get("href") or ""

    assert redirect_target("news/2024/02/15/robots-learn-to-fold-laundry/index.html") != ""  # the page itself
    assert redirect_target("news/robots-learn-to-fold-laundry/index.html") == "https://example.org" + target
    assert redirect_target("news/robots-learn-to-fold-laundry.html") == "https://example.org" + target
    assert redirect_target("old/moved-story/index.html") == "https://example.org/news/2024/02/17/moved/"

    # Or the stories take the old addresses themselves.
    site_toml(jekyll_site, JEKYLL_TOML + 'permalink = "/:categories/:title/"\n')
    assert run_build().code == 0
    assert (
        "Robots learn to fold laundry"
        in parse_file(out / "news/robots-learn-to-fold-laundry/index.html").find("h1").text
    )
    assert not (out / "news/2024/02/15/robots-learn-to-fold-laundry/index.html").exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"/:year/:hour/:slug/"', "permalink: unknown placeholder :hour in '/:year/:hour/:slug/'"),
        ('"/news/:year/"', "permalink: needs :slug or :title"),
        ('"news/:slug/"', "permalink: should be an address from the site root"),
        ('"/../:slug/"', "permalink: should be an address from the site root"),
        ('"/news/:slug"', "permalink: should end with / (a folder) or .html"),
    ],
)
def test_a_bad_permalink_names_the_setting(
    make_site: Callable[..., Path], run_build: Callable[..., Run], value: str, message: str
) -> None:
    site = make_site({"2024-02-15-a.md": item_text()})
    (site / "site.toml").write_text(f"permalink = {value}\n", encoding="utf-8")
    run = run_build()
    assert run.code == 2
    assert message in run.err_lines[0]


def test_the_real_repository_builds_every_publishable_item(
    shared_repo: Path, tmp_path: Path, run_build: Callable[..., Run]
) -> None:
    config = tmp_path / "site.toml"
    config.write_text(
        f'base_url = "https://everyday.example/ai/"\n'
        f'content = ["{shared_repo / "_news"}", "{shared_repo / "_archive" / "_news"}"]\n'
        f'data = "{shared_repo / "_data"}"\n',
        encoding="utf-8",
    )
    run = run_build("--config", config, "--no-cache")
    assert run.code == 0, run.err
    # The only warnings: site-relative logos whose files the sample does not include.
    assert run.err_lines and all("not found in the site's static files" in line for line in run.err_lines)
    files = sorted([*(shared_repo / "_news").glob("*.md"), *(shared_repo / "_archive" / "_news").glob("*.md")])
    publishable = [path for path in files if "\npublished: false" not in path.read_text(encoding="utf-8")]
    assert run.out.startswith(f"{len(files)} items read, {len(publishable)} published")

    out = tmp_path / "_site"
    marker = json.loads((out / ".digest-build.json").read_text(encoding="utf-8"))
    for path in publishable:
        relative = "/" + path.relative_to(shared_repo).as_posix()
        pages = next(files for source, files in marker["sources"].items() if ("/" + source).endswith(relative))
        title = " ".join(yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])["title"].split())
        page = parse_file(out / next(name for name in pages if name.endswith(".html")))  # not its API document
        refresh = page.find_all("meta", **{"http-equiv": "refresh"})
        if refresh:  # another outlet's item leads its story: this one is listed on that page
            target = (refresh[0].get("content") or "").split("url=", 1)[1].removeprefix("/ai/")
            page = parse_file(out / target / "index.html")
        assert title in page.text, path.name

    ai = parse_file(out / "topics/ai/index.html")
    children = [link.text for link in ai.find("nav", class_="subtopics").find_all("a")]
    assert {"Machine Learning", "Computer Vision", "Natural Language Processing", "Google AI"} <= set(children)
    tensorflow = parse_file(out / "topics/tensorflow/index.html")
    assert [link.text for link in tensorflow.find("p", class_="page-header__kicker").find_all("a")] == [
        "Topics",
        "Google AI",
    ]
    ml = parse_file(out / "topics/machine-learning/index.html")
    assert ml.find("span", class_="page-header__description").text == "Systems learn from data to improve on tasks."
    ars = parse_file(out / "providers/ars-technica/index.html")
    assert ars.find("span", class_="page-header__description").text.startswith("Serving the Technologist")


def test_each_new_warning_of_items_and_data_files_names_the_field(
    jekyll_site: Path, run_build: Callable[..., Run]
) -> None:
    site_toml(jekyll_site, JEKYLL_TOML)
    write(
        jekyll_site,
        {
            "_news/2024-02-18-odd.md": item_text(
                "An item with odd extras", "2024-02-18T10:00:00Z", "categories:\n  - {a: 1}\nredirect_from: old/page/\n"
            ),
            "_data/organizations/odd.example.md": "---\nname: Odd\ndomain: odd.example\naliases: 5\n"
            "description: [a, list]\n---\n",
        },
    )
    run = run_build()
    assert run.code == 0, run.err
    odd, org = os.path.join("_news", "2024-02-18-odd.md"), os.path.join("_data", "organizations", "odd.example.md")
    assert [line for line in run.err_lines if "static/assets" not in line] == [
        f"warning: {org}:4: aliases: should be a list of other domains of this source; ignored",
        f"warning: {org}:5: description: should be text, got a list; ignored",
        f"warning: {odd}:11: categories: should be a name or a list of names, got a list; ignored",
        f'warning: {odd}:13: redirect_from: "old/page/" is not an address from the site root such as '
        "/2024/02/15/old/; ignored",
    ]
