#!/usr/bin/env python3
"""Check the built site with the Nu HTML Checker, axe-core and Lighthouse.

    python tools/validate.py [--site sample|corpus1k|both] [--skip-lighthouse] [--json out.json]

The sites are built with the repository's own `build.py` into temporary folders and served
from 127.0.0.1, with `base_url` set to the address they are served from: Lighthouse's SEO
audit fails a canonical URL that points at another host, so checking a build made for
https://digest.example.org/ would report a problem the real site does not have.

- sample: `content/` with the repository's `site.toml`;
- corpus1k: 1,000 items from ../shared/tools/make_corpus.py (or $DIGEST_SHARED/tools/…,
  --seed 1), cached in benchmarks/.corpora/ exactly as benchmarks/build_time.py caches it.
  Without make_corpus.py, `--site both` (the default) checks the sample alone and says so.

The checkers are npm packages pinned in tools/validators/package-lock.json; the first run
installs them there with `npm ci --ignore-scripts` (the vnu-jar install script only fetches a
Java runtime, and Java 17 is already required to run vnu.jar). Chromium comes from
$CHROME_PATH, else /usr/bin/chromium.

Exit status: 0 when every check passes; 1 when vnu reports an error, axe a violation, a page
to check is missing, or a median Lighthouse score is below 100 (performance: 95); 2 when a
site could not be built or a checker could not run.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.chromium import CHROME_FLAGS, find_chromium
from tools.localsite import REPO, build_args, local_url, start_server, write_config

VALIDATORS = REPO / "tools" / "validators"
NODE_MODULES = VALIDATORS / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE_CLI = NODE_MODULES / "lighthouse" / "cli" / "index.js"
# ../shared, or the folder DIGEST_SHARED names (as the tests read it).
SHARED = Path(os.environ.get("DIGEST_SHARED") or REPO.parent / "shared")
MAKE_CORPUS = SHARED / "tools" / "make_corpus.py"
CORPUS_1K = REPO / "benchmarks" / ".corpora" / "make_corpus-1000-seed1"
CHROMIUM = find_chromium() or "/usr/bin/chromium"
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Accessibility, best practices and SEO must be perfect; performance at least 95.
LIGHTHOUSE_MIN_SCORES = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
LIGHTHOUSE_METRICS = {
    "first-contentful-paint": "FCP ms",
    "largest-contentful-paint": "LCP ms",
    "total-blocking-time": "TBT ms",
    "cumulative-layout-shift": "CLS",
}
# Audits that judge the web server (compression, cache headers), not the theme: the checker's
# http.server sends neither, so they are reported but marked as such.
SERVER_AUDITS = frozenset({"uses-text-compression", "uses-long-cache-ttl", "cache-insight", "document-latency-insight"})
# axe runs every rule it enables by default, plus the WCAG 2.0/2.1/2.2 A and AA rules it leaves
# off by default (such as target-size), except deprecated ones.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_SCRIPT = """async (tags) => {
    const extra = axe.getRules(tags).map((rule) => rule.ruleId)
        .filter((id) => !axe._audit.rules.find((rule) => rule.id === id).tags.includes('deprecated'));
    const rules = Object.fromEntries(extra.map((id) => [id, {enabled: true}]));
    const result = await axe.run(document, {rules});
    return {violations: result.violations, passes: result.passes.length,
            incomplete: result.incomplete.map((r) => r.id), version: result.testEngine.version};
}"""
VIEWPORTS: dict[str, dict[str, Any]] = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}
SCHEMES = ("light", "dark")
_HREF = re.compile(r"""href=["']([^"'#]+)["']""")


# --------------------------------------------------------------------------------------------
# Results


@dataclass
class VnuMessage:
    file: str
    page_type: str
    message: str
    line: int | None
    column: int | None
    extract: str = ""


@dataclass
class AxeViolation:
    rule: str
    impact: str | None
    summary: str
    help_url: str
    targets: list[str]
    failure: str


@dataclass
class AxeRun:
    page: str
    path: str
    scheme: str
    viewport: str
    status: str  # "checked", "missing" (no such page) or "error"
    violations: list[AxeViolation] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)


@dataclass
class FailingAudit:
    category: str
    id: str
    title: str
    weight: float
    scores: list[float | None]
    display: str
    server: bool
    examples: list[str] = field(default_factory=list)


@dataclass
class LighthousePage:
    page: str
    path: str
    variant: str
    runs: int
    scores: dict[str, list[int]] = field(default_factory=dict)
    median: dict[str, float] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    failing: list[FailingAudit] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class SiteReport:
    name: str
    url: str = ""
    build_seconds: float = 0.0
    build_summary: str = ""
    html_files: int = 0
    pages: dict[str, str] = field(default_factory=dict)
    page_types: dict[str, int] = field(default_factory=dict)
    vnu: list[VnuMessage] = field(default_factory=list)
    axe: list[AxeRun] = field(default_factory=list)
    console: dict[str, list[str]] = field(default_factory=dict)
    lighthouse: list[LighthousePage] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


class ToolError(Exception):
    """A site could not be built or a checker could not run: exit status 2."""


@dataclass
class Site:
    """A built site being served: where its files are and the address they are served from."""

    name: str
    root: Path
    url: str
    report: SiteReport


# --------------------------------------------------------------------------------------------
# Tools


def ensure_node_modules() -> float | None:
    """Install the pinned checkers when missing; return the install time, or None if present."""
    if all(path.exists() for path in (VNU_JAR, AXE_JS, LIGHTHOUSE_CLI)):
        return None
    if shutil.which("npm") is None:
        raise ToolError("npm not found: install Node.js 18+ to get the checkers")
    print(f"installing the checkers into {NODE_MODULES.relative_to(REPO)} (npm ci) …", file=sys.stderr)
    started = time.perf_counter()
    # --ignore-scripts: vnu-jar's postinstall would download a Java runtime from GitHub.
    subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=VALIDATORS, check=True)
    return time.perf_counter() - started


def tool_versions() -> dict[str, str]:
    """The checker versions actually installed, for the report."""
    versions = {}
    for package in ("vnu-jar", "axe-core", "lighthouse"):
        manifest = NODE_MODULES / package / "package.json"
        versions[package] = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    versions["chromium"] = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    return versions


@contextmanager
def timed(report: SiteReport | dict[str, float], key: str) -> Iterator[None]:
    """Record how long the block took, so slow checkers show up in the report."""
    started = time.perf_counter()
    try:
        yield
    finally:
        timings = report.timings if isinstance(report, SiteReport) else report
        timings[key] = round(timings.get(key, 0.0) + time.perf_counter() - started, 2)


# --------------------------------------------------------------------------------------------
# Building and serving


def corpus_1k() -> Path:
    """The 1,000-item corpus, made once; the `.complete` marker matches benchmarks/build_time.py."""
    if not (CORPUS_1K / ".complete").exists():
        if not MAKE_CORPUS.exists():
            raise ToolError(f"{MAKE_CORPUS} not found: it makes the corpus1k site")
        shutil.rmtree(CORPUS_1K, ignore_errors=True)
        command = [sys.executable, str(MAKE_CORPUS), str(CORPUS_1K), "--items", "1000", "--seed", "1"]
        subprocess.run(command, check=True, capture_output=True)
        (CORPUS_1K / ".complete").write_text("")
    return CORPUS_1K


def build_site(site: Site, content: Path, workdir: Path) -> None:
    """Build with the repository's own command line, as a user would."""
    config = write_config(workdir, site.url)
    command = [sys.executable, str(REPO / "build.py"), *build_args(config, content, site.root)]
    site.report.build_summary = " ".join(command)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=workdir, capture_output=True, text=True)
    site.report.build_seconds = round(time.perf_counter() - started, 2)
    if result.returncode not in (0, 1):  # 1: some content files had errors, the rest was built
        raise ToolError(f"{site.name}: build failed ({result.returncode}):\n{result.stderr[-3000:]}")
    lines = (result.stdout + result.stderr).strip().splitlines()
    site.report.build_summary = lines[-1] if lines else ""


