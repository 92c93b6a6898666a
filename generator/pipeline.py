"""One build, stage after stage: discover → load → curate → index → plan → render → write.

Each stage is a function of its own module and hands plain data to the next; this module
only wires them together, times them and gathers the problems they report.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import urls
from .config import SiteConfig
from .curate import Curated, curate
from .errors import ContentError, ContentProblem, OutputError
from .incremental.cache import CachedLoad, ContentCache, load_fresh, only_body_changed
from .incremental.fingerprint import (
    Digests,
    Recorded,
    digests_file,
    forget_digests,
    page_digests,
    read_digests,
    write_digests,
)
from .incremental.freshness import Freshness, Signature, code_version
from .incremental.kept import KeptResults
from .incremental.rebuild import body_only_edits, pages_to_render
from .incremental.templates import template_cache
from .incremental.units import KnownUnits
from .load.assets import drop_missing_assets
from .load.discover import SourceFile, content_folders, discover, display_path
from .load.sitedata import load_site_data
from .load.validate import LoadResult
from .model import Item
from .options import DEFAULT_OPTIONS, BuildOptions, BuildReport
from .output import SiteWriter, WriteReport, Written, check_output_folder
from .parallel import parent_is_gone, run_jobs
from .plan.derived import Derived
from .plan.page import Page
from .plan.pages import made_again, output_clashes, plan_site_pages, render_order, story_outputs
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
    started, cpu = time.perf_counter(), time.process_time()
    yield
    if log.isEnabledFor(logging.DEBUG):
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        log.debug("%-8s %.3f s (CPU %.3f s here), peak memory %.0f MiB", name, wall, cpu, peak_memory_mib())


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a site is built.

    A build allocates millions of objects that live until it ends (items, stories, the page
    plan) and makes few reference cycles. The collector's repeated passes over that growing
    heap took a third of the CPU of a warm build at 10,000 items, and the cycles it would
    have freed during the build are about 60,000 objects (some 16 MiB). Reference counting
    still frees everything else as the build goes; the cycles are freed once the collector
    is back on. Forked workers turn it on for their own objects (see `parallel`).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class PlannedSite:
    """Everything a build knows before it renders: the pages and where they came from."""

    report: BuildReport
    themes: ThemeFolders
    pages: list[Page]
    items: list[Item]  # every item that loaded, before selection
    curated: Curated
    displays: dict[str, str]  # how messages name each content file
    rejected: frozenset[str]  # files that gave no page: unusable, or their address taken
    derived: Derived  # what each story's objects on the pages were made from
    # Files parsed again whose items differ from the cached ones in their body alone (None:
    # some file was new or changed more than that).
    edited_bodies: frozenset[str] | None = None
    # Loaded items with their digests as the cache kept them (see `ContentCache.item_digests`).
    item_digests: list[tuple[Item, bytes]] = field(default_factory=list)
    # The units met while planning, and the digests that named their inputs (see
    # `incremental.units`); None when the build keeps nothing for the next.
    units: KnownUnits | None = None


@dataclass(frozen=True)
class Loaded:
    """Every content file as loaded: the items, the problems, and how to name each file."""

    results: list[LoadResult]
    edited_bodies: frozenset[str] | None  # see `PlannedSite`
    item_digests: list[tuple[Item, bytes]]  # see `PlannedSite`

    @property
    def items(self) -> list[Item]:
        return [result.item for result in self.results if result.item is not None]

    @property
    def problems(self) -> list[ContentProblem]:
        return [problem for result in self.results for problem in result.problems]

    @property
    def rejected(self) -> set[str]:
        return {result.source.relative for result in self.results if result.item is None}

    @property
    def displays(self) -> dict[str, str]:
        return {result.source.relative: result.source.display for result in self.results}


def addresses_of(config: SiteConfig) -> urls.AddressRules:
    return urls.AddressRules(config.permalink, config.redirect_from)


def _site_cache_file(kind: str, config: SiteConfig, cache_dir: Path | None) -> Path | None:
    """One cache file of each kind per set of content folders, so two sites sharing a cache
    folder do not thrash."""
    if cache_dir is None:
        return None
    folder = "\n".join(str(folder.resolve()) for folder in config.content_dirs)
    return cache_dir / "digest" / f"{kind}-{urls.short_hash(folder)}.sealed"


def content_cache_file(config: SiteConfig, cache_dir: Path | None) -> Path | None:
    """Where the loaded items are kept (see `incremental.cache`)."""
    return _site_cache_file("content", config, cache_dir)


def load_all(
    sources: list[SourceFile], config: SiteConfig, options: BuildOptions, signatures: Mapping[str, Signature | None]
) -> Loaded:
    """Every file's `LoadResult`, from the cache where the file is unchanged, else parsed
    (in worker processes when there are many). `signatures`: the files' state as the build
    found them, by identity (see `Freshness.content_signatures`), where it was taken."""
    max_bytes, summary_bytes = config.max_file_kb * 1024, config.max_summary_kb * 1024
    addresses = addresses_of(config)
    cache = ContentCache(
        content_cache_file(config, options.cache_dir),
        f"{code_version()} {config.timezone} {max_bytes} {summary_bytes} {addresses!r}",
    )
    results: list[LoadResult | None] = [cache.recall(source, max_bytes, signatures) for source in sources]
    missing = [number for number, result in enumerate(results) if result is None]
    log.debug("cache    %d of %d files unchanged", len(sources) - len(missing), len(sources))

    def load_batch(indexes: range) -> list[CachedLoad]:
        return [
            load_fresh(sources[missing[index]], config.timezone, max_bytes, addresses, summary_bytes, cache.key)
            for index in indexes
        ]

    done = len(sources) - len(missing)
    edited: set[str] | None = set()
    for indexes, loaded in run_jobs(load_batch, len(missing), workers=options.workers, chunk=250):
        for index, entry in zip(indexes, loaded, strict=True):
            source = sources[missing[index]]
            if edited is not None and only_body_changed(cache.previous(source.relative), entry):
                edited.add(source.relative)
            else:
                edited = None
            results[missing[index]] = entry.result(source)
            cache.remember(source, entry)
        done += len(indexes)
        options.progress("reading", done, len(sources))
    cache.save()
    kept = [result for result in results if result is not None]
    return Loaded(kept, None if edited is None else frozenset(edited), cache.item_digests())


def _first_error(problems: list[ContentProblem]) -> ContentProblem | None:
    return next((problem for problem in problems if problem.is_error), None)


@_collector_paused()
def plan_site(
    config: SiteConfig,
    options: BuildOptions = DEFAULT_OPTIONS,
    signatures: Mapping[str, Signature | None] = {},
    previous: Recorded | None = None,
) -> PlannedSite:
    """Every stage up to the page plan: discover, load, curate, plan.

    In strict mode the first content error raises `ContentError`. Nothing is written, so
    `check` runs exactly what a build would. `signatures`: see `load_all`. `previous`: what
    the last build recorded, when its setup was this one (empty when it was not): the plan's
    units are then named, and those made from the same inputs as at the last build are not
    planned again (see `incremental.units`).
    """
    report = BuildReport(config_warnings=list(options.config_warnings))
    themes = theme_folders(config.root, config.theme)
    with _stage("discover"):
        sources, discover_problems = discover(content_folders(config))
    report.problems += discover_problems
    report.items_read = len(sources)

    with _stage("load"):
        loaded = load_all(sources, config, options, signatures)
        data, data_problems = load_site_data(config.data_dir)
        site_images = [("logo", config.logo), ("icon", config.icon)]
        items, data, missing = drop_missing_assets(loaded.items, data, themes.static, loaded.displays, site_images)
    problems = [*loaded.problems, *data_problems, *missing]

    with _stage("curate"):
        kept_file = _site_cache_file("kept", config, options.cache_dir)
        kept = KeptResults(kept_file, code_version()) if kept_file is not None else None
        curated = curate(items, data, config, options, loaded.displays, kept)
        if kept is not None:
            kept.save()
    problems += curated.problems
    first_error = _first_error(problems)
    if options.strict and first_error is not None:
        raise ContentError(first_error)
    report.problems += problems
    report.held_back = curated.selection.held_back
    report.stories = len(curated.site.stories)
    report.items_published = curated.items_published

    with _stage("plan"):
        known_units = None
        if previous is not None:
            item_digests = loaded.item_digests

            def known_units(derived: Derived) -> KnownUnits:
                return KnownUnits(Digests(derived, item_digests), previous.pages, previous.units)

        plan = plan_site_pages(curated.site, config, known_units)
        pages = plan.pages
        for page, other in output_clashes(pages):
            raise OutputError(f"two pages would be written to {page.output}: {other.origin} and {page.origin}")
    rejected = frozenset(loaded.rejected | curated.rejected)
    return PlannedSite(
        report,
        themes,
        pages,
        items,
        curated,
        loaded.displays,
        rejected,
        plan.derived,
        loaded.edited_bodies,
        loaded.item_digests,
        plan.units if isinstance(plan.units, KnownUnits) else None,
    )


def render_and_write(
    pages: list[Page],
    renderer: Renderer,
    writer: SiteWriter,
    options: BuildOptions,
    only: frozenset[int] | None = None,
    derived: Derived | None = None,
) -> float:
    """Render every page and hand it to the writer, in worker processes when there are many.

    Each worker renders a run of pages and writes them itself; only the file hashes travel
    back, never the HTML. Returns the peak memory of the processes that rendered. With
    `only` (see `incremental.rebuild`), a page not in it is kept as the last build wrote
    it, unless that file is gone. The pages kept are settled here first, so a warm build
    that renders a few hundred pages does not start workers to walk past thirty thousand.
    """
    writer.settle()  # before any worker forks
    if only is None:
        chosen = made_again(pages)
    else:
        chosen = made_again(page for index, page in enumerate(pages) if index in only or not writer.keep(page.output))
        writer.absorb(writer.take())
    if derived is not None and options.workers > 1 and len(chosen) * 4 > len(pages):
        # Most pages will be rendered: make every story's objects here, once, rather than
        # in each worker for the pages it renders.
        derived.make_all()
    chosen = render_order(chosen)

    def render_batch(indexes: range) -> Written:
        for index in indexes:
            if parent_is_gone():  # the build was killed: write nothing more
                os._exit(1)
            page = chosen[index]
            writer.write(page.output, renderer.render(page))
        batch = writer.take()
        batch.peak_mib = peak_memory_mib()
        return batch

    done, peak = 0, 0.0
    jobs = run_jobs(
        render_batch, len(chosen), workers=options.workers, chunk=200, before_fork=renderer.templates.load_all
    )
    for indexes, batch in jobs:
        writer.absorb(batch)
        peak = max(peak, batch.peak_mib)
        done += len(indexes)
        options.progress("writing", done, len(chosen))
    return peak


def _write(planned: PlannedSite, writer: SiteWriter, options: BuildOptions, only: frozenset[int] | None) -> WriteReport:
    """Render and write every page that needs it, add the static files, and put the new
    site in place (the caller drops the staged files on any failure)."""
    outputs: dict[str, list[str]] = defaultdict(list)  # the files each content file gives
    site = planned.curated.site
    for redirect in site.redirects:
        outputs[redirect.source].append(urls.output_file(redirect.path))
    for source, output in story_outputs(planned.pages):
        outputs[source].append(output)
    with Renderer(planned.themes.templates, template_cache(options.cache_dir)) as renderer:
        peak = render_and_write(planned.pages, renderer, writer, options, only, planned.derived)
    log.debug("rendered by %d processes, peak memory %.0f MiB", options.workers, peak)
    return writer.finish(static_dirs=list(planned.themes.static), sources=outputs, keep_sources=planned.rejected)


def _report_writing(report: BuildReport, written: WriteReport, planned: PlannedSite, output_dir: Path) -> None:
    report.pages_written = len(planned.pages)
    report.files_changed = written.files_written
    report.files_removed = written.files_removed
    report.carried_over = written.carried_over
    report.problems += [
        ContentProblem(
            planned.displays.get(source, source),
            None,
            None,
            "kept the page from the previous build until this file is fixed",
            is_error=False,
        )
        for source in written.carried_over
    ]
    report.problems += [
        ContentProblem(
            display_path(output_dir / link),
            None,
            None,
            "was a symbolic link; removed (Digest writes no links, and one would let a build write elsewhere)",
            is_error=False,
        )
        for link in written.replaced_links
    ]
    report.problems += [
        ContentProblem(display_path(Path(path)), None, None, reason, is_error=False)
        for path, reason in written.refused_static
    ]
    report.problems.sort(key=lambda problem: (problem.path, problem.line or 0))


def _recorded(freshness: Freshness) -> Recorded | None:
    """What the last build recorded for this one (empty when its setup was another); None
    without a cache. Read and forgotten at once: it is written again only after this build
    succeeds, so it never describes an output folder it did not make."""
    if freshness.file is None:
        return None
    path = digests_file(freshness.file)
    recorded = read_digests(path) if freshness.same_setup() else None
    forget_digests(path)
    return recorded if recorded is not None else Recorded({})


def _what_to_render(
    planned: PlannedSite, freshness: Freshness, previous: Recorded | None
) -> tuple[frozenset[int] | None, dict[str, str] | None]:
    """The positions of the pages to render (None: all) and this plan's digests, to keep."""
    edited = body_only_edits(freshness.changed_content(), planned.edited_bodies)
    if edited is not None:
        log.debug("bodies   only %d bodies changed: rendering only the pages that show them", len(edited))
    if previous is None:
        return pages_to_render(planned.pages, edited), None
    with _stage("digest"):
        known = planned.units.digests if planned.units is not None else None
        digests = page_digests(planned.pages, planned.derived, planned.item_digests, known)
    before = previous.pages if previous.pages else None
    only = pages_to_render(planned.pages, edited, digests, before)
    if edited is None and only is not None:
        log.debug("render   %d of %d pages changed since the last build", len(only), len(planned.pages))
    return only, digests


