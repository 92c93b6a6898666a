"""Kill a real build partway through: the previous site must survive byte for byte.

A build of a few thousand items runs as `python build.py` in a subprocess; once it has
started writing its temporary folder it receives SIGINT, SIGTERM or SIGKILL.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import REPO, leftovers, published, tree_bytes

ITEMS = 1500


def write_corpus(content: Path, version: str) -> None:
    content.mkdir(exist_ok=True)
    for n in range(ITEMS):
        day = 1 + n % 28
        (content / f"2024-02-{day:02}-story-{n}.md").write_text(
            f"---\ntitle: Story {n} ({version})\npublishedDateTime: 2024-02-{day:02}T{n % 24:02}:00:00Z\n"
            f"excerpt: An excerpt for story {n}.\noriginalUrl: https://news{n % 40}.example.com/{n}\n"
            f"topics:\n  - Topic {n % 60}\n  - AI\n---\n\nThe summary of story {n}, *{version}*.\n",
            encoding="utf-8",
        )


def start_build(site: Path) -> subprocess.Popen[bytes]:
    """`python build.py` with Ctrl-C as a terminal delivers it. A shell starts background
    jobs with SIGINT ignored, and their children keep ignoring it (Python too), so tests run
    that way would see a build that cannot be interrupted; the build gets the default."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # a handler resets to the default at exec
    try:
        return subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "-q"], cwd=site, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    finally:
        signal.signal(signal.SIGINT, previous)


def wait_until_writing(out: Path, process: subprocess.Popen[bytes]) -> None:
    """Until the temporary folder holds some pages, so the kill lands in the middle of writing."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        temps = [path for path in out.glob(".digest-staging-*") if (path / "news").is_dir()]
        if temps:
            return
        if process.poll() is not None:
            pytest.fail("the build ended before it could be interrupted")
        time.sleep(0.01)
    pytest.fail("the build never started writing")


@pytest.fixture
def built_site(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.toml").write_text('base_url = "https://example.org/"\n')
    write_corpus(site / "content", "first")
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "-q"], cwd=site, capture_output=True)
    assert result.returncode == 0, result.stderr
    before = tree_bytes(site / "_site")
    write_corpus(site / "content", "second")  # the next build would change every page
    return site, before


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_build_leaves_the_previous_site_and_no_leftovers(
    built_site: tuple[Path, dict[str, bytes]], sig: signal.Signals
) -> None:
    site, before = built_site
    out = site / "_site"
    process = start_build(site)
    wait_until_writing(out, process)
    process.send_signal(sig)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.decode().strip() == "interrupted: the output folder was not changed"
    assert published(out) == before
    assert leftovers(out) == []


def test_a_killed_build_leaves_the_previous_site_and_the_next_build_cleans_up(
    built_site: tuple[Path, dict[str, bytes]],
) -> None:
    site, before = built_site
    out = site / "_site"
    process = start_build(site)
    wait_until_writing(out, process)
    process.kill()  # SIGKILL: no chance to clean up
    process.wait(timeout=60)
    assert published(out) == before
    assert leftovers(out) != []  # its half-written folder is left behind ...
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "-q"], cwd=site, capture_output=True)
    assert result.returncode == 0, result.stderr
    assert leftovers(out) == []  # ... until the next build removes it
    assert b"(second)" in (out / "news/2024/02/01/story-0/index.html").read_bytes()