# --------------------------------------------------------------------------------------------
# Pages


def page_type(root: Path, html: Path) -> str:
    """Name the template a page comes from, from its path, so errors can be grouped by it."""
    parts = html.relative_to(root).parts
    if parts[-1] == "email.html":
        return "email"
    paged = " (page 2+)" if "page" in parts[:-1] else ""
    first = parts[0] if len(parts) > 1 else parts[0].removesuffix(".html")
    if 'http-equiv="refresh"' in html.read_text(encoding="utf-8", errors="replace")[:4000]:
        return "redirect"
    if first in ("index", "page"):
        return "home" + paged
    lists = {"topics": "topic", "providers": "source", "archive": "month", "daily": "daily"}
    indexes = {"topics": "topic index", "providers": "source index", "archive": "archive", "daily": "daily index"}
    if first in lists:
        return (indexes[first] if len(parts) == 2 else lists[first]) + paged
    return {"news": "item"}.get(first, first)


def url_path(root: Path, html: Path) -> str:
    """The address path a file is served at: /topics/ai/ for topics/ai/index.html."""
    relative = html.relative_to(root).as_posix()
    return "/" + relative.removesuffix("index.html")


def linked_page(root: Path, home: Path, prefix: str, prefer: str = "") -> str | None:
    """The first page under `prefix` that the home page links to (the first containing
    `prefer`, if any does), else the first on disk.

    Following the home page picks the newest story and the busiest topic and source, the
    pages readers land on, rather than whatever sorts first.
    """
    text = home.read_text(encoding="utf-8", errors="replace") if home.is_file() else ""
    linked = []
    for href in _HREF.findall(text):
        path = unquote(urlsplit(href).path)
        if path.startswith(prefix) and path != prefix and (root / path.lstrip("/") / "index.html").is_file():
            linked.append(path)
    for path in linked:
        if prefer in (root / path.lstrip("/") / "index.html").read_text(encoding="utf-8", errors="replace"):
            return path
    if linked:
        return linked[0]
    candidates = sorted(p for p in (root / prefix.strip("/")).glob("**/index.html") if "page" not in p.parts)
    candidates = [p for p in candidates if p.parent != root / prefix.strip("/")]
    return url_path(root, candidates[0]) if candidates else None


