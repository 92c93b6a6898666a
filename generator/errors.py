"""The few kinds of failure the pipeline reports, each carrying what a person needs to fix it.

Content problems are values first (collected per file so one run shows every mistake) and
become an exception only in strict mode. Configuration and theme problems always stop the
build, because no page can be trusted without them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ContentProblem:
    """One thing wrong with one content file, located as precisely as the input allows."""

    path: str
    line: int | None
    field: str | None
    message: str
    is_error: bool = True

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = self.message if self.field is None else f"{self.field}: {self.message}"
        return f"{where}: {what}" if self.is_error else f"warning: {where}: {what}"


class ContentError(Exception):
    """Raised in strict mode at the first content problem that rejects an item."""

    def __init__(self, problem: ContentProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class ConfigError(Exception):
    """`site.toml` (or a command-line option standing in for it) cannot be used."""


class ThemeError(Exception):
    """A template is missing or fails: what went wrong, in which template file and line,
    and while rendering which page (each None when not known)."""

    def __init__(
        self, message: str, *, template: str | None = None, line: int | None = None, page: str | None = None
    ) -> None:
        self.message = message
        self.template = template  # the template's file, as Jinja2 names it
        self.line = line
        self.page = page  # the page's origin ("2024-02-15-story.md", "topic 'AI'")
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.template if self.line is None else f"{self.template}:{self.line}"
        text = f"{where}: {self.message}" if self.template else self.message
        return f"{text} (while rendering {self.page})" if self.page else text


class OutputError(Exception):
    """The output folder cannot be written safely; nothing was changed."""


class ProblemTally:
    """Counts for a report that holds content problems and configuration warnings."""

    problems: list[ContentProblem]
    config_warnings: list[str]

    @property
    def errors(self) -> int:
        return sum(problem.is_error for problem in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors + len(self.config_warnings)
