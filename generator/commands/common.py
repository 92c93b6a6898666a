"""What every command shares: its name as called, the site options, exit codes, the
time parser, logging and the signal that stops a command cleanly.

Defined once here so `build`, `check`, `new`, `import` and `serve` cannot drift apart.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import traceback
from datetime import UTC, datetime
from enum import IntEnum
from pathlib import Path
from types import FrameType

from .. import __version__
from ..config import CONFIG_FILE_NAME, SiteConfig, load_config, with_overrides
from ..errors import ConfigError


class Exit(IntEnum):
    """The exit statuses of every command."""

    OK = 0
    PROBLEMS = 1  # content problems: the site was still built without them (not with --strict)
    USAGE = 2  # usage, configuration, theme or output-folder problems: nothing was changed
    BUG = 70  # Digest itself failed (EX_SOFTWARE): nothing was changed
    INTERRUPTED = 130  # Ctrl-C or SIGTERM: nothing was changed


def bug_report(exc: BaseException) -> str:
    """What to print when Digest itself fails: that it is a bug, where to report it, and
    what the report needs."""
    lines = traceback.format_exception(exc)
    where = "".join(lines[-12:]).rstrip()
    return (
        "error: Digest failed: this is a bug in Digest, not a problem with your files.\n"
        "Please report it on Digest's issue tracker (see the README's \"Reporting a bug\"), "
        "with the command you ran and these lines:\n"
        f"digest {__version__}, Python {sys.version.split()[0]}, {sys.platform}\n{where}"
    )


def program_name() -> str:
    """The program as it was called, for usage lines: `digest`, `build.py` or
    `python -m generator`."""
    called = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if called in ("__main__.py", "-m", "-c", ""):
        return "python -m generator"
    return called


def command_parser(command: str | None, description: str, **options: object) -> argparse.ArgumentParser:
    """An argument parser named after the program (and the command, if any)."""
    prog = program_name() if command is None else f"{program_name()} {command}"
    return argparse.ArgumentParser(prog=prog, description=description, **options)  # type: ignore[arg-type]


def add_site_options(parser: argparse.ArgumentParser) -> None:
    """`--config` and `--content`, as every command that works on a site takes them."""
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help=f"site configuration (default: ./{CONFIG_FILE_NAME} if it exists); "
        "relative folders in it are read from its folder",
    )
    parser.add_argument(
        "--content", type=Path, metavar="DIR", help="folder of Markdown news items (default: 'content' from the config)"
    )


def add_site_folder_option(parser: argparse.ArgumentParser) -> None:
    """`--site FOLDER`: the site's folder, read as `--config FOLDER/site.toml` would be, for a
    command run from elsewhere (a cron job, a mail script)."""
    parser.add_argument(
        "--site", type=Path, metavar="FOLDER", help=f"the site's folder (its {CONFIG_FILE_NAME}, content and data)"
    )


def content_override(args: argparse.Namespace) -> str | None:
    """The `--content` folder, absolute, or None when the config's is used."""
    return str(args.content.resolve()) if args.content else None


def site_config(args: argparse.Namespace) -> tuple[SiteConfig, list[str]]:
    """The site's configuration (from `--config`, `--site` or ./site.toml) with the command
    line's `--content` over it; raises `ConfigError` when it cannot be used."""
    path, required = args.config, args.config is not None
    folder = getattr(args, "site", None)
    if folder is not None:
        if path is not None:
            raise ConfigError("give --site or --config, not both")
        if not folder.is_dir():
            raise ConfigError(f"--site: {folder} is not a folder")
        # A folder without site.toml is a site of defaults there, as a build run in it is.
        path, required = folder / CONFIG_FILE_NAME, False
    config, warnings = load_config(path, required=required)
    return with_overrides(config, content=content_override(args)), warnings


def moment(text: str) -> datetime:
    """The one parser for times given on the command line (`--now`, `--date`): ISO 8601,
    UTC when no zone is given, as `Z` would say."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time; write it like 2024-03-01T00:00:00Z") from None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"should be a whole number of 1 or more, got {text!r}")
    return number


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def stop_on_sigterm() -> None:
    """SIGTERM stops a command as Ctrl-C does: through `KeyboardInterrupt`, so every
    `finally` runs and the output folder is left as it was."""
    signal.signal(signal.SIGTERM, _raise_interrupt)


def configure_logging(*, verbose: bool) -> None:
    """Only Digest's own logger speaks; libraries' debug chatter stays silent with -v."""
    logger = logging.getLogger("digest")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)
    logger.propagate = False