def pages_to_check(root: Path) -> dict[str, str | None]:
    """The pages axe and Lighthouse open; None marks one the site does not have."""
    home = root / "index.html"
    search = root / "search" / "index.html"
    return {
        "home": "/",
        # A story with its lead image: the heaviest kind of story page, and the one whose
        # largest paint is an image.
        "item": linked_page(root, home, "/news/", prefer='class="article__image"'),
        "topic": linked_page(root, home, "/topics/"),
        "provider": linked_page(root, home, "/providers/"),
        # The newest day, as the edition list links it first.
        "daily": linked_page(root, root / "daily" / "index.html", "/daily/"),
        "subscribe": "/subscribe/" if (root / "subscribe" / "index.html").is_file() else None,
        # With a query, so axe also judges the results the script adds ("AI" is a topic of
        # both sites, and a word of many titles).
        "search": "/search/?q=ai" if search.is_file() else None,
    }


# --------------------------------------------------------------------------------------------
# Nu HTML Checker


def unsubscribe_placeholder(site: Site) -> str:
    """What the site's emails carry as the href of their "Unsubscribe" link: the sending
    service's placeholder (`{unsubscribe_url}`), an address only once the service has put
    one there, so the Nu checker's "bad value" for it is expected and the only one allowed."""
    from generator.config import load_config

    config, _ = load_config(site.root.parent / "site.toml")
    return config.email_unsubscribe


def expected_in_email(kind: str, message: dict[str, Any], placeholder: str) -> bool:
    """The one Nu message an email may have: its unsubscribe href, the service's placeholder."""
    text = message.get("message", "")
    return kind == "email" and text.startswith(f"Bad value “{placeholder}” for attribute “href” on element “a”")


