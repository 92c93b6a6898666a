"""WebSub: feeds name the hub, and `digest ping` tells a hub (a small one on 127.0.0.1,
started here) which feeds changed since the last ping."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

import feedparser
import pytest

from .conftest import Run, item_text


class Hub(ThreadingHTTPServer):
    """Records each publish notification as its list of `hub.url` values; answers 204 as
    hubs do, or `status` when a test wants a refusal."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), HubHandler)
        self.notifications: list[list[str]] = []
        self.status = 204

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def urls(self) -> set[str]:
        return {url for notification in self.notifications for url in notification}


class HubHandler(BaseHTTPRequestHandler):
    server: Hub

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode("ascii")
        form = parse_qsl(body)
        assert self.headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert ("hub.mode", "publish") in form
        self.server.notifications.append([value for key, value in form if key == "hub.url"])
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hub() -> Iterator[Hub]:
    server = Hub()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def two_topic_site(make_site: Callable[..., Path], hub: Hub) -> Path:
    return make_site(
        {
            "2024-02-15-a.md": item_text(title="Chips story"),
            "2024-02-16-b.md": item_text(title="Robots story", date="2024-02-16T08:00:00Z").replace(
                "  - AI\n", "  - Robotics\n"
            ),
        },
        {"websub_hub": hub.url},
    )


def test_every_feed_names_the_hub(make_site: Callable[..., Path], run_build: Callable[..., Run], hub: Hub) -> None:
    two_topic_site(make_site, hub)
    assert run_build("--now", "2024-03-01T00:00:00Z").code == 0
    out = Path("_site")
    for name in ("feed.xml", "atom.xml", "topics/robotics/feed.xml", "daily/atom.xml"):
        parsed = feedparser.parse((out / name).read_bytes())
        assert parsed.bozo == 0, name
        assert [link.href for link in parsed.feed.links if link.rel == "hub"] == [hub.url], name
    assert json.loads((out / "feed.json").read_bytes())["hubs"] == [{"type": "WebSub", "url": hub.url}]


def test_ping_announces_each_changed_feed_once(
    make_site: Callable[..., Path], run_build: Callable[..., Run], hub: Hub
) -> None:
    site = two_topic_site(make_site, hub)
    assert run_build("--now", "2024-03-01T00:00:00Z").code == 0
    feeds = sorted(
        path.relative_to("_site").as_posix()
        for path in Path("_site").rglob("*")
        if path.name in ("feed.xml", "atom.xml", "feed.json")
    )
    # The first ping announces every feed.
    run = run_build("ping")
    assert run.code == 0, run.err
    assert hub.urls() == {f"https://example.org/{name}" for name in feeds}
    # Nothing built since: nothing to announce, and the hub hears nothing.
    hub.notifications.clear()
    run = run_build("ping")
    assert run.code == 0 and hub.notifications == []
    assert f"0 of {len(feeds)} feeds changed" in run.out
    # A new Robotics story changes the site's, Robotics', the source's and the editions' feeds, not AI's.
    new = item_text(title="More robots", date="2024-02-20T08:00:00Z").replace("  - AI\n", "  - Robotics\n")
    (site / "content/2024-02-20-c.md").write_text(new)
    assert run_build("--now", "2024-03-01T00:00:00Z").code == 0
    assert run_build("ping", "--dry-run").out.count("https://") > 0 and hub.notifications == []
    assert run_build("ping").code == 0
    told = {url.removeprefix("https://example.org/") for url in hub.urls()}
    assert {"feed.xml", "atom.xml", "feed.json", "topics/robotics/feed.xml", "daily/feed.json"} <= told
    assert "weekly/feed.xml" in told
    assert not any(name.startswith("topics/ai/") for name in told)


def test_a_refusing_hub_is_reported_and_the_feeds_are_announced_again(
    make_site: Callable[..., Path], run_build: Callable[..., Run], hub: Hub
) -> None:
    two_topic_site(make_site, hub)
    assert run_build("--now", "2024-03-01T00:00:00Z").code == 0
    hub.status = 503
    run = run_build("ping")
    assert run.code == 1
    assert f"the hub {hub.url} refused" in run.err and "503" in run.err
    hub.status, hub.notifications = 204, []
    assert run_build("ping").code == 0
    assert "https://example.org/feed.xml" in hub.urls()  # not marked as told after the refusal


def test_ping_without_a_hub_or_a_build_says_what_to_do(
    make_site: Callable[..., Path], run_build: Callable[..., Run], hub: Hub
) -> None:
    make_site({"2024-02-15-a.md": item_text()})
    run = run_build("ping")
    assert run.code == 2 and "no websub_hub in site.toml" in run.err
    two_topic_site(make_site, hub)
    run = run_build("ping")
    assert run.code == 2 and "run `digest build` first" in run.err
