"""Quiz versions in the admin: answered versions are read-only; editors publish and copy
versions, and the history says who did."""

import html
import uuid

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.test import Client

from assessments.services.assessment import assessment_submit
from core import caching
from quizzes import selectors as quiz_selectors
from quizzes.models import (
    FROZEN_MESSAGE,
    Choice,
    ChoiceWeight,
    FrozenVersionError,
    Question,
    QuizVersion,
)
from tests import factories
from tests.admin_client import csrf_token, form_data, messages_of, submit
from tests.helpers import answers_leaning_to
from tests.quizzes.helpers import draft_of, first_choice, version_admin_url, weight_cell, weight_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]


def _run_action(client, action, versions, *, follow=False):
    page = client.get("/admin/quizzes/quizversion/")
    return submit(
        client,
        page,
        "changelist-form",
        {"action": action, "_selected_action": [str(version.pk) for version in versions]},
        follow=follow,
    )


# Answered versions are read-only -----------------------------------------------------------


def test_an_answered_version_opens_read_only_with_a_message_to_make_a_new_draft(
    editor_client, version, result
):
    response = editor_client.get(version_admin_url(version))

    page = response.content.decode()
    assert response.status_code == 200
    assert any("New draft from this version" in message for message in messages_of(response))
    assert 'name="_save"' not in page
    assert response.context["has_change_permission"] is False
    inline = response.context["inline_admin_formsets"][0]
    assert not (inline.has_add_permission or inline.has_change_permission)
    assert not inline.has_delete_permission
    assert all(field.field.disabled for field in response.context["weight_grid"])
    assert "New draft from this version</button>" in page


def test_a_forged_change_to_an_answered_version_is_refused(editor_client, version, result, roles):
    choice = first_choice(version)
    mlops = roles["mlops-engineer"]
    before = weight_of(choice, mlops)
    token = csrf_token(editor_client.get("/admin/quizzes/quizversion/"))

    response = editor_client.post(
        version_admin_url(version),
        {"csrfmiddlewaretoken": token, "notes": "Forged", weight_cell(choice, mlops): 10},
    )

    assert response.status_code == 403
    assert weight_of(choice, mlops) == before
    assert QuizVersion.objects.get(pk=version.pk).notes != "Forged"


@pytest.mark.parametrize("model", ["question", "choice"])
def test_a_question_or_choice_of_an_answered_version_is_read_only_but_for_its_spanish(
    editor_client, version, result, model
):
    choice = first_choice(version)
    obj = choice if model == "choice" else choice.question
    url = f"/admin/quizzes/{model}/{obj.pk}/change/"

    response = editor_client.get(url)

    assert response.status_code == 200
    assert any(
        "New draft from this version" in message and "Spanish texts can still be" in message
        for message in messages_of(response)
    )
    # Only the Spanish can be written; the English, key, order and weights are shown read-only.
    assert set(response.context["adminform"].form.fields) == {
        name for name in ("text_es", "help_text_es") if hasattr(obj, name)
    }
    for inline in response.context["inline_admin_formsets"]:
        assert not (inline.has_add_permission or inline.has_delete_permission)
        assert set(inline.formset.forms[0].fields) == {"id", "question", "text_es"}
    forged = submit(
        editor_client,
        response,
        f"{model}_form",
        {"text": "Forged", "text_en": "Forged", "key": "forged", "order": 99},
    )
    assert forged.status_code == 302
    stored = type(obj).objects.get(pk=obj.pk)
    assert (stored.text_en, stored.key, stored.order) == (obj.text_en, obj.key, obj.order)
    delete_page = editor_client.get(f"/admin/quizzes/{model}/{obj.pk}/delete/")
    assert FROZEN_MESSAGE in html.unescape(delete_page.content.decode())
    deleted = editor_client.post(
        f"/admin/quizzes/{model}/{obj.pk}/delete/",
        {"csrfmiddlewaretoken": csrf_token(delete_page), "post": "yes"},
    )
    assert deleted.status_code == 200  # the page again, listing why it can't be deleted
    assert type(obj).objects.filter(pk=obj.pk).exists()


# Publish and copy ---------------------------------------------------------------------------


def test_new_draft_from_this_version_copies_everything_and_is_logged(
    editor_client, editor, version, result
):
    response = _run_action(editor_client, "copy_as_draft", [version])

    draft = QuizVersion.objects.get(quiz=version.quiz, number=version.number + 1)
    assert response.status_code == 302
    assert response.url == version_admin_url(draft)
    assert draft.status == QuizVersion.Status.DRAFT and not draft.is_current
    for model, version_field in [
        (Question, "version"),
        (Choice, "question__version"),
        (ChoiceWeight, "choice__question__version"),
    ]:
        copied_rows = model.objects.filter(**{version_field: draft}).count()
        assert copied_rows == model.objects.filter(**{version_field: version}).count() > 0
    added = LogEntry.objects.get(object_id=str(draft.pk), action_flag=ADDITION)
    assert added.user == editor and f"version {version.number}" in added.get_change_message()
    copied = LogEntry.objects.get(object_id=str(version.pk), action_flag=CHANGE)
    assert f"version {draft.number}" in copied.get_change_message()
    page = editor_client.get(response.url)
    assert page.context["has_change_permission"] is True
    assert 'name="_save"' in page.content.decode()


