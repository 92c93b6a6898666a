#!/usr/bin/env python3
"""How often one process writes a story's entry again: the plan's order against the order of date.

    python benchmarks/entry_reuse.py [--items 10000] [--room 20000 2000]

A story's API entry, feed entries and card are made once per process and reused from
bounded caches (see `render.renderer`, `render.feeds`, `render.jinja`). This plans the
make_corpus site once (--seed 1, no cache), then renders, in this process and without
writing, the share of the pages one process of a two-process build gets, and counts what
was made:
- "plan order": every other run of 200 pages of the plan, as both processes took runs
  from one counter before f672a27 (the first process's share, then the second's);
- "date order": the first half of `render_order`'s pages, a process's own run now, then
  the second half.
Each share is rendered with the caches' room set to each --room (2,000 at 10,000 items is
the share of the stories that 20,000, the build's bound, is at 100,000 items).
"""

from __future__ import annotations

import argparse
import functools
import gc
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from build_time import DEFAULT_MAKE_CORPUS, corpus  # noqa: E402

from generator import pipeline  # noqa: E402
from generator.config import load_config, with_overrides  # noqa: E402
from generator.options import BuildOptions  # noqa: E402
from generator.plan.page import Page  # noqa: E402
from generator.plan.pages import made_again, render_order  # noqa: E402
from generator.render import feeds, jinja, renderer  # noqa: E402

ENTRY_TEXTS = {"API entries": (renderer, "_story_json"), "RSS entries": (feeds, "_rss_item")}


def with_room(room: int) -> None:
    """Every entry cache bounded at `room`, empty; cards too."""
    for module, name in ENTRY_TEXTS.values():
        setattr(module, name, functools.lru_cache(room)(getattr(module, name).__wrapped__))
    jinja._CARDS_KEPT = room


def share(pages: list[Page], order: str, process: int) -> list[Page]:
    """What process 0 or 1 of two renders."""
    if order == "plan order":
        return [page for number, page in enumerate(pages) if (number // 200) % 2 == process]
    ordered = render_order(pages)
    half = len(ordered) // 2
    return ordered[half:] if process else ordered[:half]


def counted(template_dirs: Any, pages: list[Page]) -> dict[str, object]:
    made: dict[str, object] = {}
    with renderer.Renderer(template_dirs) as rendering:
        cards = [0]
        get_template: Callable[..., Any] = rendering.templates.env.get_template

        def counting(name: str, *args: Any, **kwargs: Any) -> Any:
            cards[0] += name == "partials/card.html"  # asked for only when a card is made
            return get_template(name, *args, **kwargs)

        rendering.templates.env.get_template = counting  # type: ignore[method-assign]
        started = time.process_time()
        for page in pages:
            rendering.render(page)
        made["CPU-s"] = round(time.process_time() - started, 2)
        for label, (module, name) in ENTRY_TEXTS.items():
            info = getattr(module, name).cache_info()
            made[label] = f"{info.misses} made for {info.misses + info.hits} uses"
        made["cards"] = f"{cards[0]} made, {len(rendering.templates._cards)} kept"
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--room", type=int, nargs="+", default=[20000, 2000])
    parser.add_argument("--make-corpus", type=Path, default=DEFAULT_MAKE_CORPUS)
    args = parser.parse_args()
    content = corpus(args.items, args.make_corpus)
    config, _ = load_config(None)
    config = with_overrides(config, content=str(content))
    gc.disable()  # as in a build
    planned = pipeline.plan_site(config, BuildOptions(now=datetime(2026, 1, 1, tzinfo=UTC)))
    pages = made_again(planned.pages)
    print(f"{args.items:,} items, {len(pages):,} pages")
    for order in ("plan order", "date order"):
        for process in (0, 1):
            part = share(pages, order, process)
            for room in args.room:
                with_room(room)
                label = f"{order}, process {process + 1}, {len(part):,} pages, room for {room:,}:"
                print(label, counted(planned.themes.templates, part))


if __name__ == "__main__":
    main()
