"""One build, stage after stage: discover → load → curate → index → plan → render → write.

Each stage is a function of its own module and hands plain data to the next; this module
only wires them together, times them and gathers the problems they report.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import urls
from .config import SiteConfig
from .curate.index import Directory, build_site, directory
from .curate.ranking import more_on, top_stories
from .curate.select import address_clashes, select
from .curate.stories import Redirect, group_stories
from .curate.topics import normalize_topics
from .errors import ContentError, ContentProblem, OutputError
from .incremental.cache import CachedLoad, ContentCache, load_fresh, only_body_changed
from .incremental.freshness import Freshness, code_version
from .load.assets import drop_missing_assets
from .load.discover import SourceFile, content_folders, discover, display_path
from .load.sitedata import load_site_data
from .load.validate import LoadResult
from .model import Item, Site
from .options import DEFAULT_OPTIONS, BuildOptions, BuildReport
from .output import SiteWriter, Written, check_output_folder
from .parallel import parent_is_gone, run_jobs
from .plan.pages import output_clashes, plan_pages
from .plan.views import Page
from .render.renderer import Renderer
from .render.theme import ThemeFolders, theme_folders

log = logging.getLogger("digest")


def peak_memory_mib() -> float:
    """The most memory this process has used so far (its peak resident set size)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