def run_vnu(sites: list[Site]) -> None:
    """Check every HTML page and stylesheet of every site in one JVM; start-up dominates otherwise."""
    files: dict[Path, tuple[Site, str]] = {}
    for site in sites:
        kinds = {html.resolve(): page_type(site.root, html) for html in sorted(site.root.rglob("*.html"))}
        site.report.html_files = len(kinds)
        kinds |= {css.resolve(): "stylesheet" for css in sorted(site.root.rglob("*.css"))}
        site.report.page_types = dict(sorted(Counter(kinds.values()).items()))
        files |= {path: (site, kind) for path, kind in kinds.items()}
    command = ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--errors-only", "--also-check-css"]
    result = subprocess.run(command + [str(path) for path in files], capture_output=True, text=True)
    try:
        messages = json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        raise ToolError(f"vnu failed ({result.returncode}):\n{result.stderr[-3000:]}") from None
    placeholders = {site.name: unsubscribe_placeholder(site) for site in sites}
    for message in messages:
        path = Path(unquote(urlsplit(message.get("url", "")).path)).resolve()
        site, kind = files.get(path, (sites[0], "unknown"))
        if expected_in_email(kind, message, placeholders[site.name]):
            continue
        site.report.vnu.append(
            VnuMessage(
                file=path.relative_to(site.root.resolve()).as_posix() if path in files else str(path),
                page_type=kind,
                message=message.get("message", ""),
                line=message.get("firstLine", message.get("lastLine")),
                column=message.get("firstColumn", message.get("lastColumn")),
                extract=message.get("extract", "").strip(),
            )
        )


# --------------------------------------------------------------------------------------------
# axe-core


def axe_violations(raw: list[dict[str, Any]]) -> list[AxeViolation]:
    """Keep what a theme author needs: the rule, where it fails, and axe's own advice."""
    return [
        AxeViolation(
            rule=v["id"],
            impact=v.get("impact"),
            summary=v.get("help", ""),
            help_url=v.get("helpUrl", ""),
            targets=[" ".join(map(str, node.get("target", []))) for node in v.get("nodes", [])],
            failure=(v.get("nodes") or [{}])[0].get("failureSummary", ""),
        )
        for v in raw
    ]


