"""Every page a person sees, at a desktop and a phone width: axe-core finds nothing serious or
critical, every form control has a label and an edge one can see, the charts have a text
alternative, nothing overflows sideways, and a screenshot of each is kept
(tests/e2e/screenshots/, git-ignored)."""

import datetime
import io
import re
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from assessments.services.assessment import assessment_submit
from assessments.services.feedback import feedback_set
from plans import selectors as plan_selectors
from plans import services as plan_services
from quizzes import selectors as quiz_selectors
from tests import factories
from tests.e2e.conftest import AXE_REPORT, DESKTOP, PHONE
from tests.e2e.helpers import (
    describe,
    faint_controls,
    log_in,
    overflow,
    person_with_two_results,
    planned_answers,
)
from tests.helpers import publish_changed_version

pytestmark = pytest.mark.e2e

# name, path, docs image (desktop, first screen) for the README
ANONYMOUS_PAGES = [
    ("home", "/", "home.png"),
    ("roles", "/roles/", None),
    ("role", "/roles/data-engineer/", None),
    ("tools", "/tools/", None),
    ("tool", "/tools/airflow/", None),
    ("compare", "/compare/", None),
    ("assessment", "/assessment/", None),
    ("assessment-step", "/assessment/step/1/", None),
    ("signup", "/accounts/signup/", None),
    ("login", "/accounts/login/", None),
]

UNLABELLED_CONTROLS_JS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && !['submit', 'button', 'reset'].includes(el.type))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML.slice(0, 120))"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_page_is_accessible_fits_the_screen_and_is_photographed(
    new_context, audit, shoot, viewport
):
    person, latest = person_with_two_results("avery")
    anonymous = new_context(viewport).new_page()
    personal = new_context(viewport).new_page()
    log_in(personal, person.username)
    pages = [(anonymous, *entry) for entry in ANONYMOUS_PAGES] + [
        (personal, "result", latest.get_absolute_url(), "result.png"),
        (personal, "profile", "/profile/", "profile.png"),
    ]

    problems = []
    for page, name, path, docs_name in pages:
        response = page.goto(path)
        assert response.status == 200, f"{name}: {path} answered {response.status}"
        problems += _problems_on(page, name, audit)
        shoot(page, name, docs_name)

    assert not problems, "\n\n".join(problems)


def _problems_on(page, name: str, audit, *, any_impact: bool = False) -> list[str]:
    """What is wrong with the page as shown: axe-core's serious and critical findings (or,
    with `any_impact`, every finding), unlabelled or faint controls, sideways overflow."""
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_count(1)
    width = page.viewport_size["width"]
    problems = []
    blocking = audit(page, name)
    found = AXE_REPORT[f"{name} @ {width}px"]["violations"] if any_impact else blocking
    if found:
        problems.append(f"{name} ({page.url}) at {width}px:\n{describe(found)}")
    if unlabelled := page.evaluate(UNLABELLED_CONTROLS_JS):
        problems.append(f"{name}: form controls without a label: {unlabelled}")
    if faint := faint_controls(page):
        problems.append(f"{name}: form controls with a border under 3:1 contrast: {faint}")
    widths = overflow(page)
    if widths["scrollWidth"] > widths["innerWidth"]:
        problems.append(f"{name} overflows sideways at {width}px: {widths}")
    return problems


