"""Keep the lower bounds in pyproject.toml honest: install each at exactly its lowest
allowed version on every supported Python and run the tests there.

CI installs the pinned `constraints.txt`; users' installs resolve against the bounds in
pyproject.toml, so those bounds must be versions that install and pass too. For every
Python found (3.11, 3.12 and 3.13 by default) this makes a fresh virtual environment in a
temporary folder, installs the project with its test extras and `name==lower bound` for
each direct dependency (their own dependencies resolve freely), and runs pytest.

    python tools/check_bounds.py                 # every Python found
    python tools/check_bounds.py --python python3.13
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ("3.11", "3.12", "3.13")
_LOWER_BOUND = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*>=\s*([0-9][^,;\s]*)\s*(;.*)?$")


def lower_bounds() -> list[str]:
    """`name==version` for every dependency and test dependency that names a lower bound."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    pins = {}
    for requirement in requirements:
        match = _LOWER_BOUND.match(requirement)
        if match:
            name, version, marker = match.groups()
            pins[name.lower()] = f"{name}=={version}{f' {marker}' if marker else ''}"
    return sorted(pins.values())


def find_python(version: str) -> str | None:
    """`pythonX.Y` on PATH, else pyenv's copy of it."""
    found = shutil.which(f"python{version}")
    if found and subprocess.run([found, "--version"], capture_output=True).returncode == 0:
        return found
    pyenv = sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}"))
    return str(pyenv[-1]) if pyenv else None


def copy_of_tree(target: Path) -> Path:
    """The project's files (tracked and new, not ignored) copied to `target`, so the
    check tests what is here now and never writes into the working tree."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def check(python: str, pins: list[str], pytest_args: list[str]) -> bool:
    with tempfile.TemporaryDirectory(prefix="digest-bounds-") as folder:
        tree = copy_of_tree(Path(folder) / "digest")
        venv = Path(folder) / "venv"
        constraints = Path(folder) / "lowest.txt"
        constraints.write_text("\n".join(pins) + "\n", encoding="utf-8")
        steps = [
            [python, "-m", "venv", str(venv)],
            [str(venv / "bin" / "pip"), "install", "-q", "-c", str(constraints), "-e", f"{tree}[test]"],
            [str(venv / "bin" / "pip"), "freeze", "--exclude-editable"],
            [str(venv / "bin" / "pytest"), "-q", "-p", "no:cacheprovider", *pytest_args],
        ]
        # The tests find ../shared next to the checkout; the copy is elsewhere.
        environment = {**os.environ, "DIGEST_SHARED": os.environ.get("DIGEST_SHARED", str(ROOT.parent / "shared"))}
        for step in steps:
            print("$", " ".join(step), flush=True)
            if subprocess.run(step, cwd=tree, env=environment).returncode != 0:
                return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", action="append", help="a Python to check (default: 3.11, 3.12 and 3.13)")
    parser.add_argument("pytest_args", nargs="*", help="passed on to pytest")
    args = parser.parse_args()
    pythons = args.python or [found for version in PYTHONS if (found := find_python(version))]
    pins = lower_bounds()
    print("lowest versions:", ", ".join(pins))
    results = {python: check(python, pins, args.pytest_args) for python in pythons}
    for python, ok in results.items():
        print(f"{'pass' if ok else 'FAIL'}  {python}")
    return 0 if results and all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
