"""The site in Spanish, in Chromium: the whole assessment taken under /es/ with the content's
Spanish texts, the result switched to English with the language switcher (same result), axe-core
on the Spanish pages at a desktop and a phone width, and a signed-in person's choice of Spanish
kept for their next log-in.

The tests' factories write English only; the Spanish texts are in the editorial content
(fixtures/*.json), so these tests load it, as the run that renews the README's screenshots does.
What they check is read from the database (the `*_es` and `*_en` columns) and from the Spanish
message catalog (locale/es), so a reworded text does not break them; a missing one does.
"""

import datetime
import re
import uuid
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from assessments.models import Assessment
from assessments.services.assessment import assessment_submit
from careerguide.accounts.models import User
from plans import selectors as plan_selectors
from plans import services as plan_services
from quizzes import selectors as quiz_selectors
from quizzes.models import Choice, Question
from roles.models import Role
from tests import factories
from tests.e2e.conftest import AXE_REPORT, DESKTOP, PHONE
from tests.e2e.helpers import (
    answer_shown_questions,
    describe,
    log_in,
    overflow,
    planned_answers,
    question_ids_on_page,
    sign_up,
)
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.e2e

SPANISH_RESULT_URL = re.compile(r"/es/assessment/result/([0-9a-f-]{36})/$")


@pytest.fixture
def site(browser, live_server):
    """The live server with the editorial content, where the Spanish texts are (this replaces
    conftest's `site`, whose factory-made world is English only)."""
    call_command("load_content", verbosity=0)
    return live_server.url


# What the pages should say ---------------------------------------------------------------------


def spanish(message: str, **params) -> str:
    """The Spanish catalog's translation of an interface text, its placeholders filled in.
    Fails when the catalog has none, so an English text on a Spanish page can't pass."""
    with translation.override("es"):
        text = gettext(message)
    assert text != message, f"the Spanish catalog (locale/es) does not translate {message!r}"
    return text % params if params else text


def expect_language(page: Page, code: str) -> None:
    """The page is in that language: <html lang> says so, and so does its address."""
    expect(page.locator("html")).to_have_attribute("lang", code)
    path = urlsplit(page.url).path
    if code == "es":
        assert path.startswith("/es/"), f"a Spanish page at {page.url}"
    else:
        assert not path.startswith("/es/"), f"an English page at {page.url}"


def question_order() -> list[int]:
    return [
        question.pk
        for question in quiz_selectors.question_list(version=quiz_selectors.current_version_get())
    ]


def expect_answers_listed(page: Page, answers: dict[int, int], field: str) -> None:
    """The result's list of every answer (opened) gives each chosen choice in one language
    (`field`: "text_es" or "text_en"), in question order."""
    page.locator("main details:has(> ol) > summary").click()
    listed = page.locator("main details:has(> ol) > ol > li")
    expect(listed).to_have_count(len(answers))
    texts = dict(Choice.objects.filter(pk__in=answers.values()).values_list("pk", field))
    for item, question_id in zip(listed.all(), question_order(), strict=True):
        expect(item).to_contain_text(texts[answers[question_id]])


def expect_fit_bars_name(page: Page, role_names: list[str]) -> None:
    bars = page.locator(".fit-chart [role=img]")
    expect(bars).to_have_count(len(role_names))
    for bar, name in zip(bars.all(), role_names, strict=True):
        expect(bar).to_have_accessible_name(re.compile(rf"^{re.escape(name)}: \d+[ \u00a0]?%"))


# 1. The whole assessment in Spanish, then its result in English --------------------------------


