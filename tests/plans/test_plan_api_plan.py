"""The plan API's plan: GET and PATCH plan/ (role and pace)."""

import datetime

import pytest

from plans.models import Plan, PlanStepChange
from tests.factories import (
    PlanFactory,
    RoleFactory,
)
from tests.helpers import problem_fields, problem_messages
from tests.plans.helpers import (
    TODAY,
    day_iso,
    patch_plan,
    steps_by_tool,
)

pytestmark = pytest.mark.django_db


MLOPS_ORDER = ["docker", "kubeflow", "mlflow", "airflow", "dvc"]


DATA_ORDER = ["kafka", "flink", "spark", "redshift", "airflow", "dvc"]


def test_before_a_plan_is_saved_it_shows_the_plan_of_the_latest_result(person_api, result, today):
    body = person_api.get("/api/v1/plan/").json()

    assert (body["saved"], body["role"], body["role_name"]) == (
        False,
        "data-engineer",
        "Data engineer",
    )
    assert [step["tool"] for step in body["steps"]] == DATA_ORDER
    # 20 hours at 5 a week: 28 days each, one after the other from today.
    first = body["steps"][0]
    assert first == {
        "tool": "kafka",
        "name": "Apache Kafka",
        "order": 1,
        "status": "todo",
        "hours": 20,
        "starts": day_iso(0),
        "due": day_iso(28),
        "late": False,
        "level": 0,
        "milestones": [
            "Install it and run the tutorial",
            "Use it on a small project",
            "Explain it to a colleague",
        ],
    }
    assert body["finish"] == day_iso(28 * 6)
    assert body["hours_total"] == 120
    assert not Plan.objects.exists()


def test_the_self_check_shapes_the_plan(person_api, site_content, today):
    person_api.put(
        "/api/v1/skills/",
        {
            "ratings": [
                {"tool": "docker", "level": 3},  # known: no step
                {"tool": "mlflow", "level": 2},  # half the hours
                {"tool": "airflow", "level": 1},  # three quarters
            ]
        },
        format="json",
    )

    steps = steps_by_tool(patch_plan(person_api, role="mlops-engineer"))

    assert list(steps) == ["kubeflow", "mlflow", "airflow", "dvc"]
    assert {tool: (step["hours"], step["level"]) for tool, step in steps.items()} == {
        "kubeflow": (20, 0),
        "mlflow": (10, 2),
        "airflow": (15, 1),
        "dvc": (20, 0),
    }


def test_prerequisites_come_first_whatever_the_catalog_order(person_api, site_content, today):
    docker = site_content.tools["docker"]
    docker.order = 99
    docker.save()

    body = patch_plan(person_api, role="mlops-engineer")

    order = [step["tool"] for step in body["steps"]]
    assert order.index("docker") < order.index("kubeflow")
    assert order == ["mlflow", "airflow", "dvc", "docker", "kubeflow"]


def test_patch_saves_the_plan_with_a_role_and_pace(person_api, person, site_content, today):
    body = patch_plan(person_api, role="mlops-engineer", hours_per_week=10)

    assert (body["saved"], body["role"], body["hours_per_week"]) == (True, "mlops-engineer", 10)
    assert [step["tool"] for step in body["steps"]] == MLOPS_ORDER
    assert body["steps"][0]["due"] == day_iso(14)
    assert body["started"] == TODAY.isoformat()
    assert person_api.get("/api/v1/plan/").json() == body
    plan = Plan.objects.get(user=person)
    assert (plan.role.slug, plan.hours_per_week, plan.started_on) == ("mlops-engineer", 10, TODAY)


def test_an_empty_patch_saves_the_plan_of_the_latest_result(person_api, person, result, today):
    body = patch_plan(person_api)

    assert (body["saved"], body["role"], body["hours_per_week"]) == (True, "data-engineer", 5)
    assert Plan.objects.get(user=person).role.slug == "data-engineer"


def test_the_plan_is_dated_again_when_the_pace_changes(person_api, site_content, today):
    patch_plan(person_api, role="mlops-engineer", hours_per_week=5)
    person_api.patch("/api/v1/plan/steps/docker/", {"status": "in_progress"})

    body = patch_plan(person_api, hours_per_week=20)

    # 20 hours at 20 a week: 7 days a step.
    assert [(step["starts"], step["due"]) for step in body["steps"]] == [
        (day_iso(7 * index), day_iso(7 * (index + 1))) for index in range(5)
    ]
    assert body["finish"] == day_iso(35)
    assert steps_by_tool(body)["docker"]["status"] == "in_progress"  # a status is never lost
    assert body["role"] == "mlops-engineer"


