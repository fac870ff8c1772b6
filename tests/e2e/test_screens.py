"""The site on every screen, in Chromium: at 390 px no control is off the right edge, no table
column is narrower than its longest word, no chart's text is drawn under 10 px and no amount or
date is broken over two lines; the
result, plan, compare and role pages print on A4 and US Letter with no two words overlapping
(word boxes from `pdftotext -bbox`, Debian's poppler-utils); and axe-core finds nothing in the
dark colour mode. Every page in both languages, with the editorial content (where the Spanish
texts are), one browser context per kind of check and the pages visited in a loop."""

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from assessments.services.sharing import share_create
from plans import selectors as plan_selectors
from plans import services as plan_services
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.helpers import describe, log_in, person_with_two_results

pytestmark = pytest.mark.e2e


@pytest.fixture
def site(browser, live_server):
    """The live server with the editorial content (both languages, the federal figures)."""
    call_command("load_content", verbosity=0)
    return live_server.url


@pytest.fixture
def world(site):
    """Someone with two results a week apart, a shared link and a learning plan under way."""
    person, latest = person_with_two_results("robin")
    link = share_create(assessment_id=latest.pk, user=person, show_name=True)
    tools = [tool.slug for tool in plan_selectors.role_tools("mlops-engineer")]
    plan_services.ratings_save(user=person, levels=dict.fromkeys(tools, 0))
    today = timezone.localdate()
    plan_services.plan_update(user=person, today=today, role="mlops-engineer", hours_per_week=6)
    plan_services.step_status_set(user=person, tool=tools[0], status="done", today=today)
    return {"person": person, "result": latest, "link": link}


def _pages(world) -> tuple[list[str], list[str]]:
    """Every page a visitor and a signed-in person see, in English (Spanish adds /es)."""
    anonymous = [
        "/",
        "/roles/",
        "/roles/data-engineer/",
        "/roles/mlops-engineer/",
        "/tools/",
        "/tools/airflow/",
        "/compare/",
        "/methodology/",
        "/assessment/",
        "/assessment/step/1/",
        "/accounts/signup/",
        "/accounts/login/",
        "/accounts/password_reset/",
        world["link"].get_absolute_url(),
        "/no-such-page/",
    ]
    personal = [
        world["result"].get_absolute_url(),
        "/profile/",
        "/plan/",
        "/plan/skills/",
        "/accounts/password_change/",
    ]
    return anonymous, personal


def _both_languages(paths: list[str]) -> list[str]:
    return [path for english in paths for path in (english, f"/es{english}")]


# What a phone must not do ----------------------------------------------------------------------

