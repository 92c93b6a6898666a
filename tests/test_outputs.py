"""The outputs a site chooses: its feed formats (`feed_formats`) and its editions' emails
(`emails`). What is left out is neither written nor linked to, and nothing else changes."""

from __future__ import annotations

import email
import email.policy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest

from .conftest import REPO, Run, tree_bytes
from .htmltools import parse_file
from .sitecheck import check_site, internal_links

BASE = "https://digest.example.org/"
FILES = {"rss": "feed.xml", "atom": "atom.xml", "json_feed": "feed.json"}
TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json_feed": "application/feed+json"}


def build_with(site: Path, run_build: Callable[..., Run], settings: str, output: str) -> Path:
    config = site / "site.toml"
    config.write_text(config.read_text(encoding="utf-8") + settings, encoding="utf-8")
    run = run_build("--config", config, "--output", site / output, "--no-cache")
    assert run.code == 0, run.err
    return site / output


def entry_links(feed: Path) -> list[str]:
    """The links of a feed's entries, as a reader reads them (feedparser reads RSS and Atom)."""
    if feed.suffix == ".json":
        return [item["url"] for item in json.loads(feed.read_bytes())["items"]]
    parsed = feedparser.parse(feed.read_bytes())
    assert not parsed.bozo, feed
    return [entry.link for entry in parsed.entries]


def files_named(site: Path, name: str) -> list[str]:
    return sorted(path.parent.relative_to(site).as_posix() for path in site.rglob(name))


@pytest.mark.parametrize("chosen", [["atom"], ["json_feed", "rss"]])
def test_a_site_publishes_its_feeds_in_the_formats_it_chooses_and_offers_no_other(
    sample_site: Path, run_build: Callable[..., Run], chosen: list[str]
) -> None:
    every = build_with(sample_site, run_build, "", "every")
    lists = files_named(every, "feed.xml")
    assert len(lists) > 10
    keys = ", ".join(f'"{key}"' for key in chosen)
    site = build_with(sample_site, run_build, f"feed_formats = [{keys}]\n", "chosen")

    for key, name in FILES.items():
        assert files_named(site, name) == (lists if key in chosen else []), name
    for folder in lists:  # the same entries as the full site's feed of that list
        expected = entry_links(every / folder / "feed.xml")
        for key in chosen:
            assert entry_links(site / folder / FILES[key]) == expected, (folder, key)

    # Pages offer the chosen formats, in the chosen order, and link to nothing missing.
    for page in ("index.html", "topics/ai/index.html", "subscribe/index.html", "daily/index.html"):
        alternates = parse_file(site / page).find_all("link", rel="alternate")
        types = [link.get("type") for link in alternates if link.get("type") in TYPES.values()]
        assert types and set(types) == {TYPES[key] for key in chosen}, page
        assert types[0] == TYPES[chosen[0]], page
    broken, checked = internal_links(site, BASE)
    assert broken == [] and checked > 500
    assert check_site(site, BASE) == []

    # The OPML list gives each feed once, at `xmlUrl` in the first chosen format.
    outlines = [o for o in ElementTree.parse(site / "feeds.opml").getroot().iter("outline") if o.get("xmlUrl")]
    assert len(outlines) == len(lists)
    assert all(outline.get("xmlUrl").endswith("/" + FILES[chosen[0]]) for outline in outlines)
    if "rss" in chosen[1:]:
        assert all(outline.get("rssUrl").endswith("/feed.xml") for outline in outlines)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[]", "feed_formats: should be a list of one or more of"),
        ('"rss"', "feed_formats: should be a list of one or more of"),
        ('["rss", "html"]', 'feed_formats: \'html\' is not a feed format; the formats are "rss", "atom"'),
        ('["atom", "atom"]', "feed_formats: names a format twice"),
        ('"no"', "feed_formats: should be a list"),
    ],
)
def test_feed_formats_that_cannot_be_written_stop_the_build_by_name(
    sample_site: Path, run_build: Callable[..., Run], value: str, message: str
) -> None:
    config = sample_site / "site.toml"
    config.write_text(config.read_text(encoding="utf-8") + f"feed_formats = {value}\n", encoding="utf-8")
    run = run_build("--config", config)
    assert run.code == 2
    assert message in run.err
    assert not (sample_site / "_site").exists()


def test_a_site_without_emails_writes_none_links_to_none_and_changes_nothing_else(
    sample_site: Path, run_build: Callable[..., Run]
) -> None:
    every = build_with(sample_site, run_build, "", "every")
    site = build_with(sample_site, run_build, "emails = false\n", "quiet")
    before, after = tree_bytes(every), tree_bytes(site)
    emails = {name for name in before if name.endswith(("/email.html", "/email.txt"))}
    assert len(emails) > 10
    assert not any(name.endswith(("/email.html", "/email.txt")) for name in after)

    changed = {name for name in after if after[name] != before.get(name)} - {".digest-build.json"}
    editions = {name.rsplit("/", 1)[0] + "/index.html" for name in emails}
    assert changed == editions  # each edition's page, for its "Email version" link, and no other file
    assert set(before) - set(after) == emails
    for name in editions:
        assert "Email version" in parse_file(every / name).text
        assert "Email version" not in parse_file(site / name).text
    broken, _ = internal_links(site, BASE)
    assert broken == []

    # `digest email` still gives an edition's email, the one a site with emails writes.
    command = [sys.executable, str(REPO / "build.py"), "email", "2024-02-15", "--site", str(sample_site)]
    done = subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    message = email.message_from_bytes(done.stdout, policy=email.policy.default)
    html = [part for part in message.iter_parts() if part.get_content_type() == "text/html"]
    assert html[0].get_content().encode("utf-8") == (every / "daily/2024-02-15/email.html").read_bytes()


def test_dropping_outputs_on_a_warm_build_gives_the_cold_build_of_the_new_settings(
    sample_site: Path, run_build: Callable[..., Run]
) -> None:
    """Files of a format or kind no longer written leave the output at the next build."""
    config = sample_site / "site.toml"
    cache = ["--cache-dir", sample_site / "cache"]
    assert run_build("--config", config, "--output", sample_site / "warm", *cache).code == 0
    cold = build_with(sample_site, run_build, 'feed_formats = ["atom"]\nemails = false\n', "cold")
    run = run_build("--config", config, "--output", sample_site / "warm", *cache)
    assert run.code == 0, run.err
    warm = tree_bytes(sample_site / "warm")
    assert not any(name.endswith(("feed.xml", "feed.json", "email.html", "email.txt")) for name in warm)
    marker = ".digest-build.json"
    assert {k: v for k, v in warm.items() if k != marker} == {k: v for k, v in tree_bytes(cold).items() if k != marker}
