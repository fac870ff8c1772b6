"""Editors edit roles, their focus areas and salary figures in the admin."""

import datetime
import html

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.utils import timezone

from roles.models import FocusArea, FocusPoint, Role, SalaryFigure, Tool, months_before
from tests import factories
from tests.admin_client import field_errors, form_data, messages_of, submit
from tests.roles.helpers import row_index

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]


def _inline_errors(response, prefix: str) -> list[dict]:
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return inline.formset.errors
    raise AssertionError(f"no inline {prefix}")


# Roles, focus areas, salaries ---------------------------------------------------------------


def test_a_role_page_edits_focus_areas_salaries_and_tools_inline(editor_client):
    role = Role.objects.get(slug="data-engineer")
    response = editor_client.get(f"/admin/roles/role/{role.pk}/change/")

    page = response.content.decode()
    assert response.status_code == 200
    prefixes = [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]
    assert prefixes == ["focus_areas", "salary_figures", "proxies"]
    assert role.focus_areas.exists()
    for area in role.focus_areas.all():
        assert area.title in page
        assert ", ".join(point.title for point in area.points.all()) in page
        assert f'href="/admin/roles/focusarea/{area.pk}/change/"' in page
    assert role.salary_figures.get().source_name in page
    assert "View on site" in page
    tools = response.context["adminform"].form["tools"]
    assert sorted(tools.value()) == sorted(role.tools.values_list("pk", flat=True))
    assert "selectfilter" in page  # a searchable two-list picker


def test_an_editor_gives_a_role_a_tool_on_the_role_page(editor_client, editor):
    role = Role.objects.get(slug="data-engineer")
    docker = Tool.objects.get(slug="docker")
    page = editor_client.get(f"/admin/roles/role/{role.pk}/change/")
    tools = form_data(page, "role_form").get("tools", [])
    assert str(docker.pk) not in tools  # only the selected tools are sent, as a browser does

    response = submit(editor_client, page, "role_form", {"tools": [*tools, str(docker.pk)]})

    assert response.status_code == 302
    assert set(docker.roles.values_list("slug", flat=True)) == {"mlops-engineer", "data-engineer"}
    assert role.tools.count() == len(tools) + 1
    assert "Docker" in editor_client.get("/roles/data-engineer/").content.decode()
    entry = LogEntry.objects.get(object_id=str(role.pk), action_flag=CHANGE)
    assert entry.user == editor and "tools" in entry.get_change_message()


