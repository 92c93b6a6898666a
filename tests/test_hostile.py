"""Hostile input: one content file per case, built together as one site.

Each case states what a curator sees: the exact messages for its file (errors reject the
item, warnings keep it with a sane default) and, for accepted items, what the page shows.
The rest of the site must build whatever the other files hold.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Run, tree_bytes
from .htmltools import parse_file, parse_html
from .sitecheck import check_site, html_pages, unsafe_markup

BASE = "https://example.org/"
DATE = "publishedDateTime: 2024-03-01T12:00:00Z\n"


def front(*lines: str, body: str = "") -> bytes:
    return ("---\n" + "".join(line + "\n" for line in lines) + "---\n" + body).encode()


def laughs() -> bytes:
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return front("title: Laughs", DATE.strip(), *levels, "topics: *i")


# name -> (file bytes, the messages printed for it, in order)
CASES: dict[str, tuple[bytes, list[str]]] = {
    # --- wrong types, nulls, empty strings ------------------------------------------------
    "2024-03-01-number-title.md": (front("title: 1984", DATE.strip()), []),
    "2024-03-01-list-title.md": (
        front("title: [a, b]", DATE.strip()),
        ["2: title: should be the headline as text, got a list"],
    ),
    "2024-03-01-list-date.md": (
        front("title: List date", "publishedDateTime: [2024, 3]"),
        ["3: publishedDateTime: a list is not a date; write it like 2024-02-15T18:05:00Z"],
    ),
    "2024-03-01-text-topics.md": (
        front("title: Text topics", DATE.strip(), "topics: AI"),
        ["4: topics: should be a list of topic names (one '- name' line each), got \"AI\""],
    ),
    "2024-03-01-map-excerpt.md": (
        front("title: Map excerpt", DATE.strip(), "excerpt: {a: 1}"),
        ["4: excerpt: should be text, got a group of fields"],
    ),
    "2024-03-01-text-published.md": (
        front("title: Text published", DATE.strip(), "published: 'yes'"),
        ['4: published: should be true or false, got "yes"'],
    ),
    "2024-03-01-nulls.md": (
        front("title:", "publishedDateTime:", "topics:", "excerpt:", "provider:", "images:", "related:"),
        [
            "2: title: missing; every item needs a title",
            "3: publishedDateTime: missing; every item needs its publication date (write it like 2024-02-15T18:05:00Z)",
        ],
    ),
    "2024-03-01-null-extras.md": (
        front("title: Null extras", DATE.strip(), "topics:", "excerpt:", "provider:", "images:", "related:"),
        [],
    ),
    "2024-03-01-empty-title.md": (
        front('title: ""', DATE.strip()),
        ['2: title: should be the headline as text, got ""'],
    ),
    "2024-03-01-empty-extras.md": (
        front("title: Empty extras", DATE.strip(), 'excerpt: ""', 'originalUrl: ""', 'webUrl: ""'),
        [],
    ),
    "2024-03-01-nested-topic.md": (
        front("title: Nested topic", DATE.strip(), "topics:", "  - [deep, list]"),
        ["5: topics[0]: should be a topic name, got a list"],
    ),
    # --- sizes and shapes ----------------------------------------------------------------
    "2024-03-01-long-title.md": (
        front("title: " + "word " * 2000, DATE.strip()),
        ["warning: 2: title: is 9,999 characters long; cut to 300"],
    ),
    "2024-03-01-many-topics.md": (
        front("title: Many topics", DATE.strip(), "topics:", *[f"  - Topic {n}" for n in range(5000)]),
        ["warning: 4: topics: has 5,000 entries; only the first 50 are used"],
    ),
    "2024-03-01-too-large.md": (
        front("title: Too large", DATE.strip(), body="x" * (2 * 1024 * 1024)),
        [": is 2.0 MB, over the 2.0 MB limit for one item (max_file_kb in site.toml)"],
    ),
    "2024-03-01-deep.md": (
        front("title: Deep", DATE.strip(), "topics: " + "[" * 100_000 + "]" * 100_000),
        ["4: front matter: is nested more than 50 levels deep"],
    ),
    "2024-03-01-deep-broken.md": (  # a `*` and a syntax error after the nesting change nothing
        front('title: "* starred"', DATE.strip(), "topics: " + "{a: " * 100_000 + "1" + "}" * 100_000, ": : bad"),
        ["4: front matter: is nested more than 50 levels deep"],
    ),
    "2024-03-01-duplicate-keys.md": (
        front("title: First", DATE.strip(), "title: Second"),
        ["warning: 2: title: appears 2 times; the last one is used"],
    ),
    "2024-03-01-laughs.md": (
        laughs(),
        ["5: front matter: uses the YAML alias *a; aliases are not allowed, write the value out"],
    ),
    "2024-03-01-python-tag.md": (
        front("title: !!python/object/apply:os.system ['echo owned']", DATE.strip()),
        [
            "2: front matter: is not valid YAML (the tag !!python/object/apply:os.system is not allowed; "
            "write plain text, numbers, dates, lists and groups)"
        ],
    ),
    "2024-03-01-custom-tag.md": (
        front("title: !secret value", DATE.strip()),
        [
            "2: front matter: is not valid YAML (the tag !secret is not allowed; "
            "write plain text, numbers, dates, lists and groups)"
        ],
    ),
    # --- files ---------------------------------------------------------------------------
    "2024-03-01-bad-utf8.md": (
        b"---\ntitle: caf\xe9\n" + DATE.encode() + b"---\n",
        [": is not UTF-8 text (bad byte at offset 14)"],
    ),
    "2024-03-01-bom-crlf.md": (
        b"\xef\xbb\xbf---\r\ntitle: BOM and CRLF\r\n" + DATE.replace("\n", "\r\n").encode() + b"---\r\nBody\r\n",
        [],
    ),
    "2024-03-01-unclosed.md": (
        b"---\ntitle: Unclosed\n" + DATE.encode(),
        ["1: front matter: not closed; add a '---' line after the last field"],
    ),
    "2024-03-01-empty.md": (b"", [": front matter: the file is empty; it needs front matter between two '---' lines"]),
    "2024-03-01-binary.md": (bytes(range(256)) * 4, [": is a binary file, not text (it contains NUL bytes)"]),
    "2024-03-01 name with spaces.md": (front("title: Spaces", DATE.strip()), []),
    "2024-03-01-ünïcödé-名前.md": (front("title: Unicode name", DATE.strip()), []),
    "2024-03-01-..-dots.md": (front("title: Dots", DATE.strip()), []),
    "2024-03-01-Case.md": (front("title: Upper case", DATE.strip()), []),
    "2024-03-01-case.md": (
        front("title: Lower case", DATE.strip()),
        [": has the same address /news/2024/03/01/case/ as content/2024-03-01-Case.md; rename one of the files"],
    ),
    # --- unsafe addresses ----------------------------------------------------------------
    "2024-03-01-unsafe-urls.md": (
        front(
            "title: Unsafe addresses",
            DATE.strip(),
            'originalUrl: "javascript:alert(1)"',
            'webUrl: "data:text/html,<script>alert(2)</script>"',
            "provider:",
            "  name: Evil",
            "  images:",
            '    - url: "vbscript:msgbox(3)"',
            "images:",
            '  - url: "https://img.example.com/a.jpg\\" onerror=\\"alert(4)"',
            body="[a](javascript:alert(5)) [b](vbscript:x) ![c](data:image/png;base64,AAAA) <javascript:alert(6)>\n"
            "<script>alert(7)</script>\n",
        ),
        [
            'warning: 4: originalUrl: "javascript:alert(1)" is not a web address (http:// or https://); left out',
            'warning: 5: webUrl: "data:text/html,<script>alert(2)</script>" is not a web address (http:// or https://); '
            "left out",
            'warning: 9: provider.images[0].url: "vbscript:msgbox(3)" is not an image address (http(s) or /path); '
            "image left out",
            'warning: 11: images[0].url: "https://img.example.com/a.jpg" onerror="alert(4)" is not an image '
            "address (http(s) or /path); image left out",
            'warning: 13: summary: the link to "javascript:alert(5)" is not a web, mail or relative address; left as text',
            'warning: 13: summary: the link to "vbscript:x" is not a web, mail or relative address; left as text',
            'warning: 13: summary: the link to "data:image/png;base64,AAAA" is not a web, mail or relative address; '
            "left as text",
            'warning: 13: summary: the link to "javascript:alert(6)" is not a web, mail or relative address; left as text',
        ],
    ),
}


def expected_lines(name: str, messages: list[str]) -> list[str]:
    """`2: field: msg` -> `content/<name>:2: field: msg`, keeping a `warning: ` prefix in front."""
    lines = []
    for message in messages:
        prefix, rest = (
            ("warning: ", message.removeprefix("warning: ")) if message.startswith("warning: ") else ("", message)
        )
        separator = "" if rest.startswith(":") else (":" if rest[0].isdigit() else ": ")
        lines.append(f"{prefix}content/{name}{separator}{rest}")
    return lines


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    from generator.commands import main

    site = tmp_path_factory.mktemp("hostile")
    content = site / "content"
    content.mkdir()
    (site / "site.toml").write_text(f'base_url = "{BASE}"\n')
    for name, (data, _) in CASES.items():
        (content / name).write_bytes(data)
    outside = site / "secret.md"
    outside.write_bytes(front("title: Secret", DATE.strip()))
    (content / "2024-03-01-link-outside.md").symlink_to(outside)
    (content / "sub").mkdir()
    (content / "sub" / "2024-03-01-inside.md").write_bytes(front("title: Inside", DATE.strip()))
    (content / "2024-03-01-link-inside.md").symlink_to(content / "sub" / "2024-03-01-inside.md")
    os.mkfifo(content / "2024-03-01-pipe.md")  # reading it would block forever
    cwd = Path.cwd()
    os.chdir(site)
    try:
        import io
        from contextlib import redirect_stderr, redirect_stdout

        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main([])
    finally:
        os.chdir(cwd)
    return site, Run(code, out.getvalue(), err.getvalue())


@pytest.mark.parametrize("name", CASES)
def test_each_hostile_file_gets_its_message_or_default(hostile_build: tuple[Path, Run], name: str) -> None:
    _, run = hostile_build
    mine = [line for line in run.err_lines if line.removeprefix("warning: ").startswith(f"content/{name}:")]
    assert mine == expected_lines(name, CASES[name][1])


def test_the_rest_of_the_site_builds_and_nothing_unsafe_reaches_it(hostile_build: tuple[Path, Run]) -> None:
    site, run = hostile_build
    assert run.code == 1  # some files are rejected
    out = site / "_site"
    assert (
        "warning: content/2024-03-01-link-outside.md: links to a file outside the content folder; skipped"
        in run.err_lines
    )
    accepted = [
        name for name, (_, messages) in CASES.items() if not any(not m.startswith("warning: ") for m in messages)
    ]
    titles = {parse_file(path).find("h1").text for path in (out / "news").rglob("index.html")}
    assert {
        "1984",
        "Null extras",
        "Empty extras",
        "BOM and CRLF",
        "Spaces",
        "Unicode name",
        "Dots",
        "Upper case",
    } <= titles
    assert "Second" in titles  # the last of two equal keys
    assert "Inside" in titles and "Secret" not in titles
    assert len(titles) == len(accepted) + 1  # + the file reached through an inside link (once)
    assert check_site(out, BASE) == []
    for name, doc in html_pages(out).items():
        assert unsafe_markup(doc) == [], name
    unsafe = parse_file(out / "news/2024/03/01/unsafe-urls/index.html")
    assert unsafe.find_all("figure") == []
    assert unsafe.find_all("p", class_="article__out") == []  # no "read the full story" without a web address
    assert "<script>alert(7)</script>" in unsafe.find("section", class_="article__summary").text
    long_title = parse_file(out / "news/2024/03/01/long-title/index.html").find("h1").text
    assert len(long_title) <= 300 and long_title.endswith("word…")


def test_the_size_limit_is_configurable(make_site: Callable[..., Path], run_build: Callable[..., Run]) -> None:
    make_site(
        {"2024-03-01-big.md": front("title: Big", DATE.strip(), body="x" * 3000).decode()},
        {"max_file_kb": 2},
    )
    run = run_build()
    assert run.err_lines == [
        "content/2024-03-01-big.md: is 3 KB, over the 2 KB limit for one item (max_file_kb in site.toml)"
    ]


def test_the_unsafe_markup_check_catches_what_a_browser_would_run() -> None:
    doc = parse_html(
        '<a href=" Java\nScript:alert(1)">a</a><img src="x" onerror="alert(2)"><script>alert(3)</script>'
        '<script type="application/ld+json">{}</script><meta content="javascript: is only text here">'
        '<script src="https://elsewhere.example/x.js"></script><script src="/js/search.js" defer></script>'
    )
    assert sorted(unsafe_markup(doc)) == [
        "<a href=' Java\\nScript:alert(1)'>",
        "<img onerror>",
        "<script type=None src='https://elsewhere.example/x.js'>",
        "<script type=None src=None>",
    ]


@pytest.mark.parametrize("target", ["home", "home-dotfiles-only", "parent"])
def test_the_build_never_replaces_a_folder_it_did_not_make(
    make_site: Callable[..., Path], run_build: Callable[..., Run], tmp_path: Path, target: str
) -> None:
    """`--output ~` (the shell expands it to the home folder), `--output ..` and the like."""
    site = make_site({"2024-03-01-story.md": front("title: Story", DATE.strip()).decode()})
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / ".bashrc").write_text("export A=1\n")
    if target == "home":
        (home / "Documents" / "thesis.txt").write_text("years of work")
    else:
        (home / "Documents").rmdir()
    output = site.parent if target == "parent" else home
    before = tree_bytes(output)
    run = run_build("--output", output)
    assert run.code == 2
    assert "refusing to replace this folder: it is not empty and was not made by Digest" in run.err
    assert tree_bytes(output) == before
    assert [path.name for path in output.parent.iterdir() if path.name.startswith(f".{output.name}.")] == []