def test_the_buttons_on_a_version_page_copy_and_publish(editor_client, version):
    page = editor_client.get(version_admin_url(version))
    token = csrf_token(page)
    assert f'action="{version_admin_url(version, "copy/")}"' in page.content.decode()

    copied = editor_client.post(version_admin_url(version, "copy/"), {"csrfmiddlewaretoken": token})
    draft = QuizVersion.objects.get(quiz=version.quiz, number=version.number + 1)
    published = editor_client.post(
        version_admin_url(draft, "publish/"), {"csrfmiddlewaretoken": token}
    )

    assert copied.status_code == 302 and copied.url == version_admin_url(draft)
    assert published.status_code == 302 and published.url == version_admin_url(draft)
    assert quiz_selectors.current_version_get() == draft
    assert editor_client.get(version_admin_url(draft, "publish/")).status_code == 405


def test_plain_staff_cant_use_the_buttons(staff_client, version):
    token = csrf_token(staff_client.get("/admin/"))

    response = staff_client.post(
        version_admin_url(version, "copy/"), {"csrfmiddlewaretoken": token}
    )

    assert response.status_code == 403
    assert QuizVersion.objects.count() == 1


def test_publish_checks_the_draft_and_shows_its_problems(editor_client, version, roles):
    draft = draft_of(version)
    question = Question.objects.filter(version=draft).order_by("order")[0]
    for choice in question.choices.order_by("order")[1:]:
        choice.delete()
    ChoiceWeight.objects.filter(
        choice__question__version=draft, role=roles["mlops-engineer"]
    ).update(weight=0)
    page = editor_client.get(version_admin_url(draft))
    assert "can't be published yet" in page.content.decode()

    response = _run_action(editor_client, "publish", [draft], follow=True)

    errors = messages_of(response)
    assert len(errors) == 1
    assert "needs at least two choices" in errors[0]
    assert "No choice counts towards MLOps engineer" in errors[0]
    assert QuizVersion.objects.get(pk=draft.pk).status == QuizVersion.Status.DRAFT
    assert quiz_selectors.current_version_get() == version
    assert not LogEntry.objects.filter(object_id=str(draft.pk)).exists()


def test_publish_wants_exactly_one_version(editor_client, version):
    draft = draft_of(version)

    response = _run_action(editor_client, "publish", [version, draft], follow=True)

    assert messages_of(response) == ["Select exactly one version to publish."]
    assert quiz_selectors.current_version_get() == version


def test_an_editor_publishes_a_new_version_and_old_results_are_unchanged(
    editor_client, editor, version, result, person, roles
):
    viewer = Client()
    viewer.force_login(person)
    before = viewer.get(result.get_absolute_url())
    old_scores = [(s.role.slug, s.rank, s.percent) for s in before.context["scores"]]
    old_answers = [(a.question.text, a.choice.text) for a in before.context["answers"]]
    old_question = old_answers[0][0]

    copied = _run_action(editor_client, "copy_as_draft", [version])
    draft = QuizVersion.objects.get(pk=copied.url.split("/")[-3])
    page = editor_client.get(copied.url)
    data = form_data(page, "quizversion_form")
    # Reverse every weight: what counted for MLOps now counts for data engineering.
    mlops, data_engineer = roles["mlops-engineer"], roles["data-engineer"]
    changes = {}
    for choice in Choice.objects.filter(question__version=draft):
        changes[weight_cell(choice, mlops)] = data[weight_cell(choice, data_engineer)][0]
        changes[weight_cell(choice, data_engineer)] = data[weight_cell(choice, mlops)][0]
    first_question = Question.objects.filter(version=draft).order_by("order")[0]
    row = next(
        int(name.split("-")[1])
        for name, values in data.items()
        if name.endswith("-id") and values == [str(first_question.pk)]
    )
    changes[f"questions-{row}-text_en"] = "A rewritten first question?"
    assert submit(editor_client, page, "quizversion_form", changes).status_code == 302
    edit = LogEntry.objects.get(object_id=str(draft.pk), action_flag=CHANGE, user=editor)
    assert "Changed Text [en] for question “A rewritten first question?”" in (
        edit.get_change_message()
    )
    assert " more." in edit.get_change_message()  # long weight changes are summed up
    published = _run_action(editor_client, "publish", [draft], follow=True)

    assert any("is published" in message for message in messages_of(published))
    assert quiz_selectors.current_version_get() == draft
    assert LogEntry.objects.filter(
        object_id=str(draft.pk), change_message__contains="Published", user=editor
    ).exists()
    caching.clear_all()  # render the result afresh, not the owner's cached page
    after = viewer.get(result.get_absolute_url())
    assert [(s.role.slug, s.rank, s.percent) for s in after.context["scores"]] == old_scores
    assert [(a.question.text, a.choice.text) for a in after.context["answers"]] == old_answers
    assert old_question in html.unescape(after.content.decode())
    assert "A rewritten first question?" not in after.content.decode()
    # A new assessment on the new version uses the new weights.
    draft.refresh_from_db()
    new_result, _ = assessment_submit(
        version=draft,
        answers=answers_leaning_to(draft, ["data-engineer"]).items(),
        client_id=uuid.uuid4(),
        user=factories.UserFactory(),
    )
    assert new_result.top_role.slug == "data-engineer"
    assert new_result.answers.filter(question__text="A rewritten first question?").exists()


