"""The front-matter fast path gives exactly what PyYAML gives, or steps aside.

`parse_simple` returns None for YAML beyond the simple part; whenever it returns a value,
that value must equal, type for type and key order for key order, what the content loader
(PyYAML with Digest's constructors) makes of the same text. Checked on generated
documents (PyYAML's own dumps in several styles, and hand-written lines full of YAML 1.1's
surprises) and on every real content file at hand.
"""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.load.fastyaml import parse_simple
from generator.load.frontmatter import _ContentLoader

from .conftest import REPO, SHARED


def same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down, dictionaries in the same key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, datetime):
        return a == b and a.utcoffset() == b.utcoffset()
    return bool(a == b)


def pyyaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_ContentLoader)
    except yaml.YAMLError as exc:
        return exc


def assert_agrees(text: str) -> bool:
    """The fast path's value equals PyYAML's; returns whether the fast path took the text."""
    fast = parse_simple(text, _ContentLoader)
    if fast is None:
        return False
    slow = pyyaml(text)
    assert not isinstance(slow, Exception), f"fast path read what PyYAML refuses: {text!r} -> {slow}"
    assert same(fast, slow), f"{text!r}: fast {fast!r} != PyYAML {slow!r}"
    return True


KEYS = st.sampled_from(
    ["title", "excerpt", "type", "a", "a-b", "_x", "yes", "no", "on", "off", "y", "n", "null", "true", "Key", "x1"]
)
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(list(":#-'\"\\[]{},&*!|>%@` \t\n")),
    max_size=30,
)
MOMENTS = st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9998, 12, 30),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30))]),
)
SCALARS = st.one_of(
    TEXT, st.integers(), st.floats(), st.booleans(), st.none(), st.dates(), MOMENTS, st.just([]), st.just({})
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
DOCUMENTS = st.dictionaries(KEYS, VALUES, min_size=1, max_size=8)
STYLES = st.fixed_dictionaries(
    {
        "allow_unicode": st.booleans(),
        "default_style": st.sampled_from([None, '"', "'"]),
        "indent": st.sampled_from([2, 4]),
        "width": st.sampled_from([80, 10_000]),
    }
)


@settings(max_examples=300, deadline=None)
@given(DOCUMENTS, STYLES)
def test_pyyamls_own_dumps_read_the_same(document: dict[str, Any], style: dict[str, Any]) -> None:
    text = yaml.safe_dump(document, default_flow_style=False, sort_keys=False, **style)
    assert_agrees(text)


# Scalars on which YAML 1.1 has opinions, all of which the fast path reads itself...
SIMPLE = [
    "yes",
    "No",
    "ON",
    "off",
    "y",
    "n",
    "~",
    "null",
    "Null",
    "true",
    "False",
    "0",
    "-0",
    "017",
    "0o17",
    "0x1F",
    "0b101",
    "1_000",
    "1:30",
    "190:20:30",
    "3.",
    ".5",
    "1e3",
    "1.0e+3",
    "-1",
    "+1",
    ".inf",
    "-.Inf",
    ".NaN",
    "2024-02-15",
    "2024-02-15T18:05:00Z",
    "2024-02-15 18:05:00",
    "2024-02-15t18:05:00.5+05:30",
    "2024-13-45",
    "9999-12-31T23:00:00-05:00",
    "[]",
    "{}",
    "'q'",
    '"q"',
    "'it''s'",
    "''",
    '""',
    "a#b",
    "-x",
    "x ",
    "a  b",
    "https://x.y/a?b=c#d",
    "C++",
    "C#",
    "a,b",
    "\u00e9t\u00e9",
    "\U0001f916",
    "123456789012345678901234567890",
    "\u00a0x",
    "a:b",
    "'a: b'",
    '"a # b"',
    "'\"'",
    '"\'"',
]
# ...and lines it leaves to PyYAML.
OTHER = [
    "a: b",
    "a #b",
    "-",
    "- x",
    "=",
    "<<",
    "!x",
    "!!str x",
    "&a x",
    "*a",
    "|",
    ">-",
    "[a]",
    "{a: 1}",
    "'bad'quote'",
    '"a\\"b"',
    '"x" # c',
    "x:",
    "@x",
    "`x`",
    "%x",
    "?",
    "? x",
    ":x",
    '"',
    "'",
]
TRICKY = SIMPLE + OTHER
LINE = st.sampled_from(TRICKY)
INDENTS = st.sampled_from(["", "  ", "    "])


@st.composite
def handwritten(draw: st.DrawFn) -> str:
    lines = []
    for key in draw(st.lists(KEYS, min_size=1, max_size=6)):
        form = draw(st.integers(0, 3))
        if form == 0:
            lines.append(f"{key}: {draw(LINE)}")
        elif form == 1:
            pad = draw(INDENTS)
            lines += [f"{key}:"] + [f"{pad}- {draw(LINE)}" for _ in range(draw(st.integers(0, 3)))]
        elif form == 2:
            lines += [f"{key}:"] + [f"  {draw(KEYS)}: {draw(LINE)}" for _ in range(draw(st.integers(1, 3)))]
        else:
            lines += [f"{key}:", f"  - {draw(KEYS)}: {draw(LINE)}", f"    {draw(KEYS)}: {draw(LINE)}"]
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "# a comment", "  # indented comment", "   "])))
    return "\n".join(lines) + "\n"


