"""Editors curate roles, focus areas, salaries and tools in the admin."""

import datetime
import html
import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from roles.models import (
    FocusArea,
    FocusPoint,
    Role,
    SalaryFigure,
    Tool,
    ToolCategory,
    months_before,
)
from tests import factories
from tests.admin_client import field_errors, form_data, messages_of, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]


def _inline_errors(response, prefix: str) -> list[dict]:
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return inline.formset.errors
    raise AssertionError(f"no inline {prefix}")


def _row_index(data, prefix: str, pk: int) -> int:
    """The index of the formset row that edits the object with this pk."""
    for name, values in data.items():
        if name.startswith(f"{prefix}-") and name.endswith("-id") and values == [str(pk)]:
            return int(name.split("-")[1])
    raise AssertionError(f"no {prefix} row for {pk}")


# Tools --------------------------------------------------------------------------------------


def test_tool_list_shows_name_category_roles_licence_and_order(editor_client):
    response = editor_client.get("/admin/roles/tool/")

    assert response.status_code == 200
    assert response.context["cl"].list_display == [
        "action_checkbox",
        "name",
        "category",
        "role_names",
        "is_open_source",
        "order",
        "translation_status",
    ]
    page = response.content.decode()
    for header in ["Name", "Category", "Roles", "Open source", "Order"]:
        assert f">{header}<" in page
    assert "Apache Spark" in page and "Data engineer" in page and "MLOps engineer" in page
    assert response.context["cl"].result_count == Tool.objects.count()


@pytest.mark.parametrize(
    ("query", "expected", "unexpected"),
    [
        ({"q": "petabyte"}, {"Amazon Redshift"}, {"Apache Spark"}),
        ({"q": "Kafka"}, {"Apache Kafka"}, {"Docker"}),
        ({"is_open_source__exact": "0"}, {"Amazon Redshift"}, {"Apache Spark"}),
        ({"category": "stream-processing"}, {"Apache Kafka", "Apache Flink"}, {"Docker"}),
        ({"role": "mlops-engineer"}, {"Docker", "MLflow"}, {"Apache Kafka"}),
    ],
)
def test_tool_list_filters_and_search(editor_client, query, expected, unexpected):
    if "category" in query:
        query = {"category__id__exact": ToolCategory.objects.get(slug=query["category"]).pk}
    if "role" in query:
        query = {"roles__id__exact": Role.objects.get(slug=query["role"]).pk}

    response = editor_client.get("/admin/roles/tool/", query)

    names = {tool.name for tool in response.context["cl"].result_list}
    assert response.status_code == 200
    assert expected <= names
    assert not unexpected & names


def test_tool_list_filters_offer_categories_roles_and_licence(editor_client):
    response = editor_client.get("/admin/roles/tool/")

    titles = [spec.title for spec in response.context["cl"].filter_specs]
    assert titles == ["category", "roles", "open source", "Spanish text"]