def run_axe(site: Site, pages: dict[str, str | None]) -> None:
    """Run axe on each page in both colour schemes at phone and desktop widths.

    bypass_csp lets the injected axe script run under the pages' Content-Security-Policy;
    a separate pass without it records console errors, where CSP violations show up.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS)
        try:
            axe_site(browser, site, pages)
        finally:
            browser.close()


def axe_site(browser: Any, site: Site, pages: dict[str, str | None]) -> None:
    """`run_axe` in a browser already running (the tests' own)."""
    site.report.console = {name: console_errors(browser, site.url, path) for name, path in pages.items() if path}
    for scheme in SCHEMES:
        for viewport, options in VIEWPORTS.items():
            context = browser.new_context(bypass_csp=True, color_scheme=scheme, **options)
            try:
                for name, path in pages.items():
                    site.report.axe.append(axe_page(context, site.url, name, path, scheme, viewport))
            finally:
                context.close()


def console_errors(browser: Any, base: str, path: str) -> list[str]:
    """Console errors and uncaught exceptions while a page loads under its real CSP.

    Lighthouse's best-practices score drops for any of them; naming the resource tells a
    theme bug from an image host that does not exist (the synthetic corpus invents some).
    """
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error":
            source = message.location.get("url", "")
            errors.append(f"{message.text} ({source})" if source else message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    try:
        page.goto(base.rstrip("/") + path, wait_until="networkidle")
    finally:
        context.close()
    return errors


def axe_page(context: Any, base: str, name: str, path: str | None, scheme: str, viewport: str) -> AxeRun:
    """One axe run; a page the site lacks, or that answers 404, is "missing", never a pass."""
    run = AxeRun(page=name, path=path or "", scheme=scheme, viewport=viewport, status="missing")
    if path is None:
        return run
    page = context.new_page()
    try:
        response = page.goto(base.rstrip("/") + path, wait_until="networkidle")
        if response is None or response.status >= 400:
            return run
        if "?q=" in path:  # judge the page with its results in it
            page.wait_for_selector("#search-results li", timeout=10_000)
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate(AXE_SCRIPT, AXE_TAGS)
        run.violations = axe_violations(result["violations"])
        run.incomplete = result["incomplete"]
        run.status = "checked"
    except Exception as exc:  # a broken page must not hide the results of the others
        run.status, run.incomplete = "error", [f"{type(exc).__name__}: {exc}"]
    finally:
        page.close()
    return run


# --------------------------------------------------------------------------------------------
# Lighthouse


def lighthouse_once(url: str, output: Path, extra: list[str]) -> dict[str, Any]:
    """One Lighthouse run in a fresh Chromium; returns the JSON report."""
    flags = " ".join(["--headless=new", *CHROME_FLAGS])
    command = ["node", str(LIGHTHOUSE_CLI), url, "--output=json", f"--output-path={output}", "--quiet"]
    command += [f"--chrome-flags={flags}", f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}", *extra]
    result = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True)
    if result.returncode != 0 or not output.is_file():
        raise RuntimeError(f"lighthouse failed ({result.returncode}): {result.stderr.strip()[-1500:]}")
    return json.loads(output.read_text(encoding="utf-8"))


def audit_examples(audit: dict[str, Any], limit: int = 3) -> list[str]:
    """A few of the things an audit points at (URLs, selectors, messages), to know where to look."""
    items = (audit.get("details") or {}).get("items")
    examples = []
    for item in items[:limit] if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        node = item.get("node") if isinstance(item.get("node"), dict) else {}
        location = item.get("sourceLocation") if isinstance(item.get("sourceLocation"), dict) else {}
        text = item.get("url") or location.get("url") or node.get("selector") or item.get("description")
        if isinstance(text, str) and text:
            examples.append(text[:160])
    return examples


def failing_audits(reports: list[dict[str, Any]]) -> list[FailingAudit]:
    """Audits scoring below 1 in any run, with every run's score, weight and Lighthouse's note."""
    failing: dict[tuple[str, str], FailingAudit] = {}
    for index, report in enumerate(reports):
        for category in LIGHTHOUSE_CATEGORIES:
            for ref in report["categories"][category]["auditRefs"]:
                audit = report["audits"][ref["id"]]
                if audit.get("score") is None or audit["score"] >= 1:
                    continue
                entry = failing.setdefault(
                    (category, ref["id"]),
                    FailingAudit(
                        category=category,
                        id=ref["id"],
                        title=audit.get("title", ""),
                        weight=ref.get("weight", 0),
                        scores=[None] * len(reports),
                        display=audit.get("displayValue", ""),
                        server=ref["id"] in SERVER_AUDITS,
                        examples=audit_examples(audit),
                    ),
                )
                entry.scores[index] = audit["score"]
    return sorted(failing.values(), key=lambda a: (a.category, -a.weight, a.id))


def lighthouse_page(site: Site, name: str, path: str, runs: int, variant: str, extra: list[str]) -> LighthousePage:
    """Run Lighthouse `runs` times and keep the median of each category: single runs are noisy."""
    result = LighthousePage(page=name, path=path, variant=variant, runs=runs)
    reports = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="digest-lh-") as scratch:
        for run in range(runs):
            try:
                report = lighthouse_once(site.url.rstrip("/") + path, Path(scratch) / f"{run}.json", extra)
            except RuntimeError as exc:
                result.errors.append(str(exc))
                continue
            if report.get("runtimeError"):
                result.errors.append(f"{report['runtimeError'].get('code')}: {report['runtimeError'].get('message')}")
            result.errors += report.get("runWarnings", [])
            reports.append(report)
    result.seconds = round(time.perf_counter() - started, 1)
    for category in LIGHTHOUSE_CATEGORIES:
        scores = [round((r["categories"][category]["score"] or 0) * 100) for r in reports]
        result.scores[category] = scores
        if scores:
            result.median[category] = statistics.median(scores)
    for metric in LIGHTHOUSE_METRICS:
        values = [r["audits"][metric]["numericValue"] for r in reports if metric in r["audits"]]
        if values:
            result.metrics[metric] = round(statistics.median(values), 3)
    result.failing = failing_audits(reports)
    return result


# The defaults (mobile emulation, simulated slow 4G and 4x CPU slowdown) are what people quote;
# the variants show how much of a score comes from the emulation rather than the page.
LIGHTHOUSE_VARIANTS = {
    "desktop": ["--preset=desktop"],
    "mobile, no throttling": ["--throttling-method=provided"],
}


def run_lighthouse(site: Site, pages: dict[str, str | None], runs: int, variants: bool) -> None:
    """Lighthouse on home and an item page, one at a time: parallel runs skew each other's timings."""
    for name in ("home", "item"):
        path = pages.get(name)
        if path is None:
            continue
        site.report.lighthouse.append(lighthouse_page(site, name, path, runs, "mobile (default)", []))
        if variants:
            for variant, extra in LIGHTHOUSE_VARIANTS.items():
                site.report.lighthouse.append(lighthouse_page(site, name, path, 1, variant, extra))


# --------------------------------------------------------------------------------------------
# Report


