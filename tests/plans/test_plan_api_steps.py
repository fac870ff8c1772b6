"""The plan API's steps: PATCH plan/steps/{tool}/ (a step's status)."""

import datetime

import pytest

from plans.models import Plan, PlanStep, PlanStepChange
from tests.factories import (
    PlanFactory,
    RoleFactory,
    UserFactory,
)
from tests.helpers import problem, problem_fields
from tests.plans.helpers import (
    TODAY,
    day_iso,
    patch_plan,
    steps_by_tool,
)

pytestmark = pytest.mark.django_db


def test_every_status_can_be_set_and_undone(person_api, site_content, today):
    patch_plan(person_api, role="mlops-engineer")
    for status in ["in_progress", "done", "skipped", "todo"]:
        body = person_api.patch("/api/v1/plan/steps/mlflow/", {"status": status}).json()
        assert steps_by_tool(body)["mlflow"]["status"] == status

    skipped = person_api.patch("/api/v1/plan/steps/dvc/", {"status": "skipped"}).json()
    assert (steps_by_tool(skipped)["dvc"]["starts"], steps_by_tool(skipped)["dvc"]["due"]) == (
        None,
        None,
    )
    assert skipped["hours_total"] == 80


def test_a_step_done_keeps_its_hours_when_the_estimate_changes(person_api, site_content, today):
    patch_plan(person_api, role="mlops-engineer")
    person_api.patch("/api/v1/plan/steps/docker/", {"status": "done"})
    for slug in ["docker", "kubeflow"]:
        tool = site_content.tools[slug]
        tool.hours_to_learn = 40
        tool.save()  # an editor's change

    steps = steps_by_tool(person_api.get("/api/v1/plan/").json())

    assert steps["docker"]["hours"] == 20  # what was done stays as it was
    assert steps["kubeflow"]["hours"] == 40  # what is left follows the new estimate
    assert steps["kubeflow"]["due"] == day_iso(56)


def test_a_late_step_is_due_today_and_pushes_the_rest_back(person_api, site_content, today):
    patch_plan(person_api, role="mlops-engineer")
    today.set(TODAY + datetime.timedelta(days=40))  # docker was due on day 28

    steps = steps_by_tool(person_api.get("/api/v1/plan/").json())

    assert (steps["docker"]["late"], steps["docker"]["due"]) == (True, day_iso(40))
    assert (steps["kubeflow"]["starts"], steps["kubeflow"]["due"]) == (day_iso(40), day_iso(68))


@pytest.mark.parametrize("status", ["finished", "", "DONE", 1, None, ["done"]])
def test_a_status_that_does_not_exist_is_a_400(person_api, person, site_content, today, status):
    patch_plan(person_api, role="mlops-engineer")

    response = person_api.patch("/api/v1/plan/steps/docker/", {"status": status}, format="json")

    assert response.status_code == 400
    assert list(problem_fields(response)) == ["status"]
    assert not PlanStep.objects.exists() and not PlanStepChange.objects.exists()


def test_a_step_needs_a_status(person_api, site_content, today):
    patch_plan(person_api, role="mlops-engineer")

    response = person_api.patch("/api/v1/plan/steps/docker/", {}, format="json")

    assert response.status_code == 400
    assert "status" in problem_fields(response)


@pytest.mark.parametrize("tool", ["kafka", "no-such-tool"])
def test_a_tool_outside_the_plan_is_a_404(person_api, site_content, today, tool):
    patch_plan(person_api, role="mlops-engineer")

    response = person_api.patch(f"/api/v1/plan/steps/{tool}/", {"status": "done"})

    assert response.status_code == 404
    assert problem(response)["detail"] == ("That tool is not part of this plan's role.")
    assert not PlanStep.objects.exists()


def test_a_step_before_the_plan_is_saved_is_a_404(person_api, result, today):
    response = person_api.patch("/api/v1/plan/steps/kafka/", {"status": "done"})

    assert response.status_code == 404
    assert "Make a plan first" in response.json()["detail"]
    assert not Plan.objects.exists()


def test_a_plan_whose_role_was_removed_shows_the_plan_it_could_be(
    person_api, person, result, today
):
    plan = PlanFactory(user=person, role=RoleFactory(), hours_per_week=12, started_on=TODAY)
    plan.role.delete()  # an editor's removal: the plan stays, with no role

    body = person_api.get("/api/v1/plan/").json()

    assert (body["saved"], body["role"], body["hours_per_week"]) == (False, "data-engineer", 12)
    assert person_api.patch("/api/v1/plan/steps/kafka/", {"status": "done"}).status_code == 404
    assert person_api.get("/api/v1/plan.ics").status_code == 404
    assert patch_plan(person_api, role="data-engineer")["saved"] is True


def test_someone_elses_plan_is_out_of_reach(person_api, site_content, today):
    stranger = UserFactory()
    theirs = PlanFactory(user=stranger, role=site_content.mlops, started_on=TODAY)

    assert person_api.get("/api/v1/plan/").json()["saved"] is False
    response = person_api.patch("/api/v1/plan/steps/docker/", {"status": "done"})

    assert response.status_code == 404
    assert not PlanStep.objects.filter(plan=theirs).exists()


def test_the_api_says_the_same_for_a_bad_status_for_a_tool_outside_the_plan(
    person_api, person, site_content
):
    person_api.patch("/api/v1/plan/", {"role": "mlops-engineer"}, format="json")

    response = person_api.patch("/api/v1/plan/steps/kafka/", {"status": "x"}, format="json")

    assert response.status_code == 404
    assert problem(response)["detail"] == ("That tool is not part of this plan's role.")
