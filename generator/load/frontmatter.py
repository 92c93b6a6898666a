"""Read a content file and parse its YAML front matter, refusing what must not be loaded.

The file is read whole (up to the size limit), checked for being text, split into front
matter and Markdown body, and the front matter parsed by python-frontmatter's safe YAML
handler, after a pass that refuses aliases ("billion laughs") and nesting deep enough to
crash libyaml. Every problem says where, in a curator's words.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from ..errors import ContentProblem
from .discover import SourceFile
from .fastyaml import parse_simple

_YAML = YAMLHandler()
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
# libyaml composes nested collections recursively in C, so a document nested a few hundred
# thousand levels deep overflows the stack and kills the process. Every level of nesting
# needs one of these characters, so their count bounds the depth; only a file with more of
# them than this is measured exactly, and one nested deeper than the limit is refused.
_NESTING_CHARACTERS = ("[", "{", "-", ":", "?")
_CHEAP_NESTING_BOUND = 1000
MAX_NESTING = 50


class _ContentLoader(SAFE_LOADER):  # type: ignore[misc, valid-type]
    """Safe loading in which no value can fail the whole file: a timestamp Python cannot
    hold (2024-13-45, or one whose zone takes it past year 9999) and a number too long to
    convert (over 4,300 digits) are kept as text, so validation names the field, and an
    ignored field stays harmless."""


def _or_text(construct: Any) -> Any:
    def construct_or_text(loader: yaml.constructor.BaseConstructor, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError, AttributeError, TypeError):  # AttributeError: a zone
            return loader.construct_scalar(node)  # that the resolver takes and the constructor does not

    return construct_or_text


for _tag, _construct in (
    ("tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_yaml_timestamp),
    ("tag:yaml.org,2002:int", yaml.constructor.SafeConstructor.construct_yaml_int),
    ("tag:yaml.org,2002:float", yaml.constructor.SafeConstructor.construct_yaml_float),
):
    _ContentLoader.add_constructor(_tag, _or_text(_construct))


@dataclass(frozen=True, slots=True)
class RawItem:
    """A file split into front matter (parsed) and body, with where the front matter starts."""

    source: SourceFile
    data: dict[str, Any]
    front_matter: str
    first_line: int
    body: str


def read_text(source: SourceFile, max_bytes: int) -> str | ContentProblem:
    """A content file's text: a regular file of at most `max_bytes`, UTF-8, no NUL bytes."""

    def file_problem(message: str) -> ContentProblem:
        return ContentProblem(source.display, None, None, message)

    try:
        status = source.path.stat()
        if not stat.S_ISREG(status.st_mode):  # a pipe or device would block or never end
            return file_problem("is not a regular file; skipped")
        if status.st_size > max_bytes:
            size, limit = _size_text(status.st_size), _size_text(max_bytes)
            return file_problem(f"is {size}, over the {limit} limit for one item (max_file_kb in site.toml)")
        data = source.path.read_bytes()
    except OSError as exc:
        return file_problem(f"cannot be read: {exc.strerror}")
    if b"\x00" in data:
        return file_problem("is a binary file, not text (it contains NUL bytes)")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        return file_problem(f"is not UTF-8 text (bad byte at offset {exc.start})")


def read_raw_item(source: SourceFile, max_bytes: int = DEFAULT_MAX_BYTES) -> RawItem | ContentProblem:
    """Split a file into YAML front matter and Markdown body; parse the YAML safely."""

    def problem(line: int | None, message: str) -> ContentProblem:
        return ContentProblem(source.display, line, "front matter", message)

    text = read_text(source, max_bytes)
    if isinstance(text, ContentProblem):
        return text
    lines = text.splitlines(keepends=True)
    start = next((n for n, line in enumerate(lines) if line.strip()), None)
    if start is None:
        return problem(None, "the file is empty; it needs front matter between two '---' lines")
    if lines[start].rstrip() != "---":
        return problem(start + 1, "missing; the file must start with a '---' line, then the fields")
    end = next((n for n in range(start + 1, len(lines)) if lines[n].rstrip() in ("---", "...")), None)
    if end is None:
        return problem(start + 1, "not closed; add a '---' line after the last field")
    front_matter, first_line = "".join(lines[start + 1 : end]), start + 2
    data = parse_yaml(front_matter)
    if isinstance(data, YamlProblem):
        return problem(None if data.line is None else first_line + data.line, data.reason)
    if not isinstance(data, dict):
        return problem(first_line, f"should be 'field: value' lines, got {describe(data)}")
    return RawItem(source, data, front_matter, first_line, "".join(lines[end + 1 :]))


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """Why a YAML text cannot be used, and its 0-based line where the parser gives one."""

    line: int | None
    reason: str