def site_failures(report: SiteReport) -> list[str]:
    """The reasons this site fails, as short phrases; empty when it passes."""
    failures = []
    if report.vnu:
        failures.append(f"{len(report.vnu)} vnu errors")
    violations = sum(len(run.violations) for run in report.axe)
    if violations:
        failures.append(f"{violations} axe violations")
    unchecked = {run.page: run.status for run in report.axe if run.status != "checked"}
    failures += [f"axe: {page} page {status}" for page, status in unchecked.items()]
    for page in report.lighthouse:
        if page.variant != "mobile (default)":
            continue
        if page.errors and not page.median:
            failures.append(f"lighthouse could not run on {page.page}")
        low = [f"{c} {s:g}" for c, s in page.median.items() if s < LIGHTHOUSE_MIN_SCORES.get(c, 100)]
        if low:
            failures.append(f"lighthouse {page.page}: " + ", ".join(low))
    return failures


def print_vnu(report: SiteReport, limit: int = 40) -> None:
    """vnu errors per page type, then per file (the first `limit`), then by distinct message."""
    by_type = Counter(m.page_type for m in report.vnu)
    pages_by_type: dict[str, set[str]] = defaultdict(set)
    for m in report.vnu:
        pages_by_type[m.page_type].add(m.file)
    print(f"  vnu: {len(report.vnu)} errors in {report.html_files} HTML files (+ stylesheets)")
    for kind, total in sorted(report.page_types.items()):
        if by_type[kind]:
            print(f"    {kind:<22} {by_type[kind]:>5} errors on {len(pages_by_type[kind])} of {total} files")
    for m in report.vnu[:limit]:
        print(f"    {m.file}:{m.line}:{m.column}: {m.message}")
    if len(report.vnu) > limit:
        print(f"    … {len(report.vnu) - limit} more (see --json); distinct messages:")
        for message, count in Counter(m.message for m in report.vnu).most_common():
            print(f"    {count:>5} × {message}")


def print_axe(report: SiteReport) -> None:
    """Violations grouped by page and rule, naming the scheme/width combinations they occur in."""
    print("  axe (light/dark × phone/desktop):")
    for name in dict.fromkeys(run.page for run in report.axe):
        runs = [run for run in report.axe if run.page == name]
        statuses = {run.status for run in runs}
        if statuses != {"checked"}:
            detail = "; ".join(sorted({i for run in runs for i in run.incomplete})) if "error" in statuses else ""
            print(f"    {name}: {'/'.join(sorted(statuses))} {runs[0].path} {detail}".rstrip())
        rules: dict[str, list[tuple[AxeRun, AxeViolation]]] = defaultdict(list)
        for run in runs:
            for violation in run.violations:
                rules[violation.rule].append((run, violation))
        if statuses == {"checked"}:
            print(f"    {name} {runs[0].path}: {sum(len(r.violations) for r in runs)} violations")
        for rule, found in rules.items():
            where = ", ".join(f"{run.scheme}/{run.viewport}" for run, _ in found)
            violation = found[0][1]
            targets = sorted({t for _, v in found for t in v.targets})
            print(f"      {rule} ({violation.impact}) in {where}: {violation.summary}")
            print(f"        {len(targets)} targets: {', '.join(targets[:6])}{' …' if len(targets) > 6 else ''}")
            print(f"        {violation.failure.splitlines()[-1] if violation.failure else ''}")
        for error, count in Counter(map(shorten_url, report.console.get(name, []))).items():
            print(f"      console error (loaded without bypass_csp): {count} × {error}")


def shorten_url(text: str) -> str:
    """Cut URLs in a message to their host, so one failing image host reads as one line."""
    return re.sub(r"(https?://[^/\s)]+)[^\s)]*", r"\1/…", text)


