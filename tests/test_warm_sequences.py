"""Warm builds after random series of edits: each must give, byte for byte, what a cold build
of the same content gives, and report as changed exactly the files whose bytes changed.

`test_incremental` checks one kind of change at a time. A curator's day mixes them: a story
added while another is retitled, a date moved so a story changes day, week and month, a
draft published, an outlet joining a story, a file renamed. Each series here is drawn from
a seeded generator, so a failure names the seed and the edits, and running it again
repeats it. The lists are paged by 3 and the feeds hold 4 stories, so that the sample site's
20 items fill numbered pages and push stories out of feeds.
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from generator.config import load_config
from generator.options import BuildOptions, BuildReport
from generator.output import MARKER
from generator.pipeline import build
from generator.plan import search

from .conftest import REPO, item_text, tree_bytes

NOW = datetime(2025, 1, 1, tzinfo=UTC)
TOPICS = ("AI", "OpenAI", "Generative AI", "Open Source", "Robotics", "Policy", "Chips")
OUTLETS = (
    ("Example News", "news.example.com"),
    ("Silicon Ledger", "siliconledger.example"),
    ("Tide Wire", "tide.example"),
)
SERIES = 5  # builds per series
SEEDS = range(6)

Edit = Callable[[Path, random.Random], str]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample site with short list pages, short feeds and a search index in parts of 4."""
    monkeypatch.setattr(search, "PART_SIZE", 4)
    site = tmp_path / "site"
    site.mkdir()
    settings = (REPO / "site.toml").read_text(encoding="utf-8")
    settings = settings.replace("items_per_page = 20", "items_per_page = 3").replace("feed_size = 50", "feed_size = 4")
    assert "items_per_page = 3" in settings and "feed_size = 4" in settings
    (site / "site.toml").write_text(settings, encoding="utf-8")
    for folder in ("content", "static", "data"):
        shutil.copytree(REPO / folder, site / folder)
    return site


def run(site: Path, output: Path, cache: Path | None, workers: int, now: datetime = NOW) -> BuildReport:
    config, _ = load_config(site / "site.toml", required=True)
    config = config.__class__(**{**vars(config), "output": str(output)})
    return build(config, BuildOptions(now=now, cache_dir=cache, workers=workers))


def items(site: Path) -> list[Path]:
    return sorted((site / "content").glob("*.md"))


def pick(site: Path, rng: random.Random) -> Path:
    return rng.choice(items(site))


def moment(rng: random.Random) -> str:
    """A date from mid-2023 to spring 2025: some fall after the build's clock, and are held
    back until it passes them."""
    start = datetime(2023, 6, 1, tzinfo=UTC)
    return (start + timedelta(minutes=rng.randrange(0, 60 * 24 * 660))).strftime("%Y-%m-%dT%H:%M:00Z")


def front_matter_line(path: Path, key: str, value: str) -> None:
    """Set a top-level key of a content file's front matter (or of a data file), adding it
    when the file has none."""
    text = path.read_text(encoding="utf-8")
    line = re.compile(rf"^{key}: .*$", re.M)
    if line.search(text):
        text = line.sub(lambda _: f"{key}: {value}", text, count=1)
    elif "\n---\n" in text:
        text = text.replace("\n---\n", f"\n{key}: {value}\n---\n", 1)
    else:
        text += f"{key}: {value}\n"
    path.write_text(text, encoding="utf-8")


def add_story(site: Path, rng: random.Random) -> str:
    number = rng.randrange(10**6)
    date, topics = moment(rng), rng.sample(TOPICS, rng.randint(1, 3))
    name, domain = rng.choice(OUTLETS)
    text = item_text(f"Fresh report number {number} on models", date, body=f"Why story {number} matters.")
    text = text.replace("  - AI\n", "".join(f"  - {topic}\n" for topic in topics))
    text = text.replace("name: Example News\n  domain: news.example.com", f"name: {name}\n  domain: {domain}")
    (site / "content" / f"{date[:10]}-fresh-report-{number}.md").write_text(text, encoding="utf-8")
    return f"add a story dated {date} in {topics} from {name}"