def test_a_new_role_keeps_the_statuses_set(person_api, site_content, today):
    patch_plan(person_api, role="mlops-engineer")
    person_api.patch("/api/v1/plan/steps/airflow/", {"status": "done"})

    body = patch_plan(person_api, role="data-engineer")

    assert steps_by_tool(body)["airflow"]["status"] == "done"
    assert body["steps_done"] == 1


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"role": "astronaut"}, "role", "Choose one of the roles"),
        ({"role": 3}, "role", "Choose one of the roles"),
        ({"role": ""}, "role", "Choose one of the roles"),
        ({"role": None}, "role", "Leave it out"),
        ({"hours_per_week": 0}, "hours_per_week", "whole number from 1 to 60"),
        ({"hours_per_week": 61}, "hours_per_week", "whole number from 1 to 60"),
        ({"hours_per_week": -5}, "hours_per_week", "whole number from 1 to 60"),
        ({"hours_per_week": "10"}, "hours_per_week", "whole number from 1 to 60"),
        ({"hours_per_week": "ten"}, "hours_per_week", "whole number from 1 to 60"),
        ({"hours_per_week": 7.5}, "hours_per_week", "whole number from 1 to 60"),
        ({"hours_per_week": True}, "hours_per_week", "whole number from 1 to 60"),
        ({"hours_per_week": [5]}, "hours_per_week", "whole number from 1 to 60"),
        ({"hours_per_week": None}, "hours_per_week", "Leave it out"),
    ],
)
def test_a_bad_plan_change_is_a_400_at_its_field_and_nothing_changes(
    person_api, person, site_content, today, body, field, says
):
    before = PlanFactory(user=person, role=site_content.mlops, hours_per_week=5, started_on=TODAY)

    response = person_api.patch("/api/v1/plan/", body, format="json")

    assert response.status_code == 400
    assert says in str(problem_messages(response)[field])
    plan = Plan.objects.get(user=person)
    assert (plan.role_id, plan.hours_per_week) == (before.role_id, 5)


def test_a_role_with_no_tools_is_refused(person_api, person, site_content, today):
    RoleFactory(name="Prompt whisperer", slug="prompt-whisperer")

    response = person_api.patch("/api/v1/plan/", {"role": "prompt-whisperer", "hours_per_week": 8})

    assert response.status_code == 400
    assert problem_messages(response) == {"role": ["Prompt whisperer has no tools to plan yet."]}
    assert not Plan.objects.exists()  # not even the pace


def test_both_bad_fields_are_named(person_api, site_content):
    response = person_api.patch("/api/v1/plan/", {"role": "nope", "hours_per_week": 99})

    assert response.status_code == 400
    assert set(problem_fields(response)) == {"role", "hours_per_week"}
    assert not Plan.objects.exists()


def test_a_first_patch_without_a_role_or_result_asks_for_one(person_api, site_content):
    response = person_api.patch("/api/v1/plan/", {"hours_per_week": 8})

    assert response.status_code == 400
    assert "role" in problem_fields(response)
    assert not Plan.objects.exists()


@pytest.mark.parametrize("body", [[1, 2], "role", 5])
def test_a_plan_body_that_is_not_an_object_is_a_400(person_api, site_content, body):
    response = person_api.patch("/api/v1/plan/", body, format="json")

    assert response.status_code == 400
    assert not Plan.objects.exists()


# --- steps ---------------------------------------------------------------------------------


def test_marking_a_step_done_answers_with_the_plan_dated_again(
    person_api, person, site_content, today
):
    patch_plan(person_api, role="mlops-engineer")  # 28 days a step from TODAY
    today.set(TODAY + datetime.timedelta(days=10))  # done early, on day 10

    response = person_api.patch("/api/v1/plan/steps/docker/", {"status": "done"}, format="json")

    assert response.status_code == 200
    body = response.json()
    docker, kubeflow = body["steps"][0], body["steps"][1]
    assert (docker["tool"], docker["status"], docker["due"]) == ("docker", "done", day_iso(10))
    assert (kubeflow["starts"], kubeflow["due"]) == (day_iso(10), day_iso(38))
    assert (body["hours_done"], body["hours_total"], body["percent_done"]) == (20, 100, 20)
    assert body["steps_done"] == 1
    change = PlanStepChange.objects.get(plan__user=person)
    assert (change.status, change.hours_done, change.changed_on) == (
        "done",
        20,
        TODAY + datetime.timedelta(days=10),
    )