def parse_yaml(text: str) -> Any:
    """YAML text parsed with every guard content files get (no aliases, no deep nesting,
    no tags, timestamps Python cannot hold kept as text), or the problem in plain words."""
    refused = _refused_structure(text)
    if refused is not None:
        return YamlProblem(*refused)
    try:
        return _load_yaml(text)
    except yaml.YAMLError as exc:
        line, reason = _explain_yaml_error(exc)
        return YamlProblem(line, f"is not valid YAML ({reason})")


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def _refused_structure(front_matter: str) -> tuple[int | None, str] | None:
    """YAML that is valid but must not be loaded: aliases (a "billion laughs" document
    expands exponentially through them) and nesting deep enough to crash the parser.

    One pass over the parser's events finds both, and it runs only when it could find
    something: aliases need a `*`, deep nesting needs many structure characters. Some
    libyaml builds stop at a nesting depth of their own, with their own words, before
    the first event; then the pure-Python parser, which streams its events, measures
    again, so the curator reads Digest's message whatever the installed PyYAML says.
    """
    has_star = "*" in front_matter
    if not has_star and sum(front_matter.count(char) for char in _NESTING_CHARACTERS) <= _CHEAP_NESTING_BOUND:
        return None
    try:
        return _structure_problem(yaml.parse(front_matter, Loader=SAFE_LOADER))
    except yaml.YAMLError:
        pass
    try:
        return _structure_problem(yaml.parse(front_matter, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return None  # no deeper than the limit up to the error, where the loader stops too


def _structure_problem(events: Iterable[yaml.Event]) -> tuple[int | None, str] | None:
    """The first alias or the first collection nested deeper than MAX_NESTING, if any."""
    depth = 0
    for event in events:
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                return event.start_mark.line, f"is nested more than {MAX_NESTING} levels deep"
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            return event.start_mark.line, (
                f"uses the YAML alias *{event.anchor}; aliases are not allowed, write the value out"
            )
    return None


_UNCLOSED = {
    "while scanning a quoted scalar": "a quoted text starts on this line but its closing quote is missing",
    "while parsing a flow sequence": "a [list] starts on this line but is not closed with ]",
    "while parsing a flow mapping": "a {group} starts on this line but is not closed with }",
}


def _explain_yaml_error(exc: yaml.YAMLError) -> tuple[int | None, str]:
    """The 0-based front-matter line to blame and the reason, in words where we can.

    For an unclosed quote or bracket YAML notices the problem lines later; the curator
    needs the line where the value starts.
    """
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    problem, problem_mark = getattr(exc, "problem", None), getattr(exc, "problem_mark", None)
    if context in _UNCLOSED and context_mark is not None:
        return context_mark.line, _UNCLOSED[context]
    if isinstance(exc, yaml.constructor.ConstructorError) and problem and "tag" in problem:
        tag = (problem.split("tag", 1)[1].strip(" '") or "?").replace("tag:yaml.org,2002:", "!!")
        line = problem_mark.line if problem_mark is not None else None
        return line, f"the tag {tag} is not allowed; write plain text, numbers, dates, lists and groups"
    return (problem_mark.line if problem_mark is not None else None), problem or str(exc).splitlines()[0]


def _load_yaml(front_matter: str) -> Any:
    """Parse front matter: the plain YAML most files hold on the fast path (the same values,
    in a fraction of the time), anything else with python-frontmatter's safe YAML handler."""
    if not front_matter.strip():
        return {}
    simple = parse_simple(front_matter, _ContentLoader)
    return simple if simple is not None else _YAML.load(front_matter, Loader=_ContentLoader)


def describe(value: Any) -> str:
    """A value's kind in a curator's words, for 'should be X, got Y' messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f'"{shown}"'
    if isinstance(value, datetime | date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return type(value).__name__
