"""The built sites as the checkers of record judge them, with the same pinned checkers and
the same calls as `tools/validate.py`: the Nu HTML Checker on every page (and stylesheet)
of the sample and of the 1,000-item site, and axe-core with the WCAG 2.2 A and AA rules on,
on home, a story, a topic, a source, a day, subscribe and search, light and dark, on a
390 px phone and a 1366 px desktop.

The checkers install into tools/validators/node_modules on first use (`npm ci`); the tests
need npm and Java for that and skip, naming what is missing, without them. Lighthouse stays
in `tools/validate.py`: five runs a page take minutes.
"""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import Browser

from tools import validate

from .conftest import SITE_FOLDERS


@pytest.fixture(scope="session")
def checkers() -> None:
    missing = [tool for tool in ("java", "npm") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not found: the Nu HTML Checker needs Java, installing the checkers npm")
    validate.ensure_node_modules()


def checked_site(name: str, url: str) -> validate.Site:
    return validate.Site(name, SITE_FOLDERS[url], url, validate.SiteReport(name=name, url=url))


@pytest.mark.parametrize("name", ["sample", "corpus1k"])
def test_every_page_is_valid_html(checkers: None, name: str, request: pytest.FixtureRequest) -> None:
    site = checked_site(name, request.getfixturevalue("sample_url" if name == "sample" else "corpus_url"))
    validate.run_vnu([site])
    assert site.report.html_files > (50 if name == "sample" else 1000)
    assert [f"{m.file}:{m.line}: {m.message}" for m in site.report.vnu] == []


@pytest.mark.parametrize("name", ["sample", "corpus1k"])
def test_axe_finds_no_violation_on_any_page_kind(
    checkers: None, browser: Browser, name: str, request: pytest.FixtureRequest
) -> None:
    site = checked_site(name, request.getfixturevalue("sample_url" if name == "sample" else "corpus_url"))
    pages = validate.pages_to_check(site.root)
    assert None not in pages.values(), pages
    validate.axe_site(browser, site, pages)
    assert {run.status for run in site.report.axe} == {"checked"}
    assert len(site.report.axe) == len(pages) * 4  # light and dark, phone and desktop
    found = [
        f"{run.page} {run.scheme} {run.viewport}: {v.rule} {v.targets}"
        for run in site.report.axe
        for v in run.violations
    ]
    assert found == []
