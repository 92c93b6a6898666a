"""The command line: `digest [COMMAND] ...`, one module per command.

`COMMANDS` lists them, each with the module that runs it and one line of help; `main`
picks one (building when none is named) and imports only that module, so a quick
command never pays for the heavy stages.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
from dataclasses import dataclass
from typing import NoReturn

from .. import __version__
from .common import Exit


@dataclass(frozen=True)
class Command:
    name: str
    module: str  # below generator.commands; it has `main(argv) -> int`
    help: str
    # Whether the command's work ends with it. Run as a program, such a command leaves its
    # objects to the end of the process (see `main`); `serve` keeps building, so it frees
    # each build's objects as it goes.
    ends: bool = True


COMMANDS: tuple[Command, ...] = (
    Command("build", "build", "build the site (the default when no command is given)"),
    Command("check", "check", "report every problem of the content and templates without writing"),
    Command("new", "new", "write a new content file from a title and an address"),
    Command("import", "import_feed", "turn the entries of an RSS, Atom or JSON feed into content files"),
    Command("email", "email_edition", "print an edition's email as a MIME message, for sendmail or a mail service"),
    Command("serve", "serve", "build, serve on http://127.0.0.1:8000/ and rebuild on every change", ends=False),
    Command("init", "init", "start a new site in a folder, or set up an existing Jekyll digest"),
    Command("ping", "ping", "tell the WebSub hub (websub_hub) which feeds changed since the last ping"),
)


def commands_help() -> str:
    rows = "".join(f"  {command.name:<7} {command.help}\n" for command in COMMANDS)
    return f"commands (COMMAND --help for each):\n{rows}"


def main(argv: list[str] | None = None) -> int:
    """`digest [COMMAND] ...`: without a command, build the site.

    Without `argv` it runs as the program (`digest`, `python build.py`): a command whose
    work ends with it then runs without Python's cycle collector and ends the process
    without freeing anything (see `_end_process`).
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["--version"]:
        print(f"digest {__version__}")
        return Exit.OK
    named = {command.name: command for command in COMMANDS}
    command = named.get(arguments[0]) if arguments else None
    rest = arguments[1:] if command is not None else arguments
    chosen = command or named["build"]
    module = importlib.import_module(f"{__name__}.{chosen.module}")
    as_program = argv is None and chosen.ends
    if as_program:
        gc.disable()
    code = int(module.main(rest))
    if as_program:
        _end_process(code)
    return code


def _end_process(code: int) -> NoReturn:
    """Exit at once, leaving memory to the system. A build's millions of objects are tied
    into reference cycles (each story's promised objects lead back to the plan), so freeing
    them at exit means a collector pass over all of them: about a second after a cold build
    of 10,000 items, for memory the system takes back anyway. The command has closed its
    files and joined its workers; only the standard streams are left to flush."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream: nothing more to say
            stream.flush()
    os._exit(code)
