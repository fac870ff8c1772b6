"""Editors edit quiz versions: questions, choices and weights on one page; publish and copy;
answered versions never change."""

import html
import uuid

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.test import Client

from assessments.services.assessment import assessment_submit
from core import caching
from quizzes import authoring
from quizzes import selectors as quiz_selectors
from quizzes.authoring import weights_update
from quizzes.models import (
    FROZEN_MESSAGE,
    Choice,
    ChoiceWeight,
    FrozenVersionError,
    Question,
    QuizVersion,
)
from roles.models import Role
from tests import factories
from tests.admin_client import csrf_token, field_errors, form_data, messages_of, submit
from tests.helpers import answers_leaning_to

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]


def _version_url(version, suffix="change/"):
    return f"/admin/quizzes/quizversion/{version.pk}/{suffix}"


def _cell(choice, role) -> str:
    return f"weights-{choice.pk}-{role.pk}"


def _weight(choice, role) -> int:
    return ChoiceWeight.objects.get(choice=choice, role=role).weight


def _draft_of(version) -> QuizVersion:
    return authoring.version_copy_as_draft(version=version)


def _run_action(client, action, versions, *, follow=False):
    page = client.get("/admin/quizzes/quizversion/")
    return submit(
        client,
        page,
        "changelist-form",
        {"action": action, "_selected_action": [str(version.pk) for version in versions]},
        follow=follow,
    )


def _first_choice(version) -> Choice:
    return Choice.objects.filter(question__version=version).order_by("question__order", "order")[0]


@pytest.fixture
def roles(site_content):
    return {role.slug: role for role in Role.objects.all()}


# The version page ---------------------------------------------------------------------------


def test_a_version_page_shows_questions_choices_and_every_weight(editor_client, version, roles):
    response = editor_client.get(_version_url(version))
    # What saving it sends stays well under Django's DATA_UPLOAD_MAX_NUMBER_FIELDS (1000).
    assert len(form_data(response, "quizversion_form")) < 400

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    questions = quiz_selectors.question_list(version=version, with_weights=True)
    assert len(response.context["inline_admin_formsets"][0].formset.forms) == len(questions)
    grid = response.context["weight_grid"]
    choices = Choice.objects.filter(question__version=version)
    assert len(grid.fields) == choices.count() * len(roles)
    for question in questions:
        assert question.text in page
        for choice in question.choices.all():
            assert choice.text in page
            for weight in choice.weights.all():
                assert grid[f"{choice.pk}-{weight.role.pk}"].initial == weight.weight
    assert ">MLOps engineer</th>" in page and ">Data engineer</th>" in page


def test_an_editor_changes_weights_in_the_grid_and_history_says_so(editor_client, editor, roles):
    draft = _draft_of(quiz_selectors.current_version_get())
    choice = _first_choice(draft)
    mlops, data = roles["mlops-engineer"], roles["data-engineer"]
    page = editor_client.get(_version_url(draft))

    response = submit(
        editor_client, page, "quizversion_form", {_cell(choice, mlops): 7, _cell(choice, data): 0}
    )

    assert response.status_code == 302
    assert (_weight(choice, mlops), _weight(choice, data)) == (7, 0)
    entry = LogEntry.objects.get(object_id=str(draft.pk), action_flag=CHANGE, user=editor)
    assert "weights" in entry.get_change_message()
    assert choice.text in entry.get_change_message()


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("heavy", "Enter a whole number."),
        ("2.5", "Enter a whole number."),
        ("11", "Ensure this value is less than or equal to 10."),
        ("-1", "Ensure this value is greater than or equal to 0."),
        ("", "This field is required."),
    ],
)
def test_a_bad_weight_shows_the_error_at_its_cell_and_saves_nothing(
    editor_client, roles, value, error
):
    draft = _draft_of(quiz_selectors.current_version_get())
    first, second = Choice.objects.filter(question__version=draft).order_by("pk")[:2]
    mlops = roles["mlops-engineer"]
    before = (_weight(first, mlops), _weight(second, mlops))
    page = editor_client.get(_version_url(draft))

    response = submit(
        editor_client,
        page,
        "quizversion_form",
        {_cell(first, mlops): value, _cell(second, mlops): 9, "notes": "Not saved."},
    )

    assert response.status_code == 200
    grid = response.context["weight_grid"]
    assert grid.errors == {f"{first.pk}-{mlops.pk}": [error]}
    cell = html.unescape(response.content.decode()).split(f'name="{_cell(first, mlops)}"')[0]
    assert cell.rsplit('<td class="errors">', 1)[1].count(error) == 1
    assert "see the marked cells" in response.content.decode()
    assert (_weight(first, mlops), _weight(second, mlops)) == before
    assert QuizVersion.objects.get(pk=draft.pk).notes != "Not saved."


