import pytest

from roles.models import Tool
from tests import factories
from tests.helpers import problem, problem_fields

pytestmark = pytest.mark.django_db


def test_roles_list_with_salary_source_and_date(api, site_content):
    figure = site_content.mlops.salary_figures.get()

    response = api.get("/api/v1/roles/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "count",
        "page",
        "pages",
        "page_size",
        "next_page",
        "previous_page",
        "next",
        "previous",
        "results",
    }
    assert (body["page"], body["pages"], body["next_page"], body["previous_page"]) == (
        1,
        1,
        None,
        None,
    )
    assert [role["slug"] for role in body["results"]] == [r.slug for r in site_content.roles]
    mlops = next(role for role in body["results"] if role["slug"] == site_content.mlops.slug)
    assert mlops["salary_figures"] == [
        {
            "amount": figure.amount,
            "currency": figure.currency,
            "period": figure.period,
            "source_name": figure.source_name,
            "source_url": figure.source_url,
            "as_of": figure.as_of.isoformat(),
        }
    ]


def test_role_detail_has_focus_areas_aspects_and_tools(api, site_content):
    data = site_content.data

    body = api.get(f"/api/v1/roles/{data.slug}/").json()

    assert len(body["focus_areas"]) == data.focus_areas.count() > 0
    assert all(area["points"] for area in body["focus_areas"])
    assert {aspect["aspect_slug"] for aspect in body["aspects"]} == {
        aspect.slug for aspect in site_content.aspects
    }
    assert len(body["tools"]) == data.tools.count() > 0


def test_unknown_slugs_are_404_with_detail(api, site_content):
    for url in ["/api/v1/roles/astronaut/", "/api/v1/tools/nothing/"]:
        response = api.get(url)
        assert response.status_code == 404
        assert "detail" in response.json()


# Filters and the tools (by slug in the default world) they must show and hide.
@pytest.mark.parametrize(
    ("query", "expected", "unexpected"),
    [
        ("?role=mlops-engineer", ["docker", "airflow"], ["kafka"]),
        ("?category=stream-processing", ["flink", "kafka"], ["spark"]),
        ("?search=kubernetes", ["kubeflow"], ["kafka"]),
        ("?role=data-engineer&search=petabyte", ["redshift"], ["mlflow"]),
    ],
)
def test_tool_filters(api, site_content, query, expected, unexpected):
    slugs = [tool["slug"] for tool in api.get(f"/api/v1/tools/{query}").json()["results"]]
    assert set(expected) <= set(slugs) and not set(unexpected) & set(slugs)
    assert set(expected) | set(unexpected) <= set(site_content.tools)


@pytest.mark.parametrize(
    ("query", "parameter", "code"),
    [
        ("?role=astronaut", "role", "invalid_choice"),
        ("?category=%27%3B--", "category", "invalid_choice"),
        ("?search=" + "x" * 5000, "search", "max_length"),
        ("?page_size=abc", "page_size", "invalid"),
        ("?page_size=0", "page_size", "invalid"),
        ("?page_size=21", "page_size", "invalid"),
        ("?page=0", "page", "invalid"),
    ],
)
def test_a_bad_filter_or_page_value_is_a_400_naming_the_parameter(
    api, site_content, query, parameter, code
):
    response = api.get(f"/api/v1/tools/{query}")
    assert response.status_code == 400
    assert problem_fields(response) == {parameter: [code]}


def test_tools_are_paginated_and_the_client_may_lower_the_page_size(api, site_content, settings):
    page_size = settings.API_PAGE_SIZE
    factories.ToolFactory.create_batch(page_size + 1 - len(site_content.tools))
    total = Tool.objects.count()

    body = api.get("/api/v1/tools/?page_size=5").json()
    assert body["count"] == total and len(body["results"]) == 5
    assert "page=2" in body["next"] and "page_size=5" in body["next"]
    assert (body["page"], body["next_page"], body["previous_page"]) == (1, 2, None)
    assert body["pages"] == -(-total // 5) and body["page_size"] == 5
    assert len(api.get(f"/api/v1/tools/?page_size={page_size}").json()["results"]) == page_size
    assert problem_fields(api.get("/api/v1/tools/?page_size=500")) == {"page_size": ["invalid"]}
    assert problem(api.get("/api/v1/tools/?page=99"))["code"] == "not_found"


def test_tool_detail(api, site_content):
    tool = site_content.tools["airflow"]

    body = api.get(f"/api/v1/tools/{tool.slug}/").json()

    assert body["name"] == tool.name
    assert body["roles"] == [role.slug for role in site_content.roles]  # in catalog order
    assert body["usage"] == tool.usage


@pytest.mark.parametrize("tool_count", [5, 50])
@pytest.mark.parametrize("page_size", [5, 20])
def test_tool_list_runs_a_fixed_number_of_queries(
    api, db, django_assert_num_queries, tool_count, page_size
):
    role = factories.RoleFactory()
    for _ in range(tool_count):
        factories.ToolFactory(roles=[role])

    # count, page (with category), roles prefetch; and, once per catalog version, the filter
    # values (role and category slugs) that tell which filtered pages may be shared
    with django_assert_num_queries(5):
        response = api.get(f"/api/v1/tools/?page_size={page_size}")
    assert response.status_code == 200


def test_role_list_runs_a_fixed_number_of_queries(api, big_catalog, django_assert_num_queries):
    with django_assert_num_queries(4):
        assert api.get("/api/v1/roles/").status_code == 200
