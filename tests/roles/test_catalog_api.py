import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_roles_list_with_salary_source_and_date(api, content):
    response = api.get("/api/v1/roles/")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    mlops = next(role for role in body["results"] if role["slug"] == "mlops-engineer")
    assert mlops["salary_figures"] == [
        {
            "amount": 125000,
            "currency": "USD",
            "period": "year",
            "source_name": "Glassdoor",
            "source_url": "https://www.glassdoor.com/Salaries/mlops-engineer-salary-SRCH_KO0,14.htm",
            "as_of": "2023-10-01",
        }
    ]


def test_role_detail_has_focus_areas_aspects_and_tools(api, content):
    body = api.get("/api/v1/roles/data-engineer/").json()

    assert len(body["focus_areas"]) == 4
    assert all(area["points"] for area in body["focus_areas"])
    assert {aspect["aspect_slug"] for aspect in body["aspects"]} == {
        "stimulating-work",
        "growth-year-over-year",
        "technologically-fulfilling",
    }
    assert len(body["tools"]) == 10


def test_unknown_slugs_are_404_with_detail(api, content):
    for url in ["/api/v1/roles/astronaut/", "/api/v1/tools/nothing/"]:
        response = api.get(url)
        assert response.status_code == 404
        assert "detail" in response.json()


@pytest.mark.parametrize(
    ("query", "expected", "unexpected"),
    [
        ("?role=mlops-engineer", "docker", "kafka"),
        ("?category=stream-processing", "flink", "spark"),
        ("?search=kubernetes", "kubeflow", "tableau"),
        ("?role=data-engineer&search=petabyte", "redshift", "mlflow"),
    ],
)
def test_tool_filters(api, content, query, expected, unexpected):
    slugs = [tool["slug"] for tool in api.get(f"/api/v1/tools/{query}").json()["results"]]
    assert expected in slugs and unexpected not in slugs


@pytest.mark.parametrize(
    "query", ["?role=astronaut", "?category=%27%3B--", "?search=" + "x" * 5000, "?page_size=abc"]
)
def test_unknown_filter_values_are_ignored(api, content, query):
    response = api.get(f"/api/v1/tools/{query}")
    assert response.status_code == 200


def test_tools_are_paginated_and_the_client_may_lower_the_page_size(api, content):
    body = api.get("/api/v1/tools/?page_size=5").json()
    assert body["count"] == 21 and len(body["results"]) == 5
    assert "page=2" in body["next"] and "page_size=5" in body["next"]
    assert len(api.get("/api/v1/tools/?page_size=500").json()["results"]) == 20
    assert api.get("/api/v1/tools/?page=99").status_code == 404


def test_tool_detail(api, content):
    body = api.get("/api/v1/tools/docker/").json()
    assert body["name"] == "Docker"
    assert body["roles"] == ["mlops-engineer"]
    assert "container" in body["usage"].lower()


@pytest.mark.parametrize("tool_count", [10, 500])
@pytest.mark.parametrize("page_size", [5, 20])
def test_tool_list_runs_a_fixed_number_of_queries(
    api, db, django_assert_num_queries, tool_count, page_size
):
    role = factories.RoleFactory()
    for _ in range(tool_count):
        factories.ToolFactory(roles=[role])

    # count, page (with category), roles prefetch
    with django_assert_num_queries(3):
        response = api.get(f"/api/v1/tools/?page_size={page_size}")
    assert response.status_code == 200


def test_role_list_runs_a_fixed_number_of_queries(api, big_catalog, django_assert_num_queries):
    with django_assert_num_queries(4):
        assert api.get("/api/v1/roles/").status_code == 200
