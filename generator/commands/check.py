"""`digest check`: everything a build would report, and more, without writing.

It runs the same stages as a build (so a clean check means a clean build), renders every
page in memory to catch template errors, and adds the findings a curator wants before
publishing: dates in the future, one story filed twice, topic spellings that will merge.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..config import SiteConfig
from ..curate.stories import url_key
from ..curate.topics import topic_key
from ..errors import ConfigError, ContentProblem, ProblemTally, ThemeError
from ..model import Item
from ..pipeline import BuildOptions, plan_site
from ..render.renderer import Renderer
from .common import Exit, add_site_options, bug_report, command_parser, moment, site_config
from .terminal import format_problems, printable, wants_colour


@dataclass
class CheckReport(ProblemTally):
    items_checked: int = 0
    pages_rendered: int = 0
    problems: list[ContentProblem] = field(default_factory=list)
    config_warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        items = "item" if self.items_checked == 1 else "items"
        return (
            f"checked {self.items_checked} {items} and {self.pages_rendered} pages: "
            f"{self.errors} {'error' if self.errors == 1 else 'errors'}, "
            f"{self.warnings} {'warning' if self.warnings == 1 else 'warnings'}"
        )

    def as_json(self) -> str:
        problems = [
            {
                "path": problem.path,
                "line": problem.line,
                "field": problem.field,
                "message": problem.message,
                "severity": "error" if problem.is_error else "warning",
            }
            for problem in self.problems
        ]
        problems += [
            {"path": None, "line": None, "field": None, "message": warning, "severity": "warning"}
            for warning in self.config_warnings
        ]
        data = {
            "ok": self.errors == 0,
            "items": self.items_checked,
            "pages": self.pages_rendered,
            "errors": self.errors,
            "warnings": self.warnings,
            "problems": problems,
        }
        return json.dumps(data, ensure_ascii=False, indent=2)


def future_items(items: Sequence[Item], now: datetime, displays: dict[str, str]) -> list[ContentProblem]:
    return [
        ContentProblem(
            displays[item.source],
            None,
            "publishedDateTime",
            f"{item.published_at.isoformat()} is in the future; the item is held back until then",
            is_error=False,
        )
        for item in items
        if item.published_at > now
    ]


def same_address(items: Sequence[Item], displays: dict[str, str]) -> list[ContentProblem]:
    """Files that report the same article (one address): the site shows them as one story."""
    first: dict[str, Item] = {}
    problems = []
    for item in sorted(items, key=lambda item: item.source):
        for url in dict.fromkeys(url for url in (item.original_url, item.web_url) if url):
            key = url_key(url)
            if key in first and first[key] is not item:
                problems.append(
                    ContentProblem(
                        displays[item.source],
                        None,
                        "originalUrl" if url == item.original_url else "webUrl",
                        f"is the same story as {displays[first[key].source]} (same address); "
                        "the site shows them as one story",
                        is_error=False,
                    )
                )
                break
            first.setdefault(key, item)
    return problems


def topic_spellings(items: Sequence[Item], displays: dict[str, str]) -> list[ContentProblem]:
    """Topic names that differ only in case or punctuation (they are merged into one)."""
    spellings: dict[str, dict[str, Item]] = defaultdict(dict)
    for item in sorted(items, key=lambda item: item.source):
        for name in item.topics:
            spellings[topic_key(name)].setdefault(name, item)
    problems = []
    for names in spellings.values():
        if len(names) > 1:
            listed = ", ".join(f'"{name}" ({displays[item.source]})' for name, item in sorted(names.items()))
            first_item = min(names.values(), key=lambda item: item.source)
            problems.append(
                ContentProblem(
                    displays[first_item.source],
                    None,
                    "topics",
                    f"spellings that differ only in case or punctuation become one topic: {listed}",
                    is_error=False,
                )
            )
    return problems


def insecure_images(items: Sequence[Item], displays: dict[str, str]) -> list[ContentProblem]:
    """`http://` images, once each, for a site served over https: kept as written (Digest
    cannot know whether their host serves https too), but browsers may block or flag them."""
    seen: set[str] = set()
    problems = []
    for item in sorted(items, key=lambda item: item.source):
        fields = [(f"images[{index}].url", image.url) for index, image in enumerate(item.images)]
        if item.provider is not None and item.provider.logo is not None:
            fields.append(("provider.images[0].url", item.provider.logo.url))
        for name, url in fields:
            if url.lower().startswith("http://") and url not in seen:
                seen.add(url)
                problems.append(
                    ContentProblem(
                        displays[item.source],
                        None,
                        name,
                        f"{url} is not https on an https site; kept as written, but browsers may block it "
                        "or mark the page as not secure",
                        is_error=False,
                    )
                )
    return problems


def check(config: SiteConfig, *, now: datetime, config_warnings: list[str] | None = None) -> CheckReport:
    """Run a build without writing, render every page in memory, and collect the findings."""
    planned = plan_site(config, BuildOptions(now=now, config_warnings=tuple(config_warnings or ())))
    report = CheckReport(len(planned.displays), 0, list(planned.report.problems), planned.report.config_warnings)
    report.problems += future_items(planned.items, now, planned.displays)
    report.problems += same_address(planned.items, planned.displays)
    report.problems += topic_spellings(planned.items, planned.displays)
    if config.base_url.startswith("https://"):
        report.problems += insecure_images(planned.items, planned.displays)
    seen: set[ContentProblem] = set()
    with Renderer(planned.themes.templates) as renderer:
        for page in planned.pages:
            try:
                renderer.render(page)
            except ThemeError as exc:
                problem = ContentProblem(exc.template or "templates", exc.line, None, exc.message)
                if problem not in seen:  # one broken template fails every page that uses it
                    seen.add(problem)
                    report.problems.append(problem)
                continue
            report.pages_rendered += 1
    report.problems.sort(key=lambda problem: (problem.path, problem.line or 0))
    return report


def main(argv: list[str]) -> int:
    parser = command_parser("check", "Report every problem of the content and the templates, writing nothing.")
    add_site_options(parser)
    parser.add_argument(
        "--now", type=moment, metavar="TIME", help="the time to compare dates with (default: the clock)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="json: one document, for CI")
    args = parser.parse_args(argv)
    try:
        config, warnings = site_config(args)
        report = check(config, now=args.now or datetime.now(UTC), config_warnings=warnings)
    except (ConfigError, ThemeError) as exc:
        if args.format == "json":
            print(
                '{"ok": false, "errors": 1, "warnings": 0, "problems": [{"path": null, "line": null, '
                f'"field": null, "message": {_json_string(str(exc))}, "severity": "error"}}]}}'
            )
        else:
            print(f"error: {printable(str(exc))}", file=sys.stderr)
        return Exit.USAGE
    except Exception as exc:
        print(bug_report(exc), file=sys.stderr)
        return Exit.BUG
    if args.format == "json":
        print(report.as_json())
    else:
        for warning in report.config_warnings:
            print(f"warning: {printable(warning)}", file=sys.stderr)
        for line in format_problems(report.problems, colour=wants_colour(sys.stderr)):
            print(line, file=sys.stderr)
        print(report.summary())
    return Exit.PROBLEMS if report.errors else Exit.OK


def _json_string(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)
