"""The curator's commands end to end: new, import, check and serve, in temporary folders."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Callable
from pathlib import Path

import yaml

from .conftest import Run, fetch, item_text, wait_for
from .htmltools import parse_file, parse_html

FEEDS = Path(__file__).resolve().parent / "feeds"


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


# --- new --------------------------------------------------------------------------------


def test_new_writes_a_named_dated_file_in_the_full_schema(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    make_site({})
    title = 'OpenAI\'s "o1": reasoning models, a first look'
    run = run_build(
        "new",
        "--title",
        title,
        "--url",
        "https://www.theverge.com/2024/9/12/o1",
        "--topics",
        "OpenAI, Reasoning ,",
        "--date",
        "2024-09-12T17:00:00Z",
    )
    assert run.code == 0, run.err
    path = Path("content/2024-09-12-openais-o1-reasoning-models-a-first-look.md")
    assert run.out.strip() == f"wrote {path}"
    data = front_matter(path)
    assert data["title"] == title
    assert data["originalUrl"] == data["webUrl"] == "https://www.theverge.com/2024/9/12/o1"
    assert data["provider"] == {"name": "theverge.com", "domain": "theverge.com"}  # from the address
    assert data["topics"] == ["OpenAI", "Reasoning"]
    assert set(data) >= {"excerpt", "publishedDateTime", "type", "heat", "published", "images", "related"}
    before = path.read_bytes()
    again = run_build("new", "--title", title, "--url", "https://elsewhere.example/x", "--date", "2024-09-12T20:00:00Z")
    assert again.code == 1
    assert again.err.strip() == f"error: {path} already exists; nothing was written"
    assert path.read_bytes() == before
    assert run_build().code == 0  # the new file builds
    assert (
        parse_file(Path("_site/news/2024/09/12/openais-o1-reasoning-models-a-first-look/index.html")).find("h1").text
        == title
    )


def test_new_refuses_an_address_that_is_not_on_the_web(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    make_site({})
    run = run_build("new", "--title", "X", "--url", "javascript:alert(1)")
    assert run.code == 2
    assert "is not a web address" in run.err
    assert list(Path("content").iterdir()) == []


# --- import -----------------------------------------------------------------------------


def test_import_turns_feed_entries_into_content_files_and_skips_what_exists(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    make_site({"2024-03-03-already.md": item_text(title="Already here", date="2024-03-03T08:00:00Z")})
    existing = Path("content/2024-03-03-already.md")
    existing.write_text(
        existing.read_text().replace("https://news.example.com/2024-03-03/", "https://news.example.com/already-here/#")
    )
    run = run_build("import", str(FEEDS / "newsroom.rss"), "--topics", "AI", "--quality", "60")
    assert run.code == 0, run.err
    robots = Path("content/2024-03-01-robots-and-rivers-field-tests-begin.md")
    chips = Path("content/2024-03-02-chip-makers-report-record-demand.md")
    assert run.out.splitlines() == [
        f"added {robots}",
        f"added {chips}",
        "skipped (already in the content folder): Already in the digest",
        "skipped: An entry without a date: no date",
        "4 entries: 2 added, 1 already present, 1 unusable",
    ]
    data = front_matter(robots)
    assert data["title"] == "Robots & Rivers: field tests begin"
    assert data["excerpt"] == "Autonomous boats map rivers & lakes."
    assert data["publishedDateTime"] == "2024-03-01T08:30:00Z"
    assert data["originalUrl"] == "https://www.newsroom.example.com/2024/03/01/robots-rivers"  # tracking removed
    assert data["provider"] == {"name": "Example Newsroom", "domain": "newsroom.example.com"}
    assert data["topics"] == ["Robotics", "AI"]
    assert data["images"] == [{"url": "https://img.newsroom.example.com/boat.jpg", "width": 1200, "height": 630}]
    assert data["quality"] == 60
    assert front_matter(chips)["images"] == [{"url": "https://img.newsroom.example.com/chips.png"}]
    written = {path: path.read_bytes() for path in Path("content").iterdir()}
    again = run_build("import", str(FEEDS / "newsroom.rss"))
    assert again.out.splitlines()[-1] == "4 entries: 0 added, 3 already present, 1 unusable"
    assert {path: path.read_bytes() for path in Path("content").iterdir()} == written  # nothing overwritten
    build = run_build()
    assert build.code == 0, build.err
    assert build.out.startswith("3 items read, 3 published, ")


def test_import_reads_a_json_feed(make_site: Callable[..., Path], run_build: Callable[..., Run]) -> None:
    make_site({})
    run = run_build("import", str(FEEDS / "newsroom.json"))
    assert run.code == 0, run.err
    assert run.out.splitlines()[-1] == "2 entries: 1 added, 0 already present, 1 unusable"
    data = front_matter(Path("content/2024-03-04-vision-models-learn-to-count.md"))
    assert data["originalUrl"] == "https://origin.example.org/story-one"
    assert data["webUrl"] == "https://digest.example.net/news/1/"
    assert data["provider"]["name"] == "Origin Daily"
    assert data["images"] == [{"url": "https://origin.example.org/one.jpg"}]
    assert run_build().code == 0


def test_import_of_something_that_is_not_a_feed_is_a_usage_error(
    make_site: Callable[..., Path], run_build: Callable[..., Run], tmp_path: Path
) -> None:
    make_site({})
    junk = tmp_path / "junk.xml"
    junk.write_text("<html><body>not a feed</body>")
    assert run_build("import", str(tmp_path / "missing.xml")).code == 2
    run = run_build("import", str(junk))
    assert run.code in (0, 2)
    assert list(Path("content").iterdir()) == []


# --- check ------------------------------------------------------------------------------


def test_check_is_quiet_and_exits_0_on_a_clean_site(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    make_site({"2024-02-15-good.md": item_text()})
    run = run_build("check", "--now", "2024-03-01T00:00:00Z")
    assert run.code == 0
    assert run.err == ""
    # 7 of them the JSON API's, 4 the emails of the day and the week
    assert run.out.strip() == "checked 1 item and 46 pages: 0 errors, 0 warnings"
    assert not Path("_site").exists()  # check writes nothing


def test_check_reports_every_kind_of_problem_as_json(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    make_site(
        {
            "2024-02-15-good.md": item_text(title="Good", extra="  - A.I.\n"),
            "2024-02-16-copy.md": item_text(title="Copy", date="2024-02-16T08:00:00Z").replace(
                "https://news.example.com/2024-02-16/", "https://news.example.com/2024-02-15/"
            ),
            "2024-02-17-bad.md": "---\ntitle: Bad\npublishedDateTime: soon\noriginalUrl: ftp://x.example/a\n---\n",
            "2030-01-01-future.md": item_text(title="Future", date="2030-01-01T00:00:00Z"),
            "a/2024-02-18-twin.md": item_text(title="Twin one", date="2024-02-18T08:00:00Z"),
            "b/2024-02-18-twin.md": item_text(title="Twin two", date="2024-02-18T09:00:00Z"),
        }
    )
    good = Path("content/2024-02-15-good.md")
    copy = Path("content/2024-02-16-copy.md")
    copy.write_text(
        copy.read_text().replace(
            copy.read_text().split("originalUrl: ")[1].split("\n")[0],
            good.read_text().split("originalUrl: ")[1].split("\n")[0],
        )
    )
    run = run_build("check", "--now", "2024-03-01T00:00:00Z", "--format", "json")
    assert run.code == 1
    report = json.loads(run.out)
    assert set(report) == {"ok", "items", "pages", "errors", "warnings", "problems"}
    assert report["ok"] is False
    found = {(p["path"], p["field"], p["severity"]) for p in report["problems"]}
    assert ("content/2024-02-17-bad.md", "publishedDateTime", "error") in found
    assert ("content/2024-02-17-bad.md", "originalUrl", "warning") in found  # not an http(s) address
    assert ("content/2030-01-01-future.md", "publishedDateTime", "warning") in found
    assert ("content/2024-02-16-copy.md", "originalUrl", "warning") in found  # the same story twice
    assert ("content/2024-02-15-good.md", "topics", "warning") in found  # "AI" and "A.I."
    assert ("content/b/2024-02-18-twin.md", None, "error") in found  # two files, one address
    assert all(set(p) == {"path", "line", "field", "message", "severity"} for p in report["problems"])
    assert report["errors"] == sum(p["severity"] == "error" for p in report["problems"])


def test_check_reports_each_http_image_once_on_an_https_site(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    image = 'images:\n  - url: "http://img.example.cn/a.png"\n    width: 800\n    height: 400\n'
    make_site(
        {
            "2024-02-15-one.md": item_text("One with an http image", extra=image),
            "2024-02-16-two.md": item_text("Two with the same image", "2024-02-16T10:00:00Z", extra=image),
        }
    )
    run = run_build("check", "--now", "2024-03-01T00:00:00Z")
    assert run.code == 0
    assert run.err_lines == [
        "warning: content/2024-02-15-one.md: images[0].url: http://img.example.cn/a.png is not https on an https "
        "site; kept as written, but browsers may block it or mark the page as not secure"
    ]
    assert run_build().err == ""  # a build keeps the image and says nothing
    page = parse_file(next(Path("_site/news").rglob("index.html")))
    assert page.find("figure", class_="article__image").find("img").get("src") == "http://img.example.cn/a.png"


def test_import_without_a_content_folder_creates_it(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    site = make_site({})
    (site / "content").rmdir()
    run = run_build("import", str(FEEDS / "newsroom.json"))
    assert run.code == 0, run.err
    assert run.out.splitlines()[0] == "created the content folder content"
    assert len(list((site / "content").glob("*.md"))) >= 1


def test_check_renders_every_template(make_site: Callable[..., Path], run_build: Callable[..., Run]) -> None:
    site = make_site({"2024-02-15-good.md": item_text()}, {"theme": "broken"})
    theme = site / "themes/broken/templates"
    theme.mkdir(parents=True)
    (theme / "item.html").write_text('{% extends "base.html" %}\n{% block main %}\n{{ item.nope }}\n{% endblock %}\n')
    run = run_build("check")
    assert run.code == 1
    assert run.err_lines == ["themes/broken/templates/item.html:3: ItemView has no attribute 'nope'"]


# --- serve ------------------------------------------------------------------------------


class EventReader(threading.Thread):
    """Reads the server's event stream in the background, as a browser tab would."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.events: list[tuple[str, str]] = []

    def run(self) -> None:
        with urllib.request.urlopen(self.url, timeout=30) as response:
            name = None
            for raw in response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: ") and name:
                    self.events.append((name, line[6:]))