def test_the_charts_have_a_text_alternative(new_context):
    person, latest = person_with_two_results("avery")
    page = new_context().new_page()
    log_in(page, person.username)

    page.goto(latest.get_absolute_url())
    bars = page.locator(".fit-chart [role=img]")
    expect(bars).to_have_count(2)
    expect(bars.nth(0)).to_have_accessible_name("MLOps engineer: " + _percent_of(latest, 0))
    expect(bars.nth(1)).to_have_accessible_name("Data engineer: " + _percent_of(latest, 1))

    page.goto("/profile/")
    chart = page.get_by_role("img", name="Line chart of your fit for each role")
    expect(chart).to_be_visible()
    # The same numbers as a table, a click away.
    page.get_by_text("The chart's numbers as a table").click()
    table = page.locator(".fit-history table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("thead th")).to_have_text(["Date", "MLOps engineer", "Data engineer"])


def _percent_of(assessment, index: int) -> str:
    score = list(assessment.scores.all())[index]
    return f"{score.percent}% fit"


# The federal wage ranges and outlook of the roles -------------------------------------------

LABOUR_CSV = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "us-labour-market.csv"


def _labour_figures() -> None:
    """The shipped CSV's figures on the world's roles, imported as an editor would."""
    factories.labour_proxies_create()
    call_command("import_labour_figures", str(LABOUR_CSV), stdout=io.StringIO())


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_role_and_compare_pages_with_wage_ranges_have_no_axe_violations_at_all(
    new_context, audit, shoot, viewport
):
    _labour_figures()
    page = new_context(viewport).new_page()

    problems = []
    for name, path in [
        ("role-wages-data", "/roles/data-engineer/"),
        ("role-wages-mlops", "/roles/mlops-engineer/"),
        ("compare-wages", "/compare/"),
    ]:
        assert page.goto(path).status == 200
        expect(page.locator(".proxy-figures svg[role=img]").first).to_be_visible()
        problems += _problems_on(page, name, audit, any_impact=True)
        shoot(page, name)

    assert not problems, "\n\n".join(problems)


def test_the_wage_chart_has_a_text_alternative(new_context):
    _labour_figures()
    page = new_context().new_page()

    page.goto("/roles/mlops-engineer/")
    charts = page.locator(".proxy-figures svg[role=img]")
    expect(charts).to_have_count(2)
    chart = page.get_by_role("img", name="Annual wages of Data Scientists, May 2024")
    expect(chart).to_have_accessible_description(
        re.compile(r"a tenth earn less than \$63,650; a tenth earn more than \$194,410")
    )
    # Every figure as a table, with the mean where the source gives one.
    tables = page.locator(".wage-table")
    expect(tables.nth(0).locator("tbody tr")).to_have_count(5)
    expect(tables.nth(1).locator("tbody tr")).to_have_count(6)
    expect(page.get_by_text("34% growth 2024-34")).to_be_visible()


# The learning plan ------------------------------------------------------------------------


def _person_with_a_plan():
    """Someone planning for MLOps for a month: the first step done, the next in progress,
    one tool known a little and one well, at 6 hours a week."""
    person = factories.UserFactory(username="jordan")
    tools = [tool.slug for tool in plan_selectors.role_tools("mlops-engineer")]
    plan_services.ratings_save(
        user=person, levels={**dict.fromkeys(tools, 0), tools[2]: 2, tools[-1]: 3}
    )
    started = timezone.localdate() - datetime.timedelta(days=30)
    plan_services.plan_update(user=person, today=started, role="mlops-engineer", hours_per_week=6)
    for slug, status, day in [(tools[0], "done", 20), (tools[1], "in_progress", 21)]:
        plan_services.step_status_set(
            user=person, tool=slug, status=status, today=started + datetime.timedelta(days=day)
        )
    return person


def _rate_every_tool_shown(page) -> None:
    for fieldset in page.locator("fieldset.skill").all():
        fieldset.locator("label", has_text="I know what it is for").click()
    page.get_by_role("button", name="Save and see my plan").click()
    page.wait_for_url("**/plan/")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_plan_pages_have_no_axe_violations_at_all(new_context, audit, shoot, viewport):
    person = _person_with_a_plan()
    anonymous = new_context(viewport).new_page()
    personal = new_context(viewport).new_page()
    log_in(personal, person.username)

    problems = []
    anonymous.goto("/plan/skills/?role=mlops-engineer")
    problems += _problems_on(anonymous, "self-check", audit, any_impact=True)
    shoot(anonymous, "self-check")
    # Sent with nothing ticked: every tool shows its error.
    anonymous.get_by_role("button", name="Save and see my plan").click()
    expect(anonymous.locator("#form-errors")).to_be_visible()
    problems += _problems_on(anonymous, "self-check-errors", audit, any_impact=True)
    _rate_every_tool_shown(anonymous)
    problems += _problems_on(anonymous, "plan-anonymous", audit, any_impact=True)

    for name, path, docs_name in [
        ("self-check-signed-in", "/plan/skills/?all=1", None),
        ("plan", "/plan/", "screenshots/plan.png"),
    ]:
        assert personal.goto(path).status == 200
        problems += _problems_on(personal, name, audit, any_impact=True)
        shoot(personal, name, docs_name)
    personal.get_by_label("Hours a week you can spend learning").fill("0")
    personal.get_by_role("button", name="Save the pace").click()
    expect(personal.locator("#pace-error")).to_be_visible()
    problems += _problems_on(personal, "plan-errors", audit, any_impact=True)
    personal.goto("/profile/")
    problems += _problems_on(personal, "profile-with-plan", audit)
    shoot(personal, "profile-with-plan")

    assert not problems, "\n\n".join(problems)


def test_the_hours_chart_has_a_text_alternative(new_context):
    person = _person_with_a_plan()
    page = new_context().new_page()
    log_in(page, person.username)

    page.goto("/profile/")
    chart = page.get_by_role("img", name="Line chart of the hours of your learning plan done")
    expect(chart).to_be_visible()
    page.get_by_text("The chart's hours as a table").click()
    table = page.locator(".hours-history table")
    expect(table.locator("thead th")).to_have_text(["Date", "Hours done"])
    expect(table.locator("tbody tr")).to_have_count(2)  # a step done, then one started


# The evidence behind a result --------------------------------------------------------------

LEANS = [
    ["mlops-engineer"],
    ["data-engineer"],
    ["data-engineer", "data-engineer", "mlops-engineer"],
]


def _everyone_with_feedback(count: int) -> None:
    """Other people's kept results, leaning one way, the other or a little, most of whom said
    whether theirs felt right."""
    version = quiz_selectors.current_version_get()
    for index in range(count):
        person = factories.UserFactory()
        assessment, _ = assessment_submit(
            version=version,
            answers=planned_answers(LEANS[index % len(LEANS)]).items(),
            client_id=uuid.uuid4(),
            user=person,
        )
        if index % 5:
            feedback_set(assessment_id=assessment.pk, user=person, feels_right=index % 4 != 0)


def _open_every_details(page) -> None:
    for summary in page.locator("main details > summary").all():
        if not summary.evaluate("node => node.parentElement.open"):
            summary.click()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_result_with_figures_and_the_methodology_have_no_axe_violations_at_all(
    new_context, audit, shoot, viewport, settings
):
    settings.PEERS_MIN_RESULTS = 5
    _everyone_with_feedback(24)
    person, latest = person_with_two_results("avery")
    anonymous = new_context(viewport).new_page()
    personal = new_context(viewport).new_page()
    log_in(personal, person.username)

    problems = []
    assert personal.goto(latest.get_absolute_url()).status == 200
    expect(personal.locator(".lean-you-label")).to_have_text("you are here")
    _open_every_details(personal)
    problems += _problems_on(personal, "result-figures", audit, any_impact=True)
    shoot(personal, "result-figures")

    # "Does this feel right?" sent with no answer: the message at the radios.
    feedback = personal.locator("#feedback")
    feedback.get_by_role("button", name="Save").click()
    expect(personal.locator("#feels-right-error")).to_be_visible()
    problems += _problems_on(personal, "result-feedback-errors", audit, any_impact=True)
    # Answered, with a comment: the answer, and its Change form opened.
    feedback.get_by_label("Not really").check()
    feedback.get_by_label("A comment, if you like").fill("I prefer building pipelines.")
    feedback.get_by_role("button", name="Save").click()
    expect(feedback).to_contain_text("You said: not really")
    _open_every_details(personal)
    problems += _problems_on(personal, "result-feedback", audit, any_impact=True)
    shoot(personal, "result-feedback")

    assert anonymous.goto("/methodology/").status == 200
    # The version's figures, then the same by the language results were taken in.
    expect(anonymous.locator(".version-figures table")).to_have_count(2)
    expect(anonymous.locator(".version-figures table.language-figures")).to_have_count(1)
    problems += _problems_on(anonymous, "methodology", audit, any_impact=True)
    shoot(anonymous, "methodology")

    assert not problems, "\n\n".join(problems)


# An old result under today's questions ------------------------------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_rescore_pages_have_no_axe_violations_at_all(new_context, audit, shoot, viewport):
    person, latest = person_with_two_results("avery")
    publish_changed_version(quiz_selectors.current_version_get())
    page = new_context(viewport).new_page()
    log_in(page, person.username)

    problems = []
    assert page.goto(latest.get_absolute_url()).status == 200
    expect(page.get_by_role("link", name="See this under the current questions")).to_be_visible()
    problems += _problems_on(page, "result-rescore-offer", audit, any_impact=True)
    page.get_by_role("link", name="See this under the current questions").click()
    expect(page.locator("fieldset.question")).to_have_count(2)
    problems += _problems_on(page, "rescore-questions", audit, any_impact=True)
    shoot(page, "rescore-questions")
    # Compared with nothing answered: the message at each question.
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#form-errors")).to_be_visible()
    problems += _problems_on(page, "rescore-questions-errors", audit, any_impact=True)
    for fieldset in page.locator("fieldset.question").all():
        fieldset.locator("label").first.click()
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".rescore-change")).to_have_count(4)
    problems += _problems_on(page, "rescore-comparison", audit, any_impact=True)
    shoot(page, "rescore-comparison")
    page.get_by_role("button", name="Save as a new result").click()
    expect(page.locator(".rescored-from")).to_be_visible()
    problems += _problems_on(page, "result-rescored", audit, any_impact=True)
    page.goto("/profile/")
    problems += _problems_on(page, "profile-rescored", audit)
    shoot(page, "profile-rescored")

    assert not problems, "\n\n".join(problems)