SQUEEZED_JS = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const shown = element => {
    const box = element.getBoundingClientRect();
    return box.width > 2 && box.height > 2 && getComputedStyle(element).visibility !== 'hidden';
  };
  const hidden = node => node.parentElement.closest('.visually-hidden, .visually-hidden-focusable');
  const lines = range => new Set(
    [...range.getClientRects()].filter(box => box.width > 0).map(box => Math.round(box.top))
  ).size;
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  for (const control of document.querySelectorAll(controls)) {
    if (!shown(control)) continue;
    const box = control.getBoundingClientRect();
    if (box.right > width + 0.5) {
      problems.push(`a control ends off-screen at ${Math.round(box.right)}px: `
        + control.outerHTML.slice(0, 100));
    }
  }
  // A column narrower than its longest word: the word is broken over two lines.
  const cells = [...document.querySelectorAll('td, th')]
    .filter(cell => getComputedStyle(cell).display === 'table-cell' && shown(cell));
  for (const cell of cells) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (hidden(node)) continue;
      for (const match of node.data.matchAll(/[^\\s\\-\\u2013\\/]{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (lines(range) > 1) {
          problems.push(`"${match[0]}" is broken in a table column `
            + `${Math.round(cell.getBoundingClientRect().width)}px wide: `
            + cell.outerHTML.slice(0, 80));
        }
      }
    }
  }
  // A chart's words are drawn at 10 px or more once the drawing is scaled to the screen.
  for (const text of document.querySelectorAll('svg[viewBox] text')) {
    const svg = text.ownerSVGElement;
    if (!shown(svg) || !svg.viewBox.baseVal.width) continue;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const size = parseFloat(getComputedStyle(text).fontSize) * scale;
    if (size < 10) {
      problems.push(`chart text "${text.textContent.trim()}" is ${size.toFixed(1)}px tall`);
    }
  }
  // An amount or a date is one thing on one line.
  for (const figure of document.querySelectorAll('.salary-amount, data[data-measure], time')) {
    if (!shown(figure) || hidden(figure.firstChild || figure)) continue;
    const range = document.createRange();
    range.selectNodeContents(figure);
    if (lines(range) > 1) problems.push(`"${figure.textContent}" is broken over two lines`);
  }
  return problems;
}"""


def test_every_page_fits_a_phone_in_both_languages(new_context, world):
    anonymous_paths, personal_paths = _pages(world)
    visitor = new_context(PHONE).new_page()
    person = new_context(PHONE).new_page()
    log_in(person, world["person"].username)

    problems = []
    for page, paths in ((visitor, anonymous_paths), (person, personal_paths)):
        for path in _both_languages(paths):
            page.goto(path)
            problems += [f"{path}: {problem}" for problem in page.evaluate(SQUEEZED_JS)]

    assert not problems, "\n".join(problems)
    # On the same pages, while they are here: the note for a browser that prefers Spanish.
    _spanish_is_offered_to_a_browser_that_prefers_it(new_context)


# On paper --------------------------------------------------------------------------------------

PDFTOTEXT = shutil.which("pdftotext")
PAPER = ("A4", "Letter")


class _Words(HTMLParser):
    """The word boxes of `pdftotext -bbox`'s XHTML, page by page."""

    def __init__(self):
        super().__init__()
        self.pages: list[list[tuple[float, float, float, float, str]]] = []
        self._box: tuple[float, float, float, float] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "page":
            self.pages.append([])
        elif tag == "word":
            found = dict(attrs)
            self._box = tuple(float(found[key]) for key in ("xmin", "ymin", "xmax", "ymax"))

    def handle_data(self, data):
        if self._box and data.strip():
            self.pages[-1].append((*self._box, data.strip()))
            self._box = None


