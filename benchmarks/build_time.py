#!/usr/bin/env python3
"""Time cold builds of synthetic corpora against a baseline measured in the same run.

    python benchmarks/build_time.py [--sizes 1000 10000] [--runs 3]

Corpora come from ../shared/tools/make_corpus.py (--seed 1) when it is present, so figures
can be compared between machines and changes; pass --make-corpus to point at it elsewhere.
Each measurement is a fresh process (as a curator's `python build.py` is), and runs of the
build and of the baseline alternate, so load on a shared machine hits both alike.

The baseline is the floor any generator pays on this input: reading every file and parsing
its front matter with python-frontmatter, nothing else. The ratio build / baseline is the
figure to watch; wall times alone drift with the machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MAKE_CORPUS = REPO.parent / "shared" / "tools" / "make_corpus.py"
CORPORA = REPO / "benchmarks" / ".corpora"


def child_build(content: str, output: str) -> None:
    sys.path.insert(0, str(REPO))
    from generator.commands import main

    code = main(["--content", content, "--output", output, "-q"])
    if code not in (0, 1):
        raise SystemExit(code)


def child_parse(content: str) -> None:
    import frontmatter

    for path in sorted(Path(content).rglob("*.md")):
        frontmatter.loads(path.read_text(encoding="utf-8"))


def run_child(*args: str) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of one fresh process running a child task."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{result.stderr}")
    peak = json.loads(result.stdout.strip().splitlines()[-1])["peak_mib"]
    return seconds, peak


def corpus(size: int, make_corpus: Path) -> Path:
    folder = CORPORA / f"make_corpus-{size}-seed1"
    if not (folder / ".complete").exists():
        if not make_corpus.exists():
            raise SystemExit(f"{make_corpus} not found; pass --make-corpus PATH")
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(
            [sys.executable, str(make_corpus), str(folder), "--items", str(size), "--seed", "1"],
            check=True,
            capture_output=True,
        )
        (folder / ".complete").write_text("")
    return folder


def measure(label: str, content: Path, runs: int) -> dict[str, object]:
    builds, parses, peaks = [], [], []
    with tempfile.TemporaryDirectory(prefix="digest-bench-") as scratch:
        for run in range(runs):
            output = Path(scratch) / f"site-{run}"  # a new folder each time: a cold build
            seconds, peak = run_child("build", str(content), str(output))
            builds.append(seconds)
            peaks.append(peak)
            parses.append(run_child("parse", str(content))[0])
    build, parse = statistics.median(builds), statistics.median(parses)
    return {
        "corpus": label,
        "items": sum(1 for _ in content.rglob("*.md")),
        "build_s": build,
        "baseline_s": parse,
        "ratio": build / parse,
        "peak_mib": max(peaks),
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--make-corpus", type=Path, default=DEFAULT_MAKE_CORPUS)
    parser.add_argument("--no-sample", action="store_true", help="skip the repository's sample site")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        task, *rest = args.child
        child_build(*rest) if task == "build" else child_parse(*rest)
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"peak_mib": peak_kib / 1024}))
        return

    rows = [] if args.no_sample else [measure("sample content/", REPO / "content", args.runs)]
    rows += [
        measure(f"make_corpus --items {size} --seed 1", corpus(size, args.make_corpus), args.runs)
        for size in args.sizes
    ]
    print(
        f"| corpus | items | build, median of {args.runs} (s) | baseline: read + parse front matter (s) "
        "| build / baseline | peak memory (MiB) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['corpus']} | {row['items']} | {row['build_s']:.2f} | {row['baseline_s']:.2f} "
            f"| {row['ratio']:.2f} | {row['peak_mib']:.0f} |"
        )


if __name__ == "__main__":
    main()
