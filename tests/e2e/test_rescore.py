"""An old result under today's questions in a real browser: a person took the assessment on
version 1, an editor publishes version 2 (one question removed, two added, one weight
changed), and the person re-scores, answering only the two new questions, sees what moved their
result, and saves it beside the old one."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment
from quizzes import selectors as quiz_selectors
from quizzes.models import Question
from tests import factories
from tests.e2e.helpers import (
    RESULT_URL,
    answer_assessment,
    answer_shown_questions,
    log_in,
    planned_answers,
    question_ids_on_page,
    start_assessment,
)
from tests.helpers import answers_leaning_to, publish_changed_version

pytestmark = pytest.mark.e2e

RESCORE_URL = re.compile(r"/assessment/result/[0-9a-f-]{36}/rescore/$")
OFFER = "See this under the current questions"


def test_a_person_re_scores_an_old_result_answering_only_the_new_questions(page):
    person = factories.UserFactory(username="sam")
    log_in(page, person.username)
    start_assessment(page)
    # Half the answers each way: a tie, which MLOps (first in the catalog) wins.
    old_id = answer_assessment(page, planned_answers(["mlops-engineer", "data-engineer"]))
    expect(page.get_by_role("link", name=OFFER)).to_have_count(0)
    old = Assessment.objects.get(pk=old_id)
    assert old.top_role.slug == "mlops-engineer"

    # An editor publishes version 2 (done in the database, as the admin would).
    version_two = publish_changed_version(quiz_selectors.current_version_get())
    new_keys = ["cloud", "dashboards"]
    new_questions = list(
        Question.objects.filter(version=version_two, key__in=new_keys).order_by("order")
    )

    # From the profile's history: the old result's row offers it.
    page.goto("/profile/")
    rows = page.locator("tr.history-row")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name=OFFER).click()
    expect(page).to_have_url(RESCORE_URL)
    expect(page.locator("h1")).to_contain_text("under today's questions")
    summary = page.locator("#rescore-summary")
    expect(summary).to_contain_text(
        "13 of your answers carry over to today's questions (version 2)"
    )
    expect(summary).to_contain_text("2 new questions to answer")
    assert question_ids_on_page(page) == [question.pk for question in new_questions]

    # Only the two new questions, both answered the data engineering way.
    answers = {
        question_id: choice_id
        for question_id, choice_id in answers_leaning_to(version_two, ["data-engineer"]).items()
        if question_id in {question.pk for question in new_questions}
    }
    answer_shown_questions(page, answers)
    page.get_by_role("button", name="Compare").click()

    # The comparison: the lean turned, the fits side by side, and what moved them.
    expect(page.locator("h1")).to_contain_text("then and now")
    expect(page.locator("#rescore-lean")).to_have_text(
        "Your lean has changed: Data engineer now comes first, where MLOps engineer did."
    )
    fits = page.locator("table.rescore-fits tbody tr")
    expect(fits).to_have_count(2)
    expect(fits.nth(0).locator("th, td")).to_have_text(
        ["MLOps engineer", "50%", re.compile(r"\d+%"), re.compile(r"-\d+")]
    )
    expect(fits.nth(1).locator("th, td")).to_have_text(
        ["Data engineer", "50%", re.compile(r"\d+%"), re.compile(r"\+\d+")]
    )
    changes = page.locator(".rescore-change")
    expect(changes).to_have_count(4)
    removed = page.get_by_role("list", name="Questions removed").locator("li")
    expect(removed).to_have_count(1)
    expect(removed).to_contain_text("You had answered:")
    reweighted = page.get_by_role("list", name="Answers that carry over but count differently now")
    expect(reweighted.locator("li")).to_have_count(1)
    added = page.get_by_role("list", name="Questions you answered now").locator("li")
    expect(added).to_have_count(2)
    for item, question in zip(added.all(), new_questions, strict=True):
        expect(item).to_contain_text(question.text)
        expect(item).to_contain_text("You answered: “The Data engineer way”")
    for change in changes.all():
        expect(change.locator(".rescore-effects")).to_have_text(
            re.compile(
                r"Effect in percentage points: "
                r"MLOps engineer [+-]?\d+(\.\d)?, Data engineer [+-]?\d+(\.\d)?"
            )
        )
    assert Assessment.objects.count() == 1  # nothing written yet

    page.get_by_role("button", name="Save as a new result").click()

    # The new result, linked back to the old one, which stays as it was.
    expect(page).to_have_url(RESULT_URL)
    new_id = RESULT_URL.search(page.url).group(1)
    assert new_id != old_id
    expect(page.locator("h1")).to_have_text("Your result: Data engineer")
    rescored_from = page.locator(".rescored-from")
    expect(rescored_from).to_contain_text(
        re.compile(r"Re-scored from your result of \d+ \w+ \d{4}")
    )
    expect(page.get_by_role("link", name=OFFER)).to_have_count(0)
    new = Assessment.objects.get(pk=new_id)
    assert new.rescored_from_id == old.pk and new.version == version_two
    assert Assessment.objects.get(pk=old_id).top_role.slug == "mlops-engineer"

    # Both on the profile, the new one linked to the old one.
    page.goto("/profile/")
    expect(rows).to_have_count(2)
    newest, oldest = rows.nth(0), rows.nth(1)
    expect(newest.locator(".rescored-from a")).to_have_attribute("href", old.get_absolute_url())
    expect(newest.get_by_role("link", name=OFFER)).to_have_count(0)
    expect(oldest.get_by_role("link", name=OFFER)).to_have_count(1)
    newest.locator(".rescored-from a").click()
    expect(page).to_have_url(re.compile(re.escape(old.get_absolute_url()) + "$"))
    expect(page.locator("h1")).to_have_text("Your result: MLOps engineer")
    expect(page.locator("main")).to_contain_text("version 1")
