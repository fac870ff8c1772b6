"""Editors write the content's texts in English and Spanish side by side in the admin, see what
is still missing in Spanish (a column and a filter on each list, and one page for all), and may
still add the Spanish to a question people have answered, but nothing else of it."""

import html
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.services.assessment import assessment_submit
from core.admin import untranslated_pks
from core.translations import translated_fields
from quizzes import authoring
from quizzes import selectors as quiz_selectors
from quizzes.models import FROZEN_MESSAGE, Choice, FrozenVersionError, Question
from roles.models import AspectText, CareerAspect, FocusArea, FocusPoint, Role, Tool, ToolCategory
from tests import factories
from tests.admin_client import field_errors, form_data, messages_of, submit
from tests.helpers import answers_leaning_to

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]

TRANSLATIONS_URL = "/admin/translations/"


def _change_url(obj) -> str:
    opts = obj._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/"


def _inline(response, prefix: str):
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return inline
    raise AssertionError(f"no inline {prefix}")


def _both_columns(model) -> set[str]:
    return {f"{name}_{code}" for name in translated_fields(model) for code in ("en", "es")}


def _answered_version():
    version = quiz_selectors.current_version_get()
    assessment_submit(
        version=version,
        answers=answers_leaning_to(version, ["mlops-engineer"]).items(),
        client_id=uuid.uuid4(),
        user=factories.UserFactory(),
    )
    return version


# Side by side --------------------------------------------------------------------------------


def _pages():
    """(object, the model edited inline on its page or None, the inline's prefix)."""
    role = Role.objects.get(slug="data-engineer")
    area = role.focus_areas.order_by("order")[0]
    question = Question.objects.filter(version=quiz_selectors.current_version_get())[0]
    return [
        (role, FocusArea, "focus_areas"),
        (area, FocusPoint, "points"),
        (ToolCategory.objects.first(), None, None),
        (Tool.objects.get(slug="spark"), None, None),
        (CareerAspect.objects.first(), AspectText, "texts"),
        (question.version.quiz, None, None),
        (question.version, Question, "questions"),
        (question, Choice, "choices"),
        (question.choices.first(), None, None),
    ]


def test_every_translated_field_is_edited_in_english_and_spanish_side_by_side(editor_client):
    factories.RoleProxyFactory(role=Role.objects.get(slug="data-engineer"))
    for obj, inline_model, prefix in _pages():
        response = editor_client.get(_change_url(obj))
        assert response.status_code == 200, obj

        form = response.context["adminform"].form
        columns = _both_columns(type(obj))
        assert columns <= set(form.fields), obj
        assert not set(translated_fields(type(obj))) & set(form.fields)
        # One line of the form per field: the English, then the Spanish next to it.
        lines = [
            line
            for _name, options in response.context["adminform"].fieldsets
            for line in options["fields"]
        ]
        for name in translated_fields(type(obj)):
            assert (f"{name}_en", f"{name}_es") in lines, (obj, name)
            assert form.fields[f"{name}_es"].required is False
        if inline_model is not None:
            inline_fields = set(_inline(response, prefix).formset.form.base_fields)
            assert _both_columns(inline_model) <= inline_fields, inline_model
    proxies = _inline(
        editor_client.get(_change_url(Role.objects.get(slug="data-engineer"))), "proxies"
    )
    assert {"note_en", "note_es"} <= set(proxies.formset.form.base_fields)


def test_the_english_stays_required_where_it_was(editor_client):
    role_form = editor_client.get("/admin/roles/role/add/").context["adminform"].form
    area_form = editor_client.get("/admin/roles/focusarea/add/").context["adminform"].form

    assert role_form.fields["name_en"].required and role_form.fields["summary_en"].required
    assert not role_form.fields["name_es"].required
    assert not area_form.fields["summary_en"].required  # it was optional in English too


def test_the_slug_and_the_key_are_filled_from_the_english(editor_client):
    role_page = html.unescape(editor_client.get("/admin/roles/role/add/").content.decode())
    question_page = html.unescape(
        editor_client.get("/admin/quizzes/question/add/").content.decode()
    )

    assert '"dependency_ids": ["#id_name_en"]' in role_page
    assert '"dependency_ids": ["#id_text_en"]' in question_page


def _add_role(client, name: str, slug: str, **changes):
    page = client.get("/admin/roles/role/add/")
    data = {
        "name_en": name,
        "slug": slug,
        "tagline_en": f"{name} tagline.",
        "summary_en": f"What a {name} does.",
        "order": 5,
        **changes,
    }
    return submit(client, page, "role_form", data)


def test_an_empty_spanish_is_stored_as_null_and_two_roles_without_spanish_save(editor_client):
    first = _add_role(editor_client, "Analytics engineer", "analytics-engineer")
    second = _add_role(editor_client, "Data analyst", "data-analyst", name_es="  ")

    assert first.status_code == 302 and second.status_code == 302
    rows = Role.objects.filter(slug__in=["analytics-engineer", "data-analyst"])
    assert list(rows.values_list("name_es", "tagline_es", "summary_es")) == [(None,) * 3] * 2
    assert sorted(rows.values_list("name_en", flat=True)) == ["Analytics engineer", "Data analyst"]