@_collector_paused()
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
    check_output_folder(config.output_dir)
    if freshness is None:
        freshness = Freshness(config, options)
        previous = freshness.unchanged()
        if previous is not None:
            return previous
    # The output folder is locked, and its scan started, before planning: with workers, the
    # scan runs in a process of its own meanwhile (see `SiteWriter`). On any failure the
    # staged files are dropped and the old site stays.
    writer = SiteWriter(config.output_dir, scan_in_background=options.workers > 1)
    try:
        previous = _recorded(freshness)
        planned = plan_site(config, options, freshness.content_signatures(), previous)
        if planned.units is not None:
            log.debug(
                "units    %d of %d as the last build planned them", planned.units.recalled, len(planned.units.units)
            )
        only, digests = _what_to_render(planned, freshness, previous)
        with _stage("render+write"):
            written = _write(planned, writer, options, only)
    except BaseException:
        writer.abort()
        raise
    report = planned.report
    _report_writing(report, written, planned, config.output_dir)
    if digests is not None and freshness.file is not None:
        units = planned.units.records() if planned.units is not None else None
        write_digests(digests_file(freshness.file), digests, units)
    freshness.record(report, [item.published_at for item in planned.items])
    report.seconds = time.perf_counter() - started
    log.debug("output   %s", display_path(Path(config.output_dir)))
    return report
