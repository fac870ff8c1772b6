import pytest
from django.urls import reverse

from roles.models import Tool
from tests import factories

pytestmark = pytest.mark.django_db


def test_home_shows_both_careers_with_salary_and_source(client, content):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "MLOps engineer" in html and "Data engineer" in html
    assert "125,000" in html and "115,000" in html
    assert "Glassdoor" in html
    assert html.count("<h1") == 1


def test_role_page_shows_definition_focus_areas_salary_and_tools(client, content):
    response = client.get(reverse("roles:detail", args=["data-engineer"]))

    assert response.status_code == 200
    role = response.context["role"]
    html = response.content.decode()
    for area in role.focus_areas.all():
        assert area.title in html
        for point in area.points.all():
            assert point.title in html
    for name in ["Apache Spark", "Apache Kafka", "Apache Airflow", "Amazon Redshift"]:
        assert name in html
    assert "https://www.glassdoor.com/Salaries/data-engineer-salary-SRCH_KO0,13.htm" in html
    assert "October 2023" in html


def test_every_tool_page_shows_what_it_is_and_how_it_is_used(client, content):
    for tool in Tool.objects.all():
        response = client.get(tool.get_absolute_url())
        assert response.status_code == 200
        assert tool.name in response.content.decode()
        assert response.context["tool"].usage


def test_compare_page_lists_every_aspect_for_every_role(client, content):
    response = client.get(reverse("roles:compare"))

    html = response.content.decode()
    assert response.status_code == 200
    for aspect in ["Stimulating work", "Growth year over year", "Technologically fulfilling"]:
        assert aspect in html
    assert all(all(row["texts"]) for row in response.context["aspect_rows"])
    assert "Docker" in html and "Apache Hadoop" in html


@pytest.mark.parametrize(
    ("params", "expected", "unexpected"),
    [
        ({"role": "mlops-engineer"}, "Docker", "Apache Kafka"),
        ({"role": "data-engineer"}, "Apache Kafka", "Docker"),
        ({"category": "stream-processing"}, "Apache Flink", "Apache Spark"),
        ({"q": "kubernetes"}, "Kubeflow", "Tableau"),
        ({"role": "data-engineer", "q": "petabyte"}, "Amazon Redshift", "MLflow"),
    ],
)
def test_tool_filters(client, content, params, expected, unexpected):
    response = client.get(reverse("roles:tool_list"), params)

    names = [tool.name for tool in response.context["page"]]
    assert response.status_code == 200
    assert expected in names
    assert unexpected not in names


def test_tool_list_is_paginated_and_keeps_filters_in_page_links(client, content):
    response = client.get(reverse("roles:tool_list"), {"q": "a"})

    assert response.context["page"].paginator.num_pages == 2
    assert "?q=a&amp;page=2" in response.content.decode()
    second = client.get(reverse("roles:tool_list"), {"q": "a", "page": 2})
    assert second.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"role": "astronaut"},
        {"category": "'; DROP TABLE roles_tool; --"},
        {"page": "9999"},
        {"page": "abc"},
        {"role": ["a", "b"]},
    ],
)
def test_unknown_filter_values_never_fail(client, content, params):
    response = client.get(reverse("roles:tool_list"), params)

    assert response.status_code == 200
    assert Tool.objects.count() == 21


@pytest.mark.parametrize(
    "search",
    ["x" * 10_000, "\"'%_\\", "<script>alert(1)</script>", "' OR 1=1; --", "100%"],
)
def test_hostile_searches_are_handled_and_escaped(client, content, search):
    response = client.get(reverse("roles:tool_list"), {"q": search})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html


def test_overlong_search_is_reported_at_its_field(client, content):
    response = client.get(reverse("roles:tool_list"), {"q": "x" * 10_000})

    assert "at most 100 characters" in response.content.decode()
    assert response.context["form"].errors["q"]


def test_percent_in_search_is_literal_not_a_wildcard(client, content):
    response = client.get(reverse("roles:tool_list"), {"q": "%"})

    assert response.context["page"].paginator.count == 0


@pytest.mark.parametrize("url", ["/roles/astronaut/", "/tools/no-such-tool/", "/no/such/page/"])
def test_unknown_slug_gets_a_styled_404(client, content, url):
    response = client.get(url)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "vendor/bootstrap/css/bootstrap.min.css" in response.content.decode()


def test_entered_text_is_escaped(client, db):
    role = factories.RoleFactory(name="<b>Bold</b> role", tagline="<script>x()</script>")
    factories.ToolFactory(name="<img src=x onerror=alert(1)>", roles=[role])

    for url in ["/", "/roles/", role.get_absolute_url(), "/tools/", "/compare/"]:
        html = client.get(url).content.decode()
        assert "<script>x()</script>" not in html
        assert "<img src=x onerror" not in html


# Each page costs a fixed number of queries, however big the catalog (ten times the seed).
def _filtered_tools_url(roles):
    role = roles[3]
    category = role.tools.first().category
    return f"/tools/?role={role.slug}&category={category.slug}&q=o"


@pytest.mark.parametrize(
    ("make_url", "queries"),
    [
        (lambda roles: "/", 3),
        (lambda roles: "/roles/", 3),
        (lambda roles: roles[0].get_absolute_url(), 5),
        (lambda roles: "/tools/", 5),
        (_filtered_tools_url, 7),
        (lambda roles: roles[5].tools.first().get_absolute_url(), 2),
        (lambda roles: "/compare/", 7),
    ],
    ids=["home", "roles", "role", "tools", "tools-filtered", "tool", "compare"],
)
def test_catalog_pages_run_a_fixed_number_of_queries(
    client, big_catalog, django_assert_num_queries, make_url, queries
):
    url = make_url(big_catalog)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