def test_an_editor_renames_a_focus_area_and_adds_a_salary_figure_on_the_role_page(editor_client):
    role = Role.objects.get(slug="data-engineer")
    area = role.focus_areas.order_by("order").last()
    page = editor_client.get(f"/admin/roles/role/{role.pk}/change/")
    data = form_data(page, "role_form")
    row = row_index(data, "focus_areas", area.pk)
    new = int(data["salary_figures-TOTAL_FORMS"][0])

    response = submit(
        editor_client,
        page,
        "role_form",
        {
            f"focus_areas-{row}-title_en": "Scaling out",
            "salary_figures-TOTAL_FORMS": new + 1,
            f"salary_figures-{new}-amount": 130000,
            f"salary_figures-{new}-currency": "USD",
            f"salary_figures-{new}-period": "year",
            f"salary_figures-{new}-source_name": "Levels.fyi",
            f"salary_figures-{new}-source_url": "https://www.levels.fyi/",
            f"salary_figures-{new}-as_of": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 302
    assert FocusArea.objects.get(pk=area.pk).title == "Scaling out"
    assert SalaryFigure.objects.get(role=role, source_name="Levels.fyi").amount == 130000
    assert "Scaling out" in editor_client.get("/roles/data-engineer/").content.decode()


@pytest.mark.parametrize(
    ("value", "field", "error"),
    [
        (-5, "amount", "Ensure this value is greater than or equal to 0."),
        (0, "amount", "Ensure this value is greater than or equal to 1."),
        ("lots", "amount", "Enter a whole number."),
        ("glassdoor", "source_url", "Enter a valid URL."),
    ],
)
def test_bad_salary_input_on_the_role_page_shows_the_error_at_the_field(
    editor_client, value, field, error
):
    role = Role.objects.get(slug="data-engineer")
    figure = SalaryFigure.objects.get(role=role)
    before = (figure.amount, figure.source_url, role.order)
    page = editor_client.get(f"/admin/roles/role/{role.pk}/change/")
    row = row_index(form_data(page, "role_form"), "salary_figures", figure.pk)

    response = submit(
        editor_client, page, "role_form", {f"salary_figures-{row}-{field}": value, "order": 9}
    )

    assert response.status_code == 200
    assert _inline_errors(response, "salary_figures")[row] == {field: [error]}
    assert error in html.unescape(response.content.decode())
    figure.refresh_from_db()
    assert (figure.amount, figure.source_url, Role.objects.get(pk=role.pk).order) == before


def test_a_negative_salary_in_the_salary_form_shows_the_error_at_the_field(editor_client):
    role = Role.objects.get(slug="mlops-engineer")
    page = editor_client.get("/admin/roles/salaryfigure/add/")

    response = submit(
        editor_client,
        page,
        "salaryfigure_form",
        {
            "role": role.pk,
            "amount": -1,
            "source_name": "Somewhere",
            "source_url": "https://example.com/",
            "as_of": "2026-01-01",
        },
    )

    assert response.status_code == 200
    assert field_errors(response, "amount") == ["Ensure this value is greater than or equal to 0."]
    assert not SalaryFigure.objects.filter(source_name="Somewhere").exists()


def test_a_duplicate_role_slug_shows_the_error_at_the_field(editor_client):
    page = editor_client.get("/admin/roles/role/add/")

    response = submit(
        editor_client,
        page,
        "role_form",
        {
            "name_en": "Analytics engineer",
            "slug": "data-engineer",
            "tagline_en": "Models data for analysts.",
            "summary_en": "Sits between data engineering and analysis.",
            "order": 3,
        },
    )

    assert response.status_code == 200
    assert field_errors(response, "slug") == ["Role with this Slug already exists."]
    assert not Role.objects.filter(name="Analytics engineer").exists()


def test_a_salary_older_than_18_months_is_flagged_on_the_role_page(editor_client):
    today = timezone.localdate()
    role = factories.RoleFactory(name="Analytics engineer")
    factories.SalaryFigureFactory(
        role=role, source_name="Old survey", as_of=months_before(today, 19)
    )
    factories.SalaryFigureFactory(
        role=role, source_name="New survey", as_of=months_before(today, 2)
    )

    response = editor_client.get(f"/admin/roles/role/{role.pk}/change/")

    warnings = messages_of(response)
    assert len(warnings) == 1
    assert "Old survey" in warnings[0] and "more than 18 months ago" in warnings[0]
    assert response.content.decode().count("Older than 18 months") == 1


def test_a_fresh_salary_gives_no_warning(editor_client):
    role = factories.RoleFactory()
    factories.SalaryFigureFactory(role=role, as_of=timezone.localdate())

    response = editor_client.get(f"/admin/roles/role/{role.pk}/change/")

    assert messages_of(response) == []
    assert "Older than 18 months" not in response.content.decode()


def test_the_salary_list_flags_old_figures(editor_client):
    today = timezone.localdate()
    factories.SalaryFigureFactory(as_of=today)
    stale = [figure for figure in SalaryFigure.objects.all() if figure.is_stale(today)]

    response = editor_client.get("/admin/roles/salaryfigure/")

    assert 0 < len(stale) < SalaryFigure.objects.count()
    assert response.content.decode().count("Older than 18 months") == len(stale)


@pytest.mark.parametrize(
    ("today", "months", "expected"),
    [
        (datetime.date(2026, 11, 26), 18, datetime.date(2025, 5, 26)),
        (datetime.date(2026, 8, 31), 18, datetime.date(2025, 2, 28)),
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 1, 15), 13, datetime.date(2024, 12, 15)),
    ],
)
def test_months_before(today, months, expected):
    assert months_before(today, months) == expected


def test_a_salary_is_stale_from_the_day_after_18_months():
    today = datetime.date(2026, 11, 26)
    assert not SalaryFigure(as_of=datetime.date(2025, 5, 26)).is_stale(today)
    assert SalaryFigure(as_of=datetime.date(2025, 5, 25)).is_stale(today)


def test_an_editor_edits_a_focus_areas_points_on_its_page(editor_client):
    area = FocusArea.objects.filter(role__slug="mlops-engineer").order_by("order")[0]
    page = editor_client.get(f"/admin/roles/focusarea/{area.pk}/change/")
    data = form_data(page, "focusarea_form")
    new = int(data["points-TOTAL_FORMS"][0]) - 1  # the blank row for a new point

    response = submit(
        editor_client,
        page,
        "focusarea_form",
        {
            f"points-{new}-title_en": "Small releases",
            f"points-{new}-text_en": "Ship often, in small steps.",
            f"points-{new}-order": 3,
        },
    )

    assert response.status_code == 302
    assert FocusPoint.objects.filter(focus_area=area, title="Small releases").exists()
    assert "Small releases" in editor_client.get("/roles/mlops-engineer/").content.decode()


def test_an_empty_point_text_shows_the_error_at_the_field(editor_client):
    area = FocusArea.objects.filter(role__slug="mlops-engineer").order_by("order")[0]
    point = area.points.order_by("order")[0]
    page = editor_client.get(f"/admin/roles/focusarea/{area.pk}/change/")
    row = row_index(form_data(page, "focusarea_form"), "points", point.pk)

    response = submit(editor_client, page, "focusarea_form", {f"points-{row}-text_en": ""})

    assert response.status_code == 200
    assert _inline_errors(response, "points")[row] == {"text_en": ["This field is required."]}
    assert FocusPoint.objects.get(pk=point.pk).text


def test_an_aspect_page_edits_each_roles_text(editor_client):
    response = editor_client.get("/admin/roles/careeraspect/")
    aspect = response.context["cl"].result_list[0]

    page = editor_client.get(f"/admin/roles/careeraspect/{aspect.pk}/change/")

    assert page.status_code == 200
    assert [inline.formset.prefix for inline in page.context["inline_admin_formsets"]] == ["texts"]
    assert len(page.context["inline_admin_formsets"][0].formset.forms) == 2
