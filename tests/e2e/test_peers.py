"""The evidence behind a result in a real browser: a person sees where their result stands
among everyone's, says whether it feels right, then changes their mind."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from assessments.models import ResultFeedback
from assessments.services.assessment import assessment_submit
from quizzes import selectors as quiz_selectors
from tests import factories
from tests.e2e.helpers import answer_assessment, log_in, planned_answers, start_assessment

pytestmark = pytest.mark.e2e

LEANS = [
    ["mlops-engineer"],
    ["data-engineer"],
    ["data-engineer", "data-engineer", "mlops-engineer"],
]


def everyone_else(count: int) -> None:
    """Other people's kept results, leaning one way, the other, or a little."""
    version = quiz_selectors.current_version_get()
    for index in range(count):
        assessment_submit(
            version=version,
            answers=planned_answers(LEANS[index % len(LEANS)]).items(),
            client_id=uuid.uuid4(),
            user=factories.UserFactory(),
        )


def test_a_person_sees_the_figures_and_says_whether_it_feels_right(page, settings):
    settings.PEERS_MIN_RESULTS = 10
    everyone_else(15)
    person = factories.UserFactory(username="riley")
    log_in(page, person.username)
    start_assessment(page)
    answer_assessment(page, planned_answers(["mlops-engineer"]))

    # You against everyone: the share, the chart with "you are here", its table, the answers.
    peers = page.locator("#peers")
    # 16 people, shown rounded to 15.
    expect(peers).to_contain_text(
        re.compile(
            r"\d+% of the about 15 people who kept a result on this version \(you included\)"
        )
    )
    chart = page.get_by_role("img", name="How everyone's results lean, with yours marked")
    expect(chart).to_be_visible()
    expect(page.locator(".lean-you-label")).to_have_text("you are here")
    page.get_by_text("The chart's bars as a table").click()
    yours = page.locator(".lean-table tbody tr.table-primary")
    expect(yours).to_have_count(1)
    expect(yours).to_contain_text("(yours)")
    expect(peers.locator(".same-choice li")).to_have_count(3)
    expect(peers.locator(".same-choice li").first).to_contain_text(
        re.compile(r"\d+% chose the same|fewer than 5 people chose the same")
    )

    # Does this feel right? Yes, with a comment: the count of what is left follows the typing.
    feedback = page.locator("#feedback")
    feedback.get_by_label("Yes").check()
    # Counted as the server counts: a person at a laptop (five UTF-16 units) is one character.
    feedback.get_by_label("A comment, if you like").fill("\U0001f469\u200d\U0001f4bb" * 20)
    expect(page.locator("#feedback-comment-count")).to_have_text("480")
    feedback.get_by_label("A comment, if you like").fill("Spot on: I like running things.")
    expect(page.locator("#feedback-comment-count")).to_have_text("469")
    feedback.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Thank you: your answer is saved.")).to_be_visible()
    expect(feedback).to_contain_text("You said: yes")
    expect(feedback.locator(".feedback-comment")).to_have_text("Spot on: I like running things.")
    assert ResultFeedback.objects.get().feels_right is True

    # A change of mind: not really, and no comment.
    feedback.get_by_text("Change my answer").click()
    expect(feedback.get_by_label("Yes")).to_be_checked()
    feedback.get_by_label("Not really").check()
    feedback.get_by_label("A comment, if you like").fill("")
    feedback.get_by_role("button", name="Save").click()
    expect(feedback).to_contain_text("You said: not really")
    expect(feedback.locator(".feedback-comment")).to_have_count(0)
    saved = ResultFeedback.objects.get()
    assert (saved.feels_right, saved.comment) == (False, "")

    # Removed, it asks again.
    feedback.get_by_role("button", name="Remove my answer").click()
    expect(page.get_by_text("Your answer was removed.")).to_be_visible()
    expect(
        feedback.get_by_role("group", name="Does this result feel right to you?")
    ).to_be_visible()
    assert not ResultFeedback.objects.exists()

    # The methodology page, a link away.
    page.get_by_role("link", name="How we work out your fit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How we work out your result")


def test_below_the_threshold_the_result_says_how_many_more_are_needed(page, settings):
    settings.PEERS_MIN_RESULTS = 20
    everyone_else(3)
    log_in(page, factories.UserFactory(username="sasha").username)
    start_assessment(page)
    answer_assessment(page, planned_answers(["data-engineer"]))

    expect(page.locator("#peers")).to_contain_text(
        "At most 20 more people need to keep a result on this version before figures appear."
    )
    expect(page.get_by_role("img", name=re.compile("How everyone's results lean"))).to_have_count(0)
