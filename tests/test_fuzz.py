"""Property-based tests: whatever the content files hold, the build either succeeds or
reports content problems, and nothing it writes is unsafe or malformed.

Run longer with `DIGEST_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py`.
"""

from __future__ import annotations

import json
import os
import tempfile
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import SiteConfig
from generator.pipeline import build

from .htmltools import parse_file
from .sitecheck import unsafe_markup

EXAMPLES = int(os.environ.get("DIGEST_FUZZ_EXAMPLES", "200"))
NASTY = [
    "</script><script>alert(1)</script>",
    "]]>",
    "&amp;",
    "&",
    "<b>x</b>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "\x00\x01\x1b\x7f\x85\u2028\u2029\ufffe\ud800",
    "'\"",
    "{{ site }}{% raw %}",
    "\u202e\u200b",
    "人工智能 🤖",
]
text = st.one_of(
    st.text(max_size=60), st.sampled_from(NASTY), st.lists(st.sampled_from(NASTY), max_size=4).map("".join)
)
# Aware times over the whole calendar, in real zones and in any fixed offset: the edges
# (0001-01-01 east of UTC, 9999-12-31 west of it) cannot be moved to UTC at all.
zones = st.one_of(
    st.timezones(),
    st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)).map(timezone),
)
moments = st.one_of(
    st.datetimes(),
    st.datetimes(timezones=zones),
    st.sampled_from(
        [
            datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-12))),
            datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))),
        ]
    ),
)


class HugeNumber:
    """A whole number of thousands of digits, written as a plain YAML number (Python will
    not convert one of over 4,300 digits, and hypothesis shows it by its length)."""

    def __init__(self, digits: int) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"HugeNumber({self.digits})"


yaml.SafeDumper.add_representer(
    HugeNumber, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:int", "9" * value.digits)
)
huge = st.integers(min_value=4301, max_value=6000).map(HugeNumber)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), huge, st.floats(), text, moments, st.dates())
anything = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=12,
)
urls = st.one_of(
    text, st.sampled_from(["https://example.com/a?b=1&c=<2>", "/images/x.png", "//evil.example/x"]), anything
)
dates = st.one_of(moments.map(lambda d: d.isoformat()), moments, text, anything)
images = st.one_of(
    anything, st.lists(st.fixed_dictionaries({"url": urls, "width": anything, "height": anything}), max_size=2)
)
provider = st.one_of(
    anything,
    st.fixed_dictionaries({"name": st.one_of(text, anything), "domain": st.one_of(text, anything), "images": images}),
)
related = st.one_of(
    anything,
    st.lists(
        st.fixed_dictionaries(
            {"title": st.one_of(text, anything), "webUrl": urls, "publishedDateTime": dates, "provider": provider}
        ),
        max_size=2,
    ),
)
FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "title": st.one_of(text, anything),
    "excerpt": st.one_of(text, anything),
    "publishedDateTime": st.one_of(st.just("2024-02-15T18:05:00Z"), dates),
    "updatedDateTime": dates,
    "originalUrl": urls,
    "webUrl": urls,
    "type": anything,
    "quality": anything,
    "heat": anything,
    "published": anything,
    "provider": provider,
    "topics": st.one_of(st.lists(st.one_of(text, anything), max_size=4), anything),
    "images": images,
    "related": related,
}
front_matter = st.fixed_dictionaries({}, optional=FIELDS)
body = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from([*NASTY, "[x](", ")", "![i](", "<", ">", "\n\n", "# ", "`", "*"]), max_size=20).map(
        "".join
    ),
)


def file_text(data: dict[str, Any], markdown: str, raw_yaml: str | None) -> str:
    """A content file; the YAML is ASCII with escapes, so any string (even a lone surrogate) fits."""
    if raw_yaml is not None:
        return f"---\n{raw_yaml}\n---\n{markdown}"
    return "---\n" + yaml.safe_dump(data, allow_unicode=False, sort_keys=False) + "---\n" + markdown


def check_output(out: Path) -> None:
    for path in out.rglob("*"):
        if path.suffix == ".html":
            doc = parse_file(path)
            assert unsafe_markup(doc) == [], path
            for script in doc.find_all("script", type="application/ld+json"):
                json.loads(script.text)
        elif path.suffix in (".xml", ".opml"):
            ET.parse(path)
        elif path.suffix == ".json":
            json.loads(path.read_bytes())


@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(
    items=st.lists(st.tuples(front_matter, body, st.one_of(st.none(), st.text(max_size=80))), min_size=1, max_size=3)
)
def test_any_content_builds_or_is_reported_and_the_output_is_safe(items: list[tuple[dict, str, str | None]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "content").mkdir()
        for number, (data, markdown, raw_yaml) in enumerate(items):
            path = root / "content" / f"2024-02-{number + 10}-item.md"
            path.write_text(file_text(data, markdown, raw_yaml), encoding="utf-8", errors="surrogatepass")
        config = SiteConfig(root=root, base_url="https://example.org/")
        report = build(config)  # anything but a content problem would raise here
        assert report.items_read == len(items)
        assert all(
            problem.path.startswith("content/") or problem.path.startswith(str(root)) for problem in report.problems
        )
        check_output(root / "_site")


# Names a content folder may hold: Latin-1 bytes that are not UTF-8, names with odd
# characters, and links that loop, lead nowhere, lead outside or lead to another file.
names = st.one_of(
    st.sampled_from([b"caf\xe9.md", b"\xff\xfe.md", b"ok.md", b"sub/deep.md", b"_draft.md", b".hidden.md"]),
    st.binary(min_size=1, max_size=20).filter(lambda b: b"/" not in b and b"\x00" not in b).map(lambda b: b + b".md"),
)
links = st.sampled_from(["loop", "nowhere", "outside", "inside", "folder-loop"])


@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(names, min_size=1, max_size=4, unique=True), made=st.lists(links, max_size=3))
def test_any_file_names_and_links_build_or_are_reported(files: list[bytes], made: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        content = root / "content"
        (content / "sub").mkdir(parents=True)
        for number, name in enumerate(files):
            path = Path(os.fsdecode(bytes(content) + b"/" + name))
            path.write_text(f"---\ntitle: Item {number}\npublishedDateTime: 2024-02-{number + 10}T10:00:00Z\n---\n")
        (root / "outside.md").write_text("---\ntitle: Outside\npublishedDateTime: 2024-02-01T10:00:00Z\n---\n")
        for number, kind in enumerate(made):
            link = content / f"link-{number}.md"
            target = {"loop": link, "nowhere": content / "gone.md", "outside": root / "outside.md"}.get(kind)
            if kind == "folder-loop":
                (content / f"folder-{number}").symlink_to(content)
            else:
                link.symlink_to(target if target is not None else content / "sub")
        report = build(SiteConfig(root=root, base_url="https://example.org/"))  # never raises
        for problem in report.problems:
            problem.path.encode("utf-8")  # every name is printable
        check_output(root / "_site")


@settings(max_examples=EXAMPLES * 5, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "é", '"', "'", "<", ">", "&", "\n", "\r", "\t", " ", *NASTY]) | st.text()).map(
        "".join
    )
)
def test_an_xml_attribute_is_written_as_the_standard_library_writes_it(text: str) -> None:
    from xml.sax.saxutils import quoteattr

    from generator.escape import clean_text, xml_attr

    written = xml_attr(text)
    assert written == quoteattr(clean_text(text))
    assert ET.fromstring(f"<a b={written}/>").get("b") == clean_text(text)
