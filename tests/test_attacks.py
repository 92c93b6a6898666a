"""The README's promises under attack: one file, link or neighbour can cost its own page,
never the build; nothing is written outside the output folder; a failed build leaves the
previous site exactly as it was.

Each test is one case from the attacker's list, and failed before Digest handled it.
"""

from __future__ import annotations

import errno
import os
import pickle
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator import output
from generator.commands import import_feed

from .conftest import REPO, Run, fetch, item_text, leftovers, published, tree_bytes
from .htmltools import parse_file

BIG = "9" * 5000


def front(*lines: str) -> str:
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n\nA summary.\n"


# --- one file, one problem: the rest of the site builds ----------------------------------


def test_a_number_of_5000_digits_is_a_field_problem_or_nothing(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    site = make_site(
        {
            "2024-02-15-ignored.md": front(
                "title: Ignored big number", "publishedDateTime: 2024-02-15T10:00:00Z", f"foo: {BIG}"
            ),
            "2024-02-16-quality.md": front(
                "title: Big quality", "publishedDateTime: 2024-02-16T10:00:00Z", f"quality: {BIG}"
            ),
        }
    )
    run = run_build()
    assert run.code == 1
    assert run.err_lines == [
        'content/2024-02-16-quality.md:4: quality: should be a whole number of 0 or more, got "' + "9" * 57 + '..."'
    ]
    assert (site / "_site/news/2024/02/15/ignored/index.html").is_file()


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("9999-12-31T23:59:59-12:00", "the date 9999-12-31T23:59:59-12:00"),
        ("0001-01-01T00:00:00+05:00", "the date 0001-01-01T00:00:00+05:00"),
        ('"0001-01-01T00:00:00Z"', '"0001-01-01T00:00:00Z"'),
    ],
)
def test_a_date_at_the_edge_of_the_calendar_is_a_field_problem(
    make_site: Callable[..., Path], run_build: Callable[..., Run], written: str, shown: str
) -> None:
    site = make_site(
        {
            "2024-02-15-edge.md": front("title: Edge", f"publishedDateTime: {written}"),
            "2024-02-16-updated.md": front(
                "title: Updated edge", "publishedDateTime: 2024-02-16T10:00:00Z", f"updatedDateTime: {written}"
            ),
            "2024-02-17-fine.md": item_text("A fine story", "2024-02-17T10:00:00Z"),
        }
    )
    range_words = "is outside the years 1000 to 9998 that pages and feeds can show"
    for command in (["check"], []):  # check and build agree
        run = run_build(*command)
        assert run.code == 1
        assert [line for line in run.err_lines if "edge" in line or "updated" in line] == [
            f"content/2024-02-15-edge.md:3: publishedDateTime: {shown} {range_words}",
            f"warning: content/2024-02-16-updated.md:4: updatedDateTime: {shown} {range_words}; ignored",
        ]
    assert (site / "_site/news/2024/02/16/updated/index.html").is_file()


