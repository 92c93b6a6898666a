"""`digest ping`: tell the site's WebSub hub which feeds changed since the last ping.

The output folder's marker records every file of the last build with its content hash,
so the feeds that changed are those whose hash differs from the one recorded at the last
successful ping. That record is `.digest-ping.json` in the site's folder (beside
`site.toml`), not in the output folder, which every build replaces; without it (a fresh
clone) every feed is announced once, which a hub takes as a request to fetch them.

The request is the publish notification hubs accept (PubSubHubbub 0.3, kept by WebSub
hubs): a form POST with `hub.mode=publish` and one `hub.url` per changed feed.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import urlencode

from ..config import ConfigError, SiteConfig
from ..feed_formats import formats
from ..output import read_previous
from ..urls import Urls
from .common import Exit, add_site_options, command_parser, site_config

STATE_FILE = ".digest-ping.json"
_BATCH = 50  # feeds per request: a hub reads a long form, but not an unbounded one
_TIMEOUT = 30.0


def feed_hashes(files: Mapping[str, str]) -> dict[str, str]:
    """The feed files of a build, from its marker, with their content hashes."""
    names = {row.file_name for row in formats()}
    return {path: digest for path, digest in sorted(files.items()) if path.rsplit("/", 1)[-1] in names}


def changed_feeds(now: Mapping[str, str], pinged: Mapping[str, str]) -> list[str]:
    """Feeds that are new or different since the last ping."""
    return [path for path, digest in now.items() if pinged.get(path) != digest]


def read_state(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    feeds = data.get("feeds") if isinstance(data, dict) else None
    return {str(key): str(value) for key, value in feeds.items()} if isinstance(feeds, dict) else {}


def write_state(path: Path, hub: str, feeds: Mapping[str, str]) -> None:
    temporary = path.with_name(path.name + ".new")
    temporary.write_text(json.dumps({"hub": hub, "feeds": dict(feeds)}, indent=1, sort_keys=True) + "\n", "utf-8")
    temporary.replace(path)


def notify(hub: str, feed_urls: Sequence[str]) -> None:
    """POST the publish notifications; raises OSError (URLError, HTTPError) when the hub refuses."""
    for start in range(0, len(feed_urls), _BATCH):
        form = [("hub.mode", "publish"), *(("hub.url", url) for url in feed_urls[start : start + _BATCH])]
        request = urllib.request.Request(
            hub,
            data=urlencode(form).encode("ascii"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "Digest"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:
            response.read()


def ping(config: SiteConfig, *, everything: bool, dry_run: bool) -> int:
    files = read_previous(config.output_dir).files
    if files is None:
        print(f"error: {config.output_dir} holds no build to announce; run `digest build` first", file=sys.stderr)
        return Exit.USAGE
    state_path = config.root / STATE_FILE
    now = feed_hashes(files)
    changed = list(now) if everything else changed_feeds(now, read_state(state_path))
    links = Urls(config.base_url)
    feed_urls = [links.absolute(path) for path in changed]
    for url in feed_urls:
        print(url)
    if not feed_urls or dry_run:
        print(f"{len(feed_urls)} of {len(now)} feeds changed since the last ping" + (" (not sent)" if dry_run else ""))
        return Exit.OK
    try:
        notify(config.websub_hub, feed_urls)
    except (OSError, ValueError) as exc:
        print(f"error: the hub {config.websub_hub} refused the notification: {exc}", file=sys.stderr)
        return Exit.PROBLEMS
    write_state(state_path, config.websub_hub, now)
    print(f"told {config.websub_hub} about {len(feed_urls)} of {len(now)} feeds")
    return Exit.OK


def main(argv: list[str]) -> int:
    parser = command_parser("ping", "Tell the WebSub hub (websub_hub in site.toml) which feeds changed.")
    add_site_options(parser)
    parser.add_argument("--all", action="store_true", help="announce every feed, changed or not")
    parser.add_argument("--dry-run", action="store_true", help="list the feeds that changed, send nothing")
    args = parser.parse_args(argv)
    try:
        config, _ = site_config(args)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return Exit.USAGE
    if not config.websub_hub:
        print("error: no websub_hub in site.toml: set it to your hub's address to announce feeds", file=sys.stderr)
        return Exit.USAGE
    return ping(config, everything=args.all, dry_run=args.dry_run)