def print_lighthouse(report: SiteReport) -> None:
    """Median scores per page and variant, then every audit below 1 with its weight."""
    if not report.lighthouse:
        return
    print("  lighthouse (median ×100: performance, accessibility, best-practices, seo):")
    for page in report.lighthouse:
        scores = " ".join(f"{page.median.get(c, float('nan')):g}" for c in LIGHTHOUSE_CATEGORIES)
        runs = " ".join("/".join(map(str, page.scores[c])) for c in LIGHTHOUSE_CATEGORIES)
        metrics = ", ".join(f"{LIGHTHOUSE_METRICS[k]} {v:.3g}" for k, v in page.metrics.items())
        print(f"    {page.page} {page.path} [{page.variant}, {page.seconds:g} s]: {scores}  (runs {runs}; {metrics})")
        for audit in page.failing:
            scores_text = "/".join("-" if s is None else f"{s:g}" for s in audit.scores)
            note = f"score {scores_text}, weight {audit.weight:g}" + (", server setting" if audit.server else "")
            print(f"      {audit.category}: {audit.id} — {audit.title} ({note})")
            if audit.weight > 0 and audit.examples:
                print(f"        e.g. {'; '.join(map(shorten_url, audit.examples))}")
        for error in sorted(set(page.errors)):
            print(f"      warning: {error}")


def print_summary(reports: list[SiteReport], timings: dict[str, float]) -> None:
    """A plain-text summary per site, followed by the verdict."""
    for report in reports:
        print(f"\n== {report.name} ({report.url}) ==")
        print(f"  build: {report.build_seconds:g} s — {report.build_summary}")
        print(f"  pages: {', '.join(f'{k} {v}' for k, v in report.pages.items() if v) or 'none'}")
        print_vnu(report)
        print_axe(report)
        print_lighthouse(report)
        print(f"  timings (s): {report.timings}")
        failures = site_failures(report)
        print(f"  result: {'FAIL — ' + '; '.join(failures) if failures else 'pass'}")
    print(f"\ntimings (s): {timings}")


# --------------------------------------------------------------------------------------------
# Main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", choices=("sample", "corpus1k", "both"), default="both")
    parser.add_argument("--skip-lighthouse", action="store_true", help="leave Lighthouse out (it is the slow part)")
    parser.add_argument("--lighthouse-runs", type=int, default=5, metavar="N", help="runs per page (median; default 5)")
    parser.add_argument(
        "--lighthouse-variants",
        action="store_true",
        help="also run Lighthouse once with --preset=desktop and once without throttling, for comparison",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every result to FILE")
    parser.add_argument("--keep", action="store_true", help="keep the built sites (their folder is printed)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    timings: dict[str, float] = {}
    installed = ensure_node_modules()
    if installed is not None:
        timings["npm ci"] = round(installed, 2)
    names = ["sample", "corpus1k"] if args.site == "both" else [args.site]
    if args.site == "both" and not MAKE_CORPUS.exists() and not (CORPUS_1K / ".complete").exists():
        print(f"corpus1k left out: {MAKE_CORPUS} not found (set DIGEST_SHARED to the shared folder)", file=sys.stderr)
        names = ["sample"]
    workdir = Path(tempfile.mkdtemp(prefix="digest-validate-"))
    servers: list[http.server.ThreadingHTTPServer] = []
    sites: list[Site] = []
    try:
        for name in names:
            root = workdir / name / "_site"
            (workdir / name).mkdir()
            server = start_server(root)
            servers.append(server)
            url = local_url(server)
            site = Site(name, root, url, SiteReport(name=name, url=url))
            content = REPO / "content" if name == "sample" else corpus_1k()
            with timed(timings, f"build {name}"):
                build_site(site, content, workdir / name)
            site.report.pages = pages_to_check(root)
            sites.append(site)
        with timed(timings, "vnu (all sites, one JVM)"):
            run_vnu(sites)
        for site in sites:
            with timed(site.report, "axe"):
                run_axe(site, site.report.pages)
        if not args.skip_lighthouse:
            for site in sites:
                with timed(site.report, "lighthouse"):
                    run_lighthouse(site, site.report.pages, args.lighthouse_runs, args.lighthouse_variants)
    finally:
        for server in servers:
            server.shutdown()
        if args.keep:
            print(f"built sites kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    reports = [site.report for site in sites]
    print_summary(reports, timings)
    if args.json:
        document = {"tools": tool_versions(), "timings": timings, "sites": [asdict(r) for r in reports]}
        args.json.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if any(site_failures(report) for report in reports) else 0


if __name__ == "__main__":
    # A checker or this script breaking exits 2, never 1, which means "the site has problems".
    try:
        sys.exit(main())
    except ToolError as exc:
        print(f"validate: {exc}", file=sys.stderr)
        sys.exit(2)
    except Exception:
        traceback.print_exc()
        sys.exit(2)
