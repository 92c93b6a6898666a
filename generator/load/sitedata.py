"""Read the site's data folder: what the curator says about topics and news sources.

A Jekyll digest keeps these in `_data/topics/*.yaml` (name, parent, description, keywords,
images) and `_data/organizations/<domain>.md` (name, domain, description, logos); a Digest
site keeps the same files in `data/`. They only add to what items say: a description and
an image for a topic page, the parent a topic sits under, a source's proper name, its
description and its logo. A broken data file is reported like a content file and left
out; nothing else depends on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ContentProblem
from ..model import SiteData, SourceInfo, TopicInfo
from .discover import SourceFile, display_path, is_skipped
from .frontmatter import RawItem, YamlProblem, parse_yaml
from .validate import FieldChecker, as_text, describe, image_list, limited, one_line

TOPICS_FOLDER = "topics"
SOURCES_FOLDER = "organizations"
MAX_DATA_FILE_BYTES = 256 * 1024


def load_site_data(data_dir: Path) -> tuple[SiteData, list[ContentProblem]]:
    """Every topic and source file of `data_dir`, in file-name order; problems for the rest."""
    problems: list[ContentProblem] = []
    topics = [_topic(raw, problems) for raw in _read_folder(data_dir / TOPICS_FOLDER, problems)]
    sources = [_source(raw, problems) for raw in _read_folder(data_dir / SOURCES_FOLDER, problems)]
    data = SiteData(
        tuple(topic for topic in topics if topic is not None), tuple(source for source in sources if source is not None)
    )
    return data, problems


def _read_folder(folder: Path, problems: list[ContentProblem]) -> list[RawItem]:
    if not folder.is_dir():
        return []
    raws = []
    for path in sorted(folder.iterdir()):
        if is_skipped(path.name) or not path.is_file():
            continue
        source = SourceFile(path, path.name, display_path(path))
        raw = _read_data_file(source)
        if isinstance(raw, ContentProblem):
            problems.append(raw)
        else:
            raws.append(raw)
    return raws


def _read_data_file(source: SourceFile) -> RawItem | ContentProblem:
    """A YAML file, or a Markdown file whose front matter holds the fields (Jekyll keeps
    organizations that way, sometimes without the `.md`)."""

    def problem(line: int | None, message: str, field: str | None = None) -> ContentProblem:
        return ContentProblem(source.display, line, field, message)

    try:
        size = source.path.stat().st_size
        if size > MAX_DATA_FILE_BYTES:
            return problem(
                None, f"is {size // 1024} KB, over the {MAX_DATA_FILE_BYTES // 1024} KB limit for a data file"
            )
        data = source.path.read_bytes()
    except OSError as exc:
        return problem(None, f"cannot be read: {exc.strerror}")
    if b"\x00" in data:
        return problem(None, "is a binary file, not text (it contains NUL bytes)")
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        return problem(None, f"is not UTF-8 text (bad byte at offset {exc.start})")
    lines = text.splitlines(keepends=True)
    first_line = 1
    if lines and lines[0].rstrip() == "---":
        end = next((n for n in range(1, len(lines)) if lines[n].rstrip() in ("---", "...")), len(lines))
        text, first_line = "".join(lines[1:end]), 2
    else:  # a YAML file may end with a document marker (real archives' do): one document
        while lines and lines[-1].strip() in ("---", "...", ""):
            lines.pop()
        text = "".join(lines)
    parsed = parse_yaml(text)
    if isinstance(parsed, YamlProblem):
        return problem(None if parsed.line is None else first_line + parsed.line, parsed.reason)
    if not isinstance(parsed, dict):
        return problem(first_line, "should be 'field: value' lines", "data")
    return RawItem(source, parsed, text, first_line, "")


def _plain(check: FieldChecker, key: str, kind: str = "name") -> str:
    """A text field on one line, cut to its kind's length; anything but text is ignored."""
    value = check.raw.data.get(key)
    text = as_text(value)
    if value is not None and text is None:
        check.warn((key,), f"should be text, got {describe(value)}; ignored")
        return ""
    return limited(check, (key,), one_line(text), kind)


def _images_as_entries(value: Any) -> Any:
    """Topic files list images as bare addresses; organizations as {url, width, height}."""
    if isinstance(value, list):
        return [{"url": entry} if isinstance(entry, str) else entry for entry in value]
    return value


def _topic(raw: RawItem, problems: list[ContentProblem]) -> TopicInfo | None:
    check = FieldChecker(raw)
    name = _plain(check, "name", "topic")
    topic_id = _plain(check, "_id", "topic")
    if not name and not topic_id:
        check.error(("name",), "missing; a topic file needs the topic's name")
    parent = _plain(check, "parent", "topic") or None
    description = _plain(check, "description", "excerpt")
    images = image_list(check, ("images",), _images_as_entries(raw.data.get("images")))
    problems += check.problems
    if check.failed:
        return None
    shown = name or topic_id
    return TopicInfo(
        shown,
        tuple(dict.fromkeys(filter(None, (topic_id,)))),
        parent,
        description,
        images[0] if images else None,
        raw.source.display,
    )


def _domain(text: str) -> str:
    return text.strip().lower().removeprefix("www.")


def _source(raw: RawItem, problems: list[ContentProblem]) -> SourceInfo | None:
    check = FieldChecker(raw)
    name = _plain(check, "name")
    file_domain = raw.source.path.name.removesuffix(".md")
    domain = _domain(as_text(raw.data.get("domain")) or as_text(raw.data.get("_id")) or file_domain)
    aliases = raw.data.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
        check.warn(("aliases",), "should be a list of other domains of this source; ignored")
        aliases = []
    if not name:
        check.error(("name",), "missing; a source file needs the source's name")
    description = _plain(check, "description", "excerpt")
    logos = image_list(check, ("images",), _images_as_entries(raw.data.get("images")))
    problems += check.problems
    if check.failed:
        return None
    domains = tuple(dict.fromkeys(filter(None, (domain, *(_domain(alias) for alias in aliases)))))
    return SourceInfo(name, domains, description, logos, raw.source.display)
