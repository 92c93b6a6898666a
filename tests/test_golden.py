"""The tiny fixture site, built and compared file by file with its checked-in output.

When a change to the output is intended, regenerate the expected files and review the diff:

    pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import SITES, Run, tree_bytes

# Theme files are copied verbatim (tests/test_output.py covers the copying): keeping copies
# of them here would only make every style change rewrite the golden set.
STATIC_COPIES = ("css/", "js/")


MARKER = ".digest-build.json"


def without_static_copies(marker: bytes) -> bytes:
    """The output marker without the hashes of the theme's static files (and the digest of
    all hashes), which change with every style edit."""
    record = json.loads(marker)
    record["files"] = {name: value for name, value in record["files"].items() if not name.startswith(STATIC_COPIES)}
    record.pop("build")
    return json.dumps(record, indent=1, sort_keys=True).encode()


def compared(files: dict[str, bytes]) -> dict[str, bytes]:
    kept = {name: data for name, data in files.items() if not name.startswith(STATIC_COPIES)}
    if MARKER in kept:
        kept[MARKER] = without_static_copies(kept[MARKER])
    return kept


@pytest.mark.parametrize("name", ["tiny", "newsroom"])
def test_build_matches_the_golden_files(
    name: str, run_build: Callable[..., Run], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    site = SITES / name
    out = tmp_path / "out"
    # No cache: it would be written beside the fixture, in the repository.
    run = run_build("--config", site / "site.toml", "--output", out, "--no-cache")
    assert run.code == 0, run.err
    expected_dir = site / "expected"
    if request.config.getoption("--update-golden"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(
            out,
            expected_dir,
            ignore=lambda folder, names: [n for n in names if Path(folder) == out and n + "/" in STATIC_COPIES],
        )
    actual, expected = compared(tree_bytes(out)), compared(tree_bytes(expected_dir))
    assert (out / "css/style.css").is_file()
    assert sorted(actual) == sorted(expected), "the set of files changed"
    for file in sorted(expected):
        assert actual[file].decode() == expected[file].decode(), f"{file} differs from the golden copy"
