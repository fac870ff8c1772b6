"""Editors edit quiz versions: questions, choices and weights on one page; publish and copy;
answered versions never change."""

import html

import pytest
from django.contrib.admin.models import CHANGE, LogEntry

from quizzes import selectors as quiz_selectors
from quizzes.authoring import weights_update
from quizzes.models import FROZEN_MESSAGE, Choice, FrozenVersionError, Question, QuizVersion
from tests.admin_client import field_errors, form_data, submit
from tests.quizzes.helpers import draft_of, first_choice, version_admin_url, weight_cell, weight_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]


# The version page ---------------------------------------------------------------------------


def test_a_version_page_shows_questions_choices_and_every_weight(editor_client, version, roles):
    response = editor_client.get(version_admin_url(version))
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
    draft = draft_of(quiz_selectors.current_version_get())
    choice = first_choice(draft)
    mlops, data = roles["mlops-engineer"], roles["data-engineer"]
    page = editor_client.get(version_admin_url(draft))

    response = submit(
        editor_client,
        page,
        "quizversion_form",
        {weight_cell(choice, mlops): 7, weight_cell(choice, data): 0},
    )

    assert response.status_code == 302
    assert (weight_of(choice, mlops), weight_of(choice, data)) == (7, 0)
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
    draft = draft_of(quiz_selectors.current_version_get())
    first, second = Choice.objects.filter(question__version=draft).order_by("pk")[:2]
    mlops = roles["mlops-engineer"]
    before = (weight_of(first, mlops), weight_of(second, mlops))
    page = editor_client.get(version_admin_url(draft))

    response = submit(
        editor_client,
        page,
        "quizversion_form",
        {weight_cell(first, mlops): value, weight_cell(second, mlops): 9, "notes": "Not saved."},
    )

    assert response.status_code == 200
    grid = response.context["weight_grid"]
    assert grid.errors == {f"{first.pk}-{mlops.pk}": [error]}
    cell = html.unescape(response.content.decode()).split(f'name="{weight_cell(first, mlops)}"')[0]
    assert cell.rsplit('<td class="errors">', 1)[1].count(error) == 1
    assert "see the marked cells" in response.content.decode()
    assert (weight_of(first, mlops), weight_of(second, mlops)) == before
    assert QuizVersion.objects.get(pk=draft.pk).notes != "Not saved."


def test_an_editor_edits_reorders_and_adds_questions_on_the_version_page(editor_client):
    draft = draft_of(quiz_selectors.current_version_get())
    first, second = Question.objects.filter(version=draft).order_by("order")[:2]
    page = editor_client.get(version_admin_url(draft))
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
    draft = draft_of(quiz_selectors.current_version_get())
    question = Question.objects.filter(version=draft).order_by("order")[0]
    page = editor_client.get(version_admin_url(draft))
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
    draft = draft_of(quiz_selectors.current_version_get())
    question = Question.objects.filter(version=draft).order_by("order")[0]
    choice = question.choices.order_by("order")[0]
    data_engineer, mlops = roles["data-engineer"], roles["mlops-engineer"]
    before = weight_of(choice, data_engineer)
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
    assert (
        f"Data engineer {before}" in text and f"MLOps engineer {weight_of(choice, mlops)}" in text
    )
    assert f'href="{version_admin_url(draft)}#weight-grid"' in text

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
    assert weight_of(choice, data_engineer) == before
    added = question.choices.get(key="depends")
    assert not added.weights.exists()
    grid = editor_client.get(version_admin_url(draft)).context["weight_grid"]
    assert grid[weight_cell(added, data_engineer).removeprefix("weights-")].initial == 0


def test_a_bad_choice_on_the_question_page_shows_the_error_at_the_field(editor_client):
    draft = draft_of(quiz_selectors.current_version_get())
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
    draft = draft_of(version)
    choice = first_choice(version)
    mlops = roles["mlops-engineer"]

    with pytest.raises(FrozenVersionError):
        weights_update(version=version, weights={(choice.pk, mlops.pk): 9})
    assert weights_update(version=draft, weights={(choice.pk, mlops.pk): 9}) == 0
    assert weight_of(choice, mlops) != 9
    with pytest.raises(ValueError, match="0 to 10"):
        weights_update(version=draft, weights={(first_choice(draft).pk, mlops.pk): 11})
