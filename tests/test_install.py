"""Digest as a user installs it: a wheel in a fresh virtual environment, far from this
checkout, starts a site, builds it, checks it and serves it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
import venv
from pathlib import Path

import feedparser
import pytest

from generator import __version__
from generator.commands.init import init_site
from tools.check_bounds import copy_of_tree

from .conftest import REPO, free_port
from .htmltools import parse_file


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with Digest installed from a wheel built from this tree."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("building the wheel copies the project's files as git lists them; no git checkout here")
    root = tmp_path_factory.mktemp("install")
    tree = copy_of_tree(root / "source")
    dist = root / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(tree)], check=True, cwd=root
    )
    (wheel,) = dist.glob("digest-*.whl")
    environment = root / "venv"
    venv.create(environment, with_pip=True)
    pip = [str(environment / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "-c", str(REPO / "constraints.txt"), str(wheel)], check=True, cwd=root)
    shutil.rmtree(tree)  # nothing of the checkout is left to lean on
    return environment


def digest(environment: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(environment / "bin" / "digest"), *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=clean
    )


def test_a_wheel_in_a_fresh_environment_starts_builds_checks_and_serves_a_site(installed: Path, tmp_path: Path) -> None:
    assert digest(installed, "--version", cwd=tmp_path).stdout == f"digest {__version__}\n"
    started = digest(installed, "init", "demo", cwd=tmp_path)
    assert started.returncode == 0, started.stderr
    assert started.stdout.splitlines()[0] == "wrote site.toml"
    site = tmp_path / "demo"
    built = digest(installed, "build", cwd=site)
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""
    assert built.stdout.startswith("1 item read, 1 published")
    home = parse_file(site / "_site/index.html")
    assert next(link.text for link in home.find_all("a") if "/news/" in (link.get("href") or "")) == (
        "Welcome to your digest"
    )
    topic = parse_file(site / "_site/topics/digests/index.html")
    assert topic.find("span", class_="page-header__description").text == "How curated news digests are made and read."
    feed = feedparser.parse((site / "_site/feed.xml").read_bytes())
    assert feed.bozo == 0
    assert [entry.title for entry in feed.entries] == ["Welcome to your digest"]
    assert (site / "_site/css/style.css").is_file()  # the theme's files come from the package

    checked = digest(installed, "check", cwd=site)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("checked 1 item and ")

    port = free_port()
    command = [str(installed / "bin" / "digest"), "serve", "--port", str(port)]
    with subprocess.Popen(command, cwd=site, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as server:
        try:
            page = b""
            for _ in range(100):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                        page = response.read()
                    break
                except OSError:
                    time.sleep(0.1)
            assert b"Welcome to your digest" in page
        finally:
            server.terminate()
            server.wait(timeout=20)

    module = subprocess.run(
        [str(installed / "bin" / "python"), "-m", "generator", "--help"], cwd=site, capture_output=True, text=True
    )
    assert module.stdout.startswith("usage: python -m generator ")


def test_usage_lines_name_the_program_as_it_was_called(tmp_path: Path) -> None:
    build_py = subprocess.run([sys.executable, str(REPO / "build.py"), "new", "--help"], capture_output=True, text=True)
    assert build_py.stdout.startswith("usage: build.py new ")
    module = subprocess.run(
        [sys.executable, "-m", "generator", "check", "--help"], capture_output=True, text=True, cwd=REPO
    )
    assert module.stdout.startswith("usage: python -m generator check ")


def test_init_writes_a_site_and_never_replaces_a_file(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text('title = "Mine"\n', encoding="utf-8")
    (tmp_path / ".gitignore").write_text("node_modules/", encoding="utf-8")
    started = init_site(tmp_path)
    assert [path.relative_to(tmp_path).as_posix() for path in started.kept] == ["site.toml"]
    assert (tmp_path / "site.toml").read_text(encoding="utf-8") == 'title = "Mine"\n'
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines() == [
        "node_modules/",
        "# Digest's output and cache",
        "_site/",
        "public/",
        ".cache/",
    ]
    assert len(list((tmp_path / "content").glob("*-welcome-to-your-digest.md"))) == 1


def test_init_in_a_jekyll_site_reads_its_collections_and_config(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text(
        'title: A.I. Every Day\nurl: https://everyday.example\nbaseurl: "/ai"\nlocale: "en-us"\n'
        "permalink: /:year/:month/:day/:title/\ndefaults: &defaults\n  layout: post\nposts:\n  <<: *defaults\n",
        encoding="utf-8",
    )
    for folder in ("_news", "_archive/_news"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "2019-12-16-a.md").write_text("---\ntitle: A\n---\n", encoding="utf-8")
    (tmp_path / "_layouts").mkdir()
    (tmp_path / "_layouts" / "x.md").write_text("layout", encoding="utf-8")
    started = init_site(tmp_path)
    assert started.jekyll
    assert (tmp_path / "site.toml").read_text(encoding="utf-8") == (
        "# Digest settings for this Jekyll site, written by `digest init` from _config.yml.\n"
        'title = "A.I. Every Day"\n'
        'base_url = "https://everyday.example/ai/"\n'
        'language = "en-US"\n'
        "# The collections that hold news items (folders starting with _ are not read otherwise).\n"
        'content = ["_archive/_news", "_news"]\n'
        'output = "public"  # not _site, which Jekyll writes\n'
        "# The old site's addresses lead to the stories' new pages.\n"
        'redirect_from = ["/:year/:month/:day/:title/"]\n'
    )
    assert not (tmp_path / "content").exists()
