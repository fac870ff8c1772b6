"""Found by an adversarial review of the learning plan (issue 13). Each test failed before
the fix it names in its commit, except the query pins, which replace one that counted the
same small plan at both sizes."""

import json
import re
from datetime import date

import pytest

from plans import planning
from plans.models import Plan, PlanStep
from plans.progress import SESSION_KEY
from tests import factories
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _tamper(client, **sketch):
    session = client.session
    session[SESSION_KEY] = sketch
    session.save()


@pytest.mark.parametrize("level", [-1, 5, 10**9])
def test_a_level_out_of_range_in_the_session_breaks_no_page_and_no_log_in(
    client, site_content, level
):
    _tamper(client, levels={"kafka": level, "spark": 1}, role="data-engineer", hours_per_week=5)

    for path in (
        "/plan/",
        "/plan/skills/",
        "/plan/skills/?role=data-engineer",
        "/plan/skills/?all=1",
    ):
        assert client.get(path).status_code == 200, path
    person = factories.UserFactory()
    response = client.post(
        "/accounts/login/", {"username": person.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/plan/").status_code == 200
    assert client.get("/profile/").status_code == 200


@pytest.mark.parametrize("pace", [0, -3, 61, 10**9])
def test_a_pace_out_of_range_in_the_session_is_left_out(client, site_content, pace):
    _tamper(client, levels={"spark": 1}, role="data-engineer", hours_per_week=pace)

    response = client.get("/plan/")

    assert response.status_code == 200
    assert response.context["plan"].hours_per_week == planning.DEFAULT_HOURS_PER_WEEK


@pytest.mark.parametrize("role", ["data-\x00engineer", "\x00", "\ud800", "data-engineer\udfff"])
def test_a_role_with_a_nul_byte_or_a_lone_surrogate_is_a_400_at_the_role(
    person_api, person, site_content, role
):
    # As a client sends it: JSON escapes, ASCII on the wire.
    body = json.dumps({"role": role}, ensure_ascii=True)
    response = person_api.patch("/api/v1/plan/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"role": ["Choose one of the roles in the catalog."]}
    assert not Plan.objects.filter(user=person).exists()


def _chart_rows(html: str) -> list[str]:
    return re.findall(r'<th scope="row">[^<]+</th><td>(\d+)</td>', html)


def test_the_profiles_chart_counts_only_the_steps_of_the_plan_it_shows(
    client, person, site_content
):
    client.force_login(person)
    client.post("/plan/", {"role": "mlops-engineer"})
    client.post("/plan/steps/docker/", {"status": "done"})
    client.post("/plan/", {"role": "data-engineer"})  # Docker is no tool of data engineering
    client.get("/plan/")  # shows and clears the flash message

    html = client.get("/profile/").content.decode()

    assert re.search(r'plan-hours-done">0 of ', html)
    assert _chart_rows(html) == []  # not "20 h done", beside "0 hours done"

    client.post("/plan/", {"role": "mlops-engineer"})  # back: its status was kept
    client.get("/plan/")
    html = client.get("/profile/").content.decode()

    assert re.search(r'plan-hours-done">20 of ', html)
    assert _chart_rows(html) == ["20"]


def test_a_tool_that_leaves_the_role_leaves_the_chart_too(client, person, site_content):
    client.force_login(person)
    client.post("/plan/", {"role": "mlops-engineer"})
    client.post("/plan/steps/docker/", {"status": "done"})
    client.post("/plan/steps/mlflow/", {"status": "done"})
    site_content.tools["docker"].roles.remove(site_content.mlops)
    client.get("/plan/")

    html = client.get("/profile/").content.decode()

    done = int(re.search(r'plan-hours-done">(\d+) of ', html).group(1))
    assert _chart_rows(html)[-1] == str(done)


@pytest.mark.parametrize("role", [None, "mlops-engineer"])
def test_a_bad_status_for_a_tool_outside_the_plan_is_a_404_not_a_page_without_its_message(
    client, person, site_content, role
):
    client.force_login(person)
    if role:
        client.post("/plan/", {"role": role})

    response = client.post("/plan/steps/kafka/", {"status": "finished"})

    # Before, a 400 plan page whose message sat at a step it doesn't show: none to read.
    assert response.status_code == 404
    assert not PlanStep.objects.exists()


def test_the_api_says_the_same_for_a_bad_status_for_a_tool_outside_the_plan(
    person_api, person, site_content
):
    person_api.patch("/api/v1/plan/", {"role": "mlops-engineer"}, format="json")

    response = person_api.patch("/api/v1/plan/steps/kafka/", {"status": "x"}, format="json")

    assert response.status_code == 404
    assert response.json() == {"detail": "That tool is not part of this plan's role."}


def test_a_bad_status_for_a_tool_of_the_role_that_is_no_step_is_shown_on_the_page(
    client, person, site_content
):
    client.force_login(person)
    client.post("/plan/", {"role": "mlops-engineer"})
    client.post(
        "/plan/skills/?role=mlops-engineer",
        {
            "level-mlflow": 4,
            "level-docker": 0,
            "level-kubeflow": 0,
            "level-airflow": 0,
            "level-dvc": 0,
        },
    )  # MLflow: no step

    response = client.post("/plan/steps/mlflow/", {"status": "finished"})

    assert response.status_code == 400
    html = response.content.decode()
    # Before, it sat at a step the page doesn't show: nothing to read.
    assert 'id="step-error">MLflow: Choose one of the statuses' in html
    assert not PlanStep.objects.exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/plan/"),
        ("delete", "/plan/"),
        ("patch", "/plan/skills/"),
        ("delete", "/plan/skills/"),
        ("post", "/plan/calendar.ics"),
        ("put", "/plan/calendar.ics"),
    ],
)
def test_methods_the_plan_pages_dont_take_are_a_405(client, person, site_content, method, path):
    client.force_login(person)
    client.post("/plan/", {"role": "mlops-engineer"})

    response = getattr(client, method)(path)

    assert response.status_code == 405


def test_the_self_check_of_a_plan_whose_role_lost_its_tools_offers_every_tool(
    client, person, site_content
):
    client.force_login(person)
    client.post("/plan/", {"role": "mlops-engineer"})
    site_content.mlops.tools.clear()

    response = client.get("/plan/skills/")  # the profile's and the plan's link: no ?role=

    # Before, a 400 for following a link (as if the person had asked for that role).
    assert response.status_code == 200
    assert len(response.context["form"].rows()) == len(site_content.tools)


# Query counts: pins that grow with the plan actually shown ---------------------------------


@pytest.mark.parametrize("tool_count", [5, 50])
def test_the_unsaved_plan_of_a_big_top_role_costs_the_same_few_queries(
    person_api, result, django_assert_num_queries, tool_count
):
    # test_plan_api's pin of this made its tools for another role: the plan it counted the
    # queries of was the same small one at both sizes.
    factories.ToolFactory.create_batch(tool_count, roles=[result.top_role])
    person_api.get("/api/v1/plan/")

    # the token with its user, the ratings, no plan, the latest result's top role
    with django_assert_num_queries(4):
        response = person_api.get("/api/v1/plan/")
    assert len(response.json()["steps"]) >= tool_count


@pytest.mark.parametrize("tool_count", [5, 50])
def test_the_unsaved_plan_page_of_a_big_top_role_costs_the_same_few_queries(
    client, person, result, django_assert_num_queries, tool_count
):
    factories.ToolFactory.create_batch(tool_count, roles=[result.top_role])
    client.force_login(person)
    client.get("/plan/")

    # session, user, the ratings, no plan, the latest result's top role
    with django_assert_num_queries(5):
        response = client.get("/plan/")
    assert len(response.context["plan"].steps) >= tool_count


# Order --------------------------------------------------------------------------------------


def test_a_prerequisite_through_a_tool_of_no_role_still_comes_first(client, db):
    # Serving (first in the role's order) needs Kubernetes, in no role of ours, which needs
    # Containers (last in the role's order): Containers must come before Serving.
    role = factories.RoleFactory(slug="platform")
    containers = factories.ToolFactory(slug="containers", order=9, roles=[role])
    kubernetes = factories.ToolFactory(slug="kubernetes", order=5, prerequisites=[containers])
    factories.ToolFactory(slug="serving", order=1, roles=[role], prerequisites=[kubernetes])

    client.post("/plan/", {"role": "platform"})
    steps = [item.tool.slug for item in client.get("/plan/").context["plan"].steps]

    assert steps == ["containers", "serving"]


def test_the_pure_planner_takes_the_tools_that_link_the_roles_ones():
    tools = [
        planning.ToolFacts("serving", 1, 10, ("kubernetes",)),
        planning.ToolFacts("containers", 9, 10),
    ]
    links = [planning.ToolFacts("kubernetes", 5, 10, ("containers",))]

    outline = planning.plan_build(
        tools=tools,
        ratings={},
        states={},
        hours_per_week=5,
        started_on=date(2026, 1, 5),
        today=date(2026, 1, 5),
        links=links,
    )

    assert [step.tool for step in outline.steps] == ["containers", "serving"]