def overlapping_words(pdf: Path) -> list[str]:
    """Pairs of words printed over each other: boxes that share more than a sliver in both
    directions (neighbours on a line or in a column only touch)."""
    xhtml = subprocess.run(
        [PDFTOTEXT, "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    parser = _Words()
    parser.feed(xhtml)
    found = []
    for number, words in enumerate(parser.pages, start=1):
        words.sort(key=lambda word: word[1])
        for index, (x0, y0, x1, y1, text) in enumerate(words):
            for other in words[index + 1 :]:
                if other[1] >= y1:
                    break
                wide = min(x1, other[2]) - max(x0, other[0])
                high = min(y1, other[3]) - other[1]
                smaller = min(y1 - y0, other[3] - other[1])
                if wide > 1 and high > 0.3 * smaller:
                    found.append(f"page {number}: {text!r} and {other[4]!r} overlap")
    return found


def test_the_printable_pages_print_with_no_words_over_each_other(new_context, world, tmp_path):
    if PDFTOTEXT is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils (.ci/run does)")
    page = new_context(DESKTOP).new_page()
    log_in(page, world["person"].username)
    page.emulate_media(media="print")
    paths = _both_languages(
        [world["result"].get_absolute_url(), "/plan/", "/compare/", "/roles/mlops-engineer/"]
    )

    problems = []
    for path in paths:
        page.goto(path)
        for paper in PAPER:
            pdf = tmp_path / f"{paper}.pdf"
            page.pdf(path=str(pdf), format=paper, print_background=True)
            problems += [f"{path} on {paper}: {found}" for found in overlapping_words(pdf)]
    assert not problems, "\n".join(problems)


def test_a_printed_result_offers_nothing_to_click(new_context, world, tmp_path):
    """The sections that ask something of the person (feedback, sharing, the six-month
    follow-up, tie-breakers) are for the screen; the paper keeps the result and its reasons."""
    page = new_context(DESKTOP).new_page()
    log_in(page, world["person"].username)
    page.emulate_media(media="print")
    page.goto(world["result"].get_absolute_url())
    pdf = tmp_path / "result.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(
        [PDFTOTEXT, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout

    assert "Fit for each role" in text and "Why " in text
    for offer in ["Tell us later which path you took", "Does this feel right?", "Create a link"]:
        assert offer not in text


def test_a_printed_plan_leaves_out_the_reminder_settings(new_context, world, tmp_path):
    """Paper keeps the plan's steps; the weekly e-mail's settings are a form for the screen
    (its heading alone used to be printed, over nothing)."""
    page = new_context(DESKTOP).new_page()
    log_in(page, world["person"].username)
    page.emulate_media(media="print")
    page.goto("/plan/")
    pdf = tmp_path / "plan.pdf"
    page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(
        [PDFTOTEXT, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout

    assert "Steps, in the order to learn them" in text
    assert "Weekly reminder" not in text


# In the dark -----------------------------------------------------------------------------------


def test_every_page_in_the_dark_mode_has_no_axe_violations(new_context, world, audit):
    """A browser set to dark gets the dark mode before anything is painted, on every page in
    both languages, and axe-core finds nothing serious or critical there."""
    anonymous_paths, personal_paths = _pages(world)
    visitor = new_context(DESKTOP, color_scheme="dark").new_page()
    person = new_context(PHONE, color_scheme="dark").new_page()
    log_in(person, world["person"].username)

    problems = []
    for page, paths in ((visitor, anonymous_paths), (person, personal_paths)):
        for path in _both_languages(paths):
            page.goto(path)
            mode = page.evaluate("() => document.documentElement.dataset.bsTheme")
            if mode != "dark":
                problems.append(f"{path}: the page is {mode}, not dark")
            if found := audit(page, f"dark {path}"):
                problems.append(f"{path} in the dark mode:\n{describe(found)}")

    assert not problems, "\n\n".join(problems)

    # The switch: a visitor's choice is kept in this browser (the cached page is the same for
    # everyone); a signed-in person's on the account too.
    mode = "() => document.documentElement.dataset.bsTheme"
    visitor.goto("/compare/")
    visitor.get_by_role("button", name="Light").click()
    assert visitor.evaluate(mode) == "light"
    expect(visitor.get_by_role("button", name="Light")).to_have_attribute("aria-pressed", "true")
    visitor.goto("/roles/")
    assert visitor.evaluate(mode) == "light"
    person.goto("/es/profile/")
    person.get_by_role("button", name="Claro").click()
    expect(person).to_have_url(re.compile(r"/es/profile/$"))
    assert person.evaluate(mode) == "light"
    world["person"].refresh_from_db()
    assert world["person"].theme == "light"


def _spanish_is_offered_to_a_browser_that_prefers_it(new_context):
    """A note, never a redirect: the English address still answers in English."""
    hint = ".language-hint[data-language=es]"
    english_browser = new_context(DESKTOP).new_page()
    english_browser.goto("/compare/")
    expect(english_browser.locator(hint)).to_be_hidden()

    page = new_context(DESKTOP, locale="es-ES").new_page()
    page.goto("/compare/")
    expect(page).to_have_url(re.compile(r"/compare/$"))
    expect(page.locator(hint)).to_be_visible()
    expect(page.locator(f"{hint} a")).to_have_attribute("href", "/es/compare/")
    page.locator(f"{hint} button").click()
    expect(page.locator(hint)).to_have_count(0)
    page.goto("/roles/")
    expect(page.locator(hint)).to_be_hidden()
    page.goto("/es/roles/")
    assert not page.locator(".language-hint").is_visible()
