#!/usr/bin/env python3
"""Where a build spends its time: a cold build, then five new items, each sampled by py-spy.

    python benchmarks/profile_build.py [--items 10000] [--top 5]

Run it with benchmarks/.venv's Python after `pip install py-spy` there. The corpus comes
from ../shared/tools/make_corpus.py (--seed 1), as in `run.py`; the five new items are made
by `run.add_five`. Each build runs in one process (`-j 1`), so the samples see every stage,
not a worker's share, and the output goes to a new folder (see `run.run_size` on why
nothing is deleted first).

For each build it prints the share of the samples in each pipeline stage, then Digest's
functions that cost most: a sample counts for the innermost function of `generator/` on
its stack, so the time spent in a library (Jinja2, markdown-it-py, the file system) counts
for the function of Digest that called it, with that library named beside it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from build_time import DEFAULT_MAKE_CORPUS, corpus  # noqa: E402
from run import add_five, compile_digest  # noqa: E402

# The function of each pipeline stage, as py-spy names it: the first one on a stack decides.
STAGES = {
    "discover": "discover",
    "load_all": "load",
    "curate": "curate",
    "plan_site_pages": "plan",
    "page_digests": "digest",
    "render_and_write": "render and write",
    "SiteWriter.finish": "put in place",
    "Freshness.__init__": "check what changed",
    "write_digests": "record the build",
    "_find_and_load": "imports",
}


def sampled(argv: list[str], scratch: Path, name: str) -> list[tuple[list[str], int]]:
    """The stacks py-spy sampled while running argv, with their counts."""
    raw = scratch / f"{name}.txt"
    spy = Path(sys.executable).with_name("py-spy")
    record = [str(spy), "record", "--format", "raw", "--rate", "250", "-o", str(raw), "--"]
    subprocess.run([*record, sys.executable, *argv], check=True, capture_output=True)
    stacks = []
    for line in raw.read_text(encoding="utf-8").splitlines():
        frames, _, count = line.rpartition(" ")
        stacks.append((frames.split(";"), int(count)))
    return stacks


def _place(frame: str) -> tuple[str, str]:
    """(function, file) of a py-spy frame `name (path:line)`."""
    name, _, where = frame.rpartition(" (")
    return name, where.rsplit(":", 1)[0]


def summary(stacks: list[tuple[list[str], int]], top: int) -> str:
    total = sum(count for _, count in stacks)
    stages: Counter[str] = Counter()
    costs: Counter[str] = Counter()
    for frames, count in stacks:
        places = [_place(frame) for frame in frames]
        stage = next((STAGES[name] for name, _ in places if name in STAGES), "the rest")
        stages[stage] += count
        ours = [index for index, (_, file) in enumerate(places) if file.startswith("generator/")]
        if not ours:
            costs["(outside Digest: start-up, imports)"] += count
            continue
        name, file = places[ours[-1]]
        below = places[ours[-1] + 1 :]
        library = _library(below[-1][1]) if below else ""
        costs[f"{name} ({file})" + (f" → {library}" if library else "")] += count
    lines = [f"  {share(count, total)}  {stage}" for stage, count in stages.most_common()]
    lines += ["  most costly functions of Digest (with what they call):"]
    lines += [f"  {share(count, total)}  {place}" for place, count in costs.most_common(top)]
    return "\n".join(lines)


def _library(file: str) -> str:
    """What a frame outside `generator/` belongs to; py-spy names files below their
    sys.path entry (`jinja2/runtime.py`, `pathlib.py`) and templates by name (`item.html`)."""
    file = file.split("site-packages/", 1)[-1]
    if file.endswith((".html", ".xml", ".txt")):
        return "templates"
    return file.split("/", 1)[0].removesuffix(".py")


def share(count: int, total: int) -> str:
    return f"{count / total:6.1%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--make-corpus", type=Path, default=DEFAULT_MAKE_CORPUS)
    args = parser.parse_args()
    compile_digest()  # as `run.py` measures it
    source = corpus(args.items, args.make_corpus)
    with tempfile.TemporaryDirectory(prefix="digest-profile-") as name:
        scratch = Path(name)
        content = scratch / "content"
        shutil.copytree(source, content)
        build = [str(REPO / "build.py"), "--content", str(content), "--output", str(scratch / "site")]
        argv = [*build, "--cache-dir", str(scratch / "cache"), "-j", "1", "-q"]
        cold = sampled(argv, scratch, "cold")
        print(f"cold build, {args.items:,} items ({sum(c for _, c in cold) / 250:.1f} s sampled)")
        print(summary(cold, args.top))
        add_five(content, 0)
        warm = sampled(argv, scratch, "add5")
        print(f"five new items, {args.items:,} items ({sum(c for _, c in warm) / 250:.1f} s sampled)")
        print(summary(warm, args.top))


if __name__ == "__main__":
    main()
