"""The shape of the code: stages import only backwards, nothing imports in a circle, and the
registries (sections, feed formats, commands) are what the site and the command line are
made from."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from pathlib import Path

import feedparser
import pytest

from generator import feed_formats
from generator.commands import COMMANDS
from generator.feed_formats import FORMATS, opml_attributes
from generator.plan.feed_model import FeedChannel
from generator.plan.sections import SECTIONS

from .conftest import REPO, Run
from .htmltools import parse_file

PACKAGE = REPO / "generator"
# What each stage may never import: anything that writes files, decides about rebuilds or
# runs commands, and (for the earlier stages) any later stage.
FORBIDDEN = {
    "load": {"curate", "plan", "render", "incremental", "commands", "output", "pipeline", "parallel"},
    "curate": {"load", "plan", "render", "incremental", "commands", "output", "pipeline", "parallel"},
    "plan": {"incremental", "commands", "output", "pipeline", "parallel"},
    "render": {"incremental", "commands", "output", "pipeline", "parallel"},
    "incremental": {"commands", "pipeline"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_imports(path: Path) -> Iterator[str]:
    """The generator modules `path` imports when it runs (not those imported only for type
    checking), as dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    typing_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            if target.startswith("generator"):
                yield target
                yield from (f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("generator"))


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {
        name: {target for target in runtime_imports(path) if target in modules and target != name}
        for name, path in modules.items()
    }


def stage_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


@pytest.mark.parametrize("stage", sorted(FORBIDDEN))
def test_stages_import_only_what_comes_before_them(stage: str) -> None:
    graph = import_graph()
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        if stage_of(module) == stage
        for target in targets
        if stage_of(target) in FORBIDDEN[stage]
    )
    assert wrong == []


def test_no_module_imports_itself_in_a_circle() -> None:
    graph = import_graph()
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        for target in sorted(graph[module]):
            cycle = visit(target, [*path, module])
            if cycle:
                return cycle
        done.add(module)
        return None

    cycles = [cycle for module in sorted(graph) if (cycle := visit(module, []))]
    assert cycles == []


def test_every_section_is_in_the_navigation_or_says_it_has_no_place_there(built_sample: Path) -> None:
    assert len({section.name for section in SECTIONS}) == len(SECTIONS)
    home = parse_file(built_sample / "index.html")
    nav = [(link.text, link.get("href")) for link in home.find("nav", class_="site-nav").find_all("a")]
    expected = [(section.nav, "/" + section.path) for section in SECTIONS if section.nav is not None]
    assert nav == expected
    for section in SECTIONS:
        assert (section.nav is None) or section.path is not None, section.name
        if section.path is not None:
            assert (built_sample / section.path / "index.html").is_file(), section.name


def advertised_feeds(site: Path) -> set[str | None]:
    """The links of the subscribe page and of every topic and source page it lists."""
    subscribe = parse_file(site / "subscribe/index.html")
    pages = {str(link.get("href")) for link in subscribe.find_all("a", class_="bundle__name")}
    assert len(pages) > 10
    advertised = {link.get("href") for link in subscribe.find_all("a")}
    for page in pages:
        advertised |= {link.get("href") for link in parse_file(site / page.lstrip("/") / "index.html").find_all("a")}
    return advertised


def test_every_feed_set_is_written_in_every_format_and_listed_in_the_opml(built_sample: Path) -> None:
    """Every feed is offered on the subscribe page or on the page it follows (a topic's,
    a source's), which the subscribe page links to; the OPML list holds them all."""
    advertised = advertised_feeds(built_sample)
    opml = (built_sample / "feeds.opml").read_text(encoding="utf-8")
    feed_folders = sorted({path.parent for path in built_sample.rglob(FORMATS[0].file_name)})
    assert len(feed_folders) > 10
    for folder in feed_folders:
        for row, attribute in zip(FORMATS, opml_attributes(FORMATS), strict=True):
            path = folder / row.file_name
            assert path.is_file() and path.stat().st_size > 0, path
            address = "/" + path.relative_to(built_sample).as_posix()
            assert address in advertised, address
            assert f'{attribute}="https://digest.example.org{address}"' in opml, address


def test_every_command_has_a_module_with_main() -> None:
    import importlib

    for command in COMMANDS:
        module = importlib.import_module(f"generator.commands.{command.module}")
        assert callable(module.main), command.name


def test_a_feed_format_registered_in_a_test_alone_is_written_advertised_and_listed(
    sample_site: Path, run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A fourth format is one row: every list's feed is written in it, every page that
    advertises feeds advertises it, and the subscribe page and the OPML list give it."""

    def text_feed(channel: FeedChannel) -> bytes:
        return "".join(f"{entry.title} <{entry.link}>\n" for entry in channel.entries).encode("utf-8")

    before = tmp_path / "before"
    assert run_build("--config", sample_site / "site.toml", "--output", before, "--no-cache").code == 0
    extra = feed_formats.FeedFormat("text", "Plain text", "text/plain", "feed.txt", text_feed, "textUrl")
    monkeypatch.setattr(feed_formats, "FORMATS", (*feed_formats.FORMATS, extra))
    after = tmp_path / "after"
    run = run_build("--config", sample_site / "site.toml", "--output", after, "--no-cache")
    assert run.code == 0, run.err

    folders = sorted(path.parent for path in after.rglob("feed.xml"))
    assert folders == sorted(after / path.parent.relative_to(before) for path in before.rglob("feed.xml"))
    opml = (after / "feeds.opml").read_text(encoding="utf-8")
    subscribe = advertised_feeds(after)
    for folder in folders:
        address = "/" + (folder / "feed.txt").relative_to(after).as_posix()
        rss = feedparser.parse((folder / "feed.xml").read_bytes())
        lines = (folder / "feed.txt").read_text(encoding="utf-8").splitlines()
        assert lines == [f"{entry.title} <{entry.link}>" for entry in rss.entries]
        assert f'textUrl="https://digest.example.org{address}"' in opml
        assert address in subscribe
        for other in ("feed.xml", "atom.xml", "feed.json"):  # the other formats do not change
            assert (folder / other).read_bytes() == (before / folder.relative_to(after) / other).read_bytes()
    for page in ("index.html", "topics/ai/index.html", "providers/the-pacific-wire/index.html"):
        links = parse_file(after / page).find_all("link", rel="alternate")
        assert [link.get("type") for link in links].count("text/plain") == (1 if page == "index.html" else 2), page


def test_every_page_that_shows_a_summary_says_so(sample_site: Path) -> None:
    """The rule behind body-only rebuilds: a page whose bytes hold a story's summary lists
    that story's file in `Page.shows`, or an edit to the summary would leave it stale."""
    from generator.config import load_config
    from generator.pipeline import plan_site
    from generator.render.renderer import Renderer

    config, _ = load_config(sample_site / "site.toml")
    planned = plan_site(config)
    renderer = Renderer(planned.themes.templates)
    summaries = {
        story.source: story.summary_html.split("\n", 1)[0]
        for story in planned.curated.site.stories
        if story.summary_html
    }
    assert len(summaries) > 10
    checked = 0
    for page in planned.pages:
        text = renderer.render(page).decode("utf-8")
        for source, first_line in summaries.items():
            inner = first_line.removeprefix("<p>").removesuffix("</p>")[:60]
            if inner and (inner in text or inner.replace("&", "&amp;") in text):
                checked += 1
                assert source in page.shows, f"{page.origin} shows the summary of {source}"
    assert checked > 20