@contextmanager
def _stage(name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    if log.isEnabledFor(logging.DEBUG):
        log.debug("%-8s %.3f s, peak memory %.0f MiB", name, time.perf_counter() - started, peak_memory_mib())


@dataclass
class PlannedSite:
    """Everything a build knows before it renders: the pages and where they came from."""

    report: BuildReport
    themes: ThemeFolders
    pages: list[Page]
    items: list[Item]  # every item that loaded, before selection
    site: Site
    redirects: list[Redirect]
    rejected: set[str]
    displays: dict[str, str]
    # Files parsed again whose items differ from the cached ones in their body alone (None:
    # some file was new or changed more than that).
    edited_bodies: frozenset[str] | None = None


@dataclass(frozen=True)
class Loaded:
    results: list[LoadResult]
    edited_bodies: frozenset[str] | None


def addresses_of(config: SiteConfig) -> urls.AddressRules:
    return urls.AddressRules(config.permalink, config.redirect_from)


def content_cache_file(config: SiteConfig, cache_dir: Path | None) -> Path | None:
    """One cache file per content folder, so two sites sharing a cache folder do not thrash."""
    if cache_dir is None:
        return None
    folder = "\n".join(str(folder.resolve()) for folder in config.content_dirs)
    return cache_dir / "digest" / f"content-{urls.short_hash(folder)}.pickle"


def load_all(sources: list[SourceFile], config: SiteConfig, options: BuildOptions) -> Loaded:
    """Every file's `LoadResult`, from the cache where the file is unchanged, else parsed
    (in worker processes when there are many)."""
    max_bytes = config.max_file_kb * 1024
    cache = ContentCache(
        content_cache_file(config, options.cache_dir),
        f"{code_version()} {config.timezone} {max_bytes} {addresses_of(config)!r}",
    )
    results: list[LoadResult | None] = [cache.recall(source, max_bytes) for source in sources]
    missing = [number for number, result in enumerate(results) if result is None]
    log.debug("cache    %d of %d files unchanged", len(sources) - len(missing), len(sources))

    def load_batch(indexes: range) -> list[CachedLoad]:
        return [
            load_fresh(sources[missing[index]], config.timezone, max_bytes, addresses_of(config)) for index in indexes
        ]

    done = len(sources) - len(missing)
    edited: set[str] | None = set()
    for indexes, loaded in run_jobs(load_batch, len(missing), workers=options.workers, chunk=250):
        for index, entry in zip(indexes, loaded, strict=True):
            relative = entry.result.source.relative
            if edited is not None and only_body_changed(cache.previous(relative), entry.result):
                edited.add(relative)
            else:
                edited = None
            results[missing[index]] = entry.result
            cache.remember(entry)
        done += len(indexes)
        options.progress("reading", done, len(sources))
    cache.save()
    return Loaded([result for result in results if result is not None], None if edited is None else frozenset(edited))


def describe_site(
    items: list[Item], config: SiteConfig, themes: ThemeFolders, displays: dict[str, str]
) -> tuple[list[Item], Directory, list[ContentProblem]]:
    """What the data folder says of topics and sources, images the site lacks left out, and
    the names and addresses of every topic and source (from all items, drafts included)."""
    data, problems = load_site_data(config.data_dir)
    site_images = [("logo", config.logo), ("icon", config.icon)]
    items, data, missing = drop_missing_assets(items, data, themes.static, displays, site_images)
    return items, directory(items, data, dict(config.topic_aliases)), problems + missing


def plan_site(config: SiteConfig, options: BuildOptions = DEFAULT_OPTIONS) -> PlannedSite:
    """Every stage up to the page plan: discover, load, curate, rank, index, plan.

    In strict mode the first content error raises `ContentError`. Nothing is written, so
    `check` runs exactly what a build would.
    """
    strict, drafts, now = options.strict, options.drafts, options.now
    report = BuildReport(config_warnings=list(options.config_warnings))
    themes = theme_folders(config.root, config.theme)

    with _stage("discover"):
        sources, discover_problems = discover(content_folders(config))
    report.problems += discover_problems
    report.items_read = len(sources)

    with _stage("load"):
        tz = config.tz
        loaded = load_all(sources, config, options)
        results = loaded.results
        for result in results:
            if strict:
                first_error = next((problem for problem in result.problems if problem.is_error), None)
                if first_error is not None:
                    raise ContentError(first_error)
            report.problems += result.problems
    items = [result.item for result in results if result.item is not None]
    rejected = {result.source.relative for result in results if result.item is None}
    displays = {result.source.relative: result.source.display for result in results}

    with _stage("data"):
        items, known, data_problems = describe_site(items, config, themes, displays)
    report.problems += data_problems

    with _stage("curate"):
        selection = select(items, now=now, min_quality=config.min_quality, include_drafts=drafts)
        report.held_back = selection.held_back
        log.debug(
            "held back: %d unpublished, %d dated after the build time, %d below min_quality",
            selection.unpublished,
            selection.future,
            selection.low_quality,
        )
        selected = normalize_topics(selection.items, canonical=known.topic_names)
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
        taken = {story.path for story in stories}
        redirects = []
        for redirect in grouped.redirects:  # a page wins over a redirect; of two redirects, the first
            if redirect.target.source not in rejected and redirect.path not in taken:
                taken.add(redirect.path)
                redirects.append(redirect)
        report.stories = len(stories)
        log.debug("stories  %d from %d items, %d redirects", len(stories), len(selected), len(redirects))

    with _stage("rank"):
        top = top_stories(stories, config.top_window_days, config.top_stories)
        related = more_on(stories)

    with _stage("index"):
        site = build_site(stories, tz, top, related, known)
    report.items_published = len(stories) + sum(len(story.coverage) for story in stories)

    with _stage("plan"):
        pages = plan_pages(site, config, redirects)
        for page, other in output_clashes(pages):
            raise OutputError(f"two pages would be written to {page.output}: {other.origin} and {page.origin}")

    return PlannedSite(report, themes, pages, items, site, redirects, rejected, displays, loaded.edited_bodies)


def render_and_write(
    pages: list[Page],
    renderer: Renderer,
    writer: SiteWriter,
    options: BuildOptions,
    only_bodies: frozenset[str] | None = None,
) -> float:
    """Render every page and hand it to the writer, in worker processes when there are many.

    Each worker renders a run of pages and writes them itself; only the file hashes travel
    back, never the HTML. Returns the peak memory of the processes that rendered. With
    `only_bodies`, the only change since the previous build is in the bodies of those
    content files: a page that shows none of them is the same as last time and is kept as
    it is, unrendered.
    """

    def render_batch(indexes: range) -> Written:
        for index in indexes:
            if parent_is_gone():  # the build was killed: write nothing more
                os._exit(1)
            page = pages[index]
            if only_bodies is not None and not (page.bodies & only_bodies) and writer.keep(page.output):
                continue
            writer.write(page.output, renderer.render(page))
        batch = writer.take()
        batch.peak_mib = peak_memory_mib()
        return batch

    done, peak = 0, 0.0
    for indexes, batch in run_jobs(render_batch, len(pages), workers=options.workers, chunk=200):
        writer.absorb(batch)
        peak = max(peak, batch.peak_mib)
        done += len(indexes)
        options.progress("writing", done, len(pages))
    return peak


def build(
    config: SiteConfig, options: BuildOptions = DEFAULT_OPTIONS, freshness: Freshness | None = None
) -> BuildReport:
    """Build the site of `config` into its output folder and report what happened.

    In strict mode the first content error raises `ContentError` before anything is
    written; otherwise rejected items are reported and left out (their previous pages kept).
    With a cache folder, a build whose inputs are all as the last build left them returns
    that build's report (marked `unchanged`) without doing anything.
    """
    started = time.perf_counter()
    output_dir = config.output_dir
    check_output_folder(output_dir)
    if freshness is None:
        freshness = Freshness(config, options)
        previous = freshness.unchanged()
        if previous is not None:
            return previous
    planned = plan_site(config, options)
    report, themes, pages, site = planned.report, planned.themes, planned.pages, planned.site
    redirects, rejected, displays = planned.redirects, planned.rejected, planned.displays

    only_bodies = None
    edited_files = freshness.changed_content()
    if planned.edited_bodies is not None and edited_files is not None and edited_files <= planned.edited_bodies:
        only_bodies = planned.edited_bodies
        log.debug("bodies   only %d bodies changed: rendering only the pages that show them", len(only_bodies))
    renderer = Renderer(themes.templates)
    static_dirs = list(themes.static)
    with _stage("render+write"):
        writer = SiteWriter(output_dir)
        try:
            peak = render_and_write(pages, renderer, writer, options, only_bodies)
            log.debug("rendered by %d processes, peak memory %.0f MiB", options.workers, peak)
            outputs: dict[str, list[str]] = defaultdict(list)  # the files each content file gives
            for redirect in redirects:
                outputs[redirect.source].append(urls.output_file(redirect.path))
            for item in site.items:
                outputs[item.source].append(urls.output_file(item.path))
            written = writer.finish(
                static_dirs=static_dirs,
                sources=outputs,
                keep_sources=rejected,
            )
        except BaseException:
            writer.abort()
            raise
    report.pages_written = len(pages)
    report.files_changed = written.files_written
    report.files_removed = written.files_removed
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
    freshness.record(report, [item.published_at for item in planned.items])
    report.seconds = time.perf_counter() - started
    log.debug("output   %s", display_path(Path(output_dir)))
    return report