@settings(max_examples=500, deadline=None)
@given(handwritten())
def test_handwritten_front_matter_reads_the_same(text: str) -> None:
    assert_agrees(text)


def front_matter(path: Path) -> str | None:
    lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    end = next((n for n in range(1, len(lines)) if lines[n].rstrip() in ("---", "...")), None)
    return None if end is None else "\n".join(lines[1:end]) + "\n"


def check_files(paths: list[Path]) -> tuple[int, int]:
    texts = [text for text in map(front_matter, paths) if text is not None]
    return len(texts), sum(assert_agrees(text) for text in texts)


def test_the_sample_and_the_test_sites_read_the_same_and_mostly_fast() -> None:
    paths = sorted((REPO / "content").rglob("*.md")) + sorted((REPO / "tests" / "sites").rglob("*.md"))
    total, fast = check_files(paths)
    assert total >= 20 and fast >= 0.9 * total, (total, fast)


def test_the_real_archives_read_the_same() -> None:
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"{corpus} not found: ../shared exists only beside the project's own checkout")
    total, fast = check_files(sorted(corpus.rglob("*.md")))
    assert total >= 100 and fast >= 0.9 * total, (total, fast)


def test_a_synthetic_corpus_reads_the_same(tmp_path: Path) -> None:
    make_corpus = SHARED / "tools" / "make_corpus.py"
    if not make_corpus.is_file():
        pytest.skip(f"{make_corpus} not found: ../shared exists only beside the project's own checkout")
    subprocess.run(
        [sys.executable, make_corpus, "--items", "400", "--seed", "3", tmp_path], check=True, capture_output=True
    )
    total, fast = check_files(sorted(tmp_path.rglob("*.md")))
    assert total == 400 and fast >= 0.9 * total, (total, fast)


@pytest.mark.parametrize("value", SIMPLE)
def test_the_fast_path_reads_each_tricky_scalar_as_pyyaml_does(value: str) -> None:
    for text in (f"a: {value}\n", f"a:\n- {value}\n", f"a:\n  - b: {value}\n    c: {value}\n"):
        assert assert_agrees(text), text


def test_what_the_fast_path_leaves_to_pyyaml() -> None:
    for value in OTHER:
        assert parse_simple(f"a: {value}\n", _ContentLoader) is None, value
    for text in (
        "a: [1, 2]\n",
        "a: |\n  x\n",
        "a: &x 1\nb: *x\n",
        "a: 1\na: 2\n",
        "yes: 1\n",
        "a: b # c\n",
        "a: 'x\n  y'\n",
        "a:\tb\n",
        'a: "x\\ty"\n',
        " a: 1\n",
        "a: b: c\n",
        "- a\n",
        "a: !!str 1\n",
    ):
        assert parse_simple(text, _ContentLoader) is None, text
    assert parse_simple("a: 2024-02-15\nb: '1'\nc:\n- x\n", _ContentLoader) == {
        "a": date(2024, 2, 15),
        "b": "1",
        "c": ["x"],
    }