def test_serve_rebuilds_on_a_change_and_tells_open_pages_to_reload(served: tuple[Path, str]) -> None:
    site, base = served
    page = base + "news/2024/02/15/story/"
    html = fetch(page)
    assert '<script src="/__digest/reload.js">' in html  # the reload script, only in serve mode
    assert "/__digest/events" in fetch(base + "__digest/reload.js")
    assert parse_html(html).find("link", rel="canonical").get("href") == page  # links point at the preview
    events = EventReader(base + "__digest/events")
    events.start()
    assert wait_for(lambda: bool(events.events))
    story = site / "content/2024-02-15-story.md"
    story.write_text(story.read_text().replace("Before the edit", "After the edit"))
    assert wait_for(lambda: "After the edit" in fetch(page))
    assert wait_for(lambda: any(name == "reload" for name, _ in events.events))


def test_serve_shows_a_broken_file_and_keeps_serving(served: tuple[Path, str]) -> None:
    site, base = served
    events = EventReader(base + "__digest/events")
    events.start()
    assert wait_for(lambda: bool(events.events))
    (site / "content/2024-02-16-broken.md").write_text("---\ntitle: Broken\npublishedDateTime: someday\n---\n")
    expected = "content/2024-02-16-broken.md:3: publishedDateTime"
    assert wait_for(lambda: any(name == "problems" and expected in data for name, data in events.events))
    assert "Before the edit" in fetch(base)  # the rest of the site is still served
