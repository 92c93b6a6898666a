"""The command line: parse options, run a build, print problems and one summary line.

Problems go to standard error as `path:line: field: message`, the summary to standard
output. Exit status: 0 built cleanly, 1 content errors (the site was still built without
the rejected items, unless --strict), 2 a configuration, theme or output-folder problem
(nothing was changed), 130 interrupted (nothing was changed).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from . import __version__
from .config import CONFIG_FILE_NAME, SiteConfig, load_config, with_overrides
from .errors import ConfigError, ContentError, OutputError, ThemeError
from .freshness import Freshness
from .options import BuildOptions, BuildReport
from .output import check_output_folder
from .parallel import default_workers
from .terminal import ProgressBar, format_problems, wants_colour
from .timeopt import moment

EXIT_OK, EXIT_CONTENT_ERRORS, EXIT_CONFIG_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130

_EPILOG = """\
exit status:
  0  the site was built with no content errors
  1  some content files have errors: the site was built without them
     (with --strict: nothing was built and the output folder is unchanged)
  2  configuration, theme or output-folder problem: the output folder is unchanged
  130 interrupted: the output folder is unchanged
"""


def program_name() -> str:
    """The program as it was called, for usage lines: `digest`, `build.py` or
    `python -m generator`."""
    called = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if called in ("__main__.py", "-m", "-c", ""):
        return "python -m generator"
    return called


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=program_name(),
        description="Build the Digest static site from Markdown news items.",
        epilog=_COMMANDS_HELP + "\n" + _EPILOG,
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
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    parser.add_argument(
        "--drafts",
        action="store_true",
        help="include items marked 'published: false' or dated after the build time "
        "(shown with a draft badge, never in feeds or the sitemap)",
    )
    parser.add_argument(
        "--now",
        type=moment,
        metavar="TIME",
        help="the build time, such as 2024-03-01T00:00:00Z (default: the clock); items dated later "
        "are held back, so a fixed --now makes a build reproducible",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        metavar="N",
        help="processes that read and render in parallel (default: one per core)",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="where parsed items and the last build's inputs are kept, so a rebuild redoes only "
        "what changed (default: .cache next to the config)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="neither use nor update the cache: build everything from scratch"
    )
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="also print the time of each stage")
    return parser


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"should be a whole number of 1 or more, got {text!r}")
    return number


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


COMMANDS = ("build", "check", "new", "import", "serve", "init")
_COMMANDS_HELP = """\
commands (COMMAND --help for each):
  build   build the site (the default when no command is given)
  check   report every problem of the content and templates without writing
  new     write a new content file from a title and an address
  import  turn the entries of an RSS, Atom or JSON feed into content files
  serve   build, serve on http://127.0.0.1:8000/ and rebuild on every change
  init    start a new site in a folder, or set up an existing Jekyll digest
"""


def main(argv: list[str] | None = None) -> int:
    """`digest [COMMAND] ...`: without a command, build the site."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["--version"]:
        print(f"digest {__version__}")
        return EXIT_OK
    command = arguments[0] if arguments and arguments[0] in COMMANDS else "build"
    rest = arguments[1:] if arguments and arguments[0] == command else arguments
    if command == "init":
        from .commands import init_main

        return init_main(rest)
    if command == "check":
        from .commands import check_main

        return check_main(rest)
    if command == "new":
        from .commands import new_main

        return new_main(rest)
    if command == "import":
        from .commands import import_main

        return import_main(rest)
    if command == "serve":
        from .server import serve_main

        return serve_main(rest)
    return build_main(rest)


def _build(config: SiteConfig, options: BuildOptions) -> BuildReport:
    """Build, unless nothing changed since the last build; only then load the heavy stages."""
    check_output_folder(config.output_dir)
    freshness = Freshness(config, options)
    previous = freshness.unchanged()
    if previous is not None:
        return previous
    from .pipeline import build

    return build(config, options, freshness)


def build_main(argv: list[str]) -> int:
    args = make_parser().parse_args(argv)
    _configure_logging(verbose=args.verbose)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    progress = ProgressBar(sys.stderr, enabled=not args.quiet)
    try:
        config, config_warnings = load_config(args.config, required=args.config is not None)
        config = with_overrides(
            config,
            content=str(args.content.resolve()) if args.content else None,
            output=str(args.output.resolve()) if args.output else None,
        )
        options = BuildOptions(
            strict=args.strict,
            drafts=args.drafts,
            now=args.now or datetime.now(UTC),
            config_warnings=tuple(config_warnings),
            progress=progress,
            cache_dir=None if args.no_cache else (args.cache_dir or config.root / ".cache").resolve(),
            workers=args.jobs or default_workers(),
        )
        report = _build(config, options)
    except ContentError as exc:
        progress.clear()
        print(exc.problem, file=sys.stderr)
        print("build stopped (--strict): the output folder was not changed", file=sys.stderr)
        return EXIT_CONTENT_ERRORS
    except (ConfigError, ThemeError, OutputError) as exc:
        progress.clear()
        print(f"error: {exc}", file=sys.stderr)
        print("nothing was built: the output folder was not changed", file=sys.stderr)
        return EXIT_CONFIG_ERROR
    except KeyboardInterrupt:
        progress.clear()
        print("interrupted: the output folder was not changed", file=sys.stderr)
        return EXIT_INTERRUPTED
    progress.clear()

    for warning in report.config_warnings:
        if not args.quiet:
            print(f"warning: {warning}", file=sys.stderr)
    for line in format_problems(report.problems, colour=wants_colour(sys.stderr), errors_only=args.quiet):
        print(line, file=sys.stderr)
    if not args.quiet:
        print(report.summary())
    return EXIT_CONTENT_ERRORS if report.errors else EXIT_OK
