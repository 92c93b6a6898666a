"""`digest [build]`: build the site, print problems and one summary line.

Problems go to standard error as `path:line: field: message`, the summary to standard
output; the exit status is one of `Exit`. The heavy stages are imported only once the
quick check for "nothing changed since the last build" has failed.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from .. import __version__
from ..config import SiteConfig, with_overrides
from ..errors import ConfigError, ContentError, OutputError, ThemeError
from ..incremental.freshness import Freshness
from ..options import BuildOptions, BuildReport
from ..output import check_output_folder
from ..parallel import default_workers
from . import commands_help
from .common import (
    Exit,
    add_site_options,
    bug_report,
    command_parser,
    configure_logging,
    moment,
    positive,
    site_config,
    stop_on_sigterm,
)
from .terminal import ProgressBar, format_problems, printable, wants_colour

_EPILOG = """\
exit status:
  0  the site was built with no content errors
  1  some content files have errors: the site was built without them
     (with --strict: nothing was built and the output folder is unchanged)
  2  configuration, theme or output-folder problem: the output folder is unchanged
  70 Digest itself failed (a bug, to report): the output folder is unchanged
  130 interrupted: the output folder is unchanged
"""


def _add_content_options(parser: argparse.ArgumentParser) -> None:
    """What a build shows: every file, or it stops at the first error; drafts; the build time."""
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
        type=moment,
        metavar="TIME",
        help="the build time, such as 2024-03-01T00:00:00Z (default: the clock); items dated later "
        "are held back, so a fixed --now makes a build reproducible",
    )


def _add_speed_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-j",
        "--jobs",
        type=positive,
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


def make_parser() -> argparse.ArgumentParser:
    parser = command_parser(
        None,
        "Build the Digest static site from Markdown news items.",
        epilog=commands_help() + "\n" + _EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_site_options(parser)
    parser.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="folder to write the site to (default: 'output' from the config, _site); "
        "replaced as a whole when the build succeeds",
    )
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    _add_content_options(parser)
    _add_speed_options(parser)
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="also print each stage's wall and CPU time")
    return parser


def build_unless_unchanged(config: SiteConfig, options: BuildOptions) -> BuildReport:
    """Build, unless nothing changed since the last build; only then load the heavy stages."""
    check_output_folder(config.output_dir)
    freshness = Freshness(config, options)
    previous = freshness.unchanged()
    if previous is not None:
        return previous
    from ..pipeline import build

    return build(config, options, freshness)


def _options(args: argparse.Namespace, config: SiteConfig, warnings: list[str], progress: ProgressBar) -> BuildOptions:
    return BuildOptions(
        strict=args.strict,
        drafts=args.drafts,
        now=args.now or datetime.now(UTC),
        config_warnings=tuple(warnings),
        progress=progress,
        cache_dir=None if args.no_cache else (args.cache_dir or config.root / ".cache").resolve(),
        workers=args.jobs or default_workers(),
    )


def main(argv: list[str]) -> int:
    args = make_parser().parse_args(argv)
    configure_logging(verbose=args.verbose)
    stop_on_sigterm()
    progress = ProgressBar(sys.stderr, enabled=not args.quiet)
    try:
        config, warnings = site_config(args)
        config = with_overrides(config, output=str(args.output.resolve()) if args.output else None)
        report = build_unless_unchanged(config, _options(args, config, warnings, progress))
    except ContentError as exc:
        progress.clear()
        print(printable(str(exc.problem)), file=sys.stderr)
        print("build stopped (--strict): the output folder was not changed", file=sys.stderr)
        return Exit.PROBLEMS
    except (ConfigError, ThemeError, OutputError) as exc:
        progress.clear()
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        print("nothing was built: the output folder was not changed", file=sys.stderr)
        return Exit.USAGE
    except KeyboardInterrupt:
        progress.clear()
        print("interrupted: the output folder was not changed", file=sys.stderr)
        return Exit.INTERRUPTED
    except Exception as exc:
        progress.clear()
        print(bug_report(exc), file=sys.stderr)
        print("nothing was built: the output folder was not changed", file=sys.stderr)
        return Exit.BUG
    progress.clear()
    if not args.quiet:
        for warning in report.config_warnings:
            print(f"warning: {printable(warning)}", file=sys.stderr)
    for line in format_problems(report.problems, colour=wants_colour(sys.stderr), errors_only=args.quiet):
        print(line, file=sys.stderr)
    if not args.quiet:
        print(report.summary())
    return Exit.PROBLEMS if report.errors else Exit.OK