def test_the_history_shows_who_published_and_copied(editor_client, editor, version):
    _run_action(editor_client, "copy_as_draft", [version])
    draft = QuizVersion.objects.get(quiz=version.quiz, number=version.number + 1)
    _run_action(editor_client, "publish", [draft])

    history = editor_client.get(version_admin_url(draft, "history/"))

    page = history.content.decode()
    assert history.status_code == 200
    assert "editor" in page
    assert "Published: now the version people take." in page
    assert "New draft copied from version 1." in page
    old_history = editor_client.get(version_admin_url(version, "history/")).content.decode()
    assert "No longer current: version 2 published." in old_history


def test_the_quiz_page_lists_its_versions(editor_client, version):
    draft_of(version)

    response = editor_client.get(f"/admin/quizzes/quiz/{version.quiz.pk}/change/")

    assert response.status_code == 200
    assert len(response.context["inline_admin_formsets"][0].formset.forms) == 2
    assert "v1" in editor_client.get("/admin/quizzes/quiz/").content.decode()


def test_an_editor_adds_an_empty_draft_version(editor_client, version):
    page = editor_client.get("/admin/quizzes/quizversion/add/")
    assert form_data(page, "quizversion_form")["number"] == ["2"]

    response = submit(editor_client, page, "quizversion_form", {"notes": "Starting over."})

    draft = QuizVersion.objects.get(quiz=version.quiz, number=2)
    assert response.status_code == 302
    assert draft.status == QuizVersion.Status.DRAFT and draft.notes == "Starting over."
    duplicate = submit(editor_client, page, "quizversion_form", {"notes": "Again."})
    assert duplicate.status_code == 200
    assert "already exists" in str(duplicate.context["adminform"].form.errors)
    assert QuizVersion.objects.filter(quiz=version.quiz).count() == 2


def test_a_version_answered_while_it_was_being_edited_keeps_nothing_of_the_edit(
    editor_client, version, roles, monkeypatch
):
    draft = draft_of(version)
    choice = first_choice(draft)
    page = editor_client.get(version_admin_url(draft))

    def answered_meanwhile(**kwargs):
        raise FrozenVersionError("People have answered this quiz version meanwhile.")

    monkeypatch.setattr("quizzes.authoring.weights_update", answered_meanwhile)
    response = submit(
        editor_client,
        page,
        "quizversion_form",
        {"notes": "Lost", weight_cell(choice, roles["mlops-engineer"]): 10},
        follow=True,
    )

    assert response.status_code == 200
    assert "answered this quiz version meanwhile" in " ".join(messages_of(response))
    assert QuizVersion.objects.get(pk=draft.pk).notes != "Lost"


def test_a_choice_page_shows_its_weights_read_only_with_a_link_to_the_grid(
    editor_client, version, roles
):
    draft = draft_of(version)
    choice = first_choice(draft)
    data_engineer = roles["data-engineer"]
    before = weight_of(choice, data_engineer)
    url = f"/admin/quizzes/choice/{choice.pk}/change/"

    response = editor_client.get(url)

    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"] == []
    assert f"Data engineer {before}" in text
    assert f'href="{version_admin_url(draft)}#weight-grid"' in text
    assert editor_client.get("/admin/quizzes/choice/add/").status_code == 403
    forged = submit(
        editor_client, response, "choice_form", {"weights-0-weight": before + 1, "text_en": "Kept"}
    )
    assert forged.status_code == 302
    assert Choice.objects.get(pk=choice.pk).text == "Kept"
    assert weight_of(choice, data_engineer) == before