def test_a_site_whose_every_item_is_in_year_one_builds_empty(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    site = make_site(
        {
            f"item-{n}.md": front(f"title: Year one {n}", f"publishedDateTime: 0001-01-0{n}T00:00:00Z", "heat: 5")
            for n in range(1, 4)
        }
    )
    run = run_build()
    assert run.code == 1
    assert len(run.err_lines) == 3
    assert run.out.startswith("3 items read, 0 published")
    assert (site / "_site/index.html").is_file()


def test_a_file_name_that_is_not_utf8_is_reported_and_the_rest_builds(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    site = make_site({"2024-02-17-fine.md": item_text("A fine story", "2024-02-17T10:00:00Z")})
    latin1 = os.fsdecode(b"content/2024-02-15-caf\xe9.md")
    Path(latin1).write_text(item_text("Latin-1 name"), encoding="utf-8")
    run = run_build()
    assert run.code == 1
    assert run.err_lines == [
        "content/2024-02-15-caf\\xe9.md: its name is not UTF-8 text; rename it (convmv -f latin1 -t utf-8 does it); skipped"
    ]
    assert (site / "_site/news/2024/02/17/fine/index.html").is_file()


def test_a_title_and_topic_of_four_byte_letters_fit_every_file_name(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    letters = "\U00020000" * 100  # a CJK letter of four bytes in UTF-8
    site = make_site(
        {"story.md": front(f"title: {letters}", "publishedDateTime: 2024-02-15T10:00:00Z", "topics:", f"  - {letters}")}
    )
    run = run_build()
    assert run.code == 0, run.err
    names = [path.name for path in (site / "_site").rglob("*")]
    assert max(len(name.encode()) for name in names) <= 255
    assert any(letters[:40] in name for name in names)


def test_a_symlink_loop_in_content_is_reported_and_the_rest_builds(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    site = make_site({"2024-02-17-fine.md": item_text("A fine story", "2024-02-17T10:00:00Z")})
    (site / "content/a.md").symlink_to("b.md")
    (site / "content/b.md").symlink_to("a.md")
    for command in (["check"], []):
        run = run_build(*command)
        assert run.code == 0, run.err
        assert run.err_lines == [
            f"warning: content/{name}: is a link that leads nowhere (a loop, or a missing file); skipped"
            for name in ("a.md", "b.md")
        ]


def test_terminal_controls_in_content_are_printed_escaped(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    make_site(
        {
            "2024-02-15-x.md": front(
                "title: X", "publishedDateTime: 2024-02-15T10:00:00Z", 'published: "\\e[2J\\e]0;pwned\\a\\r\\e[Kyes"'
            )
        }
    )
    run = run_build()
    assert "\x1b" not in run.err and "\r" not in run.err and "\x07" not in run.err
    assert run.err_lines == [
        'content/2024-02-15-x.md:4: published: should be true or false, got "\\x1b[2J\\x1b]0;pwned\\x07\\r\\x1b[Kyes"'
    ]


def test_an_edit_that_keeps_size_inode_and_time_is_seen(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    site = make_site({"2024-02-15-story.md": item_text("Same size", body="The first version.")})
    assert run_build().code == 0
    path = site / "content/2024-02-15-story.md"
    before = path.stat()
    with path.open("r+b") as file:  # in place: same inode, same size
        file.write(path.read_bytes().replace(b"first ", b"other "))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` or a restore tool leaves it
    assert (path.stat().st_size, path.stat().st_ino, path.stat().st_mtime_ns) == (
        before.st_size,
        before.st_ino,
        before.st_mtime_ns,
    )
    run = run_build()
    assert run.code == 0
    assert "The other version." in (site / "_site/news/2024/02/15/story/index.html").read_text()


def test_one_name_in_nfc_and_nfd_is_one_topic_and_one_source(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    nfc, nfd = unicodedata.normalize("NFC", "Café"), unicodedata.normalize("NFD", "Café")
    assert nfc != nfd
    site = make_site(
        {
            "2024-02-15-a.md": front(
                "title: One",
                "publishedDateTime: 2024-02-15T10:00:00Z",
                "topics:",
                f"  - {nfc}",
                "provider:",
                f"  name: {nfc} Times",
            ),
            "2024-02-16-b.md": front(
                "title: Two",
                "publishedDateTime: 2024-02-16T10:00:00Z",
                "topics:",
                f"  - {nfd}",
                "provider:",
                f"  name: {nfd} Times",
            ),
        }
    )
    assert run_build().code == 0
    assert [path.parent.name for path in (site / "_site/topics").glob("*/index.html")] == ["cafe"]
    assert [path.parent.name for path in (site / "_site/providers").glob("*/index.html")] == ["cafe-times"]


def test_a_two_megabyte_table_costs_seconds_not_minutes(
    make_site: Callable[..., Path], run_build: Callable[..., Run]
) -> None:
    columns = 200
    table = (
        "|"
        + "|".join(f"h{i}" for i in range(columns))
        + "|\n|"
        + "-|" * columns
        + "\n"
        + ("|" + "x|" * columns + "\n") * 5000
    )
    site = make_site({"2024-02-15-table.md": front("title: Table", "publishedDateTime: 2024-02-15T10:00:00Z") + table})
    run = run_build()
    assert run.code == 0
    body = "\nA summary.\n" + table  # all that follows the closing ---
    size = f"{len(body.encode()) / 1024:.0f}"
    assert run.err_lines == [
        f"warning: content/2024-02-15-table.md:6: summary: is {size} KB, over the 100 KB budget for Markdown "
        "(max_summary_kb in site.toml); shown as plain text"
    ]
    page = parse_file(site / "_site/news/2024/02/15/table/index.html")
    assert page.find_all("table") == []


# --- the output folder: nothing outside it, never half-written ---------------------------


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_symlink_in_the_output_folder_is_replaced_not_followed(
    make_site: Callable[..., Path],
    run_build: Callable[..., Run],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    workers: str,
) -> None:
    monkeypatch.setattr(output, "BACKGROUND_SCAN_FILES", 0)  # with two workers, scanned in a process of its own
    scans: list[object] = []

    class Recorded(output.Background):  # type: ignore[type-arg]
        def __init__(self, function: Callable[[], object]) -> None:
            scans.append(function)
            super().__init__(function)

    monkeypatch.setattr(output, "Background", Recorded)
    site = make_site({"2024-02-15-story.md": item_text("A story")})
    assert run_build("-j", workers).code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("not Digest's")
    topic = site / "_site/topics/ai"
    for path in sorted(topic.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    topic.rmdir()
    topic.symlink_to(elsewhere)
    (site / "content/2024-02-16-two.md").write_text(item_text("Another story", "2024-02-16T10:00:00Z"))
    run = run_build("-j", workers)
    assert run.code == 0, run.err
    assert run.err_lines == [
        "warning: _site/topics/ai: was a symbolic link; removed (Digest writes no links, and one would let a build write elsewhere)"
    ]
    assert tree_bytes(elsewhere) == {"keep.txt": b"not Digest's"}
    assert not topic.is_symlink() and (topic / "index.html").is_file()
    assert len(scans) == (1 if workers == "2" else 0)  # the first build had no files in place


def test_a_static_symlink_to_a_file_outside_the_site_is_not_published(
    make_site: Callable[..., Path], run_build: Callable[..., Run], tmp_path: Path
) -> None:
    site = make_site({"2024-02-15-story.md": item_text()})
    secret = tmp_path / "secret.txt"
    secret.write_text("private key")
    (site / "static").mkdir()
    (site / "static/leak.txt").symlink_to(secret)
    (site / "static/inside.txt").write_text("fine")
    (site / "static/alias.txt").symlink_to(site / "static/inside.txt")
    os.mkfifo(site / "static/pipe.txt")  # reading it would block the build forever
    run = run_build()
    assert run.code == 0
    assert run.err_lines == [
        "warning: static/leak.txt: links to a file outside its static folder; not published",
        "warning: static/pipe.txt: is not a regular file; not published",
    ]
    assert not (site / "_site/leak.txt").exists()
    assert (site / "_site/alias.txt").read_text() == "fine"


def test_a_planted_cache_file_never_runs(
    make_site: Callable[..., Path], run_build: Callable[..., Run], tmp_path: Path
) -> None:
    site = make_site({"2024-02-15-story.md": item_text()})
    assert run_build().code == 0
    ran = tmp_path / "the-cache-ran-code"

    class Planted:
        def __reduce__(self) -> tuple[object, tuple[str, str]]:
            return (open, (str(ran), "w"))

    cache = site / ".cache/digest"
    evil = pickle.dumps(Planted())
    planted = [path for path in cache.rglob("*") if path.is_file()]
    assert any(path.parent.name == "templates" for path in planted)  # compiled templates too
    for path in planted:  # whatever the files are called, in either format
        for name in (path.name, path.with_suffix(".pickle").name):
            (path.parent / name).write_bytes(evil)
    (site / "content/2024-02-15-story.md").write_text(item_text("Edited so the cache is read"))
    run = run_build()
    assert run.code == 0, run.err
    assert not ran.exists()
    assert "Edited so the cache is read" in (site / "_site/news/2024/02/15/story/index.html").read_text()


def test_a_failed_move_while_committing_leaves_the_previous_site(
    make_site: Callable[..., Path], run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"2024-02-15-story.md": item_text("Version one")})
    assert run_build("--no-cache").code == 0
    before = published(site / "_site")
    (site / "content/2024-02-15-story.md").write_text(item_text("Version two"))
    real_replace = os.replace

    live = str((site / "_site/news/2024/02/15/story").resolve())

    def read_only(source: object, target: object) -> None:  # as a read-only folder answers
        for path in (str(source), str(target)):
            if str(Path(path).resolve()).startswith(live):
                raise PermissionError(errno.EACCES, "Permission denied", path)
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", read_only)
    run = run_build("--no-cache", "-j", "1")
    assert run.code == 2
    assert run.err_lines[0].startswith("error: cannot write ")
    assert run.err_lines[0].endswith("story/index.html: Permission denied; the site was left as it was")
    assert published(site / "_site") == before
    assert leftovers(site / "_site") == []
    monkeypatch.setattr(os, "replace", real_replace)
    assert run_build("--no-cache").code == 0
    assert "Version two" in (site / "_site/news/2024/02/15/story/index.html").read_text()


@pytest.mark.parametrize("refusal", [errno.EBUSY, errno.EXDEV])
def test_an_output_folder_that_is_a_mount_point_can_be_built_into(
    make_site: Callable[..., Path], run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, refusal: int
) -> None:
    """A mount point cannot be renamed (EBUSY), and nothing can be renamed into it from the
    file system around it (EXDEV): a build into it must rename only within it."""
    site = make_site({"2024-02-15-story.md": item_text("Version one")})
    out = (site / "public").resolve()
    out.mkdir()
    real_rename, real_replace = os.rename, os.replace

    def mounted(operation: Callable[[object, object], None]) -> Callable[[object, object], None]:
        def move(source: object, target: object) -> None:
            source_inside = Path(str(source)).resolve().is_relative_to(out)
            target_inside = Path(str(target)).resolve().is_relative_to(out)
            if Path(str(source)).resolve() == out or Path(str(target)).resolve() == out:
                raise OSError(errno.EBUSY, "Device or resource busy", str(out))
            if source_inside != target_inside and refusal == errno.EXDEV:
                raise OSError(errno.EXDEV, "Invalid cross-device link", str(target))
            operation(source, target)

        return move

    monkeypatch.setattr(os, "rename", mounted(real_rename))
    monkeypatch.setattr(os, "replace", mounted(real_replace))
    for version in ("Version one", "Version two"):
        (site / "content/2024-02-15-story.md").write_text(item_text(version))
        run = run_build("--output", out, "--no-cache")
        assert run.code == 0, run.err
        assert version in (out / "news/2024/02/15/story/index.html").read_text()


def test_a_full_disk_is_an_output_problem_and_changes_nothing(
    make_site: Callable[..., Path], run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"2024-02-15-story.md": item_text("Version one")})
    assert run_build().code == 0
    before = published(site / "_site")
    (site / "content/2024-02-15-story.md").write_text(item_text("Version two"))

    def full(self: Path, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_bytes", full)
    run = run_build("-j", "1")
    assert run.code == 2
    assert "No space left on device" in run.err_lines[0]
    assert "Traceback" not in run.err
    monkeypatch.undo()
    assert published(site / "_site") == before
    assert leftovers(site / "_site") == []


def test_a_crash_inside_digest_says_it_is_a_bug_and_changes_nothing(
    make_site: Callable[..., Path], run_build: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"2024-02-15-story.md": item_text()})
    assert run_build().code == 0
    before = published(site / "_site")
    (site / "content/2024-02-15-story.md").write_text(item_text("Changed"))
    from generator.plan import layout

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("an invariant broke")

    monkeypatch.setattr(layout, "list_pages", broken)
    run = run_build()
    assert run.code == 70
    assert run.err_lines[0] == "error: Digest failed: this is a bug in Digest, not a problem with your files."
    assert "RuntimeError: an invariant broke" in run.err
    assert run.err_lines[-1] == "nothing was built: the output folder was not changed"
    assert published(site / "_site") == before


def _live_files(out: Path) -> set[str]:
    """The files a reader could fetch right now (a walk that tolerates folders coming and going)."""
    found = set()
    for parent, folders, names in os.walk(out):
        folders[:] = [name for name in folders if not name.startswith(".digest-staging-")]
        found |= {os.path.relpath(os.path.join(parent, name), out).replace(os.sep, "/") for name in names}
    return found


def _build_process(site: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "-q", "--no-cache"],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_two_builds_at_once_never_show_a_site_with_files_missing(sample_site: Path) -> None:
    first = subprocess.run([sys.executable, str(REPO / "build.py"), "-q"], cwd=sample_site, capture_output=True)
    assert first.returncode == 0, first.stderr
    out = sample_site / "_site"
    complete = published(out)
    names = set(complete)
    for _round in range(20):
        # Each round rebuilds everything (a changed title shows on many pages), twice at once.
        text = (sample_site / "content/2024-02-15-openai-unveils-sora-text-to-video.md").read_text()
        (sample_site / "content/2024-02-15-openai-unveils-sora-text-to-video.md").write_text(
            text.replace("Sora", "Sora ")
        )
        builds = [_build_process(sample_site), _build_process(sample_site)]
        samples = 0
        while any(build.poll() is None for build in builds):
            present = _live_files(out)
            assert names <= present | {".digest-build.json"}, sorted(names - present)[:5]
            samples += 1
        results = [build.communicate() for build in builds]
        assert [build.returncode for build in builds] == [0, 0], results
        assert set(published(out)) == names
        assert leftovers(out) == []
    assert samples > 0


# --- serve --------------------------------------------------------------------------------


def test_serve_answers_only_for_its_own_address(served: tuple[Path, str]) -> None:
    import http.client
    import socket

    _, base = served
    port = int(base.rstrip("/").rsplit(":", 1)[1])
    assert "Before the edit" in fetch(f"http://localhost:{port}/")
    for host in ("attacker.example", f"attacker.example:{port}", ""):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.putrequest("GET", "/", skip_host=True)
        if host:
            connection.putheader("Host", host)
        connection.endheaders()
        assert connection.getresponse().status == 403, host
        connection.close()
    for _ in range(20):  # clients that go away mid-answer
        with socket.create_connection(("127.0.0.1", port)) as raw:
            raw.sendall(f"GET /feed.xml HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    assert "Before the edit" in fetch(base)  # still serving


def test_serve_keeps_rebuilding_after_an_unexpected_failure(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from generator.commands import serve
    from generator.config import SiteConfig

    calls = []

    def failing(config: object, options: object) -> None:
        calls.append(1)
        raise RuntimeError("a bug")

    monkeypatch.setattr(serve, "build", failing)
    text = serve.run_build(SiteConfig(root=tmp_path), drafts=False)
    assert text.startswith("error: Digest failed: this is a bug in Digest")
    assert text.endswith("The last good site is still served.")
    assert serve.run_build(SiteConfig(root=tmp_path), drafts=False) == text  # and again, on the next change
    assert len(calls) == 2


# --- import ---------------------------------------------------------------------------------


class _Feeds(BaseHTTPRequestHandler):
    """A local server that answers badly in every way the attacker tried."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/missing":
            self.send_error(404, "Not Found")
        elif self.path == "/huge":
            self.send_response(200)
            self.end_headers()
            chunk = b"<rss>" + b" " * 65536
            try:
                for _ in range(1000):  # 64 MB
                    self.wfile.write(chunk)
            except OSError:
                pass
        elif self.path == "/slow":
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(60):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass


@pytest.fixture
def feed_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feeds)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def test_import_reports_network_failures_in_words(
    make_site: Callable[..., Path], run_build: Callable[..., Run], feed_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_site({})
    monkeypatch.setattr(import_feed, "FETCH_SECONDS", 3)
    monkeypatch.setattr(import_feed, "MAX_FEED_BYTES", 8 * 1024 * 1024)
    cases = {
        f"{feed_server}/missing": "the server answered 404 Not Found; nothing was imported",
        f"{feed_server}/huge": "the feed is over 8 MB; nothing was imported",
        f"{feed_server}/slow": "the server took over 3 s to send the feed; nothing was imported",
        "http://127.0.0.1:9/refused": "cannot be fetched ([Errno 111] Connection refused); nothing was imported",
    }
    for address, words in cases.items():
        run = run_build("import", address)
        assert run.code == 2, address
        assert run.err_lines == [f"error: {address}: {words}"]
    assert list(Path("content").iterdir()) == []


def test_one_odd_json_feed_entry_never_costs_the_others(
    make_site: Callable[..., Path], run_build: Callable[..., Run], tmp_path: Path
) -> None:
    make_site({})
    feed = tmp_path / "odd.json"
    feed.write_text(
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Odd", "items": ['
        '{"id": "1", "url": "https://odd.example/1", "title": "Tags are a number", "tags": 5, "date_published": "2024-02-15T10:00:00Z"},'
        '{"id": "2", "url": "https://odd.example/2", "title": "Authors are an object", "authors": {"name": "x"}, "date_published": "2024-02-15T11:00:00Z"},'
        '{"id": "3", "url": "https://odd.example/3", "title": "Year one", "date_published": "0001-01-01T00:00:00+05:00"},'
        '{"id": "4", "url": "https://odd.example/4", "title": "A fine entry", "date_published": "2024-02-15T12:00:00Z"}]}',
        encoding="utf-8",
    )
    run = run_build("import", str(feed))
    assert run.code == 0, run.err
    assert run.out.splitlines()[-1] == "4 entries: 3 added, 0 already present, 1 unusable"
    assert "skipped: Year one: its date is outside the years 1000 to 9998" in run.out.splitlines()
