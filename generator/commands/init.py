"""`digest init`: start a new site, or make an existing Jekyll digest buildable.

A new site gets a commented `site.toml`, one example story in `content/`, one topic and
one source in `data/`, and a `.gitignore`. A folder that already holds a Jekyll site
(`_config.yml`) gets only a `site.toml` that reads its collections and its `_data/`, with
the title, address and permalink taken from `_config.yml`, so `digest build` works there
at once. Nothing that exists is ever replaced.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from ..config import CONFIG_FILE_NAME
from ..load.discover import skipped_markdown_folders
from ..urls import check_permalink
from .common import Exit, command_parser, program_name

GITIGNORE_LINES = ("_site/", "public/", ".cache/")
# Top-level `key: value` lines of a Jekyll `_config.yml`. Only these few values are read, one
# line at a time, so a config full of YAML anchors is never expanded.
_JEKYLL_SCALAR = re.compile(
    r"^(title|description|url|baseurl|locale|timezone|permalink)[ \t]*:[ \t]*(.+?)[ \t]*$", re.M
)


@dataclass
class Started:
    """What `init` did: the files it wrote and the ones it left alone."""

    folder: Path
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    jekyll: bool = False

    def lines(self) -> list[str]:
        shown = [f"wrote {path.relative_to(self.folder).as_posix()}" for path in self.written]
        shown += [f"kept {path.relative_to(self.folder).as_posix()} (it exists)" for path in self.kept]
        return shown


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _new_file(path: Path, text: str, started: Started) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        started.kept.append(path)
        return
    started.written.append(path)


def _gitignore(folder: Path, started: Started) -> None:
    """Add the build's own folders to `.gitignore`, keeping whatever it already says."""
    path = folder / ".gitignore"
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    missing = [line for line in GITIGNORE_LINES if line not in existing.split()]
    if not missing:
        return
    prefix = "" if not existing or existing.endswith("\n") else "\n"
    with path.open("a", encoding="utf-8") as file:
        file.write(prefix + "# Digest's output and cache\n" + "".join(line + "\n" for line in missing))
    started.written.append(path)


def init_site(folder: Path, *, now: datetime | None = None) -> Started:
    """Start a site in `folder` (created if needed); a Jekyll site there is adopted as it is."""
    folder.mkdir(parents=True, exist_ok=True)
    started = Started(folder)
    if (folder / "_config.yml").is_file():
        started.jekyll = True
        _new_file(folder / CONFIG_FILE_NAME, jekyll_site_toml(folder), started)
        _gitignore(folder, started)
        return started
    when = (now or datetime.now(UTC)).astimezone(UTC).replace(second=0, microsecond=0)
    _new_file(folder / CONFIG_FILE_NAME, NEW_SITE_TOML, started)
    _new_file(folder / "content" / f"{when:%Y-%m-%d}-welcome-to-your-digest.md", example_item(when), started)
    _new_file(folder / "data" / "topics" / "digests.yaml", EXAMPLE_TOPIC, started)
    _new_file(folder / "data" / "organizations" / "example.org.md", EXAMPLE_SOURCE, started)
    (folder / "static").mkdir(exist_ok=True)
    _gitignore(folder, started)
    return started


NEW_SITE_TOML = """\
# Digest site settings. Every key is optional; `digest build` reads this file.
title = "My Digest"
description = "A curated digest of the news that matters."
# Where the site will be published: feeds and link previews need the full address.
base_url = "https://example.org/"
language = "en"
timezone = "UTC"

# Folders: the news items (one Markdown file each), descriptions of topics and sources,
# and where the site is written.
content = "content"
data = "data"
output = "_site"

items_per_page = 20
feed_size = 50
top_stories = 5
# The weekly edition's stories: the week's hottest.
weekly_size = 20
# Items with a lower `quality` stay out of the site (items without one are kept).
min_quality = 0

# Story addresses; Jekyll's placeholders work too (:categories, :title, :collection).
permalink = "/news/:year/:month/:day/:slug/"

# Email editions (`digest email DATE`): the sender, the sending service's unsubscribe
# placeholder (Mailchimp: "*|UNSUB|*", Mailgun: "%unsubscribe_url%") and a postal address.
# email_from = "My Digest <news@example.org>"
# email_unsubscribe = "{unsubscribe_url}"
# email_postal_address = ""

# A WebSub hub that feeds name; `digest ping` tells it which feeds changed after a deploy.
# websub_hub = "https://pubsubhubbub.appspot.com/"

# The JSON API under api/ (stories, topic and source lists); false leaves it out.
# api = true

# [topics.aliases]
# "Artificial Intelligence" = "AI"

# [theme]
# name = "default"
# [theme.settings]      # free-form values the templates read as site.settings
"""

