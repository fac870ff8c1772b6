"""A close call settled in a real browser: a person's answers come out a tie, the result page
offers the tie-breakers, the person answers them and sees the settled result with both
readings, the quiz's own and the one with the tie-breakers."""

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment
from quizzes import selectors as quiz_selectors
from roles.models import Role
from tests import factories
from tests.e2e.helpers import answer_assessment, log_in, planned_answers, radio, start_assessment

pytestmark = pytest.mark.e2e


def test_a_close_call_is_settled_with_the_tie_breakers(page):
    version = quiz_selectors.current_version_get()
    roles = list(Role.objects.order_by("order", "name"))
    tie_breakers = factories.add_tie_breakers(version, roles=roles)  # before anyone answers
    person = factories.UserFactory(username="tess")
    log_in(page, person.username)
    start_assessment(page)
    # Half the answers each way: a tie, which MLOps (first in the catalog) wins for now.
    result_id = answer_assessment(page, planned_answers(["mlops-engineer", "data-engineer"]))
    expect(page.locator("h1")).to_contain_text("MLOps engineer")

    offer = page.locator("section.tie-breakers")
    expect(offer.get_by_role("heading")).to_have_text("It's close: 5 more questions to settle it")
    for question in tie_breakers:
        choice = question.choices.get(key="for-data-engineer")
        expect(radio(page, question.pk, choice.pk)).to_be_visible()
        page.locator(
            f'label[for="{radio(page, question.pk, choice.pk).get_attribute("id")}"]'
        ).click()
    offer.get_by_role("button", name="Settle my result").click()

    expect(page.locator("h1")).to_contain_text("Data engineer")
    settled = page.locator(".settled-by-tie-breakers")
    expect(settled.get_by_role("heading")).to_have_text("Settled with the tie-breakers")
    expect(settled.locator(".reading-before")).to_contain_text(
        "Before the tie-breakers: MLOps engineer 50% · Data engineer 50%"
    )
    expect(settled.locator(".reading-after")).to_contain_text(
        "With the tie-breakers: Data engineer 63% · MLOps engineer 37% (26 points apart)"
    )
    expect(page.locator("section.tie-breakers")).to_have_count(0)
    assert Assessment.objects.get(pk=result_id).settled_by_tie_breakers