def test_a_role_page_saved_without_spanish_keeps_it_null(editor_client):
    role = Role.objects.get(slug="data-engineer")
    page = editor_client.get(_change_url(role))

    response = submit(editor_client, page, "role_form", {"tagline_en": "Pipelines, tested."})

    assert response.status_code == 302
    role.refresh_from_db()
    assert (role.tagline_en, role.name_es, role.tagline_es) == ("Pipelines, tested.", None, None)
    assert not FocusArea.objects.filter(role=role, title_es="").exists()


def test_a_spanish_name_taken_by_another_role_is_refused_at_the_field(editor_client):
    Role.objects.filter(slug="mlops-engineer").update(name_es="Ingeniero/a de MLOps")
    role = Role.objects.get(slug="data-engineer")
    page = editor_client.get(_change_url(role))

    response = submit(editor_client, page, "role_form", {"name_es": "Ingeniero/a de MLOps"})

    assert response.status_code == 200
    assert field_errors(response, "name_es") == ["Role with this Name [es] already exists."]
    assert Role.objects.get(pk=role.pk).name_es is None


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("Solo uno", "Write 3 to 6 milestones, one per line (1 given)."),
        ("a\nb\nc\nd\ne\nf\ng", "Write 3 to 6 milestones, one per line (7 given)."),
        (f"a\nb\n{'x' * 161}", "Milestone 3 is longer than 160 characters."),
    ],
)
def test_the_spanish_milestones_follow_the_same_rules(editor_client, value, error):
    spark = Tool.objects.get(slug="spark")
    page = editor_client.get(_change_url(spark))

    response = submit(editor_client, page, "tool_form", {"milestones_es": value})

    assert response.status_code == 200
    assert field_errors(response, "milestones_es") == [error]
    assert Tool.objects.get(pk=spark.pk).milestones_es is None


def test_the_spanish_milestones_are_kept_one_a_line(editor_client):
    spark = Tool.objects.get(slug="spark")
    page = editor_client.get(_change_url(spark))
    typed = "  Instálalo\r\n\r\nÚsalo en un proyecto pequeño\r\nExplícaselo a alguien\r\n"

    response = submit(editor_client, page, "tool_form", {"milestones_es": typed})

    assert response.status_code == 302
    spark.refresh_from_db()
    assert spark.milestones_es == "Instálalo\nÚsalo en un proyecto pequeño\nExplícaselo a alguien"
    assert spark.milestones_en == Tool.objects.get(pk=spark.pk).milestones_en  # untouched


# What is missing -----------------------------------------------------------------------------


def _translate_some():
    """The MLOps role fully in Spanish, the data engineer's name only; one tool complete."""
    Role.objects.filter(slug="mlops-engineer").update(
        name_es="Ingeniero/a de MLOps", tagline_es="Lo mantiene en marcha.", summary_es="Qué hace."
    )
    Role.objects.filter(slug="data-engineer").update(name_es="Ingeniero/a de datos")
    Tool.objects.filter(slug="spark").update(
        summary_es="Un motor distribuido.", usage_es="Se usa a diario.", milestones_es="a\nb\nc"
    )


def test_the_list_shows_whether_the_spanish_is_complete_and_filters_on_it(editor_client):
    _translate_some()

    listed = editor_client.get("/admin/roles/role/")
    missing = editor_client.get("/admin/roles/role/", {"translation": "missing"})
    complete = editor_client.get("/admin/roles/role/", {"translation": "complete"})

    assert "Spanish text" in [spec.title for spec in listed.context["cl"].filter_specs]
    assert "translation_status" in listed.context["cl"].list_display
    page = listed.content.decode()
    assert page.count('alt="True"') == 1 and page.count('alt="False"') == 1
    assert [role.slug for role in missing.context["cl"].result_list] == ["data-engineer"]
    assert [role.slug for role in complete.context["cl"].result_list] == ["mlops-engineer"]
    tools = editor_client.get("/admin/roles/tool/", {"translation": "complete"})
    assert [tool.slug for tool in tools.context["cl"].result_list] == ["spark"]


def test_every_translated_models_list_has_the_column_and_the_filter(editor_client):
    for url in [
        "/admin/roles/role/",
        "/admin/roles/focusarea/",
        "/admin/roles/toolcategory/",
        "/admin/roles/tool/",
        "/admin/roles/careeraspect/",
        "/admin/quizzes/quiz/",
        "/admin/quizzes/question/",
        "/admin/quizzes/choice/",
    ]:
        response = editor_client.get(url, {"translation": "missing"})
        changelist = response.context["cl"]
        assert "translation_status" in changelist.list_display, url
        assert changelist.filter_specs[-1].title == "Spanish text", url
        assert changelist.result_count == changelist.model.objects.count(), url  # none yet


