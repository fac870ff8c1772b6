import factory
import pytest
from django.urls import reverse

from roles import selectors
from roles.models import Tool
from roles.views import TOOLS_PER_PAGE
from tests import factories

pytestmark = pytest.mark.django_db


def test_home_shows_both_careers_with_salary_and_source(client, site_content):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    html = response.content.decode()
    for role in site_content.roles:
        assert role.name in html
        figure = role.salary_figures.get()
        assert f"{figure.amount:,}" in html
        assert figure.source_name in html
    assert html.count("<h1") == 1


def test_role_page_shows_definition_focus_areas_salary_and_tools(client, site_content):
    data = site_content.data
    figure = data.salary_figures.get()
    figure.source_url = "https://salaries.example.com/data-engineer?year=2023"
    figure.save()

    response = client.get(reverse("roles:detail", args=[data.slug]))

    assert response.status_code == 200
    assert response.context["role"] == data
    html = response.content.decode()
    assert data.focus_areas.exists()
    for area in data.focus_areas.all():
        assert area.title in html
        for point in area.points.all():
            assert point.title in html
    assert data.tools.count() < len(site_content.tools)
    for tool in site_content.tools.values():
        assert (tool.name in html) == tool.roles.filter(pk=data.pk).exists(), tool.name
    assert "https://salaries.example.com/data-engineer?year=2023" in html
    assert figure.as_of.strftime("%B %Y") in html


def test_every_tool_page_shows_what_it_is_and_how_it_is_used(client, site_content):
    for tool in Tool.objects.all():
        response = client.get(tool.get_absolute_url())
        assert response.status_code == 200
        assert tool.name in response.content.decode()
        assert response.context["tool"].usage


def test_compare_page_lists_every_aspect_for_every_role(client, site_content):
    response = client.get(reverse("roles:compare"))

    html = response.content.decode()
    assert response.status_code == 200
    for aspect in site_content.aspects:
        assert aspect.name in html
    assert len(response.context["aspect_rows"]) == len(site_content.aspects)
    assert all(all(row["texts"]) for row in response.context["aspect_rows"])
    for role in site_content.roles:
        assert role.tools.exists()
        for tool in role.tools.all():
            assert tool.name in html


# Filters and the tools (by slug in the default world) they must show and hide.
TOOL_FILTERS = [
    ({"role": "mlops-engineer"}, ["docker", "airflow"], ["kafka"]),
    ({"role": "data-engineer"}, ["kafka", "airflow"], ["docker"]),
    ({"category": "stream-processing"}, ["flink", "kafka"], ["spark"]),
    ({"q": "kubernetes"}, ["kubeflow"], ["kafka"]),
    ({"role": "data-engineer", "q": "petabyte"}, ["redshift"], ["mlflow"]),
]


@pytest.mark.parametrize(("params", "expected", "unexpected"), TOOL_FILTERS)
def test_tool_filters(client, site_content, params, expected, unexpected):
    response = client.get(reverse("roles:tool_list"), params)

    names = [tool.name for tool in response.context["page"]]
    assert response.status_code == 200
    for slug in expected:
        assert site_content.tools[slug].name in names
    for slug in unexpected:
        assert site_content.tools[slug].name not in names


def test_tool_list_is_paginated_and_keeps_filters_in_page_links(client, site_content):
    # More tools match the search than one page holds, fewer than two pages.
    matching = selectors.tool_list(search="a").count()
    factories.ToolFactory.create_batch(
        TOOLS_PER_PAGE + 1 - matching,
        name=factory.Sequence(lambda n: f"Extra tool {n}"),
        roles=[site_content.mlops],
    )

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
def test_unknown_filter_values_never_fail(client, site_content, params):
    response = client.get(reverse("roles:tool_list"), params)

    assert response.status_code == 200
    assert Tool.objects.count() == len(site_content.tools)


@pytest.mark.parametrize(
    "search",
    ["x" * 10_000, "\"'%_\\", "<script>alert(1)</script>", "' OR 1=1; --", "100%"],
)
def test_hostile_searches_are_handled_and_escaped(client, site_content, search):
    response = client.get(reverse("roles:tool_list"), {"q": search})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html


def test_overlong_search_is_reported_at_its_field(client, site_content):
    response = client.get(reverse("roles:tool_list"), {"q": "x" * 10_000})

    assert "at most 100 characters" in response.content.decode()
    assert response.context["form"].errors["q"]


def test_percent_in_search_is_literal_not_a_wildcard(client, site_content):
    response = client.get(reverse("roles:tool_list"), {"q": "%"})

    assert response.context["page"].paginator.count == 0


@pytest.mark.parametrize("url", ["/roles/astronaut/", "/tools/no-such-tool/", "/no/such/page/"])
def test_unknown_slug_gets_a_styled_404(client, site_content, url):
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
        # The role and compare pages also read the roles' proxy occupations (federal
        # figures): one query here, three once there are any (tests/roles/test_labour_pages.py).
        (lambda roles: roles[0].get_absolute_url(), 6),
        # The tool lists also read the filter values (role and category slugs) once per
        # catalog version, to know which filtered pages may be shared: 2 queries.
        (lambda roles: "/tools/", 7),
        (_filtered_tools_url, 9),
        (lambda roles: roles[5].tools.first().get_absolute_url(), 2),
        (lambda roles: "/compare/", 8),
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