def test_an_editor_edits_reorders_and_adds_questions_on_the_version_page(editor_client):
    draft = _draft_of(quiz_selectors.current_version_get())
    first, second = Question.objects.filter(version=draft).order_by("order")[:2]
    page = editor_client.get(_version_url(draft))
    data = form_data(page, "quizversion_form")
    new = int(data["questions-TOTAL_FORMS"][0])
    rows = {
        question.pk: next(
            int(name.split("-")[1])
            for name, values in data.items()
            if name.endswith("-id") and values == [str(question.pk)]
        )
        for question in (first, second)
    }

    response = submit(
        editor_client,
        page,
        "quizversion_form",
        {
            f"questions-{rows[first.pk]}-order": 2,
            f"questions-{rows[second.pk]}-order": 1,
            f"questions-{rows[second.pk]}-text_en": "A clearer question?",
            "questions-TOTAL_FORMS": new + 1,
            f"questions-{new}-order": 99,
            f"questions-{new}-key": "new-question",
            f"questions-{new}-text_en": "Brand new question?",
        },
    )

    assert response.status_code == 302
    ordered = list(Question.objects.filter(version=draft).order_by("order", "pk"))
    assert [ordered[0].pk, ordered[1].pk] == [second.pk, first.pk]
    assert ordered[0].text == "A clearer question?"
    assert ordered[-1].text == "Brand new question?"


def test_an_empty_question_shows_the_error_at_the_field_and_saves_nothing(editor_client):
    draft = _draft_of(quiz_selectors.current_version_get())
    question = Question.objects.filter(version=draft).order_by("order")[0]
    page = editor_client.get(_version_url(draft))
    data = form_data(page, "quizversion_form")
    row = next(
        int(name.split("-")[1])
        for name, values in data.items()
        if name.endswith("-id") and values == [str(question.pk)]
    )

    response = submit(
        editor_client,
        page,
        "quizversion_form",
        {f"questions-{row}-text_en": "", "notes": "Not saved either."},
    )

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert errors[row] == {"text_en": ["This field is required."]}
    assert Question.objects.get(pk=question.pk).text == question.text
    assert QuizVersion.objects.get(pk=draft.pk).notes != "Not saved either."