def test_the_translations_page_lists_exactly_the_rows_without_spanish(editor_client):
    _translate_some()

    response = editor_client.get(TRANSLATIONS_URL)

    assert response.status_code == 200
    by_model = {entry.opts.model_name: entry for entry in response.context["models"]}
    roles = by_model["role"]
    assert [row.obj.slug for row in roles.rows] == ["data-engineer"]
    assert roles.rows[0].fields == ["tagline", "what it is"]
    assert roles.rows[0].url == _change_url(Role.objects.get(slug="data-engineer"))
    assert roles.total == 2
    assert roles.changelist_url == "/admin/roles/role/?translation=missing"
    assert "spark" not in {row.obj.slug for row in by_model["tool"].rows}
    for entry in response.context["models"]:
        expected = set(untranslated_pks(entry.opts.model))
        assert {row.obj.pk for row in entry.rows} == expected, entry.opts
    # Rows edited on their parent's page link to it.
    point = by_model["focuspoint"].rows[0]
    assert point.url == _change_url(point.obj.focus_area)
    assert by_model["focuspoint"].changelist_url is None
    page = html.unescape(response.content.decode())
    assert f'href="{roles.rows[0].url}"' in page
    assert response.context["missing_count"] == sum(len(e.rows) for e in by_model.values())
    assert f"{response.context['missing_count']} rows with an English text but no Spanish" in page


def test_the_translations_page_is_linked_from_the_index(editor_client):
    page = editor_client.get("/admin/").content.decode()

    assert f'href="{TRANSLATIONS_URL}"' in page
    assert "Which data career fits you?" in editor_client.get(TRANSLATIONS_URL).content.decode()


def test_the_translations_page_lists_only_what_the_editor_may_change(staff_client):
    response = staff_client.get(TRANSLATIONS_URL)

    assert response.status_code == 200
    assert response.context["models"] == []


def test_the_translations_page_costs_the_same_with_ten_times_the_rows(editor_client):
    with CaptureQueriesContext(connection) as small:
        assert editor_client.get(TRANSLATIONS_URL).status_code == 200
    factories.make_quiz_version(
        roles=list(Role.objects.all()),
        question_count=40,
        quiz=quiz_selectors.current_version_get().quiz,
        current=False,
        number=2,
    )
    for role in factories.RoleFactory.create_batch(20):
        factories.FocusPointFactory.create_batch(4, focus_area__role=role)

    with CaptureQueriesContext(connection) as big:
        assert editor_client.get(TRANSLATIONS_URL).status_code == 200

    assert len(big) == len(small)


# An answered question: only its Spanish may still be written ---------------------------------


def test_an_answered_questions_spanish_can_be_saved_on_its_page(editor_client):
    version = _answered_version()
    question = Question.objects.filter(version=version).order_by("order")[0]
    choice = question.choices.order_by("order")[0]
    page = editor_client.get(_change_url(question))
    assert any(FROZEN_MESSAGE in message for message in messages_of(page))
    assert 'name="_save"' in page.content.decode()
    row = next(
        int(name.split("-")[1])
        for name, values in form_data(page, "question_form").items()
        if name.startswith("choices-") and name.endswith("-id") and values == [str(choice.pk)]
    )

    response = submit(
        editor_client,
        page,
        "question_form",
        {
            "text_es": "¿Qué te gustaría más?",
            "text_en": "Forged English",
            f"choices-{row}-text_es": "Construir cosas",
            f"choices-{row}-text_en": "Forged choice",
        },
    )

    assert response.status_code == 302
    question.refresh_from_db()
    choice.refresh_from_db()
    assert (question.text_es, choice.text_es) == ("¿Qué te gustaría más?", "Construir cosas")
    assert question.text_en != "Forged English" and choice.text_en != "Forged choice"


def test_an_answered_choices_spanish_can_be_saved_on_its_page(editor_client):
    version = _answered_version()
    choice = Choice.objects.filter(question__version=version).first()
    page = editor_client.get(_change_url(choice))

    response = submit(
        editor_client, page, "choice_form", {"text_es": "Depende", "key": "forged", "order": 42}
    )

    assert response.status_code == 302
    stored = Choice.objects.get(pk=choice.pk)
    assert (stored.text_es, stored.key, stored.order) == ("Depende", choice.key, choice.order)


def test_an_answered_questions_english_cant_be_saved(editor_client):
    version = _answered_version()
    question = Question.objects.filter(version=version).first()
    english = question.text_en

    question.text_es = "¿Una pregunta?"
    question.save()  # the model allows the Spanish alone
    question.text_en = "A forged question?"
    with pytest.raises(FrozenVersionError):
        question.save()

    stored = Question.objects.get(pk=question.pk)
    assert (stored.text_es, stored.text_en) == ("¿Una pregunta?", english)


def test_a_drafts_question_is_fully_editable_as_before(editor_client):
    draft = authoring.version_copy_as_draft(version=quiz_selectors.current_version_get())
    question = Question.objects.filter(version=draft).order_by("order")[0]
    page = editor_client.get(_change_url(question))

    assert set(page.context["adminform"].form.fields) == {
        "order",
        "key",
        "text_en",
        "text_es",
        "help_text_en",
        "help_text_es",
        "is_tie_breaker",
    }
    choices = _inline(page, "choices")
    assert choices.has_add_permission and choices.has_delete_permission
    assert messages_of(page) == []
