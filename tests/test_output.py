"""The writer: all or nothing, never outside the output folder, never someone else's folder."""

import os
import stat
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from generator.errors import OutputError
from generator.output import MARKER, OutputScan, read_manifest, scan_output, write_site
from generator.parallel import Background

from .conftest import tree_bytes


def siblings(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.parent.iterdir() if path.name != folder.name)


def test_a_new_site_is_written_with_its_marker(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    report = write_site(
        out, [("index.html", b"home"), ("news/a/index.html", b"a")], sources={"a.md": ["news/a/index.html"]}
    )
    assert report.files_written == 2
    assert (out / "index.html").read_bytes() == b"home"
    assert read_manifest(out) == {"a.md": ["news/a/index.html"]}
    assert siblings(out) == []


def test_the_folder_gets_normal_permissions(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site(out, [("index.html", b"x")])
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~umask


def test_a_rebuild_replaces_everything_so_deleted_pages_do_not_linger(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site(out, [("index.html", b"v1"), ("news/old/index.html", b"old")])
    write_site(out, [("index.html", b"v2")])
    assert sorted(tree_bytes(out)) == [MARKER, "index.html"]
    assert (out / "index.html").read_bytes() == b"v2"
    assert siblings(out) == []


def test_static_folders_are_copied_in_order_and_pages_win(tmp_path: Path) -> None:
    theme, site = tmp_path / "theme", tmp_path / "static"
    (theme / "css").mkdir(parents=True)
    (theme / "css" / "style.css").write_text("theme")
    (theme / "robots.txt").write_text("theme")
    (theme / ".DS_Store").write_text("junk")
    site.mkdir()
    (site / "robots.txt").write_text("site")
    out = tmp_path / "_site"
    write_site(out, [("index.html", b"home")], static_dirs=[theme, site, tmp_path / "missing"])
    assert (out / "css" / "style.css").read_text() == "theme"
    assert (out / "robots.txt").read_text() == "site"
    assert not (out / ".DS_Store").exists()


def test_a_folder_digest_did_not_make_is_never_replaced(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.txt").write_text("years of work")
    with pytest.raises(OutputError, match="not made by Digest"):
        write_site(home, [("index.html", b"x")])
    assert tree_bytes(home) == {"thesis.txt": b"years of work"}
    assert siblings(home) == []


def test_an_empty_folder_may_be_used(tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    write_site(out, [("index.html", b"x")])
    assert (out / MARKER).is_file()


def test_a_file_in_place_of_the_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    out.write_text("a file")
    with pytest.raises(OutputError, match="not a folder"):
        write_site(out, [("index.html", b"x")])


def failing_files(after: int, error: BaseException) -> Iterator[tuple[str, bytes]]:
    for n in range(after):
        yield f"page/{n}/index.html", b"new"
    raise error


@pytest.mark.parametrize("error", [RuntimeError("template crashed"), KeyboardInterrupt()])
def test_a_failed_or_interrupted_build_leaves_the_old_site_exactly_as_it_was(
    tmp_path: Path, error: BaseException
) -> None:
    out = tmp_path / "_site"
    write_site(out, [("index.html", b"old home"), ("news/a/index.html", b"a")])
    before = tree_bytes(out)
    with pytest.raises(type(error)):
        write_site(out, failing_files(5, error))
    assert tree_bytes(out) == before
    assert siblings(out) == []


def test_pages_of_rejected_sources_are_carried_over_from_the_previous_build(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site(
        out,
        [("index.html", b"v1"), ("news/a/index.html", b"a v1"), ("news/b/index.html", b"b v1")],
        sources={"a.md": ["news/a/index.html"], "b.md": ["news/b/index.html"]},
    )
    report = write_site(out, [("index.html", b"v2")], sources={}, keep_sources=["a.md", "never-built.md"])
    assert report.carried_over == ("a.md",)
    assert (out / "news/a/index.html").read_bytes() == b"a v1"
    assert not (out / "news/b").exists()  # b was deleted, not broken
    assert read_manifest(out) == {"a.md": ["news/a/index.html"]}
    # Still broken at the next build: still kept.
    write_site(out, [("index.html", b"v3")], keep_sources=["a.md"])
    assert (out / "news/a/index.html").read_bytes() == b"a v1"


def test_leftovers_of_a_killed_build_are_cleaned_but_other_folders_are_not(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    stale = tmp_path / "._site.tmp-deadbeef"
    stale.mkdir()
    (stale / MARKER).write_text("{}")
    unrelated = tmp_path / "._site.tmp-mine"
    unrelated.mkdir()
    write_site(out, [("index.html", b"x")])
    assert not stale.exists()
    assert unrelated.exists()


def test_a_build_killed_between_the_two_renames_of_a_swap_gets_the_old_site_back(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site(out, [("index.html", b"old"), ("news/a/index.html", b"a")], sources={"a.md": ["news/a/index.html"]})
    old = tmp_path / "._site.old-0000beef"
    out.rename(old)  # as if killed right after the first rename
    report = write_site(out, [("index.html", b"new")], keep_sources=["a.md"])
    assert report.carried_over == ("a.md",)  # the restored site's pages were there to carry over
    assert (out / "index.html").read_bytes() == b"new"
    assert (out / "news/a/index.html").read_bytes() == b"a"
    assert siblings(out) == []


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a/../../b", "a\\b"])
def test_paths_leaving_the_output_folder_are_refused(tmp_path: Path, path: str) -> None:
    out = tmp_path / "_site"
    with pytest.raises(OutputError, match="outside the output folder"):
        write_site(out, [(path, b"x")])
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_file_and_a_folder_may_trade_places_between_builds(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    write_site(out, [("index.html", b"v1"), ("about", b"a file"), ("notes/index.html", b"a folder")])
    write_site(out, [("index.html", b"v2"), ("about/index.html", b"now a folder"), ("notes", b"now a file")])
    assert {path: data for path, data in tree_bytes(out).items() if path != MARKER} == {
        "index.html": b"v2",
        "about/index.html": b"now a folder",
        "notes": b"now a file",
    }
    assert siblings(out) == []


def test_the_output_scan_names_links_and_sizes_and_runs_as_well_in_a_process_of_its_own(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    (out / "news/a").mkdir(parents=True)
    (out / "news/a/index.html").write_bytes(b"12345")
    (out / "index.html").write_bytes(b"")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/secret.txt").write_bytes(b"secret")
    (out / "news/b").symlink_to(tmp_path / "elsewhere")
    (out / "feed.xml").symlink_to(tmp_path / "elsewhere/secret.txt")
    here = scan_output(str(out))
    assert here == OutputScan(("feed.xml", "news/b"), {"index.html": 0, "news/a/index.html": 5})
    assert scan_output(str(out), sizes=False) == OutputScan(here.links, {})
    background = Background(partial(scan_output, str(out)))
    assert background.result() == here
    assert Background(os.getpid).result() != os.getpid()  # worked out in another process
    assert (out / "news/b").is_symlink()  # the scan changes nothing


def test_a_background_job_that_fails_is_done_again_here_and_can_be_stopped(tmp_path: Path) -> None:
    marker = tmp_path / "ran-here"

    def fails_in_the_child(parent: int = os.getpid()) -> str:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        marker.write_text("yes")
        return "done here"

    assert Background(fails_in_the_child).result() == "done here" and marker.is_file()
    slow = Background(partial(time.sleep, 30))
    started = time.monotonic()
    slow.cancel()
    assert time.monotonic() - started < 5
