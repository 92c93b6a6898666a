"""The terminal niceties: a progress bar only for long builds on a terminal, colour only there."""

from __future__ import annotations

import io

import pytest

from generator.commands import terminal
from generator.commands.terminal import ProgressBar, format_problems
from generator.errors import ContentProblem


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_appears_only_after_two_seconds_and_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [100.0]
    monkeypatch.setattr(terminal.time, "monotonic", lambda: clock[0])
    screen = FakeTerminal()
    bar = ProgressBar(screen)
    bar("reading", 10, 1000)
    assert screen.getvalue() == ""  # a quick build never shows a bar
    clock[0] += 2.5
    bar("writing", 450, 1000)
    assert screen.getvalue() == "\rwriting  [=============>                ]  45%  450 of 1,000\033[K"
    bar.clear()
    assert screen.getvalue().endswith("\r\033[K")
    piped = io.StringIO()
    quiet = ProgressBar(piped)
    clock[0] += 10
    quiet("writing", 1, 2)
    assert piped.getvalue() == ""  # not a terminal: no bar
    disabled = ProgressBar(FakeTerminal(), enabled=False)  # -q
    disabled("writing", 1, 2)
    assert disabled.stream.getvalue() == ""


def test_problems_are_coloured_only_when_asked() -> None:
    problems = [
        ContentProblem("content/a.md", 3, "title", "missing"),
        ContentProblem("content/b.md", None, None, "odd", is_error=False),
    ]
    assert format_problems(problems, colour=False) == ["content/a.md:3: title: missing", "warning: content/b.md: odd"]
    coloured = format_problems(problems, colour=True)
    assert coloured == [
        "\033[1m\033[31mcontent/a.md:3\033[0m: title: missing",
        "\033[33mwarning:\033[0m content/b.md: odd",
    ]
    assert format_problems(problems, colour=False, errors_only=True) == ["content/a.md:3: title: missing"]
