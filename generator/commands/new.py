"""`digest new`: write a new content file from a title and an address, in the full schema,
never replacing a file. `ItemDraft` is also what `import` writes each feed entry as."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .. import urls
from ..config import ConfigError
from ..load.markdown import shortened
from .common import Exit, add_site_options, command_parser, moment, site_config

EXCERPT_LENGTH = 300


def _excerpt(text: str) -> str:
    return shortened(text, EXCERPT_LENGTH)


def _topics(*groups: Iterable[str]) -> tuple[str, ...]:
    names = (" ".join(name.split()) for group in groups for name in group)
    return tuple(dict.fromkeys(name for name in names if name))


@dataclass(frozen=True)
class ItemDraft:
    """A content file to write, with values already checked."""

    title: str
    url: str
    provider: str
    domain: str
    published: datetime
    topics: tuple[str, ...] = ()
    excerpt: str = ""
    image: dict[str, Any] | None = None
    quality: int | None = None
    web_url: str | None = None

    @classmethod
    def from_options(
        cls, *, title: str, url: str, provider: str | None, topics: str, excerpt: str, published: datetime
    ) -> ItemDraft:
        title = " ".join(title.split())
        if not title:
            raise ValueError("--title: the headline cannot be empty")
        if not urls.is_web_url(url):
            raise ValueError(f"--url: {url!r} is not a web address; it must start with http:// or https://")
        domain = _domain(url)
        return cls(
            title=title,
            url=url,
            provider=" ".join((provider or "").split()) or domain,
            domain=domain,
            published=published,
            topics=_topics(topics.split(",")),
            excerpt=" ".join(excerpt.split()),
        )

    def file_name(self, content_dir: Path) -> Path:
        slug = urls.slugify(self.title) or "item"
        return content_dir / f"{self.published.astimezone(UTC):%Y-%m-%d}-{slug}.md"

    def text(self) -> str:
        """The file: YAML written by the YAML library (so any title is quoted correctly)."""
        data: dict[str, Any] = {
            "title": self.title,
            "excerpt": self.excerpt,
            "publishedDateTime": self.published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "originalUrl": self.url,
            "webUrl": self.web_url or self.url,
            "type": "article",
        }
        if self.quality is not None:
            data["quality"] = self.quality
        data["heat"] = -1
        data["published"] = True
        data["provider"] = {"name": self.provider, "domain": self.domain}
        data["topics"] = list(self.topics)
        data["images"] = [self.image] if self.image else []
        data["related"] = []
        front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)
        return f"---\n{front}---\n"


def _domain(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def write_item(content_dir: Path, draft: ItemDraft) -> Path | None:
    """Create the draft's file; None (and nothing written) if a file of that name exists."""
    path = draft.file_name(content_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(draft.text())
    except FileExistsError:
        return None
    return path


def main(argv: list[str]) -> int:
    parser = command_parser("new", "Write a new content file, named and dated, in the full schema.")
    add_site_options(parser)
    parser.add_argument("--title", required=True, help="the headline")
    parser.add_argument("--url", required=True, help="the address of the original article (http or https)")
    parser.add_argument("--provider", help="the news source's name (default: from the address)")
    parser.add_argument("--topics", default="", help="comma-separated topic names")
    parser.add_argument("--excerpt", default="", help="a short plain-text summary")
    parser.add_argument("--date", type=moment, metavar="TIME", help="publication time (default: now)")
    args = parser.parse_args(argv)
    try:
        config, _ = site_config(args)
        draft = ItemDraft.from_options(
            title=args.title,
            url=args.url,
            provider=args.provider,
            topics=args.topics,
            excerpt=args.excerpt,
            published=args.date or datetime.now(UTC).replace(microsecond=0),
        )
    except (ConfigError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return Exit.USAGE
    path = write_item(config.content_dir, draft)
    if path is None:
        print(f"error: {draft.file_name(config.content_dir)} already exists; nothing was written", file=sys.stderr)
        return Exit.PROBLEMS
    print(f"wrote {path}")
    return Exit.OK
