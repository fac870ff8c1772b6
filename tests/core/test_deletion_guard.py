"""Deleting what people's saved results use is refused with a message counting what uses it
(or, for a row of an answered version, saying that version can't change); never a 500, never a
cascade into results."""

import html
import uuid

import pytest
from django.contrib.admin.models import DELETION, LogEntry

from assessments.models import Answer, Assessment, RoleScore
from assessments.services.assessment import assessment_submit
from quizzes import authoring
from quizzes.models import FROZEN_MESSAGE, Choice, Question, QuizVersion
from roles.models import Role, Tool
from tests import factories
from tests.admin_client import submit
from tests.helpers import answers_leaning_to

pytestmark = pytest.mark.django_db


def _unpicked_choice(assessment) -> Choice:
    picked = assessment.answers.values_list("choice_id", flat=True)
    return Choice.objects.filter(question__version=assessment.version).exclude(pk__in=picked)[0]


def _target(kind, assessment):
    """(admin path, object, message) for each kind of row a result uses."""
    answer = assessment.answers.order_by("question__order")[0]
    if kind == "role":
        role = Role.objects.get(slug="mlops-engineer")
        return "roles/role", role, "can't be deleted: 1 role score refers to it."
    if kind == "tool":
        tool = assessment.recommended_tools.order_by("rank")[0].tool
        return "roles/tool", tool, "can't be deleted: 1 recommended tool refers to it."
    if kind == "question":
        return "quizzes/question", answer.question, "can't be deleted: 1 answer refers to it."
    if kind == "picked choice":
        return "quizzes/choice", answer.choice, "can't be deleted: 1 answer refers to it."
    if kind == "unpicked choice":
        choice = _unpicked_choice(assessment)
        return "quizzes/choice", choice, f"can't be deleted. {FROZEN_MESSAGE}"
    if kind == "version":
        return (
            "quizzes/quizversion",
            assessment.version,
            f"can't be deleted: 1 assessment and {assessment.answers.count()} answers refer to it.",
        )
    raise AssertionError(kind)


def _nothing_was_deleted(obj, assessment):
    assert type(obj).objects.filter(pk=obj.pk).exists()
    assert Assessment.objects.filter(pk=assessment.pk).exists()
    assert assessment.answers.count() == assessment.version.questions.count()
    assert RoleScore.objects.filter(assessment=assessment).count() == Role.objects.count()
    assert not LogEntry.objects.filter(action_flag=DELETION).exists()


KINDS = ["role", "tool", "question", "picked choice", "unpicked choice", "version"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_delete_page_refuses_and_names_what_uses_it(editor_client, result, kind):
    path, obj, message = _target(kind, result)
    url = f"/admin/{path}/{obj.pk}/delete/"

    page = editor_client.get(url)

    text = html.unescape(page.content.decode())
    assert page.status_code == 200
    assert "Cannot delete" in text
    assert f"“{obj}” {message}" in text
    assert "Yes, I’m sure" not in text
    confirmed = editor_client.post(url, {"csrfmiddlewaretoken": page.context["csrf_token"]})
    assert confirmed.status_code == 200
    _nothing_was_deleted(obj, result)


@pytest.mark.parametrize("kind", KINDS)
def test_delete_selected_refuses_and_names_what_uses_it(editor_client, result, kind):
    path, obj, message = _target(kind, result)
    changelist = editor_client.get(f"/admin/{path}/")
    chosen = {"action": "delete_selected", "_selected_action": [str(obj.pk)]}

    page = submit(editor_client, changelist, "changelist-form", chosen)
    confirmed = submit(editor_client, changelist, "changelist-form", {**chosen, "post": "yes"})

    assert page.status_code == 200
    assert "Cannot delete" in page.content.decode()
    assert message in html.unescape(page.content.decode())
    assert confirmed.status_code == 200
    _nothing_was_deleted(obj, result)


def test_the_version_people_take_now_cant_be_deleted(editor_client, version):
    page = editor_client.get(f"/admin/quizzes/quizversion/{version.pk}/delete/")

    assert page.status_code == 200
    assert "is the version people take now" in page.content.decode()


def test_a_category_with_tools_cant_be_deleted(editor_client, site_content):
    category = site_content.categories["stream-processing"]
    tools = list(Tool.objects.filter(category=category))

    page = editor_client.get(f"/admin/roles/toolcategory/{category.pk}/delete/")

    text = page.content.decode()
    assert page.status_code == 200
    assert "Cannot delete" in text
    assert len(tools) == 2
    for tool in tools:
        assert tool.name in text
    assert Tool.objects.filter(category=category).count() == len(tools)


def test_unused_rows_are_deleted_and_the_deletion_is_logged(editor_client, editor, version):
    draft = authoring.version_copy_as_draft(version=version)
    tool = factories.ToolFactory(roles=[Role.objects.get(slug="data-engineer")])
    role = factories.RoleFactory()
    for path, obj in [("roles/tool", tool), ("roles/role", role), ("quizzes/quizversion", draft)]:
        url = f"/admin/{path}/{obj.pk}/delete/"
        page = editor_client.get(url)
        assert page.status_code == 200 and "Are you sure" in page.content.decode()

        response = editor_client.post(
            url, {"csrfmiddlewaretoken": page.context["csrf_token"], "post": "yes"}
        )

        assert response.status_code == 302
        assert not type(obj).objects.filter(pk=obj.pk).exists()
        assert LogEntry.objects.get(object_id=str(obj.pk), action_flag=DELETION).user == editor
    assert not Question.objects.filter(version_id=draft.pk).exists()


def test_questions_of_a_draft_are_deleted_in_bulk(editor_client, version, result):
    draft = authoring.version_copy_as_draft(version=version)
    doomed = list(Question.objects.filter(version=draft).order_by("order")[:3])
    changelist = editor_client.get("/admin/quizzes/question/")

    response = submit(
        editor_client,
        changelist,
        "changelist-form",
        {
            "action": "delete_selected",
            "_selected_action": [str(question.pk) for question in doomed],
            "post": "yes",
        },
    )

    questions = version.questions.count()
    assert response.status_code == 302
    assert Question.objects.filter(version=draft).count() == questions - len(doomed)
    assert Answer.objects.filter(assessment=result).count() == questions
    assert QuizVersion.objects.get(pk=version.pk).questions.count() == questions


def test_a_row_many_results_use_gets_a_count_not_a_line_per_result(editor_client, version):
    answers = answers_leaning_to(version, ["data-engineer"]).items()
    for _ in range(30):
        assessment_submit(version=version, answers=answers, client_id=uuid.uuid4())
    question = version.questions.order_by("order")[0]

    page = editor_client.get(f"/admin/quizzes/question/{question.pk}/delete/")

    text = html.unescape(page.content.decode())
    # Each answer points at the question and at one of its choices: counted once.
    assert f"“{question}” can't be deleted: 30 answers refer to it." in text
    assert "Answer:" not in text  # Django's own list names every protected row
    assert Question.objects.filter(pk=question.pk).exists()