def delete_story(site: Path, rng: random.Random) -> str:
    if len(items(site)) <= 8:
        return add_story(site, rng)
    path = pick(site, rng)
    path.unlink()
    return f"delete {path.name}"


def edit_body(site: Path, rng: random.Random) -> str:
    path = pick(site, rng)
    path.write_text(path.read_text(encoding="utf-8") + f"\nA closing line, {rng.randrange(1000)}.\n", encoding="utf-8")
    return f"edit the body of {path.name}"


def retitle(site: Path, rng: random.Random) -> str:
    path = pick(site, rng)
    front_matter_line(path, "title", f'"A new headline, take {rng.randrange(1000)}"')
    return f"retitle {path.name}"


def redate(site: Path, rng: random.Random) -> str:
    path, date = pick(site, rng), moment(rng)
    front_matter_line(path, "publishedDateTime", date)
    return f"move {path.name} to {date}"


def replace_once(path: Path, pattern: str, replacement: str) -> bool:
    """Replace the first match of a multi-line pattern; False when there is none."""
    text, found = re.subn(pattern, replacement, path.read_text(encoding="utf-8"), count=1, flags=re.M)
    if found:
        path.write_text(text, encoding="utf-8")
    return bool(found)


def retopic(site: Path, rng: random.Random) -> str:
    path, topics = pick(site, rng), rng.sample(TOPICS, rng.randint(1, 3))
    if not replace_once(path, r"^topics:\n(?:  - .*\n)+", "topics:\n" + "".join(f"  - {t}\n" for t in topics)):
        return add_story(site, rng)
    return f"give {path.name} the topics {topics}"


def toggle_draft(site: Path, rng: random.Random) -> str:
    path = pick(site, rng)
    draft = "published: false" not in path.read_text(encoding="utf-8")
    front_matter_line(path, "published", "false" if draft else "true")
    return f"{'unpublish' if draft else 'publish'} {path.name}"


def rename_outlet(site: Path, rng: random.Random) -> str:
    path, name = pick(site, rng), f"Renamed Outlet {rng.randrange(100)}"
    if not replace_once(path, r"^provider:\n  name: .*$", f"provider:\n  name: {name}"):
        return retitle(site, rng)
    return f"call the outlet of {path.name} {name}"


def join_story(site: Path, rng: random.Random) -> str:
    """Another outlet reports a story the site has, under the same headline the next day."""
    path = pick(site, rng)
    text = path.read_text(encoding="utf-8")
    title = re.search(r'^title: "(.*)"$', text, re.M)
    date = re.search(r"^publishedDateTime: (\S+)$", text, re.M)
    if title is None or date is None:
        return add_story(site, rng)
    when = datetime.fromisoformat(date.group(1).replace("Z", "+00:00")) + timedelta(hours=rng.randint(1, 30))
    stamp = when.strftime("%Y-%m-%dT%H:%M:00Z")
    joined = item_text(title.group(1).replace('\\"', "'"), stamp).replace("Example News", "Tide Wire")
    joined = joined.replace("news.example.com", "tide.example")
    (site / "content" / f"{stamp[:10]}-joins-{path.stem[11:]}.md").write_text(joined, encoding="utf-8")
    return f"another outlet joins {path.name} at {stamp}"


def rename_file(site: Path, rng: random.Random) -> str:
    path = pick(site, rng)
    target = path.with_name(f"{path.stem[:10]}-renamed-{rng.randrange(1000)}.md")
    path.rename(target)
    return f"rename {path.name} to {target.name}"


def update(site: Path, rng: random.Random) -> str:
    """The outlet updated its article some hours after publishing it."""
    path = pick(site, rng)
    date = re.search(r"^publishedDateTime: (\S+)$", path.read_text(encoding="utf-8"), re.M)
    if date is None:
        return retitle(site, rng)
    when = datetime.fromisoformat(date.group(1).replace("Z", "+00:00")) + timedelta(hours=rng.randint(1, 80))
    front_matter_line(path, "updatedDateTime", when.strftime("%Y-%m-%dT%H:%M:00Z"))
    return f"update {path.name} at {when:%Y-%m-%d %H:%M}"


def redirect(site: Path, rng: random.Random) -> str:
    path, old = pick(site, rng), f"/old/{rng.randrange(10**6)}/"
    front_matter_line(path, "redirect_from", old)
    return f"redirect {old} to {path.name}"


