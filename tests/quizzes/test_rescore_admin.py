"""Editors and re-scoring: a copied version keeps its questions' keys, a draft's question page
lets them give a reworded question a new key (and says what that does), and a version's page
says how many questions keep their key from the version before."""

import html
import re
import uuid

import pytest

from assessments.selectors.assessment import assessment_get_owned
from assessments.selectors.rescoring import rescore_preview
from assessments.services.assessment import assessment_submit
from quizzes import authoring
from quizzes.admin.common import KEY_HELP
from quizzes.models import Question, QuizVersion
from tests.admin_client import field_errors, form_data, submit
from tests.factories import UserFactory
from tests.helpers import answers_leaning_to

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]


def version_admin_url(version) -> str:
    return f"/admin/quizzes/quizversion/{version.pk}/change/"


def _question_url(question) -> str:
    return f"/admin/quizzes/question/{question.pk}/change/"


def text_of(response) -> str:
    page = html.unescape(response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _copy_with_the_button(client, version) -> QuizVersion:
    page = client.get(version_admin_url(version))
    submit(client, page, "quizversion_form", url=f"/admin/quizzes/quizversion/{version.pk}/copy/")
    return QuizVersion.objects.get(quiz=version.quiz, number=version.number + 1)


def test_a_copy_keeps_every_key_and_its_page_says_so(editor_client, version):
    draft = _copy_with_the_button(editor_client, version)

    keys = list(Question.objects.filter(version=version).values_list("key", flat=True))
    assert list(Question.objects.filter(version=draft).values_list("key", flat=True)) == keys
    text = text_of(editor_client.get(version_admin_url(draft)))
    assert (
        f"{len(keys)} of {len(keys)} questions keep their key from version {version.number} "
        "(their answers carry over when people re-score)."
    ) in text


def test_the_first_version_has_nothing_to_carry_over(editor_client, version):
    text = text_of(editor_client.get(version_admin_url(version)))
    assert "The quiz's first published version: no earlier answers to carry over." in text


def test_the_note_is_read_only(editor_client, version):
    draft = authoring.version_copy_as_draft(version=version)
    page = editor_client.get(version_admin_url(draft))
    data = form_data(page, "quizversion_form")
    assert "keys_kept" not in data
    response = submit(editor_client, page, "quizversion_form", {"keys_kept": "99 of 1"})
    assert response.status_code == 302
    assert "14 of 14 questions keep their key" in text_of(
        editor_client.get(version_admin_url(draft))
    )


def test_a_drafts_question_page_gives_a_reworded_question_a_new_key(editor_client, version):
    draft = authoring.version_copy_as_draft(version=version)
    question = Question.objects.filter(version=draft).order_by("order")[1]
    page = editor_client.get(_question_url(question))
    assert page.status_code == 200
    assert 'name="key"' in page.content.decode()
    assert KEY_HELP in text_of(page)
    assert "Give a reworded question a new key when its meaning changed" in KEY_HELP

    response = submit(
        editor_client,
        page,
        "question_form",
        {"key": "question-2-reworded", "text_en": "Which of these would you enjoy most at work?"},
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.key == "question-2-reworded"
    text = text_of(editor_client.get(version_admin_url(draft)))
    assert "13 of 14 questions keep their key from version 1" in text


def test_the_key_column_on_the_version_page_explains_it_too(editor_client, version):
    draft = authoring.version_copy_as_draft(version=version)
    page = editor_client.get(version_admin_url(draft))
    formset = page.context["inline_admin_formsets"][0].formset
    assert formset.forms[0].fields["key"].help_text == KEY_HELP


def test_a_key_taken_in_the_version_is_refused_at_the_field(editor_client, version):
    draft = authoring.version_copy_as_draft(version=version)
    first, second = Question.objects.filter(version=draft).order_by("order")[:2]
    page = editor_client.get(_question_url(second))

    response = submit(editor_client, page, "question_form", {"key": first.key})

    assert response.status_code == 200
    assert field_errors(response, "key") == ["Another question of this version has this key."]
    second.refresh_from_db()
    assert second.key == "question-2"


def test_a_key_taken_in_the_version_is_refused_on_the_version_page_too(editor_client, version):
    draft = authoring.version_copy_as_draft(version=version)
    first, second = Question.objects.filter(version=draft).order_by("order")[:2]
    page = editor_client.get(version_admin_url(draft))
    data = form_data(page, "quizversion_form")
    row = next(
        name.split("-")[1]
        for name, values in data.items()
        if name.startswith("questions-") and name.endswith("-id") and values == [str(second.pk)]
    )

    response = submit(editor_client, page, "quizversion_form", {f"questions-{row}-key": first.key})

    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    second.refresh_from_db()
    assert second.key == "question-2"


def test_an_answered_versions_question_key_cannot_change(editor_client, version, result):
    question = Question.objects.filter(version=version).order_by("order")[0]
    page = editor_client.get(_question_url(question))
    assert 'name="key"' not in page.content.decode()


def test_a_new_key_makes_people_answer_that_question_again_when_they_re_score(
    editor_client, version
):
    person = UserFactory()
    old, _ = assessment_submit(
        version=version,
        answers=answers_leaning_to(version, ["mlops-engineer"]).items(),
        client_id=uuid.uuid4(),
        user=person,
    )
    draft = _copy_with_the_button(editor_client, version)
    question = Question.objects.get(version=draft, key="question-3")
    page = editor_client.get(_question_url(question))
    submit(editor_client, page, "question_form", {"key": "question-3-new-meaning"})
    authoring.version_publish(version=draft)

    preview = rescore_preview(assessment=assessment_get_owned(assessment_id=old.pk, user=person))

    assert preview.missing == ["question-3-new-meaning"]
    assert len(preview.carried) == 13
