"""Rebuilds with a cache: whatever changed, the site must be byte for byte what a cold build
of the same input gives, and only the files whose bytes changed may be rewritten."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jinja2
import pytest

from generator import output
from generator.config import load_config
from generator.errors import ContentError
from generator.incremental import freshness
from generator.options import BuildOptions, BuildReport
from generator.output import COMMIT, SiteWriter
from generator.pipeline import build
from generator.plan import search

from .conftest import REPO, item_text, tree_bytes

NOW = datetime(2025, 1, 1, tzinfo=UTC)


class DigestLog(logging.Handler):
    """The debug lines of Digest's own logger. Attached to that logger itself: the command
    line stops it from propagating, so pytest's `caplog` (on the root logger) would not see
    them with every pytest version."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def digest_log() -> Iterator[DigestLog]:
    logger = logging.getLogger("digest")
    handler, level = DigestLog(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample site, which is big enough (150 pages) to be built by two workers,
    with its own copy of the default theme to edit. Its search index is cut in parts of 4
    stories (500 on a real site), so that the parts are rebuilt and compared too."""
    monkeypatch.setattr(search, "PART_SIZE", 4)
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(REPO / "site.toml", site / "site.toml")
    for folder in ("content", "static", "data"):
        shutil.copytree(REPO / folder, site / folder)
    shutil.copytree(REPO / "generator" / "themes" / "default", site / "themes" / "default")
    return site


def run(site: Path, *, cache: Path | None, output: str = "_site", workers: int = 2, **options: object) -> BuildReport:
    config, _ = load_config(site / "site.toml", required=True)
    config = config.__class__(**{**vars(config), "output": output})
    return build(config, BuildOptions(now=NOW, cache_dir=cache, workers=workers, **options))  # type: ignore[arg-type]


def cold_copy(site: Path, tmp_path: Path) -> dict[str, bytes]:
    """What a build with no cache and no previous output makes of the site as it is now."""
    report = run(site, cache=None, output=str(tmp_path / "cold"), workers=1)
    assert not report.unchanged
    files = tree_bytes(tmp_path / "cold")
    shutil.rmtree(tmp_path / "cold")
    return files


def edit_every_body(site: Path) -> None:
    for path in sorted((site / "content").glob("*.md")):
        path.write_text(path.read_text(encoding="utf-8") + "\nA [new link](/about/) and *more*.\n", encoding="utf-8")


def edit_body_and_title(site: Path) -> None:
    edit_body(site)
    path = site / "content" / "2024-02-15-openai-unveils-sora-text-to-video.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "OpenAI Unveils' in text
    path.write_text(text.replace('title: "OpenAI Unveils', 'title: "OpenAI Shows', 1), encoding="utf-8")


def edit_body(site: Path) -> None:
    path = site / "content" / "2024-02-15-openai-unveils-sora-text-to-video.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA new closing line.\n", encoding="utf-8")


def add_item(site: Path) -> None:
    text = item_text("A new story", "2024-10-20T09:00:00Z")
    text = text.replace("  - AI\n", "  - Robotics\n  - Research\n").replace("Example News", "Example Wire")
    (site / "content" / "2024-10-20-a-new-story.md").write_text(text, encoding="utf-8")


def rename_a_source(site: Path) -> None:
    """A newer item names its source differently and with another logo: a source takes both
    from its newest item, so the older stories' cards, pages, feeds and API entries change
    although their files did not."""
    text = item_text("Health Machine Journal has a new name", "2024-10-21T09:00:00Z").replace(
        "provider:\n  name: Example News\n  domain: news.example.com\n",
        "provider:\n  name: Health Machine Daily\n  domain: healthmachine.example\n"
        '  images:\n    - url: "/images/providers/globalaireview.example.svg"\n      width: 64\n      height: 64\n',
    )
    assert "healthmachine.example" in text
    (site / "content" / "2024-10-21-health-machine-renamed.md").write_text(text, encoding="utf-8")


def join_a_story(site: Path) -> None:
    """Another outlet reports a story the site has: it joins that story as coverage."""
    text = item_text("European Parliament Adopts the EU AI Act", "2024-03-14T08:00:00Z")
    (site / "content" / "2024-03-14-eu-ai-act-second-outlet.md").write_text(text, encoding="utf-8")


def join_a_week(site: Path) -> None:
    """A hotter story joins the week of another: the older one's number in the week's email changes."""
    text = item_text("Policy makers meet on AI", "2024-03-12T09:00:00Z", extra="  - Policy\nheat: 99\n")
    (site / "content" / "2024-03-12-policy-makers-meet.md").write_text(text, encoding="utf-8")


def delete_item(site: Path) -> None:
    (site / "content" / "2024-02-15-openai-unveils-sora-text-to-video.md").unlink()


def change_topics(site: Path) -> None:
    path = site / "content" / "2024-02-15-openai-unveils-sora-text-to-video.md"
    text = path.read_text(encoding="utf-8")
    assert "topics:\n" in text
    path.write_text(text.replace("topics:\n", "topics:\n  - Brand New Topic\n", 1), encoding="utf-8")


def change_template(site: Path) -> None:
    template = site / "themes" / "default" / "templates" / "item.html"
    original = template.read_text(encoding="utf-8")
    assert "{% block main %}" in original
    template.write_text(original.replace("{% block main %}", "{% block main %}<p>Edited.</p>", 1), encoding="utf-8")


def change_static(site: Path) -> None:
    (site / "static" / "extra.txt").write_text("a new static file\n", encoding="utf-8")


def change_config(site: Path) -> None:
    path = site / "site.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("The AI Digest", "The Other Digest"), encoding="utf-8")


CHANGES: dict[str, Callable[[Path], None]] = {
    "edit one body": edit_body,
    "edit every body": edit_every_body,
    "edit one body and its title": edit_body_and_title,
    "add one item": add_item,
    "delete one item": delete_item,
    "a newer item renames its source": rename_a_source,
    "an outlet joins a story": join_a_story,
    "a hotter story joins a week": join_a_week,
    "change one item's topics": change_topics,
    "change a template": change_template,
    "add a static file": change_static,
    "change the config": change_config,
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_warm_build_equals_a_cold_build_byte_for_byte(site: Path, tmp_path: Path, change: str) -> None:
    cache = tmp_path / "cache"
    first = run(site, cache=cache)
    assert first.errors == 0
    before = tree_bytes(site / "_site")
    CHANGES[change](site)
    warm = run(site, cache=cache)
    assert not warm.unchanged
    after = tree_bytes(site / "_site")
    assert after == cold_copy(site, tmp_path)
    assert sum(name.startswith("api/stories/") for name in after) > 10  # the JSON API is compared too
    assert sum(name.startswith("search/part/") for name in after) > 2  # and the search index's parts
    changed = {path for path in after if before.get(path) != after[path]} | (set(before) - set(after))
    assert warm.files_changed + warm.files_removed == len(changed - {".digest-build.json"})  # the marker is not counted
    assert sorted(path.name for path in site.iterdir() if path.name.startswith("._site")) == []


def test_editing_one_body_rewrites_only_the_files_that_show_it(
    site: Path, tmp_path: Path, digest_log: DigestLog
) -> None:
    cache = tmp_path / "cache"
    run(site, cache=cache)
    out = site / "_site"
    stamps = {path: os.stat(path).st_mtime_ns for path in out.rglob("*") if path.is_file()}
    edit_body(site)
    report = run(site, cache=cache)
    assert "only 1 bodies changed: rendering only the pages that show them" in digest_log.text
    rewritten = sorted(
        path.relative_to(out).as_posix()
        for path in out.rglob("*")
        if path.is_file() and os.stat(path).st_mtime_ns != stamps.get(path)
    )
    item_page = next(path for path in rewritten if "sora" in path and not path.startswith("api/"))
    assert item_page.endswith("index.html")
    # The story's page and the feeds that carry its summary; lists only show the excerpt.
    assert all(path == item_page or path.endswith((".xml", ".json")) for path in rewritten), rewritten
    # Of the JSON API, only the story's own document: its lists leave the body out.
    assert [path for path in rewritten if path.startswith("api/")] == [
        "api/stories/news/2024/02/15/openai-unveils-sora-text-to-video.json"
    ]
    assert report.files_changed == len(rewritten) - 1  # the marker is rewritten but not counted
    assert len(rewritten) < 20 < len(stamps)


def test_a_rebuild_with_nothing_changed_does_nothing_and_reports_the_same(site: Path, tmp_path: Path) -> None:
    (site / "content" / "broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    cache = tmp_path / "cache"
    first = run(site, cache=cache)
    before = tree_bytes(site / "_site")
    again = run(site, cache=cache)
    assert again.unchanged
    assert "nothing changed since the last build" in again.summary()
    assert (again.errors, again.items_read, again.pages_written) == (
        first.errors,
        first.items_read,
        first.pages_written,
    )
    assert [str(problem) for problem in again.problems] == [str(problem) for problem in first.problems]
    assert tree_bytes(site / "_site") == before


def test_touching_a_file_without_changing_it_rewrites_nothing(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(site, cache=cache)
    os.utime(site / "content" / "2024-02-15-openai-unveils-sora-text-to-video.md")
    report = run(site, cache=cache)
    assert not report.unchanged
    assert report.files_changed == 0


def test_strict_mode_is_not_answered_by_a_lenient_build(site: Path, tmp_path: Path) -> None:

    (site / "content" / "broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    cache = tmp_path / "cache"
    run(site, cache=cache)
    with pytest.raises(ContentError):
        run(site, cache=cache, strict=True)


def test_a_future_item_appears_when_the_clock_passes_its_date(site: Path, tmp_path: Path) -> None:
    (site / "content" / "2025-06-01-later.md").write_text(
        item_text("Later news", "2025-06-01T00:00:00Z"), encoding="utf-8"
    )
    cache = tmp_path / "cache"
    config, _ = load_config(site / "site.toml", required=True)
    first = build(config, BuildOptions(now=NOW, cache_dir=cache))
    assert first.held_back == 2
    same = build(config, BuildOptions(now=datetime(2025, 5, 31, tzinfo=UTC), cache_dir=cache))
    assert same.unchanged
    later = build(config, BuildOptions(now=datetime(2025, 6, 2, tzinfo=UTC), cache_dir=cache))
    assert not later.unchanged and later.held_back == 1
    assert "Later news" in (site / "_site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("damage", ["corrupt", "truncate", "delete folder", "new code version"])
def test_a_damaged_or_outdated_cache_means_a_silent_cold_build(
    site: Path, tmp_path: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    run(site, cache=cache)
    files = sorted(path for path in (cache / "digest").rglob("*") if path.is_file())
    kinds = {path.relative_to(cache / "digest").parts[0].split("-")[0] for path in files}
    assert kinds == {"content", "kept", "pages", "state", "templates"}
    if damage == "corrupt":
        for path in files:
            path.write_bytes(b"\x80\x05not a pickle at all")
    elif damage == "truncate":
        for path in files:
            path.write_bytes(path.read_bytes()[:100])
    elif damage == "delete folder":
        shutil.rmtree(cache)
    else:
        monkeypatch.setattr(freshness, "code_version", lambda: "a different version")
    edit_body(site)
    report = run(site, cache=cache)
    assert report.errors == 0 and not report.unchanged
    assert tree_bytes(site / "_site") == cold_copy(site, tmp_path)


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("change", [edit_body, add_item])
def test_a_file_edited_by_hand_in_the_output_is_written_again(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int, change: Callable[[Path], None]
) -> None:
    """Also the files of lists and editions the change leaves alone, whose pages the build
    takes from the last build's plan (`Kept`) and must plan again to write."""
    monkeypatch.setattr(output, "BACKGROUND_SCAN_FILES", 0)  # with two workers, scanned in a process of its own
    cache = tmp_path / "cache"
    run(site, cache=cache, workers=workers)
    out = site / "_site"
    (out / "index.html").write_text("defaced", encoding="utf-8")
    (out / "subscribe" / "index.html").unlink()
    for kept in ("topics/google/index.html", "topics/google/atom.xml", "api/topics/google/index.json"):
        (out / kept).unlink()
    (out / "daily" / "2023-11-06" / "email.txt").write_text("defaced", encoding="utf-8")
    change(site)
    run(site, cache=cache, workers=workers)
    assert tree_bytes(out) == cold_copy(site, tmp_path)


def test_one_worker_and_two_workers_write_the_same_site(site: Path, tmp_path: Path) -> None:
    run(site, cache=None, output=str(tmp_path / "one"), workers=1)
    run(site, cache=None, output=str(tmp_path / "two"), workers=2)
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")


def test_workers_start_with_the_templates_compiled_once(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no compiled templates kept from an earlier build, the build compiles each template
    once, before its workers start, instead of every worker compiling its own."""
    compiled = tmp_path / "compiled.log"
    compile_template = jinja2.Environment.compile

    def logged(
        self: jinja2.Environment, source: str, name: str | None = None, *args: object, **kwargs: object
    ) -> object:
        with compiled.open("a", encoding="utf-8") as log:  # appended to by every process
            log.write(f"{os.getpid()} {name}\n")
        return compile_template(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", logged)
    report = run(site, cache=tmp_path / "cache", workers=2)
    assert report.errors == 0 and report.pages_written > 200  # more than one run of pages: rendered by workers
    lines = compiled.read_text(encoding="utf-8").splitlines()
    processes, names = zip(*(line.split(" ", 1) for line in lines), strict=True)
    assert {"base.html", "item.html", "partials/card.html"} <= set(names)
    assert sorted(names) == sorted(set(names))
    assert set(processes) == {str(os.getpid())}


def test_a_build_killed_while_moving_files_in_is_finished_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "_site"
    first = SiteWriter(out)
    for name in ("a", "b", "c"):
        first.write(f"{name}/index.html", b"old " + name.encode())
    first.finish()
    second = SiteWriter(out)
    for name in ("a", "b"):
        second.write(f"{name}/index.html", b"new " + name.encode())
    moves = 0
    real_replace = os.replace

    def dying_replace(source: object, target: object) -> None:
        nonlocal moves
        moves += 1
        if moves == 2:
            raise KeyboardInterrupt  # as if killed after the first file was moved in
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", dying_replace)
    with pytest.raises(KeyboardInterrupt):
        second.finish()
    monkeypatch.setattr(os, "replace", real_replace)
    staging = [path for path in out.iterdir() if path.name.startswith(".digest-staging-")]
    assert len(staging) == 1 and (staging[0] / COMMIT).is_file()
    second.abort()  # what a build does on its way out: a committed record stays
    assert (staging[0] / COMMIT).is_file()
    SiteWriter(out).abort()  # the next build's start finishes the moves
    assert tree_bytes(out) | {".digest-build.json": b""} == {
        ".digest-build.json": b"",
        "a/index.html": b"new a",
        "b/index.html": b"new b",
    }
    assert [path.name for path in tmp_path.iterdir()] == ["_site"]


def test_small_changes_go_to_the_cache_journal_and_are_read_back(
    site: Path, tmp_path: Path, digest_log: DigestLog
) -> None:
    cache = tmp_path / "cache"
    run(site, cache=cache)
    (main,) = (cache / "digest").glob("content-*.sealed")
    written = main.stat().st_mtime_ns
    edit_body(site)
    run(site, cache=cache)
    assert main.stat().st_mtime_ns == written  # the one changed item went to the journal
    journal = main.with_name(main.name + ".journal")
    assert journal.is_file()
    os.utime(site / "content" / "2024-02-15-openai-unveils-sora-text-to-video.md")  # same bytes, new time
    digest_log.lines.clear()
    run(site, cache=cache)
    assert "cache    20 of 20 files unchanged" in digest_log.text  # the edited item came from the journal
    edit_body(site)
    with_journal = run(site, cache=cache)
    assert with_journal.files_changed > 0
    journal.write_bytes(journal.read_bytes()[:-20])  # as if a build was killed while appending
    edit_body(site)
    run(site, cache=cache)
    assert tree_bytes(site / "_site") == cold_copy(site, tmp_path)
    delete_item(site)  # a file gone: the cache is written whole again, the journal dropped
    run(site, cache=cache)
    assert main.stat().st_mtime_ns != written and not journal.exists()
    assert tree_bytes(site / "_site") == cold_copy(site, tmp_path)


def test_items_that_name_one_source_share_its_reference_when_cached_or_not(site: Path, tmp_path: Path) -> None:
    """Each source is one object however many items, related links and cache reads name it."""
    from generator.pipeline import plan_site

    config, _ = load_config(site / "site.toml", required=True)
    cache = tmp_path / "cache"
    for _ in ("parsed", "from the cache"):
        items = plan_site(config, BuildOptions(now=NOW, cache_dir=cache, workers=1)).items
        references = [item.provider for item in items if item.provider is not None]
        references += [entry.provider for item in items for entry in item.related if entry.provider is not None]
        assert len(references) > len(set(references)) > 1  # the sample site names sources again and again
        assert len({id(reference) for reference in references}) == len(set(references))


def test_results_kept_for_new_stories_go_to_a_journal(site: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(site, cache=cache)
    (record,) = (cache / "digest").glob("kept-*.sealed")
    journal = record.with_name(record.name + ".journal")

    def add_story(number: int) -> None:
        text = item_text(f"Another new story {number}", f"2024-10-2{number}T09:00:00Z")
        (site / "content" / f"2024-10-2{number}-another-new-story-{number}.md").write_text(text, encoding="utf-8")

    written = record.read_bytes()
    add_story(1)
    run(site, cache=cache)
    assert record.read_bytes() == written and journal.stat().st_size > 0  # the new story's results
    assert tree_bytes(site / "_site") == cold_copy(site, tmp_path)
    journal.write_bytes(journal.read_bytes()[:-20])  # as if a build was killed while appending
    add_story(2)
    run(site, cache=cache)  # a damaged journal is not appended to: the record is written whole
    assert record.read_bytes() != written and not journal.exists()
    assert tree_bytes(site / "_site") == cold_copy(site, tmp_path)
    written = record.read_bytes()
    add_story(3)
    run(site, cache=cache)
    assert record.read_bytes() == written and journal.stat().st_size > 0
    delete_item(site)  # results no story uses any more: the record is written whole again
    run(site, cache=cache)
    assert record.read_bytes() != written and not journal.exists()
    assert tree_bytes(site / "_site") == cold_copy(site, tmp_path)


def test_a_warm_build_looks_at_each_content_file_once(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    run(site, cache=cache)
    add_item(site)
    content = str(site / "content")
    looked_at: list[str] = []
    real_stat = os.stat

    def counting_stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if str(path).startswith(content):
            looked_at.append(os.path.basename(str(path)))
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", counting_stat)
    run(site, cache=cache)
    monkeypatch.setattr(os, "stat", real_stat)
    # Each unchanged item once, when the build checks what changed: the content cache uses
    # what that found. (The new item is looked at again when it is parsed.)
    unchanged = sorted(path.name for path in (site / "content").glob("*.md") if "a-new-story" not in path.name)
    assert len(unchanged) > 10
    assert sorted(name for name in looked_at if name.endswith(".md") and "a-new-story" not in name) == unchanged
    assert tree_bytes(site / "_site") == cold_copy(site, tmp_path)


@pytest.mark.parametrize("change", ["add one item", "delete one item", "change one item's topics"])
def test_a_content_change_renders_only_the_pages_whose_content_changed(
    site: Path, tmp_path: Path, digest_log: DigestLog, change: str
) -> None:
    cache = tmp_path / "cache"
    run(site, cache=cache)
    CHANGES[change](site)
    run(site, cache=cache)
    found = re.search(r"render +(\d+) of (\d+) pages changed since the last build", digest_log.text)
    assert found is not None, digest_log.text
    rendered, planned = int(found.group(1)), int(found.group(2))
    assert 0 < rendered < planned / 2, (rendered, planned)
    assert run(site, cache=None, output=str(tmp_path / "check")).errors == 0  # the change is a valid one
    assert tree_bytes(site / "_site") == cold_copy(site, tmp_path)


def test_a_story_digest_changes_with_its_related_coverage_and_topics_alone() -> None:
    from generator.incremental.fingerprint import Digests
    from generator.model import Related, Story

    from .factories import make_item

    related = (Related("The same story elsewhere", "https://other.example/1"),)
    item = make_item(1, related=related, topics=("AI", "Robotics"))

    def digest(story: Story) -> bytes:
        return Digests().value(story)

    single = Story.single(item)
    assert digest(single) == digest(Story.single(make_item(1, related=related, topics=("AI", "Robotics"))))
    for changed in (
        Story(item, (), item.topics, item.heat, (), item.source),
        Story(item, (), item.topics, item.heat, (*related, Related("Another", "https://third.example/2")), item.source),
        Story(item, (), ("AI",), item.heat, item.related, item.source),
        Story(item, (), item.topics, 7, item.related, item.source),
    ):
        assert digest(changed) != digest(single), changed


def test_a_changed_template_renders_every_page_again(site: Path, tmp_path: Path, digest_log: DigestLog) -> None:
    cache = tmp_path / "cache"
    run(site, cache=cache)
    change_template(site)
    add_item(site)
    run(site, cache=cache)
    assert "pages changed since the last build" not in digest_log.text
    assert tree_bytes(site / "_site") == cold_copy(site, tmp_path)


def rendered_after_one_new_story(tmp_path: Path, stories: int, digest_log: DigestLog) -> tuple[int, int]:
    """Pages a warm build renders when one story newer than the `stories` others is added
    to a site of one topic and one source, five stories to a list page, and the units (see
    `plan.page.Unit`) it plans again rather than taking from the last build."""
    site = tmp_path / f"site-{stories}"
    (site / "content").mkdir(parents=True)
    (site / "site.toml").write_text('base_url = "https://example.org/"\nitems_per_page = 5\n', encoding="utf-8")

    def story(number: int) -> str:
        day = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=12 * number)
        return item_text(title=f"Story {number}", date=day.strftime("%Y-%m-%dT%H:%M:%SZ"))

    for number in range(stories):
        (site / "content" / f"{number:03}.md").write_text(story(number), encoding="utf-8")
    cache = tmp_path / f"cache-{stories}"
    run(site, cache=cache, workers=1)
    (site / "content" / "new.md").write_text(story(stories), encoding="utf-8")
    digest_log.lines.clear()
    run(site, cache=cache, workers=1)
    found = re.search(r"render +(\d+) of \d+ pages changed since the last build", digest_log.text)
    assert found is not None, digest_log.text
    units = re.search(r"units +(\d+) of (\d+) as the last build planned them", digest_log.text)
    assert units is not None, digest_log.text
    assert tree_bytes(site / "_site") == cold_copy(site, tmp_path / f"check-{stories}")
    return int(found.group(1)), int(units.group(2)) - int(units.group(1))


def test_the_pages_a_new_story_renders_do_not_grow_with_the_lists(tmp_path: Path, digest_log: DigestLog) -> None:
    """Full numbered pages show nothing that a new story changes (no counts, no top
    stories), so adding a story to lists eight times as long renders as many pages."""
    short, _ = rendered_after_one_new_story(tmp_path, 23, digest_log)
    long, _ = rendered_after_one_new_story(tmp_path, 183, digest_log)
    assert 0 < short == long


def test_a_new_story_plans_again_only_the_lists_it_joins(tmp_path: Path, digest_log: DigestLog) -> None:
    """The home page's list, its topic's, its source's and its month's, the API's lists of
    the same, its day's and its week's editions, and the day and week before them (which
    show them as "newer"): eleven units, whatever the number of days, weeks, months and
    lists the story is not in."""
    _, short = rendered_after_one_new_story(tmp_path, 23, digest_log)
    _, long = rendered_after_one_new_story(tmp_path, 183, digest_log)
    assert short == long == 11


def test_an_item_is_named_in_page_digests_by_its_file(site: Path, tmp_path: Path) -> None:
    """Page digests name each loaded item by the digest of its file's bytes (kept in the
    cache), not by walking the item. Whichever way items are named, the same pages must
    change between two builds: a page whose digest stayed the same is kept as it was, so
    one the walk sees changing and the file names do not would go stale."""
    from generator.incremental.fingerprint import page_digests
    from generator.pipeline import plan_site

    cache = tmp_path / "cache"
    config, _ = load_config(site / "site.toml", required=True)
    options = BuildOptions(now=NOW, cache_dir=cache, workers=1)

    def digests_both_ways() -> tuple[dict[str, str], dict[str, str]]:
        planned = plan_site(config, options)
        assert len(planned.item_digests) == len(planned.items) > 10  # new and cached items alike
        by_file = page_digests(planned.pages, planned.derived, planned.item_digests)
        walked = page_digests(planned.pages, planned.derived)
        assert by_file is not None and walked is not None
        return by_file, walked

    def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
        return {page for page, digest in after.items() if before.get(page) != digest}

    first_by_file, first_walked = digests_both_ways()
    again_by_file, again_walked = digests_both_ways()  # all from the cache now
    assert again_by_file == first_by_file and again_walked == first_walked
    add_item(site)
    edit_body_and_title(site)
    then_by_file, then_walked = digests_both_ways()
    assert changed(first_by_file, then_by_file) == changed(first_walked, then_walked)
    assert {
        "news/2024/02/15/openai-unveils-sora-text-to-video/index.html",
        "news/2024/10/20/a-new-story/index.html",
    } <= changed(first_walked, then_walked)


def test_a_build_turns_the_garbage_collector_back_on(site: Path, tmp_path: Path) -> None:
    """A build pauses Python's cycle collector while it runs; `digest serve` builds again
    and again in one process, which must not keep every build's cycles."""
    import gc

    run(site, cache=None)
    assert gc.isenabled()
    (site / "content" / "zz-broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    with pytest.raises(ContentError):
        run(site, cache=None, strict=True)
    assert gc.isenabled()


LEFT_ALIVE = """
import gc, sys
from generator.commands import main
from generator.model import Item, Story
# One process (-j 1) renders every page, so whatever rendering caches is cached here.
code = main(["build", "--content", sys.argv[1], "--output", sys.argv[2], "--no-cache", "-q", "-j", "1"])
gc.collect()
alive = [o for o in gc.get_objects() if isinstance(o, (Story, Item))]
print(code, len(alive))
"""


def test_nothing_of_a_finished_build_stays_alive(site: Path, tmp_path: Path) -> None:
    """`digest serve` builds again and again in one process: once a build is over, none of
    its items or stories may stay reachable, or each rebuild would hold the last one's site
    (a cache of feed entries' texts once kept the whole plan)."""
    found = subprocess.run(
        [sys.executable, "-c", LEFT_ALIVE, str(site / "content"), str(tmp_path / "out")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.split() == ["0", "0"], found.stderr


def test_a_build_with_nothing_changed_imports_no_stage(site: Path, tmp_path: Path) -> None:
    """Finding that nothing changed is a few hundred `stat` calls; importing YAML, Markdown,
    Jinja2 and the stages that use them cost more than that (about 60 ms of 200 at 10,000
    items). The second build of an unchanged site must not import them."""
    build = [sys.executable, "-X", "importtime", str(REPO / "build.py"), "--content", str(site / "content")]
    build += ["--output", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache")]
    imported = []
    for _ in range(2):
        done = subprocess.run(build, cwd=site, capture_output=True, text=True, check=True)
        imported.append({line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line})
    heavy = {"yaml", "markdown_it", "jinja2", "generator.pipeline", "generator.load.validate"}
    assert heavy <= imported[0]  # the first build did the work
    assert "nothing changed since the last build" in done.stdout
    assert not heavy & imported[1]
    # Nor the model, nor what reading libraries' metadata or making feed ids needs (together
    # some 30 ms of the 0.2 s the check takes at 10,000 items).
    assert not {"generator.model", "importlib.metadata", "email.utils", "uuid"} & imported[1]


def test_the_code_version_knows_each_library_by_its_installed_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache made with one version of Markdown, YAML or Jinja2 must not serve a build by
    another, so the code version names each library as it is installed: by the metadata
    folder Python would import it with, which holds its version."""
    from importlib import metadata

    found = freshness.library_versions(freshness._LIBRARIES)
    assert set(found) == set(freshness._LIBRARIES)
    for library, name in found.items():
        assert name.endswith(".dist-info") and f"-{metadata.version(library)}." in name
    before = freshness.code_version()
    newer = tmp_path / "site-packages"
    (newer / "Jinja2-99.1.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(newer))  # first on the path: the one Python would import
    assert freshness.library_versions(["Jinja2"]) == {"Jinja2": "Jinja2-99.1.dist-info"}
    freshness.code_version.cache_clear()
    try:
        assert freshness.code_version() != before
    finally:
        freshness.code_version.cache_clear()
    assert freshness.library_versions(["no-such-library"]) == {"no-such-library": "?"}


def test_compiled_templates_are_kept_and_only_our_own_are_loaded(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm build loads the theme's compiled templates from the cache folder instead of
    compiling them again. Compiled code runs when loaded, so a record sealed with any key
    but this user's is never loaded, and the site is the same either way."""
    from jinja2.bccache import Bucket

    from generator.incremental import sealed

    cache = tmp_path / "cache"
    run(site, cache=cache)
    records = sorted((cache / "digest" / "templates").glob("*.sealed"))
    assert len(records) > 5
    loaded: list[str] = []
    original = Bucket.bytecode_from_string

    def recorded(bucket: Bucket, code: bytes) -> None:
        loaded.append(bucket.key)
        original(bucket, code)

    monkeypatch.setattr(Bucket, "bytecode_from_string", recorded)
    edit_body(site)
    run(site, cache=cache, workers=1)
    assert loaded
    assert tree_bytes(site / "_site") == cold_copy(site, tmp_path / "first")

    key = sealed.cache_key()
    assert key is not None
    for record in records:
        with record.open("rb") as stream:
            code = sealed.load(stream, key)
        with record.open("wb") as stream:
            sealed.dump(code, stream, bytes(32))  # the same code under another key
    loaded.clear()
    edit_body(site)
    run(site, cache=cache, workers=1)
    assert loaded == []
    assert tree_bytes(site / "_site") == cold_copy(site, tmp_path / "second")
