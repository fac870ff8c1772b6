"""What the plan costs, on the API and the site: the same few queries whatever its size."""

import pytest

from plans.models import PlanStep
from roles.models import Tool
from tests import factories
from tests.factories import (
    RoleFactory,
    ToolFactory,
)
from tests.plans.helpers import big_plan_create, ics_events

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("tool_count", [5, 50])
def test_the_plan_costs_the_same_few_queries_whatever_its_size(
    person_api, person, db, today, django_assert_num_queries, tool_count
):
    big_plan_create(person, tool_count)
    person_api.get("/api/v1/plan/")  # the catalog's tools and roles, cached for every person

    # the token with its user, the ratings, the plan with its role, its statuses, their tools
    with django_assert_num_queries(5):
        response = person_api.get("/api/v1/plan/")
    assert len(response.json()["steps"]) == tool_count


@pytest.mark.parametrize("tool_count", [5, 50])
def test_the_plan_before_it_is_saved_costs_the_same_few_queries(
    person_api, person, result, today, django_assert_num_queries, tool_count
):
    role = RoleFactory()
    ToolFactory.create_batch(tool_count, roles=[role])
    person_api.get("/api/v1/plan/")

    # the token with its user, the ratings, no plan, the latest result's top role
    with django_assert_num_queries(4):
        response = person_api.get("/api/v1/plan/")
    assert response.json()["role"] == "data-engineer"


@pytest.mark.parametrize("tool_count", [5, 50])
def test_a_cold_catalog_costs_the_same_too(
    person_api, person, db, today, django_assert_num_queries, tool_count
):
    big_plan_create(person, tool_count)

    # as above, plus the catalog: tools, prerequisites, roles, roles' tools, role names
    with django_assert_num_queries(10):
        person_api.get("/api/v1/plan/")


@pytest.mark.parametrize("tool_count", [5, 50])
def test_the_calendar_costs_the_same_few_queries(
    person_api, person, db, today, django_assert_num_queries, tool_count
):
    big_plan_create(person, tool_count)
    person_api.get("/api/v1/plan.ics")

    with django_assert_num_queries(5):
        response = person_api.get("/api/v1/plan.ics")
    assert len(ics_events(response)) == tool_count - tool_count // 4 + 1


# Query counts -----------------------------------------------------------------------------


def _big_role(step_count: int, person) -> str:
    """A role of `step_count` tools, each requiring the one before, with a status on half."""
    role = factories.RoleFactory(slug=f"big-{step_count}")
    previous = None
    tools = []
    for _ in range(step_count):
        tool = factories.ToolFactory(roles=[role], prerequisites=[previous] if previous else [])
        tools.append(tool)
        previous = tool
    plan = factories.PlanFactory(user=person, role=role)
    for tool in tools[: step_count // 2]:
        PlanStep.objects.create(plan=plan, tool=tool, status="in_progress")
        factories.SkillRatingFactory(user=person, tool=tool, level=1)
    return role.slug


@pytest.mark.parametrize("step_count", [4, 60])
def test_the_plan_page_runs_a_fixed_number_of_queries(
    client, person, django_assert_num_queries, step_count
):
    _big_role(step_count, person)
    client.force_login(person)
    client.get("/plan/")  # the catalog's tool cards, built once per catalog version

    # session, user, plan with its role, its steps, their tools, the ratings, the reminder
    with django_assert_num_queries(7):
        response = client.get("/plan/")
    assert len(response.context["plan"].steps) == step_count


@pytest.mark.parametrize("step_count", [4, 60])
def test_the_self_check_runs_a_fixed_number_of_queries(
    client, person, django_assert_num_queries, step_count
):
    role = _big_role(step_count, person)
    client.force_login(person)
    client.get(f"/plan/skills/?role={role}")

    with django_assert_num_queries(3):  # session, user, the ratings
        response = client.get(f"/plan/skills/?role={role}")
    assert len(response.context["form"].rows()) == step_count


@pytest.mark.parametrize("step_count", [4, 60])
def test_an_anonymous_plan_runs_a_fixed_number_of_queries(
    client, db, django_assert_num_queries, step_count
):
    role = _big_role(step_count, factories.UserFactory())
    client.post("/plan/", {"role": role})
    client.get("/plan/")

    with django_assert_num_queries(1):  # the session
        response = client.get("/plan/")
    assert len(response.context["plan"].steps) == step_count


@pytest.mark.parametrize("step_count", [4, 60])
def test_the_profile_with_a_plan_runs_a_fixed_number_of_queries(
    client, person, django_assert_num_queries, step_count
):
    role = _big_role(step_count, person)
    client.force_login(person)
    client.post(
        "/plan/steps/" + Tool.objects.filter(roles__slug=role).first().slug + "/",
        {"status": "done"},
    )
    client.get("/plan/")

    # session, user, the count of assessments (none), fit history; then the plan with its
    # role, its steps and their tools, the ratings and the plan's dated changes; the live share
    # links, and the follow-up (none)
    with django_assert_num_queries(11):
        response = client.get("/profile/")
    assert response.status_code == 200


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
