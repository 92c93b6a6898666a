"""The command line: parse options, run a build, print problems and one summary line.

Problems go to standard error as `path:line: field: message`, the summary to standard
output. Exit status: 0 built cleanly, 1 content errors (the site was still built without
the rejected items, unless --strict), 2 a configuration, theme or output-folder problem
(nothing was changed), 130 interrupted (nothing was changed).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from .config import CONFIG_FILE_NAME, load_config, with_overrides
from .errors import ConfigError, ContentError, OutputError, ThemeError
from .pipeline import build

EXIT_OK, EXIT_CONTENT_ERRORS, EXIT_CONFIG_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130

_EPILOG = """\
exit status:
  0  the site was built with no content errors
  1  some content files have errors: the site was built without them
     (with --strict: nothing was built and the output folder is unchanged)
  2  configuration, theme or output-folder problem: the output folder is unchanged
  130 interrupted: the output folder is unchanged
"""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the Digest static site from Markdown news items.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
    parser.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="folder to write the site to (default: 'output' from the config, _site); "
        "replaced as a whole when the build succeeds",
    )
    parser.add_argument(
        "--strict", action="store_true", help="stop at the first content error instead of leaving the item out"
    )
    parser.add_argument(
        "--drafts",
        action="store_true",
        help="include items marked 'published: false' or dated after the build time "
        "(shown with a draft badge, never in feeds or the sitemap)",
    )
    parser.add_argument(
        "--now",
        type=_moment,
        metavar="TIME",
        help="the build time, such as 2024-03-01T00:00:00Z (default: the clock); items dated later "
        "are held back, so a fixed --now makes a build reproducible",
    )
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="also print the time of each stage")
    return parser


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time; write it like 2024-03-01T00:00:00Z") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _configure_logging(*, verbose: bool) -> None:
    """Only Digest's own logger speaks; libraries' debug chatter stays silent with -v."""
    logger = logging.getLogger("digest")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)
    logger.propagate = False


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    _configure_logging(verbose=args.verbose)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        config, config_warnings = load_config(args.config, required=args.config is not None)
        config = with_overrides(
            config,
            content=str(args.content.resolve()) if args.content else None,
            output=str(args.output.resolve()) if args.output else None,
        )
        report = build(
            config,
            strict=args.strict,
            drafts=args.drafts,
            now=args.now or datetime.now(UTC),
            config_warnings=config_warnings,
        )
    except ContentError as exc:
        print(exc.problem, file=sys.stderr)
        print("build stopped (--strict): the output folder was not changed", file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    except (ConfigError, ThemeError, OutputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("nothing was built: the output folder was not changed", file=sys.stderr)
        return EXIT_CONFIG_ERROR
    except KeyboardInterrupt:
        print("interrupted: the output folder was not changed", file=sys.stderr)
        return EXIT_INTERRUPTED

    for warning in report.config_warnings:
        if not args.quiet:
            print(f"warning: {warning}", file=sys.stderr)
    for problem in report.problems:
        if problem.is_error or not args.quiet:
            print(problem, file=sys.stderr)
    if not args.quiet:
        print(report.summary())
    return EXIT_CONTENT_ERRORS if report.errors else EXIT_OK