def test_a_question_page_edits_choices_and_shows_their_weights_read_only(editor_client, roles):
    draft = _draft_of(quiz_selectors.current_version_get())
    question = Question.objects.filter(version=draft).order_by("order")[0]
    choice = question.choices.order_by("order")[0]
    data_engineer, mlops = roles["data-engineer"], roles["mlops-engineer"]
    before = _weight(choice, data_engineer)
    page = editor_client.get(f"/admin/quizzes/question/{question.pk}/change/")
    text = html.unescape(page.content.decode())
    data = form_data(page, "question_form")
    row = next(
        int(name.split("-")[1])
        for name, values in data.items()
        if name.startswith("choices-") and name.endswith("-id") and values == [str(choice.pk)]
    )
    new = int(data["choices-TOTAL_FORMS"][0])
    # The weights are shown, not edited: the version's grid is the one place for that.
    assert not any("weight" in name for name in data)
    assert f"Data engineer {before}" in text and f"MLOps engineer {_weight(choice, mlops)}" in text
    assert f'href="{_version_url(draft)}#weight-grid"' in text

    response = submit(
        editor_client,
        page,
        "question_form",
        {
            f"choices-{row}-text_en": "A clearer choice",
            f"choices-{row}-weight_{data_engineer.pk}": before + 1,  # forged: ignored
            "choices-TOTAL_FORMS": new + 1,
            f"choices-{new}-order": 9,
            f"choices-{new}-key": "depends",
            f"choices-{new}-text_en": "It depends",
        },
    )

    assert response.status_code == 302
    assert Choice.objects.get(pk=choice.pk).text == "A clearer choice"
    assert _weight(choice, data_engineer) == before
    added = question.choices.get(key="depends")
    assert not added.weights.exists()
    grid = editor_client.get(_version_url(draft)).context["weight_grid"]
    assert grid[_cell(added, data_engineer).removeprefix("weights-")].initial == 0


def test_a_bad_choice_on_the_question_page_shows_the_error_at_the_field(editor_client):
    draft = _draft_of(quiz_selectors.current_version_get())
    question = Question.objects.filter(version=draft).order_by("order")[0]
    choice = question.choices.order_by("order")[0]
    page = editor_client.get(f"/admin/quizzes/question/{question.pk}/change/")

    response = submit(
        editor_client,
        page,
        "question_form",
        {"choices-0-text_en": "", "choices-1-text_en": "Changed?", "text_en": ""},
    )

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0] == {
        "text_en": ["This field is required."]
    }
    assert field_errors(response, "text_en") == ["This field is required."]
    assert Choice.objects.get(pk=choice.pk).text == choice.text
    assert not Choice.objects.filter(question=question, text="Changed?").exists()


def test_a_question_cant_be_added_to_an_answered_version(editor_client, version, result):
    page = editor_client.get("/admin/quizzes/question/add/")

    response = submit(
        editor_client,
        page,
        "question_form",
        {"version": version.pk, "key": "late", "text_en": "Too late?", "order": 99},
    )

    assert response.status_code == 200
    assert field_errors(response, "version") == [FROZEN_MESSAGE]
    assert not Question.objects.filter(key="late").exists()


def test_the_weight_write_refuses_an_answered_version_and_ignores_other_versions(
    version, result, roles
):
    draft = _draft_of(version)
    choice = _first_choice(version)
    mlops = roles["mlops-engineer"]

    with pytest.raises(FrozenVersionError):
        weights_update(version=version, weights={(choice.pk, mlops.pk): 9})
    assert weights_update(version=draft, weights={(choice.pk, mlops.pk): 9}) == 0
    assert _weight(choice, mlops) != 9
    with pytest.raises(ValueError, match="0 to 10"):
        weights_update(version=draft, weights={(_first_choice(draft).pk, mlops.pk): 11})


# Answered versions are read-only -----------------------------------------------------------


def test_an_answered_version_opens_read_only_with_a_message_to_make_a_new_draft(
    editor_client, version, result
):
    response = editor_client.get(_version_url(version))

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
    choice = _first_choice(version)
    mlops = roles["mlops-engineer"]
    before = _weight(choice, mlops)
    token = csrf_token(editor_client.get("/admin/quizzes/quizversion/"))

    response = editor_client.post(
        _version_url(version),
        {"csrfmiddlewaretoken": token, "notes": "Forged", _cell(choice, mlops): 10},
    )

    assert response.status_code == 403
    assert _weight(choice, mlops) == before
    assert QuizVersion.objects.get(pk=version.pk).notes != "Forged"


