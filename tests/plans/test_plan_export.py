"""A person's data export holds their self-check and learning plan, and nobody else's."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from careerguide.accounts.services import token_create
from plans import selectors, services
from plans.models import Plan, PlanStep, PlanStepChange, SkillRating
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_the_data_export_holds_the_self_check_the_plan_and_its_changes(client, site_content):
    person, stranger = UserFactory(), UserFactory()
    for user in (person, stranger):
        services.ratings_save(user=user, levels={"docker": 2, "kafka": 4})
        services.plan_update(user=user, today=date(2026, 3, 2), role="mlops-engineer")
        services.step_status_set(user=user, tool="docker", status="done", today=date(2026, 3, 5))
    client.force_login(person)

    data = json.loads(client.get("/profile/export/").content)

    levels = {row["name"]: row["level"] for row in data["skills"]["ratings"]}
    assert levels == {"Docker": 2, site_content.tools["kafka"].name: 4}
    assert {row["tool"] for row in data["skills"]["ratings"]} == {"docker", "kafka"}
    plan = data["learning_plan"]
    assert (plan["role"], plan["role_name"], plan["hours_per_week"], plan["started"]) == (
        "mlops-engineer",
        "MLOps engineer",
        5,
        "2026-03-02",
    )
    assert plan["step_statuses"] == [
        {
            "tool": "docker",
            "name": "Docker",
            "status": "done",
            "started": "2026-03-05",
            "done": "2026-03-05",
            "hours_done": 10,
        }
    ]
    assert plan["changes"] == [
        {"tool": "docker", "name": "Docker", "status": "done", "hours_done": 10, "on": "2026-03-05"}
    ]
    # The plan as the API shows it today, each step dated.
    assert plan["saved"] is True
    assert plan["steps"][0]["tool"] == "docker" and plan["steps"][0]["status"] == "done"


def test_the_data_export_keeps_a_status_of_a_tool_outside_the_plans_role(client, site_content):
    person = UserFactory()
    services.plan_update(user=person, today=date(2026, 3, 2), role="mlops-engineer")
    services.step_status_set(user=person, tool="docker", status="done", today=date(2026, 3, 5))
    services.plan_update(user=person, today=date(2026, 3, 6), role="data-engineer")
    client.force_login(person)

    plan = json.loads(client.get("/profile/export/").content)["learning_plan"]

    assert plan["role"] == "data-engineer"
    assert [row["tool"] for row in plan["step_statuses"]] == ["docker"]


def test_the_data_export_of_someone_without_a_plan_says_so(client, site_content):
    person = UserFactory()
    client.force_login(person)
    data = json.loads(client.get("/profile/export/").content)
    assert data["skills"] == {"ratings": [], "updated": None}
    assert data["learning_plan"] is None


# Each stored field of the self-check and the plan, and where the export has it (None: not the
# person's data, or the row itself). A field added to these models fails here until exported.
EXPORTED_FIELDS = {
    SkillRating: {"id": None, "user": None, "tool": "tool", "level": "level", "rated_at": "rated"},
    Plan: {
        "id": None,
        "user": None,
        "role": "role",
        "hours_per_week": "hours_per_week",
        "started_on": "started",
        "updated_at": "updated",
    },
    PlanStep: {
        "id": None,
        "plan": None,
        "tool": "tool",
        "status": "status",
        "started_on": "started",
        "done_on": "done",
        "hours_done": "hours_done",
    },
    PlanStepChange: {
        "id": None,
        "plan": None,
        "tool": "tool",
        "status": "status",
        "hours_done": "hours_done",
        "changed_on": "on",
        "changed_at": None,
    },
}


def test_every_stored_field_of_the_self_check_and_plan_is_exported(client, site_content):
    person = UserFactory()
    services.ratings_save(user=person, levels={"docker": 2})
    services.plan_update(user=person, today=date(2026, 3, 2), role="mlops-engineer")
    services.step_status_set(user=person, tool="docker", status="done", today=date(2026, 3, 5))
    client.force_login(person)
    data = json.loads(client.get("/profile/export/").content)
    plan = data["learning_plan"]
    rows = {
        SkillRating: data["skills"]["ratings"][0],
        Plan: plan,
        PlanStep: plan["step_statuses"][0],
        PlanStepChange: plan["changes"][0],
    }
    for model, exported in EXPORTED_FIELDS.items():
        assert {field.name for field in model._meta.concrete_fields} == set(exported), model
        assert {key for key in exported.values() if key} <= set(rows[model]), model


def test_the_data_export_costs_the_same_whatever_the_size_of_the_plan(client, site_content):
    person = UserFactory()
    services.plan_update(user=person, today=date(2026, 3, 2), role="mlops-engineer")
    services.ratings_save(user=person, levels={"docker": 1})
    services.step_status_set(user=person, tool="docker", status="done", today=date(2026, 3, 5))
    client.force_login(person)
    client.get("/profile/export/")  # the catalog cache is filled once, as on any site

    def export_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/profile/export/").status_code == 200
        return len(captured)

    # Each part is a fixed number of queries; the unfinished attempt, the API tokens and the
    # log-ins one each, however many tokens and log-ins there are.
    few = export_queries()
    for _ in range(3):
        token_create(user=person)
        Client().post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})
    tools = selectors.role_tool_slugs()["mlops-engineer"]
    services.ratings_save(user=person, levels=dict.fromkeys(tools, 2))
    for tool in tools[1:]:
        services.step_status_set(
            user=person, tool=tool, status="in_progress", today=date(2026, 3, 6)
        )
    assert export_queries() == few
