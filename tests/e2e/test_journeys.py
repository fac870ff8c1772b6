"""What people do on the site, start to finish, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.helpers import (
    answer_assessment,
    answer_shown_questions,
    choice_texts,
    describe,
    expect_listed_answers,
    log_in,
    planned_answers,
    question_ids_on_page,
    radio,
    sign_up,
    start_assessment,
)

pytestmark = pytest.mark.e2e


def _expect_result(page, *, top_role: str, answers: dict[int, int]):
    """The result page: its top role, three reasons, tools to learn, and every answer given."""
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your result: {top_role}")
    reasons = page.locator("ol.reasons > li")
    expect(reasons).to_have_count(3)
    expect(page.get_by_role("heading", name=f"Why {top_role}")).to_be_visible()
    chosen = set(choice_texts(answers))
    for reason in reasons.all():
        quoted = re.search(r"You answered: “(.+)”", reason.inner_text())
        assert quoted and quoted.group(1) in chosen, reason.inner_text()
    expect(page.locator(".tool-card").first).to_be_visible()
    assert page.locator(".tool-card").count() >= 3
    page.get_by_text("All your answers").click()  # open the <details>
    expect_listed_answers(page, answers)


def test_a_new_person_signs_up_takes_the_assessment_twice_and_sees_both(page, audit):
    data_first = planned_answers(["data-engineer"])
    mlops_second = planned_answers(["mlops-engineer"])

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("MLOps or data engineering")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up").click()
    sign_up(page, "robin")
    expect(page).to_have_url(re.compile(r"/profile/$"))
    expect(page.get_by_text("Welcome, robin! Your account is ready.")).to_be_visible()
    expect(page.get_by_text("You have not saved an assessment yet.")).to_be_visible()

    page.get_by_role("link", name="Take the assessment").click()
    page.get_by_role("link", name="Start the assessment").click()
    first_id = answer_assessment(page, data_first)
    _expect_result(page, top_role="Data engineer", answers=data_first)
    # Saved to the account: no offer to keep it, but a way to the history.
    expect(page.get_by_text("Keep this result")).to_have_count(0)

    page.get_by_role("link", name="All my results").click()
    expect(page).to_have_url(re.compile(r"/profile/$"))
    rows = page.locator("tr.history-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Data engineer")
    expect(rows.first.get_by_role("link").first).to_have_attribute(
        "href", f"/assessment/result/{first_id}/"
    )

    # A retake with other answers.
    page.get_by_role("link", name="Take the assessment").click()
    page.get_by_role("link", name="Start the assessment").click()
    second_id = answer_assessment(page, mlops_second)
    _expect_result(page, top_role="MLOps engineer", answers=mlops_second)
    assert second_id != first_id

    page.get_by_role("link", name="All my results").click()
    expect(rows).to_have_count(2)
    # Newest first.
    expect(rows.nth(0)).to_contain_text("MLOps engineer")
    expect(rows.nth(0).get_by_role("link").first).to_have_attribute(
        "href", f"/assessment/result/{second_id}/"
    )
    expect(rows.nth(1)).to_contain_text("Data engineer")
    expect(rows.nth(1).get_by_role("link").first).to_have_attribute(
        "href", f"/assessment/result/{first_id}/"
    )
    # The chart: one line per role, two points on each; and its text alternative.
    chart = page.locator("svg.fit-history-chart")
    expect(chart).to_be_visible()
    series = chart.locator("g.fit-series")
    expect(series).to_have_count(2)
    for line in series.all():
        expect(line.locator(".fit-point")).to_have_count(2)
    expect(chart).to_have_attribute("role", "img")
    expect(chart).to_have_accessible_name(re.compile(r"over your last 2 assessments"))
    assert not (blocking := audit(page, "profile-after-two-journeys")), describe(blocking)


def test_an_anonymous_person_keeps_the_result_by_signing_up(page, audit):
    answers = planned_answers(["mlops-engineer"])

    start_assessment(page)
    result_id = answer_assessment(page, answers)
    _expect_result(page, top_role="MLOps engineer", answers=answers)
    offer = page.get_by_role("status").filter(has_text="Keep this result")
    expect(offer).to_be_visible()
    expect(page.get_by_role("link", name="All my results")).to_have_count(0)
    assert not (blocking := audit(page, "result-anonymous")), describe(blocking)

    offer.get_by_role("link", name="Sign up").click()
    sign_up(page, "sam")
    # Back on the result, now kept in the account.
    expect(page).to_have_url(re.compile(rf"/assessment/result/{result_id}/$"))
    expect(page.get_by_text("Keep this result")).to_have_count(0)

    page.get_by_role("link", name="All my results").click()
    rows = page.locator("tr.history-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("MLOps engineer")
    rows.first.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/assessment/result/{result_id}/$"))


def test_an_unfinished_assessment_resumes_after_the_page_is_closed(new_context):
    person = factories.UserFactory(username="kim")
    answers = planned_answers(["data-engineer", "mlops-engineer"])

    first_visit = new_context()
    page = first_visit.new_page()
    log_in(page, person.username)
    start_assessment(page)
    first_page = answer_shown_questions(page, answers)
    page.get_by_role("button", name="Next").click()
    expect(page).to_have_url(re.compile(r"/assessment/step/2/$"))
    first_visit.close()  # the browser is closed: cookies and all

    page = new_context().new_page()
    log_in(page, person.username)
    page.goto("/assessment/")
    expect(page.get_by_role("status")).to_have_text(
        f"You have answered {len(first_page)} of {len(answers)} questions."
    )
    page.get_by_role("link", name="Resume where you left off").click()
    expect(page).to_have_url(re.compile(r"/assessment/step/2/$"))

    page.get_by_role("button", name="Back").click()
    expect(page).to_have_url(re.compile(r"/assessment/step/1/$"))
    for question_id in first_page:
        expect(radio(page, question_id, answers[question_id])).to_be_checked()

    answer_assessment(page, answers)
    page.get_by_text("All your answers").click()
    expect_listed_answers(page, answers)


def _send_first_page_with_gaps(page):
    """Answer the 1st, 3rd and 5th questions of the first page only, and press Next."""
    answers = planned_answers(["data-engineer"])
    start_assessment(page)
    shown = question_ids_on_page(page)
    given = shown[::2]
    missing = [question_id for question_id in shown if question_id not in given]
    answer_shown_questions(page, {question_id: answers[question_id] for question_id in given})
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Next").click()
    assert navigation.value.status == 400
    return answers, given, missing


def test_unanswered_questions_are_marked_and_given_answers_kept(page, audit):
    answers, given, missing = _send_first_page_with_gaps(page)

    expect(page).to_have_url(re.compile(r"/assessment/step/1/$"))
    expect(page.get_by_role("alert")).to_contain_text("Please check the questions marked below.")
    for number, question_id in enumerate(question_ids_on_page(page), start=1):
        # Each group of radios is named by its question (the legend), errors or not.
        expect(page.locator(f"fieldset#question-{question_id}")).to_have_accessible_name(
            re.compile(rf"^Question {number} of {len(answers)}\. ")
        )
    for question_id in missing:
        question = page.locator(f"fieldset#question-{question_id}")
        expect(question.locator(f"#error-{question_id}")).to_have_text(
            "Please answer this question."
        )
        # Screen readers hear the error with the question.
        expect(question).to_have_accessible_description(
            re.compile(r"Please answer this question\.")
        )
        for option in question.locator("input[type=radio]").all():
            expect(option).not_to_be_checked()
            expect(option).to_have_attribute("aria-invalid", "true")
    for question_id in given:
        question = page.locator(f"fieldset#question-{question_id}")
        expect(question).not_to_contain_text("Please answer this question.")
        expect(question.locator("input[aria-invalid]")).to_have_count(0)
        expect(radio(page, question_id, answers[question_id])).to_be_checked()
    assert not (blocking := audit(page, "assessment-step-with-errors")), describe(blocking)


def test_answering_the_marked_questions_moves_on(page):
    answers, _given, missing = _send_first_page_with_gaps(page)

    answer_shown_questions(page, {question_id: answers[question_id] for question_id in missing})
    with page.expect_navigation():
        page.get_by_role("button", name="Next").click()
    assert page.url.endswith("/assessment/step/2/"), page.locator("#form-errors").inner_text()
