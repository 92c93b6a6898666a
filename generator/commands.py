"""The curator's commands besides `build`: `check`, `new` and `import`.

Each parses its own options, uses the same configuration as a build and exits with the
same statuses: 0 fine, 1 content problems, 2 usage or configuration problems.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from .check import check
from .cli import program_name
from .config import CONFIG_FILE_NAME, SiteConfig, load_config, with_overrides
from .discover import display_path
from .errors import ConfigError, ThemeError
from .scaffold import ItemDraft, existing_addresses, import_feed, write_item
from .starter import init_site
from .terminal import format_problems, wants_colour
from .timeopt import moment

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _parser(command: str, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"{program_name()} {command}", description=description)
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help=f"site configuration (default: ./{CONFIG_FILE_NAME} if it exists)"
    )
    parser.add_argument("--content", type=Path, metavar="DIR", help="folder of news items (default: from the config)")
    return parser


def _config(args: argparse.Namespace) -> tuple[SiteConfig, list[str]]:
    config, warnings = load_config(args.config, required=args.config is not None)
    content = str(args.content.resolve()) if args.content else None
    return with_overrides(config, content=content), warnings


def init_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog=f"{program_name()} init",
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
        return EXIT_USAGE
    for line in started.lines():
        print(line)
    where = "" if args.folder == Path(".") else f"cd {args.folder} && "
    if started.jekyll:
        print(f"this is a Jekyll site: review site.toml, then run `{where}{program_name()} build`")
    else:
        print(f"next: `{where}{program_name()} serve` to preview the site, `{program_name()} build` to write it")
    return EXIT_OK


def check_main(argv: list[str]) -> int:
    parser = _parser("check", "Report every problem of the content and the templates, writing nothing.")
    parser.add_argument(
        "--now", type=moment, metavar="TIME", help="the time to compare dates with (default: the clock)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="json: one document, for CI")
    args = parser.parse_args(argv)
    try:
        config, warnings = _config(args)
        report = check(config, now=args.now or datetime.now(UTC), config_warnings=warnings)
    except (ConfigError, ThemeError) as exc:
        if args.format == "json":
            print(
                '{"ok": false, "errors": 1, "warnings": 0, "problems": [{"path": null, "line": null, '
                f'"field": null, "message": {_json_string(str(exc))}, "severity": "error"}}]}}'
            )
        else:
            print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        print(report.as_json())
    else:
        for warning in report.config_warnings:
            print(f"warning: {warning}", file=sys.stderr)
        for line in format_problems(report.problems, colour=wants_colour(sys.stderr)):
            print(line, file=sys.stderr)
        print(report.summary())
    return EXIT_PROBLEMS if report.errors else EXIT_OK


def _json_string(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def new_main(argv: list[str]) -> int:
    parser = _parser("new", "Write a new content file, named and dated, in the full schema.")
    parser.add_argument("--title", required=True, help="the headline")
    parser.add_argument("--url", required=True, help="the address of the original article (http or https)")
    parser.add_argument("--provider", help="the news source's name (default: from the address)")
    parser.add_argument("--topics", default="", help="comma-separated topic names")
    parser.add_argument("--excerpt", default="", help="a short plain-text summary")
    parser.add_argument("--date", type=moment, metavar="TIME", help="publication time (default: now)")
    args = parser.parse_args(argv)
    try:
        config, _ = _config(args)
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
        return EXIT_USAGE
    path = write_item(config.content_dir, draft)
    if path is None:
        print(f"error: {draft.file_name(config.content_dir)} already exists; nothing was written", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote {path}")
    return EXIT_OK


def import_main(argv: list[str]) -> int:
    parser = _parser("import", "Turn the entries of an RSS, Atom or JSON feed into content files.")
    parser.add_argument("feed", help="a feed file, or an http(s) address")
    parser.add_argument("--topics", default="", help="comma-separated topics to add to every imported item")
    parser.add_argument("--quality", type=int, help="the quality (0 or more) to give every imported item")
    parser.add_argument(
        "--min-quality", type=int, help="import nothing when --quality is below this (default: min_quality of the site)"
    )
    args = parser.parse_args(argv)
    try:
        config, _ = _config(args)
        if args.quality is not None and args.quality < 0:
            raise ValueError(f"--quality should be 0 or more, got {args.quality}")
    except (ConfigError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    threshold = args.min_quality if args.min_quality is not None else config.min_quality
    if not config.content_dir.is_dir():
        try:
            config.content_dir.mkdir(parents=True)
        except OSError as exc:
            print(f"error: cannot create the content folder {config.content_dir}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
        print(f"created the content folder {display_path(config.content_dir)}")
    try:
        result = import_feed(
            args.feed,
            config.content_dir,
            topics=args.topics,
            quality=args.quality,
            min_quality=threshold,
            known=existing_addresses(config),
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for line in result.lines():
        print(line)
    return EXIT_OK