@pytest.mark.parametrize("model", ["question", "choice"])
def test_a_question_or_choice_of_an_answered_version_is_read_only_but_for_its_spanish(
    editor_client, version, result, model
):
    choice = _first_choice(version)
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
    assert response.url == _version_url(draft)
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
    page = editor_client.get(_version_url(version))
    token = csrf_token(page)
    assert f'action="{_version_url(version, "copy/")}"' in page.content.decode()

    copied = editor_client.post(_version_url(version, "copy/"), {"csrfmiddlewaretoken": token})
    draft = QuizVersion.objects.get(quiz=version.quiz, number=version.number + 1)
    published = editor_client.post(_version_url(draft, "publish/"), {"csrfmiddlewaretoken": token})

    assert copied.status_code == 302 and copied.url == _version_url(draft)
    assert published.status_code == 302 and published.url == _version_url(draft)
    assert quiz_selectors.current_version_get() == draft
    assert editor_client.get(_version_url(draft, "publish/")).status_code == 405


def test_plain_staff_cant_use_the_buttons(staff_client, version):
    token = csrf_token(staff_client.get("/admin/"))

    response = staff_client.post(_version_url(version, "copy/"), {"csrfmiddlewaretoken": token})

    assert response.status_code == 403
    assert QuizVersion.objects.count() == 1


def test_publish_checks_the_draft_and_shows_its_problems(editor_client, version, roles):
    draft = _draft_of(version)
    question = Question.objects.filter(version=draft).order_by("order")[0]
    for choice in question.choices.order_by("order")[1:]:
        choice.delete()
    ChoiceWeight.objects.filter(
        choice__question__version=draft, role=roles["mlops-engineer"]
    ).update(weight=0)
    page = editor_client.get(_version_url(draft))
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
    draft = _draft_of(version)

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
        changes[_cell(choice, mlops)] = data[_cell(choice, data_engineer)][0]
        changes[_cell(choice, data_engineer)] = data[_cell(choice, mlops)][0]
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

    history = editor_client.get(_version_url(draft, "history/"))

    page = history.content.decode()
    assert history.status_code == 200
    assert "editor" in page
    assert "Published: now the version people take." in page
    assert "New draft copied from version 1." in page
    old_history = editor_client.get(_version_url(version, "history/")).content.decode()
    assert "No longer current: version 2 published." in old_history


def test_the_quiz_page_lists_its_versions(editor_client, version):
    _draft_of(version)

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
    draft = _draft_of(version)
    choice = _first_choice(draft)
    page = editor_client.get(_version_url(draft))

    def answered_meanwhile(**kwargs):
        raise FrozenVersionError("People have answered this quiz version meanwhile.")

    monkeypatch.setattr("quizzes.authoring.weights_update", answered_meanwhile)
    response = submit(
        editor_client,
        page,
        "quizversion_form",
        {"notes": "Lost", _cell(choice, roles["mlops-engineer"]): 10},
        follow=True,
    )

    assert response.status_code == 200
    assert "answered this quiz version meanwhile" in " ".join(messages_of(response))
    assert QuizVersion.objects.get(pk=draft.pk).notes != "Lost"


def test_a_choice_page_shows_its_weights_read_only_with_a_link_to_the_grid(
    editor_client, version, roles
):
    draft = _draft_of(version)
    choice = _first_choice(draft)
    data_engineer = roles["data-engineer"]
    before = _weight(choice, data_engineer)
    url = f"/admin/quizzes/choice/{choice.pk}/change/"

    response = editor_client.get(url)

    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"] == []
    assert f"Data engineer {before}" in text
    assert f'href="{_version_url(draft)}#weight-grid"' in text
    assert editor_client.get("/admin/quizzes/choice/add/").status_code == 403
    forged = submit(
        editor_client, response, "choice_form", {"weights-0-weight": before + 1, "text_en": "Kept"}
    )
    assert forged.status_code == 302
    assert Choice.objects.get(pk=choice.pk).text == "Kept"
    assert _weight(choice, data_engineer) == before
