"""What the browser tests do again and again: sign up, log in, answer the assessment, check
focus, run axe-core, measure the page."""

import datetime
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from quizzes import selectors as quiz_selectors
from quizzes.models import Choice
from tests.factories import TEST_PASSWORD
from tests.helpers import answers_leaning_to

AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
RESULT_URL = re.compile(r"/assessment/result/([0-9a-f-]{36})/$")


# Data --------------------------------------------------------------------------------------


def planned_answers(role_slugs) -> dict[int, int]:
    """question id -> choice id for the current version, leaning to the roles in turn."""
    return answers_leaning_to(quiz_selectors.current_version_get(), role_slugs)


def person_with_two_results(username: str):
    """Someone who took the assessment a week ago (data engineering) and again today (MLOps):
    (the person, today's result)."""
    from assessments.models import Assessment
    from assessments.services.assessment import assessment_submit
    from tests import factories

    person = factories.UserFactory(username=username)
    version = quiz_selectors.current_version_get()
    results = []
    for roles in (["data-engineer"], ["mlops-engineer", "mlops-engineer", "data-engineer"]):
        assessment, _ = assessment_submit(
            version=version,
            answers=planned_answers(roles).items(),
            client_id=uuid.uuid4(),
            user=person,
        )
        results.append(assessment)
    Assessment.objects.filter(pk=results[0].pk).update(
        created_at=timezone.now() - datetime.timedelta(days=7)
    )
    return person, results[-1]


def choice_texts(answers: dict[int, int]) -> list[str]:
    """The chosen choices' texts, in question order (as the result page lists them)."""
    texts = dict(Choice.objects.filter(pk__in=answers.values()).values_list("pk", "text"))
    return [texts[answers[question_id]] for question_id in sorted_question_ids(answers)]


def sorted_question_ids(answers: dict[int, int]) -> list[int]:
    order = {
        question.pk: index
        for index, question in enumerate(
            quiz_selectors.question_list(version=quiz_selectors.current_version_get())
        )
    }
    return sorted(answers, key=lambda question_id: order.get(question_id, question_id))


# Accounts ----------------------------------------------------------------------------------


def expect_logged_in(page: Page) -> None:
    # The "Log out" button is in the navbar, which is collapsed (hidden) on a phone.
    expect(page.get_by_role("button", name="Log out", include_hidden=True)).to_be_attached()


def sign_up(page: Page, username: str, password: str = TEST_PASSWORD) -> None:
    """Fill in the sign-up form that is on the page and send it."""
    expect(page.get_by_role("heading", name="Sign up", level=1)).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("E-mail address").fill(f"{username}@example.com")
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    page.get_by_role("button", name="Create my account").click()
    expect_logged_in(page)