def describe_topic(site: Path, rng: random.Random) -> str:
    """The curator rewrites a topic's description in the data folder, or files one under
    another parent."""
    path = rng.choice(sorted((site / "data" / "topics").glob("*.yaml")))
    if rng.random() < 0.5:
        front_matter_line(path, "description", f"Rewritten, version {rng.randrange(1000)}.")
        return f"describe the topic of {path.name} anew"
    parent = rng.choice(TOPICS)
    front_matter_line(path, "parent", parent)
    return f"file the topic of {path.name} under {parent}"


def describe_source(site: Path, rng: random.Random) -> str:
    """The curator renames a source or rewrites its description in the data folder."""
    path = rng.choice(sorted((site / "data" / "organizations").glob("*.md")))
    key, value = rng.choice((("name", f"Outlet Called {rng.randrange(100)}"), ("description", "Rewritten.")))
    front_matter_line(path, key, value)
    return f"give the source of {path.name} the {key} {value!r}"


BROKEN = 'title: "an unclosed quote'


def break_file(site: Path, rng: random.Random) -> str:
    """A slip of the keyboard leaves a file that is not valid YAML."""
    path = pick(site, rng)
    if not replace_once(path, r"^title: .*$", BROKEN):
        return retitle(site, rng)
    return f"break {path.name}"


def mend_file(site: Path, rng: random.Random) -> str:
    broken = [path for path in items(site) if BROKEN in path.read_text(encoding="utf-8")]
    if not broken:
        return edit_body(site, rng)
    path = rng.choice(broken)
    replace_once(path, r"^title: .*$", f'title: "Mended at last, {rng.randrange(1000)}"')
    return f"mend {path.name}"


def rescore(site: Path, rng: random.Random) -> str:
    path, heat, quality = pick(site, rng), rng.randint(0, 120), rng.randint(0, 188)
    front_matter_line(path, "heat", str(heat))
    front_matter_line(path, "quality", str(quality))
    return f"give {path.name} heat {heat} and quality {quality}"


EDITS: tuple[Edit, ...] = (
    add_story,
    add_story,
    delete_story,
    edit_body,
    retitle,
    redate,
    retopic,
    toggle_draft,
    rename_outlet,
    join_story,
    rename_file,
    update,
    redirect,
    describe_topic,
    describe_source,
    break_file,
    mend_file,
    rescore,
)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_warm_build_after_any_series_of_edits_equals_a_cold_build(site: Path, tmp_path: Path, seed: int) -> None:
    rng, done, now = random.Random(seed), [], NOW
    cache, out, cold = tmp_path / "cache", tmp_path / "warm", tmp_path / "cold"
    assert run(site, out, cache, workers=2, now=now).errors == 0
    for step in range(SERIES):
        before = tree_bytes(out)
        edits = [rng.choice(EDITS)(site, rng) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.25:  # the next build runs later: held-back stories may come due
            now += timedelta(days=rng.randint(1, 40))
            edits.append(f"build on {now:%Y-%m-%d}")
        done.append(" and ".join(edits))
        story = f"seed {seed}, step {step}: {'; then '.join(done)}"
        warm = run(site, out, cache, workers=2, now=now)
        broken = sum(BROKEN in path.read_text(encoding="utf-8") for path in items(site))
        assert warm.errors == broken, story
        after = tree_bytes(out)
        run(site, cold, None, workers=1, now=now)
        expected = tree_bytes(cold)
        shutil.rmtree(cold)
        # A broken file loses nothing: its story's page stays as the last build wrote it,
        # where a cold build, which never saw the story, has none (and the record of the
        # build's files, the marker, lists it).
        kept = after.keys() - expected.keys()
        assert bool(kept) == bool(warm.carried_over) and all(after[name] == before.get(name) for name in kept), story
        differing = sorted(name for name in expected if after.get(name) != expected[name])
        assert differing == ([MARKER] if kept else []), story
        changed = {name for name in after if before.get(name) != after[name]} | (before.keys() - after.keys())
        assert warm.files_changed + warm.files_removed == len(changed - {MARKER}), story