EXAMPLE_TOPIC = """\
# One file per topic: its name as items spell it, and what its page says about it.
name: Digests
description: How curated news digests are made and read.
# parent: News        # the topic this one sits under
# images:
#   - https://img.example.org/digests.jpg
"""

EXAMPLE_SOURCE = """\
---
# One file per news source, named after its domain.
name: Example News
domain: example.org
description: The example source of a new Digest site. Replace it with the sources you quote.
# images:             # its logo, square; the first that is large enough is used
#   - url: /images/example.org.png
#     width: 64
#     height: 64
---
"""


def example_item(when: datetime) -> str:
    data = {
        "title": "Welcome to your digest",
        "excerpt": "Each news item is one Markdown file in content/: its front matter says what and where, "
        "its body holds your summary.",
        "publishedDateTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "originalUrl": "https://example.org/welcome",
        "webUrl": "https://example.org/welcome",
        "type": "article",
        "quality": 80,
        "heat": 50,
        "published": True,
        "provider": {"name": "Example News", "domain": "example.org"},
        "topics": ["Digests"],
        "images": [],
        "related": [],
    }
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    body = (
        "This is the curator's summary, in Markdown. Add a story with\n\n"
        '    digest new --title "A headline" --url https://example.org/a-story\n\n'
        "or import a feed with `digest import https://example.org/feed.xml`, then run `digest build`\n"
        "(or `digest serve` to watch the site change as you edit).\n"
    )
    return f"---\n{front}---\n\n{body}"


def _jekyll_values(config_text: str) -> dict[str, str]:
    values = {}
    for key, raw in _JEKYLL_SCALAR.findall(config_text):
        try:
            value = yaml.safe_load(raw)
        except yaml.YAMLError:
            continue
        if isinstance(value, str) and value.strip():
            values[key] = value.strip()
    return values


def _language(locale: str) -> str | None:
    parts = re.split(r"[-_]", locale)
    if not re.fullmatch(r"[A-Za-z]{2,3}", parts[0]):
        return None
    return "-".join([parts[0].lower(), *(part.upper() for part in parts[1:2] if re.fullmatch(r"[A-Za-z]{2}", part))])


def jekyll_site_toml(folder: Path) -> str:
    """A `site.toml` for the Jekyll site in `folder`: its item collections as content
    folders, `_data/` as the data folder, and what `_config.yml` says of the site."""
    try:
        values = _jekyll_values((folder / "_config.yml").read_text(encoding="utf-8", errors="replace"))
    except OSError:
        values = {}
    collections = [name for name, _ in skipped_markdown_folders(folder)]
    lines = ["# Digest settings for this Jekyll site, written by `digest init` from _config.yml."]
    if "title" in values:
        lines.append(f"title = {_toml(values['title'])}")
    if "description" in values:
        lines.append(f"description = {_toml(values['description'])}")
    url, base_path = values.get("url", "").rstrip("/"), values.get("baseurl", "").strip("/")
    if url.startswith(("http://", "https://")):
        lines.append(f"base_url = {_toml(url + '/' + (base_path + '/' if base_path else ''))}")
    language = _language(values.get("locale", ""))
    if language:
        lines.append(f"language = {_toml(language)}")
    lines.append("# The collections that hold news items (folders starting with _ are not read otherwise).")
    lines.append(f"content = [{', '.join(_toml(name) for name in collections) or _toml('_posts')}]")
    if (folder / "_data").is_dir():
        lines.append('data = "_data"')
    lines.append('output = "public"  # not _site, which Jekyll writes')
    permalink = values.get("permalink", "")
    if permalink and not permalink.endswith(("/", ".html")):
        permalink += "/"
    if permalink and check_permalink(permalink) is None:
        lines.append("# The old site's addresses lead to the stories' new pages.")
        lines.append(f"redirect_from = [{_toml(permalink)}]")
    elif permalink:
        lines.append(
            f"# _config.yml's permalink {permalink!r} uses placeholders Digest does not know; see `permalink`."
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = command_parser(
        "init",
        description="Start a new Digest site in FOLDER (default: here): site.toml, content/ with one example "
        "story, data/ and .gitignore. In a Jekyll site (a folder with _config.yml), write only a site.toml "
        "that reads its collections and _data/. Existing files are never replaced.",
    )
    parser.add_argument("folder", nargs="?", type=Path, default=Path("."), help="where to start the site")
    args = parser.parse_args(argv)
    try:
        started = init_site(args.folder)
    except OSError as exc:
        print(f"error: cannot write in {args.folder}: {exc.strerror}", file=sys.stderr)
        return Exit.USAGE
    for line in started.lines():
        print(line)
    where = "" if args.folder == Path(".") else f"cd {args.folder} && "
    if started.jekyll:
        print(f"this is a Jekyll site: review site.toml, then run `{where}{program_name()} build`")
    else:
        print(f"next: `{where}{program_name()} serve` to preview the site, `{program_name()} build` to write it")
    return Exit.OK
