"""Browser tests: Debian's Chromium driven by Playwright (from pip) against pytest-django's
live server.

We never run `playwright install`: the browser is the system's /usr/bin/chromium. One browser
serves the whole session; each test gets a fresh context (its own cookies), so tests never
share a login or a session.
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from tests import factories
from tests.e2e.helpers import BLOCKING_IMPACTS, impact_counts, run_axe

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).parent / "screenshots"
DOCS = Path(__file__).resolve().parents[2] / "docs"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# A slow page or a missing element fails a test in seconds, not after Playwright's 30.
TIMEOUT_MS = 10_000


def _no_browser(message: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} CI must run the browser tests: .ci/run installs chromium.")
    pytest.skip(f"{message} To run the browser tests on Debian: apt-get install chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, launched once for the session."""
    if not CHROMIUM.exists():
        _no_browser(f"{CHROMIUM} is missing.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API marks an asyncio loop as running in this thread between its
    # calls, so Django would refuse the test body's (and pytest-django's flush's) database
    # queries as "async-unsafe". They are plain synchronous code, so allow them while the
    # browser lives, and restore the check afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
    except Exception as error:
        playwright.stop()
        _no_browser(f"{CHROMIUM} did not start ({error}).")
    yield browser
    browser.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _docs_run() -> bool:
    """E2E_UPDATE_DOCS=1: the run that renews the README's screenshots."""
    return os.environ.get("E2E_UPDATE_DOCS") == "1"


@pytest.fixture
def site(browser, live_server):
    """The live server's address, with the tests' own small world (tests/factories.py).

    A live-server test is transactional: the database is flushed after each test, so the
    world is built again for each. The run that renews the README's screenshots shows the
    editorial content instead, as visitors see it; the tests read what they check from the
    database, so they pass on either.
    """
    if _docs_run():
        call_command("load_content", verbosity=0)
    else:
        factories.site_content_create()
    return live_server.url


@pytest.fixture
def new_context(browser, site):
    """Makes fresh browser contexts (think: a separate browser profile) at the site."""
    contexts = []

    def make(viewport=None, **options):
        context = browser.new_context(base_url=site, viewport=viewport or DESKTOP, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a fresh desktop-sized context."""
    return new_context().new_page()


# axe-core's findings of the whole run, by page and width; written to the screenshots folder
# and summed up at the end of the run.
AXE_REPORT: dict[str, dict] = {}


@pytest.fixture(scope="session")
def screenshots_dir():
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def audit(screenshots_dir):
    """Runs axe-core on a page, records its counts, returns the serious and critical ones."""

    def check(page, name: str) -> list[dict]:
        violations = run_axe(page)
        AXE_REPORT[f"{name} @ {page.viewport_size['width']}px"] = {
            "url": page.url,
            "counts": impact_counts(violations),
            "violations": violations,
        }
        (screenshots_dir / "axe-report.json").write_text(
            json.dumps(AXE_REPORT, indent=2, sort_keys=True)
        )
        return [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]

    return check


@pytest.fixture
def shoot(screenshots_dir):
    """Saves a full-page screenshot as <name>-<desktop|phone>.png in the screenshots folder.

    With E2E_UPDATE_DOCS=1 the desktop shots named in `docs_name` also replace the README's
    images in docs/ (the first screen, as a visitor sees it); a normal run never touches
    tracked files.
    """

    def take(page, name: str, docs_name: str | None = None) -> Path:
        size = "phone" if page.viewport_size["width"] < DESKTOP["width"] else "desktop"
        path = screenshots_dir / f"{name}-{size}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        if docs_name and size == "desktop" and _docs_run():
            first_screen = screenshots_dir / f"{name}-{size}-first-screen.png"
            page.screenshot(path=str(first_screen), animations="disabled")
            shutil.copyfile(first_screen, DOCS / docs_name)
        return path

    return take
