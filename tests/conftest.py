"""Shared fixtures: building small sites in temporary folders and finding the shared corpus."""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.commands import main

REPO = Path(__file__).resolve().parents[1]
# The cache key lives in the user's state folder; tests (and the builds they start) get one
# of their own, so they never touch the real one.
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="digest-tests-state-")
atexit.register(shutil.rmtree, os.environ["XDG_STATE_HOME"], ignore_errors=True)
SITES = Path(__file__).resolve().parent / "sites"
SHARED = Path(os.environ.get("DIGEST_SHARED", REPO.parent / "shared"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/sites/*/expected from the current build instead of comparing",
    )


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


@pytest.fixture
def run_build(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run the command line in-process, as `python build.py ARGS` would."""

    def run(*args: str | Path) -> Run:
        capsys.readouterr()
        code = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture
def make_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Write a site (config and content files) in a temporary folder and work from there.

    Working from the site folder makes messages name files as a curator sees them
    (`content/x.md:3: ...`).
    """

    def make(files: dict[str, str], config: dict[str, object] | None = None) -> Path:
        site = tmp_path / "site"
        (site / "content").mkdir(parents=True, exist_ok=True)
        settings = {"base_url": "https://example.org/", **(config or {})}
        (site / "site.toml").write_text(
            "".join(f"{key} = {toml_value(value)}\n" for key, value in settings.items()), encoding="utf-8"
        )
        for name, text in files.items():
            path = site / "content" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        monkeypatch.chdir(site)
        return site

    return make


def item_text(
    title: str = "A good item", date: str = "2024-02-15T18:05:00Z", extra: str = "", body: str = "Summary."
) -> str:
    """A valid content file, with `extra` front-matter lines appended."""
    return (
        f'---\ntitle: "{title}"\nexcerpt: "An excerpt."\npublishedDateTime: {date}\n'
        f'originalUrl: "https://news.example.com/{date[:10]}/{hashlib.sha1(title.encode()).hexdigest()[:8]}"\n'
        "provider:\n  name: Example News\n"
        f"  domain: news.example.com\ntopics:\n  - AI\n{extra}---\n\n{body}\n"
    )


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file below `root` with its bytes, keyed by POSIX relative path."""
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def published(out: Path) -> dict[str, bytes]:
    """The files a reader of the site can get: the output without a build's hidden staging
    folder (which a build killed outright leaves inside it, for the next build to remove)."""
    return {name: data for name, data in tree_bytes(out).items() if not name.startswith(".digest-staging-")}


def leftovers(out: Path) -> list[str]:
    """Staging folders of builds in the output folder, and anything Digest left beside it."""
    inside = [path.name for path in out.glob(".digest-staging-*")] if out.is_dir() else []
    beside = [path.name for path in out.parent.iterdir() if path.name.startswith(f".{out.name}.")]
    return sorted(inside + beside)


def requires_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not found: ../shared exists only beside the project's own checkout")
    return path


@pytest.fixture
def shared_corpus() -> Path:
    """The real items of ../shared/corpus/everyday-ai (skipped where the folder is absent)."""
    return requires_shared(SHARED / "corpus" / "everyday-ai")


@pytest.fixture
def sample_site(tmp_path: Path) -> Path:
    """A copy of the repository's sample site (config, content, static files)."""
    return copy_sample(tmp_path)


def copy_sample(folder: Path) -> Path:
    """The repository's sample site (config, content, static and data files) copied to `folder/sample`."""
    site = folder / "sample"
    site.mkdir()
    shutil.copy(REPO / "site.toml", site / "site.toml")
    for part in ("content", "static", "data"):
        shutil.copytree(REPO / part, site / part)
    return site


@pytest.fixture
def built_sample(sample_site: Path, run_build: Callable[..., Run]) -> Path:
    run = run_build("--config", sample_site / "site.toml")
    assert run.code == 0, run.err
    assert run.err == ""
    return sample_site / "_site"


@pytest.fixture
def shared_repo() -> Path:
    """../shared/corpus/everyday-ai-repo: real items in the original repository's own layout."""
    return requires_shared(SHARED / "corpus" / "everyday-ai-repo")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def wait_for(condition: Callable[[], bool], seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


@pytest.fixture
def served(make_site: Callable[..., Path]):
    site = make_site({"2024-02-15-story.md": item_text(title="Before the edit")})
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--port", str(port)],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(lambda: "Before the edit" in fetch(base)), "the server never came up"
        yield site, base
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert not (site / "_site").exists()  # the preview never touches the published folder
    assert b"Traceback" not in err, err.decode()  # not even from clients that went away