def test_the_whole_assessment_in_spanish_and_its_result_switched_to_english(
    new_context, shoot, live_server
):
    answers = planned_answers(["mlops-engineer"])
    questions = Question.objects.in_bulk(answers)
    choices = Choice.objects.in_bulk(answers.values())
    top, other = Role.objects.get(slug="mlops-engineer"), Role.objects.get(slug="data-engineer")
    version = quiz_selectors.current_version_get()
    for text in [top.name_es, version.quiz.description_es]:
        assert text, "the editorial content has its Spanish"
    for question_id, question in questions.items():
        assert question.text_es and question.text_es != question.text_en, question.key
        chosen = choices[answers[question_id]]
        assert chosen.text_es and chosen.text_es != chosen.text_en, chosen.key

    # Someone else opens the first page in English first: the questions' cached HTML must
    # not be served to the Spanish page that follows.
    english = new_context().new_page()
    english.goto("/assessment/step/1/")
    first = question_ids_on_page(english)[0]
    expect(english.locator(f"#question-{first} > legend")).to_contain_text(questions[first].text_en)

    page = new_context().new_page()
    page.goto("/es/")
    expect_language(page, "es")
    page.locator('header a[href="/es/assessment/"]').click()
    expect(page).to_have_url(re.compile(r"/es/assessment/$"))
    expect_language(page, "es")
    expect(page.locator("main p.lead")).to_have_text(version.quiz.description_es)
    # "¿Qué carrera de datos encaja contigo?"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        spanish("Which data career fits you?")
    )
    page.locator('main a[href="/es/assessment/step/1/"]').click()

    seen: list[int] = []
    step = 1
    while True:
        expect(page).to_have_url(re.compile(rf"/es/assessment/step/{step}/$"))
        page.wait_for_load_state()  # the whole page read, down to its buttons
        expect_language(page, "es")
        shown = question_ids_on_page(page)
        assert shown, f"no questions on page {step}"
        for question_id in shown:
            expect(page.locator(f"#question-{question_id} > legend")).to_contain_text(
                questions[question_id].text_es
            )
            chosen = page.locator(f'#question-{question_id} input[value="{answers[question_id]}"]')
            expect(page.locator(f'label[for="{chosen.get_attribute("id")}"]')).to_have_text(
                choices[answers[question_id]].text_es
            )
        answer_shown_questions(page, answers)
        seen += shown
        submit = page.locator("button[name=action][value=submit]")
        if submit.count():
            expect(submit).to_have_text(spanish("See my result"))
            submit.click()
            break
        next_page = page.locator("button[name=action][value=next]")
        expect(next_page).to_have_text(spanish("Next"))
        with page.expect_navigation():  # read the next page only once it has loaded
            next_page.click()
        step += 1
    assert seen == question_order(), "every question once, in order"

    # The result, in Spanish.
    expect(page).to_have_url(SPANISH_RESULT_URL)
    result_id = SPANISH_RESULT_URL.search(page.url).group(1)
    assessment = Assessment.objects.get(pk=result_id)
    assert assessment.top_role == top
    expect_language(page, "es")
    # "Tu resultado: Ingeniero/a de MLOps"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        spanish("Your result: %(role)s", role=top.name_es)
    )
    expect(
        page.get_by_role("heading", level=2, name=spanish("Why %(role)s", role=top.name_es))
    ).to_be_visible()
    expect_fit_bars_name(page, [top.name_es, other.name_es])
    reasons = page.locator("ol.reasons > li")
    expect(reasons).to_have_count(3)
    chosen_es = [choices[choice_id].text_es for choice_id in answers.values()]
    for reason in reasons.all():
        said = reason.inner_text()
        assert any(
            spanish("You answered: “%(choice)s”", choice=text) in said for text in chosen_es
        ), said
    # Photographed before the list of answers is opened (which scrolls the page).
    shoot(page, "result-es", "screenshots/result-es.png")
    expect_answers_listed(page, answers, "text_es")
    # Search engines are told where the English copy is.
    expect(page.locator('link[rel=alternate][hreflang="en"]')).to_have_attribute(
        "href", f"{live_server.url}/assessment/result/{result_id}/"
    )

    # The switcher: a plain link to the same page in English (this person is not signed in).
    switch = page.locator('header a[hreflang="en"]')
    expect(switch).to_have_text("English")
    expect(switch).to_have_attribute("lang", "en")
    switch.click()
    expect(page).to_have_url(re.compile(rf"/assessment/result/{result_id}/$"))
    expect_language(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your result: {top.name_en}")
    expect_fit_bars_name(page, [top.name_en, other.name_en])
    expect_answers_listed(page, answers, "text_en")
    back = page.locator('header a[hreflang="es"]')
    expect(back).to_have_text("Español")
    expect(back).to_have_attribute("href", f"/es/assessment/result/{result_id}/")
    # The result remembers the language its questions were shown in (the methodology's
    # figures are split by it); reading it in English does not change that.
    assessment.refresh_from_db()
    assert assessment.language == "es"


# 2. axe-core on the Spanish pages --------------------------------------------------------------

ANONYMOUS_PAGES = [
    ("home", "/es/"),
    ("roles", "/es/roles/"),
    ("role", "/es/roles/data-engineer/"),
    ("compare", "/es/compare/"),
    ("tools", "/es/tools/"),
    ("assessment", "/es/assessment/"),
    ("assessment-step", "/es/assessment/step/1/"),
    ("methodology", "/es/methodology/"),
    ("login", "/es/accounts/login/"),
]


def _person_with_a_spanish_result_and_a_plan():
    """Someone who took the assessment in Spanish (MLOps) and plans for MLOps for a month,
    the first step done, at 6 hours a week."""
    person = factories.UserFactory(username="lucia")
    with translation.override("es"):
        assessment, _ = assessment_submit(
            version=quiz_selectors.current_version_get(),
            answers=planned_answers(["mlops-engineer"]).items(),
            client_id=uuid.uuid4(),
            user=person,
        )
    tools = [tool.slug for tool in plan_selectors.role_tools("mlops-engineer")]
    plan_services.ratings_save(user=person, levels={**dict.fromkeys(tools, 0), tools[-1]: 2})
    started = timezone.localdate() - datetime.timedelta(days=30)
    plan_services.plan_update(user=person, today=started, role="mlops-engineer", hours_per_week=6)
    plan_services.step_status_set(
        user=person, tool=tools[0], status="done", today=started + datetime.timedelta(days=20)
    )
    return person, assessment


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_spanish_pages_have_no_axe_violations(new_context, audit, shoot, viewport):
    person, assessment = _person_with_a_spanish_result_and_a_plan()
    anonymous = new_context(viewport).new_page()
    personal = new_context(viewport).new_page()
    log_in(personal, person.username)
    pages = [(anonymous, name, path) for name, path in ANONYMOUS_PAGES] + [
        (personal, "result", f"/es/assessment/result/{assessment.pk}/"),
        (personal, "plan", "/es/plan/"),
    ]

    problems = []
    for page, name, path in pages:
        response = page.goto(path)
        assert response.status == 200, f"{name}: {path} answered {response.status}"
        page.wait_for_load_state("load")
        expect_language(page, "es")
        audit(page, f"es-{name}")
        # Every finding, whatever its impact (audit returns only the serious and critical).
        violations = AXE_REPORT[f"es-{name} @ {page.viewport_size['width']}px"]["violations"]
        if violations:
            problems.append(f"es-{name} ({page.url}):\n{describe(violations)}")
        widths = overflow(page)
        if widths["scrollWidth"] > widths["innerWidth"]:
            problems.append(f"es-{name} overflows sideways: {widths}")
        shoot(page, f"es-{name}")

    assert not problems, "\n\n".join(problems)


# 3. A signed-in person's language is kept on their account -------------------------------------


def _log_in_from_the_english_page(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    expect_language(page, "en")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")


def test_a_signed_in_persons_switch_to_spanish_is_kept_for_their_next_log_in(new_context):
    page = new_context().new_page()
    page.goto("/accounts/signup/")
    sign_up(page, "mateo")
    expect(page).to_have_url(re.compile(r"/profile/$"))
    expect_language(page, "en")

    # Signed in, the switcher is a button that sends the choice (and keeps it).
    switch = page.locator('header form[action="/language/"] button[name=language][value=es]')
    expect(switch).to_have_text("Español")
    expect(switch).to_have_attribute("lang", "es")
    switch.click()
    expect(page).to_have_url(re.compile(r"/es/profile/$"))
    expect_language(page, "es")
    assert User.objects.get(username="mateo").language == "es"

    page.locator('header form[action$="/accounts/logout/"] button').click()
    expect(page.locator('header form[action$="/accounts/logout/"]')).to_have_count(0)

    # Back another day, from an English page: the log-in takes them to their profile in Spanish.
    _log_in_from_the_english_page(page, "mateo")
    expect(page).to_have_url(re.compile(r"/es/profile/$"))
    expect(page.locator('header form[action$="/accounts/logout/"]')).to_have_count(1)
    expect_language(page, "es")

    # The choice is on the account, not in this browser's cookie: another browser too.
    elsewhere = new_context().new_page()
    _log_in_from_the_english_page(elsewhere, "mateo")
    expect(elsewhere).to_have_url(re.compile(r"/es/profile/$"))
    expect(elsewhere.locator('header form[action$="/accounts/logout/"]')).to_have_count(1)
    expect_language(elsewhere, "es")
