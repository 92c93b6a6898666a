"""One build, stage after stage: discover → load → curate → index → plan → render → write.

Each stage is a function of its own module and hands plain data to the next; this module
only wires them together, times them and gathers the problems they report.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from . import urls
from .config import SiteConfig
from .content import load_item
from .curate import address_clashes, normalize_topics, select
from .discover import discover, display_path
from .errors import ContentError, ContentProblem, OutputError, ProblemTally
from .index import build_site
from .model import Item, Site
from .output import check_output_folder, write_site
from .pages import output_clashes, plan_pages
from .ranking import more_on, top_stories
from .render import Renderer, theme_folders
from .stories import Redirect, group_stories
from .views import Page

log = logging.getLogger("digest")
# Told how far a long stage has got: (what is being done, how many done, how many in all).
Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


@dataclass
class BuildReport(ProblemTally):
    """What a build did, for the summary line and the exit status."""

    items_read: int = 0
    items_published: int = 0
    held_back: int = 0
    stories: int = 0
    pages_written: int = 0
    problems: list[ContentProblem] = field(default_factory=list)
    config_warnings: list[str] = field(default_factory=list)
    carried_over: tuple[str, ...] = ()
    seconds: float = 0.0

    def summary(self) -> str:
        held_back = f"{self.held_back} held back, " if self.held_back else ""
        stories = f"{self.stories} story" if self.stories == 1 else f"{self.stories} stories"
        as_stories = f" as {stories}" if self.stories != self.items_published else ""
        return (
            f"{_count(self.items_read, 'item')} read, {self.items_published} published{as_stories}, {held_back}"
            f"{_count(self.pages_written, 'page')} written, {_count(self.warnings, 'warning')}, "
            f"{_count(self.errors, 'error')} in {self.seconds:.2f} s"
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@contextmanager
def _stage(name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    log.debug("%-8s %.3f s", name, time.perf_counter() - started)


@dataclass
class PlannedSite:
    """Everything a build knows before it renders: the pages and where they came from."""

    report: BuildReport
    themes: list[Path]
    pages: list[Page]
    items: list[Item]  # every item that loaded, before selection
    site: Site
    redirects: list[Redirect]
    rejected: set[str]
    displays: dict[str, str]


@dataclass(frozen=True)
class BuildOptions:
    """How to build: `strict` stops at the first content error, `drafts` shows drafts, and
    items dated after `now` are held back (None: nothing is too new)."""

    strict: bool = False
    drafts: bool = False
    now: datetime | None = None
    config_warnings: tuple[str, ...] = ()
    progress: Progress = _no_progress


def plan_site(config: SiteConfig, options: BuildOptions = BuildOptions()) -> PlannedSite:
    """Every stage up to the page plan: discover, load, curate, rank, index, plan.

    In strict mode the first content error raises `ContentError`. Nothing is written, so
    `check` runs exactly what a build would.
    """
    strict, drafts, now, progress = options.strict, options.drafts, options.now, options.progress
    report = BuildReport(config_warnings=list(options.config_warnings))
    themes = theme_folders(config.root, config.theme)

    with _stage("discover"):
        sources, discover_problems = discover(config.content_dir)
    report.problems += discover_problems
    report.items_read = len(sources)

    with _stage("load"):
        tz = config.tz
        results = []
        for number, source in enumerate(sources, start=1):
            progress("reading", number, len(sources))
            result = load_item(source, tz, config.max_file_kb * 1024)
            if strict:
                first_error = next((problem for problem in result.problems if problem.is_error), None)
                if first_error is not None:
                    raise ContentError(first_error)
            results.append(result)
            report.problems += result.problems
    items = [result.item for result in results if result.item is not None]
    rejected = {result.source.relative for result in results if result.item is None}
    displays = {result.source.relative: result.source.display for result in results}

    with _stage("curate"):
        selection = select(items, now=now, min_quality=config.min_quality, include_drafts=drafts)
        report.held_back = selection.held_back
        log.debug(
            "held back: %d unpublished, %d dated after the build time, %d below min_quality",
            selection.unpublished,
            selection.future,
            selection.low_quality,
        )
        selected = normalize_topics(selection.items, dict(config.topic_aliases))
        grouped = group_stories(selected, tz, config.story_window_days)
        stories = list(grouped.items)
        for loser, winner in address_clashes(stories):
            problem = ContentProblem(
                displays[loser.source],
                None,
                None,
                f"has the same address /{loser.path} as {displays[winner.source]}; rename one of the files",
            )
            if strict:
                raise ContentError(problem)
            report.problems.append(problem)
            rejected.add(loser.source)
        stories = [story for story in stories if story.source not in rejected]
        page_paths = {story.path for story in stories}
        redirects = [
            redirect
            for redirect in grouped.redirects
            if redirect.target.source not in rejected and redirect.path not in page_paths
        ]
        report.stories = len(stories)
        log.debug("stories  %d from %d items, %d redirects", len(stories), len(selected), len(redirects))

    with _stage("rank"):
        top = top_stories(stories, config.top_window_days, config.top_stories)
        related = more_on(stories)

    with _stage("index"):
        site = build_site(stories, tz, top, related)
    report.items_published = len(stories) + sum(len(story.coverage) for story in stories)

    with _stage("plan"):
        pages = plan_pages(site, config, redirects)
        for page, other in output_clashes(pages):
            raise OutputError(f"two pages would be written to {page.output}: {other.origin} and {page.origin}")

    return PlannedSite(report, themes, pages, items, site, redirects, rejected, displays)


def _counted(files: Iterator[tuple[str, bytes]], total: int, progress: Progress) -> Iterator[tuple[str, bytes]]:
    for number, file in enumerate(files, start=1):
        progress("writing", number, total)
        yield file


def build(config: SiteConfig, options: BuildOptions = BuildOptions()) -> BuildReport:
    """Build the site of `config` into its output folder and report what happened.

    In strict mode the first content error raises `ContentError` before anything is
    written; otherwise rejected items are reported and left out (their previous pages kept).
    """
    started = time.perf_counter()
    output_dir = config.output_dir
    check_output_folder(output_dir)
    planned = plan_site(config, options)
    progress = options.progress
    report, themes, pages, site = planned.report, planned.themes, planned.pages, planned.site
    redirects, rejected, displays = planned.redirects, planned.rejected, planned.displays

    renderer = Renderer(themes)
    static_dirs = [theme / "static" for theme in reversed(themes)] + [config.root / "static"]
    with _stage("render+write"):
        written = write_site(
            output_dir,
            _counted(renderer.render_all(pages), len(pages), progress),
            static_dirs=static_dirs,
            sources={
                **{redirect.source: [urls.output_file(redirect.path)] for redirect in redirects},
                **{item.source: [urls.output_file(item.path)] for item in site.items},
            },
            keep_sources=rejected,
        )
    report.pages_written = written.files_written
    report.carried_over = written.carried_over
    for source in written.carried_over:
        report.problems.append(
            ContentProblem(
                displays.get(source, source),
                None,
                None,
                "kept the page from the previous build until this file is fixed",
                is_error=False,
            )
        )
    report.problems.sort(key=lambda problem: (problem.path, problem.line or 0))
    report.seconds = time.perf_counter() - started
    log.debug("output   %s", display_path(Path(output_dir)))
    return report
