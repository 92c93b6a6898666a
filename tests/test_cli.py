"""The command as a curator runs it: `python build.py` in a site folder."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

SUMMARY = re.compile(
    r"^\d+ items? read, \d+ published( as \d+ stor(y|ies))?, (\d+ held back, )?\d+ pages?, \d+ files? written(, \d+ removed)?, \d+ warnings?, \d+ errors? in \d+\.\d\d s$"
)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_help_documents_every_option_and_the_exit_status(tmp_path: Path) -> None:
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    for option in (
        "--config",
        "--content",
        "--output",
        "--strict",
        "--drafts",
        "--now",
        "-q",
        "--quiet",
        "-v",
        "--verbose",
    ):
        assert option in result.stdout
    assert "exit status:" in result.stdout
    for command in ("build", "check", "new", "import", "serve", "init"):
        assert f"\n  {command} " in result.stdout
        if command != "build":
            assert run(command, "--help", cwd=tmp_path).stdout.startswith(f"usage: build.py {command}")


def test_python_build_py_builds_the_sample_site_in_its_folder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for name in ("site.toml",):
        shutil.copy(REPO / name, site / name)
    for folder in ("content", "static", "data"):
        shutil.copytree(REPO / folder, site / folder)
    result = run(cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert SUMMARY.match(result.stdout.strip()), result.stdout
    assert (site / "_site/index.html").is_file()
    assert run("-q", cwd=site).stdout == ""
    again = run(cwd=site)
    assert again.stdout.startswith("nothing changed since the last build: 20 items read"), again.stdout
    verbose = run("-v", "--no-cache", cwd=site)
    assert {"discover", "load", "render+write"} <= {line.split()[0] for line in verbose.stderr.splitlines()}


def test_usage_and_config_errors_exit_with_2(tmp_path: Path) -> None:
    assert run("--no-such-option", cwd=tmp_path).returncode == 2
    missing = run("--config", "missing.toml", cwd=tmp_path)
    assert missing.returncode == 2
    assert "missing.toml: configuration file not found" in missing.stderr
    no_content = run(cwd=tmp_path)
    assert no_content.returncode == 2
    assert "error: content folder not found: content" in no_content.stderr
    (tmp_path / "site.toml").write_text("items_per_page = 'ten'\n")
    bad = run(cwd=tmp_path)
    assert bad.returncode == 2
    assert "site.toml: items_per_page: should be a whole number, got 'ten'" in bad.stderr


def test_unknown_config_keys_warn_but_build(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "site.toml").write_text('titel = "typo"\n')
    result = run(cwd=tmp_path)
    assert result.returncode == 0
    assert "warning: site.toml: titel: unknown setting, ignored" in result.stderr
    assert ", 1 warning, 0 errors in " in result.stdout


def test_ci_runs_exactly_the_test_line_of_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    line = next(line for line in readme.splitlines() if line.endswith("# runs the tests"))
    command = line.split("#", 1)[0].strip()
    assert "-c constraints.txt" in command
    assert command in (REPO / ".ci/run").read_text(encoding="utf-8").splitlines()
