"""Editors curate roles, focus areas, salaries and tools in the admin."""

import html
import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roles.models import Role, Tool, ToolCategory
from tests import factories
from tests.admin_client import field_errors, form_data, submit
from tests.roles.helpers import row_index

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]


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
    row = row_index(form_data(page, "changelist-form"), "form", spark.pk)

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