def log_in(page: Page, username: str, password: str = TEST_PASSWORD, next_url: str = "") -> None:
    page.goto(f"/accounts/login/?next={next_url}" if next_url else "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect_logged_in(page)


# The assessment ----------------------------------------------------------------------------


def question_ids_on_page(page: Page) -> list[int]:
    ids = page.locator("fieldset.question").evaluate_all("nodes => nodes.map(node => node.id)")
    return [int(name.removeprefix("question-")) for name in ids]


def radio(page: Page, question_id: int, choice_id: int):
    return page.locator(f'#question-{question_id} input[type=radio][value="{choice_id}"]')


def answer_shown_questions(page: Page, answers: dict[int, int]) -> list[int]:
    """Tick the planned answer of every question on this page; returns the question ids."""
    shown = question_ids_on_page(page)
    for question_id in shown:
        if question_id in answers:
            # Clicking the label, as a person does (it also proves the label is tied to it).
            choice = radio(page, question_id, answers[question_id])
            page.locator(f'label[for="{choice.get_attribute("id")}"]').click()
            expect(choice).to_be_checked()
    return shown


def answer_assessment(page: Page, answers: dict[int, int]) -> str:
    """From the page of questions shown to the result: answers every page and submits.

    Returns the result's id.
    """
    expect(page).to_have_url(re.compile(r"/assessment/step/\d+/$"))
    page.wait_for_load_state()  # the whole page read, down to its buttons
    while True:
        answer_shown_questions(page, answers)
        last = page.get_by_role("button", name="See my result")
        if last.count():
            last.click()
            break
        # Wait for the next page to load before reading it: a click does not wait, and on
        # a busy machine the loop would read the page it left, then look for a "Next"
        # that the last page does not have.
        with page.expect_navigation():
            page.get_by_role("button", name="Next").click()
    expect(page).to_have_url(RESULT_URL)
    return RESULT_URL.search(page.url).group(1)


def expect_listed_answers(page: Page, answers: dict[int, int]) -> None:
    """The result's "All your answers" (opened) lists exactly the planned choices, in order."""
    listed = page.locator("details ol > li")
    expect(listed).to_have_count(len(answers))
    for item, text in zip(listed.all(), choice_texts(answers), strict=True):
        expect(item).to_contain_text(text)


def start_assessment(page: Page) -> None:
    page.goto("/assessment/")
    page.get_by_role("link", name="Start the assessment").click()


# Focus -------------------------------------------------------------------------------------

FOCUS_STATE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return {lost: true};
  }
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  return {
    lost: false,
    tag: el.tagName.toLowerCase(),
    id: el.id,
    type: el.type || null,
    name: el.name || null,
    value: el.value || null,
    text: (el.innerText || el.value || '').trim().slice(0, 60),
    checked: !!el.checked,
    focusVisible: el.matches(':focus-visible'),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    onScreen: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
      && rect.top < window.innerHeight && rect.left < window.innerWidth,
  };
}"""


def focus_state(page: Page) -> dict:
    return page.evaluate(FOCUS_STATE_JS)


def assert_focus_visible(page: Page) -> dict:
    """Something has focus, it shows a ring a keyboard user can see, and it is on screen."""
    state = focus_state(page)
    assert not state["lost"], "keyboard focus was lost (it is on the page body)"
    assert state["focusVisible"], f"focus is not :focus-visible: {state}"
    assert state["outlineStyle"] != "none" and state["outlineWidth"] >= 2, (
        f"the focused element shows no focus ring: {state}"
    )
    if not state["onScreen"]:
        # Bootstrap scrolls smoothly (scroll-behavior: smooth), so the focused element may
        # still be on its way into view.
        page.wait_for_function(
            """() => {
              const rect = document.activeElement.getBoundingClientRect();
              return rect.bottom > 0 && rect.right > 0
                && rect.top < window.innerHeight && rect.left < window.innerWidth;
            }""",
            timeout=3_000,
        )
    return state


# Accessibility and layout ------------------------------------------------------------------


def run_axe(page: Page) -> list[dict]:
    """axe-core's violations on the page as it is now (WCAG 2.x A and AA, and best practice)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Not page.add_script_tag(): the site's Content-Security-Policy (script-src 'self')
        # rightly refuses an inline <script>. Playwright's evaluate runs through the DevTools
        # protocol, which CSP does not govern, so the page is tested with its real policy
        # (no bypass_csp).
        page.evaluate(AXE_SCRIPT.read_text())
    return page.evaluate(
        """async () => {
          const results = await axe.run(document, {resultTypes: ['violations']});
          return results.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
          }));
        }"""
    )


def impact_counts(violations: list[dict]) -> dict[str, int]:
    """How many axe rules the page breaks, by impact."""
    counts = dict.fromkeys(("critical", "serious", "moderate", "minor"), 0)
    for violation in violations:
        counts[violation["impact"] or "minor"] += 1
    return counts


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"- {v['impact']} {v['id']}: {v['help']} at "
        + "; ".join(node["target"] for node in v["nodes"][:5])
        for v in violations
    )


# axe-core does not check WCAG 1.4.11 (non-text contrast): the edge of a radio button or a
# text box must have 3:1 contrast with what is around it, or people with low vision can't
# see where to click. Returns the controls whose border is fainter than that.
FAINT_CONTROLS_JS = """() => {
  const rgb = text => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const linear = [r, g, b].map(c => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const backgroundOf = el => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const colour = rgb(getComputedStyle(node).backgroundColor);
      if (colour.length === 3 || colour[3] > 0) return colour.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll('input, select, textarea')]
    .filter(el => el.type !== 'hidden' && !['submit', 'button', 'reset'].includes(el.type))
    .filter(el => el.getClientRects().length && document.activeElement !== el)
    .map(el => {
      const style = getComputedStyle(el);
      const border = rgb(style.borderTopColor).slice(0, 3);
      const contrast = parseFloat(style.borderTopWidth) > 0
        ? ratio(border, backgroundOf(el)) : 0;
      return {control: el.outerHTML.slice(0, 100), border: style.borderTopColor, contrast};
    })
    .filter(found => found.contrast < 3);
}"""


def faint_controls(page: Page) -> list[dict]:
    return page.evaluate(FAINT_CONTROLS_JS)


def overflow(page: Page) -> dict:
    return page.evaluate(
        "() => ({scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth})"
    )
