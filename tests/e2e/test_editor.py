"""An editor at work in the Django admin, and what people then see on the site."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from assessments.services.assessment import assessment_submit
from careerguide.accounts.models import User
from quizzes import selectors as quiz_selectors
from quizzes.models import QuizVersion
from roles.models import SalaryFigure
from tests import factories
from tests.admin_client import backup_code, second_factor_enrol
from tests.e2e.helpers import log_in, planned_answers
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.e2e

CHANGE_PAGE = re.compile(r"/admin/quizzes/quizversion/(\d+)/change/$")


def admin_log_in(page, username: str) -> None:
    """The password, then the second factor: a backup code of the (enrolled) editor's."""
    user = User.objects.get(username=username)
    second_factor_enrol(user)
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/"))
    page.get_by_label("Code").fill(backup_code(user))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def run_list_action(page, version: QuizVersion, action: str) -> None:
    """Tick one version on the versions list and run an action on it."""
    page.goto("/admin/quizzes/quizversion/")
    page.locator(f'input[name="_selected_action"][value="{version.pk}"]').check()
    page.locator('select[name="action"]').select_option(action)
    page.get_by_role("button", name="Go").click()


def expect_success(page, text: str) -> None:
    expect(page.locator(".messagelist .success")).to_contain_text(text)


def test_an_editor_changes_the_catalog_and_publishes_a_new_quiz_version(new_context):
    editor = factories.SuperuserFactory(username="editor")
    version_1 = quiz_selectors.current_version_get()
    # Someone took the assessment before the editor's changes: their result must not change.
    reader = factories.UserFactory(username="reader")
    answers = planned_answers(["data-engineer"])
    old_result, _ = assessment_submit(
        version=version_1, answers=answers.items(), client_id=uuid.uuid4(), user=reader
    )
    first_question = quiz_selectors.question_list(version=version_1)[0]
    data_salary = SalaryFigure.objects.filter(role__slug="data-engineer")[0]
    first_answer_text = first_question.choices.get(pk=answers[first_question.pk]).text
    new_summary = "Airflow schedules data pipelines written in Python. (Edited in the admin.)"
    reworded = "Millions of clicks arrive every day: which part would you most like to own?"

    page = new_context().new_page()
    admin_log_in(page, editor.username)

    # A tool's description.
    page.goto("/admin/roles/tool/")
    page.get_by_role("link", name="Apache Airflow", exact=True).click()
    page.locator("#id_summary_en").fill(new_summary)
    page.locator('input[name="_save"]').click()
    expect_success(page, "was changed successfully")

    # A role's salary figure, in its inline on the role's page.
    page.goto("/admin/roles/role/")
    page.get_by_role("link", name="Data engineer", exact=True).click()
    amount = page.locator("#id_salary_figures-0-amount")
    expect(amount).to_have_value(str(data_salary.amount))
    amount.fill("131000")
    page.locator('input[name="_save"]').click()
    expect_success(page, "was changed successfully")

    # Both on the site.
    page.goto("/tools/airflow/")
    expect(page.get_by_text(new_summary)).to_be_visible()
    page.goto("/roles/data-engineer/")
    expect(page.locator(".salary-amount")).to_have_text("USD 131,000")
    page.goto("/")
    expect(page.locator(".role-card", has_text="Data engineer")).to_contain_text("USD 131,000")

    # A new quiz version: a draft copied from the current one, reworded, then published.
    run_list_action(page, version_1, "copy_as_draft")
    expect_success(page, "is a new draft copied from version 1")
    expect(page).to_have_url(CHANGE_PAGE)
    draft = QuizVersion.objects.get(pk=int(CHANGE_PAGE.search(page.url).group(1)))
    assert (draft.number, draft.status) == (2, QuizVersion.Status.DRAFT)
    first_text = page.locator("#id_questions-0-text_en")
    expect(first_text).to_have_value(first_question.text)
    first_text.fill(reworded)
    page.locator('input[name="_continue"]').click()
    expect_success(page, "was changed successfully")

    run_list_action(page, draft, "publish")
    expect_success(page, "is published: people now take this version.")
    assert quiz_selectors.current_version_get().pk == draft.pk

    # People now get the new version...
    visitor = new_context().new_page()
    visitor.goto("/assessment/step/1/")
    expect(visitor.locator("fieldset.question").first.locator("legend")).to_contain_text(reworded)

    # ...and the old result still shows what was asked and answered then.
    reader_page = new_context().new_page()
    log_in(reader_page, reader.username)
    reader_page.goto(old_result.get_absolute_url())
    expect(reader_page.get_by_text(re.compile(r"version 1$"))).to_be_visible()
    reader_page.get_by_text("All your answers").click()
    first_item = reader_page.locator("details ol > li").first
    expect(first_item).to_contain_text(first_question.text)
    expect(first_item).to_contain_text(first_answer_text)
    expect(reader_page.locator("details")).not_to_contain_text(reworded)