def test_tool_list_runs_the_same_queries_at_ten_times_the_tools(
    editor_client, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as small:
        assert editor_client.get("/admin/roles/tool/").status_code == 200
    roles = [*Role.objects.all(), *factories.RoleFactory.create_batch(8)]
    categories = factories.ToolCategoryFactory.create_batch(10)
    for index in range(200):  # ten times the editorial seed's tools, two list pages
        factories.ToolFactory(
            category=categories[index % 10], roles=[roles[index % 10], roles[(index + 1) % 10]]
        )

    with django_assert_num_queries(len(small)):
        response = editor_client.get("/admin/roles/tool/")

    changelist = response.context["cl"]
    assert changelist.result_count == Tool.objects.count() > changelist.list_per_page
    assert len(changelist.result_list) == changelist.list_per_page


def test_an_editor_changes_order_and_category_in_the_list(editor_client):
    spark = Tool.objects.get(slug="spark")
    streaming = ToolCategory.objects.get(slug="stream-processing")
    page = editor_client.get("/admin/roles/tool/")
    row = _row_index(form_data(page, "changelist-form"), "form", spark.pk)

    response = submit(
        editor_client,
        page,
        "changelist-form",
        {f"form-{row}-order": 42, f"form-{row}-category": streaming.pk, "_save": "Save"},
    )

    assert response.status_code == 302
    spark.refresh_from_db()
    assert (spark.order, spark.category) == (42, streaming)
    assert LogEntry.objects.filter(object_id=str(spark.pk), action_flag=CHANGE).exists()


def test_an_editor_changes_a_tool_description_and_the_tool_page_shows_it(editor_client, editor):
    assert (
        "Now with an even faster engine." not in editor_client.get("/tools/spark/").content.decode()
    )
    spark = Tool.objects.get(slug="spark")
    page = editor_client.get(f"/admin/roles/tool/{spark.pk}/change/")

    response = submit(
        editor_client,
        page,
        "tool_form",
        {"summary_en": "A distributed engine. Now with an even faster engine."},
    )

    assert response.status_code == 302
    tool_page = editor_client.get("/tools/spark/")
    assert "Now with an even faster engine." in tool_page.content.decode()
    entry = LogEntry.objects.get(object_id=str(spark.pk), action_flag=CHANGE)
    assert entry.user == editor
    assert "What it is" in entry.get_change_message()


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("slug", "kafka", "Tool with this Slug already exists."),
        ("homepage", "not a web address", "Enter a valid URL."),
        ("name", "", "This field is required."),
        ("order", "first", "Enter a whole number."),
    ],
)
def test_bad_tool_input_shows_the_error_at_the_field_and_saves_nothing(
    editor_client, field, value, error
):
    spark = Tool.objects.get(slug="spark")
    page = editor_client.get(f"/admin/roles/tool/{spark.pk}/change/")

    response = submit(
        editor_client, page, "tool_form", {field: value, "summary": "Should not be saved."}
    )

    assert response.status_code == 200
    assert field_errors(response, field) == [error]
    assert error in html.unescape(response.content.decode())
    assert Tool.objects.get(pk=spark.pk).summary != "Should not be saved."


def test_an_editor_adds_a_tool_with_its_roles(editor_client):
    page = editor_client.get("/admin/roles/tool/add/")
    data_engineer = Role.objects.get(slug="data-engineer")

    response = submit(
        editor_client,
        page,
        "tool_form",
        {
            "name": "dbt",
            "slug": "dbt",
            "category": ToolCategory.objects.get(slug="batch-processing").pk,
            "roles": [str(data_engineer.pk)],
            "summary_en": "SQL transformations, tested and documented.",
            "usage_en": "Models are SELECT statements.",
            "homepage": "https://www.getdbt.com/",
            "order": 11,
        },
    )

    assert response.status_code == 302
    tool = Tool.objects.get(slug="dbt")
    assert list(tool.roles.all()) == [data_engineer]
    assert editor_client.get("/tools/dbt/").status_code == 200


def test_the_tool_form_fills_the_slug_from_the_name_and_picks_roles_by_autocomplete(editor_client):
    page = editor_client.get("/admin/roles/tool/add/").content.decode()

    match = html.unescape(page.split('data-prepopulated-fields="')[1].split('"')[0])
    assert {"id": "#id_slug", "name": "slug", "dependency_ids": ["#id_name"]}.items() <= (
        json.loads(match)[0].items()
    )
    assert 'data-field-name="roles"' in page and "admin-autocomplete" in page

    found = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "roles", "model_name": "tool", "field_name": "roles", "term": "mlops"},
    )
    assert [item["text"] for item in found.json()["results"]] == ["MLOps engineer"]


def test_a_tool_page_has_view_on_site(editor_client):
    spark = Tool.objects.get(slug="spark")
    page = editor_client.get(f"/admin/roles/tool/{spark.pk}/change/")

    link = page.content.decode().split('class="viewsitelink"')[0].rsplit('href="', 1)[1]
    redirect = editor_client.get(link.split('"')[0])

    assert redirect.status_code == 302
    assert redirect.url.endswith("/tools/spark/")


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
    row = _row_index(data, "focus_areas", area.pk)
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
    row = _row_index(form_data(page, "role_form"), "salary_figures", figure.pk)

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
    row = _row_index(form_data(page, "focusarea_form"), "points", point.pk)

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
