"""A fast path for the YAML that real front matter is made of, with PyYAML behind it.

Building Python objects in PyYAML's constructor is most of what loading a content file
costs. Front matter uses a small part of YAML: `key: value` lines, nested groups by
indentation, `- ` lists, plain or quoted one-line scalars. `parse_simple` reads exactly
that part and returns `None` for anything else (flow collections other than `[]` and
`{}`, block scalars, anchors, tags, comments after values, escapes, multi-line scalars,
tabs, repeated keys...), so the caller hands those files to PyYAML. A scalar's type is
decided by PyYAML's own resolver table and built by the loader's own constructors, so a
value comes out as PyYAML would make it; `tests/test_fastyaml.py` proves the two equal on
generated documents and on every real file at hand.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

# What PyYAML's reader refuses, and the characters YAML 1.1 also takes as line breaks: a
# text holding any of them is left to PyYAML, which reports or reads it.
_UNUSUAL = re.compile("[^\x0a\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$")
# A plain scalar may not start with an indicator (a lone "-" is a list, "-1" a number).
_INDICATORS = frozenset("?:,[]{}#&*!|>'\"%@`")
_STR, _NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null"
_BUILT = frozenset({_STR, _NULL, *(f"tag:yaml.org,2002:{kind}" for kind in ("bool", "int", "float", "timestamp"))})


_KNOWN_LIMIT = 20_000


class _NotSimple(Exception):
    """The text uses YAML beyond the fast path: PyYAML reads it."""


class _Lines:
    """The document as (indent, text) lines, blank and comment lines left out."""

    def __init__(self, text: str) -> None:
        self.lines = [
            (len(line) - len(line.lstrip(" ")), line.strip(" "))
            for line in text.split("\n")
            if line.strip(" ") and not line.lstrip(" ").startswith("#")
        ]
        self.at = 0

    def peek(self) -> tuple[int, str] | None:
        return self.lines[self.at] if self.at < len(self.lines) else None


class _Scalars:
    """Plain and quoted scalars, typed and built as the given loader class would."""

    def __init__(self, loader_class: type) -> None:
        self.loader = loader_class("")
        self.resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers
        self.constructors = loader_class.yaml_constructors
        # Plain scalars repeat (keys, "article", "true", sizes); their values are immutable.
        self.known: dict[str, Any] = {}

    def value(self, text: str) -> Any:
        if text in ("[]", "{}"):
            return [] if text == "[]" else {}
        if text[0] == '"':
            return _double_quoted(text)
        if text[0] == "'":
            return _single_quoted(text)
        return self.plain(text)

    def plain(self, text: str) -> Any:
        try:
            return self.known[text]
        except KeyError:
            pass
        value = self._plain(text)
        if len(self.known) >= _KNOWN_LIMIT:
            self.known.clear()
        self.known[text] = value
        return value

    def _plain(self, text: str) -> Any:
        if text[0] in _INDICATORS or (text[0] == "-" and text[1:2] in ("", " ")):
            raise _NotSimple
        if ": " in text or " #" in text or text.endswith(":"):
            raise _NotSimple
        tag = next((tag for tag, pattern in self.resolvers.get(text[0], ()) if pattern.match(text)), _STR)
        if tag not in _BUILT:
            raise _NotSimple
        if tag == _STR:
            return text
        return self.constructors[tag](self.loader, yaml.ScalarNode(tag, text))


def _double_quoted(text: str) -> str:
    inner = text[1:-1]
    if len(text) < 2 or text[-1] != '"' or '"' in inner or "\\" in inner:
        raise _NotSimple
    return inner


def _single_quoted(text: str) -> str:
    inner = text[1:-1]
    if len(text) < 2 or text[-1] != "'" or "'" in inner.replace("''", ""):
        raise _NotSimple
    return inner.replace("''", "'")


def _block(lines: _Lines, scalars: _Scalars, indent: int) -> Any:
    """The collection whose first line is next, at exactly `indent`."""
    line = lines.peek()
    assert line is not None and line[0] == indent
    return (
        _sequence(lines, scalars, indent)
        if line[1].startswith("- ") or line[1] == "-"
        else _mapping(lines, scalars, indent)
    )


def _mapping(lines: _Lines, scalars: _Scalars, indent: int, first: str | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {}
    while True:
        if first is None:
            line = lines.peek()
            if line is None or line[0] < indent:
                return result
            if line[0] > indent:
                raise _NotSimple
            lines.at += 1
            first = line[1]
        match = _KEY.match(first)
        if match is None:
            raise _NotSimple
        key, rest = match.groups()
        if key in result or scalars.plain(key) != key:
            raise _NotSimple  # a repeated key; "yes:" or "null:", which YAML 1.1 does not read as text
        result[key] = _value_of(lines, scalars, indent, rest)
        first = None


def _value_of(lines: _Lines, scalars: _Scalars, indent: int, text: str | None) -> Any:
    """A key's value: the rest of its line, or the block below it (a list may stand at the
    key's own indentation, as YAML allows)."""
    if text:
        return scalars.value(text.rstrip(" "))
    below = lines.peek()
    if below is None or below[0] < indent:
        return None
    if below[0] == indent:
        return _sequence(lines, scalars, indent) if below[1].startswith("- ") else None
    return _block(lines, scalars, below[0])


def _sequence(lines: _Lines, scalars: _Scalars, indent: int) -> list[Any]:
    result: list[Any] = []
    while (line := lines.peek()) is not None and line[0] == indent and line[1].startswith("- "):
        lines.at += 1
        item = line[1][2:].lstrip(" ")
        inner = indent + len(line[1]) - len(item)
        if _KEY.match(item):
            result.append(_mapping(lines, scalars, inner, first=item))
        else:
            result.append(scalars.value(item))
    next_line = lines.peek()
    if next_line is not None and next_line[0] > indent:
        raise _NotSimple
    return result


_SCALARS: dict[type, _Scalars] = {}


def parse_simple(text: str, loader_class: type) -> dict[str, Any] | None:
    """The front matter as `loader_class` would load it, or None when it uses YAML beyond
    the simple part (then PyYAML must read it: it knows what it means, or what is wrong)."""
    if _UNUSUAL.search(text) or "---" in text:
        return None
    scalars = _SCALARS.get(loader_class) or _SCALARS.setdefault(loader_class, _Scalars(loader_class))
    lines = _Lines(text)
    if not lines.lines or lines.lines[0][0] != 0:
        return None
    try:
        result = _mapping(lines, scalars, 0)
    except _NotSimple:
        return None
    return result if lines.peek() is None else None
