"""The self-check and plan writes, as the web views and the API both call them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from core import caching
from plans import selectors, services
from plans.models import Plan, PlanStep, PlanStepChange, SkillRating
from tests import factories

TODAY = date(2026, 3, 2)
pytestmark = pytest.mark.django_db


def levels_of(user):
    return selectors.ratings_get(user=user)[0]


# Ratings -------------------------------------------------------------------------------------


def test_ratings_are_checked_entry_by_entry(site_content):
    with pytest.raises(ValidationError) as caught:
        services.ratings_validate(
            [("docker", 2), ("no-such-tool", 1), ("docker", 3), ("mlflow", 5), ("kafka", "2")]
        )
    problems = caught.value.message_dict["ratings"]
    assert len(problems) == 4
    assert "Entry 2" in problems[0] and "not a tool" in problems[0]
    assert "Entry 3" in problems[1] and "more than once" in problems[1]
    assert "Entry 4" in problems[2] and "from 0 to 4" in problems[2]
    assert "Entry 5" in problems[3] and "whole number" in problems[3]


def test_a_boolean_is_not_a_level(site_content):
    with pytest.raises(ValidationError):
        services.ratings_validate([("docker", True)])


def test_saving_ratings_sets_the_given_tools_and_keeps_the_others(site_content, person):
    services.ratings_save(user=person, levels={"docker": 1, "kafka": 4})
    services.ratings_save(user=person, levels={"docker": 3})
    assert levels_of(person) == {"docker": 3, "kafka": 4}
    assert SkillRating.objects.filter(user=person).count() == 2


def test_saving_ratings_forgets_the_persons_cached_pages(site_content, person):
    before = caching.history_version(person)
    services.ratings_save(user=person, levels={"docker": 1})
    person.refresh_from_db()
    assert caching.history_version(person) != before


# The plan ------------------------------------------------------------------------------------


def test_a_new_plan_takes_the_top_role_of_the_latest_result(site_content, result, person):
    plan = services.plan_update(user=person, today=TODAY)
    assert plan.role == result.top_role
    assert (plan.hours_per_week, plan.started_on) == (5, TODAY)


def test_a_new_plan_without_a_result_or_a_role_is_refused_at_the_role(site_content, person):
    with pytest.raises(ValidationError) as caught:
        services.plan_update(user=person, today=TODAY, hours_per_week=10)
    assert "role" in caught.value.message_dict
    assert not Plan.objects.exists()


@pytest.mark.parametrize("pace", [0, 61, -3, "ten", 7.5, True, "5"])
def test_hours_a_week_outside_1_to_60_or_not_a_number_are_refused(site_content, person, pace):
    with pytest.raises(ValidationError) as caught:
        services.plan_update(user=person, today=TODAY, role="mlops-engineer", hours_per_week=pace)
    assert "1 to 60" in caught.value.message_dict["hours_per_week"][0]
    assert not Plan.objects.exists()


def test_a_role_with_no_tools_is_refused_and_nothing_is_saved(site_content, person):
    empty = factories.RoleFactory(name="Data Steward")
    services.plan_update(user=person, today=TODAY, role="mlops-engineer", hours_per_week=8)
    with pytest.raises(ValidationError) as caught:
        services.plan_update(user=person, today=TODAY, role=empty.slug, hours_per_week=20)
    assert "Data Steward has no tools" in caught.value.message_dict["role"][0]
    plan = Plan.objects.get(user=person)
    assert (plan.role.slug, plan.hours_per_week) == ("mlops-engineer", 8)


def test_switching_role_restarts_the_dates_and_keeps_every_status(site_content, person):
    services.plan_update(user=person, today=TODAY, role="mlops-engineer")
    services.step_status_set(user=person, tool="docker", status="done", today=TODAY)
    services.step_status_set(user=person, tool="airflow", status="in_progress", today=TODAY)
    later = TODAY + timedelta(days=30)
    plan = services.plan_update(user=person, today=later, role="data-engineer")
    assert plan.started_on == later
    services.plan_update(user=person, today=later, role="mlops-engineer")
    statuses = dict(PlanStep.objects.values_list("tool__slug", "status"))
    assert statuses == {"docker": "done", "airflow": "in_progress"}
    view = selectors.saved_plan_outline_get(
        plan=selectors.plan_get(user=person), ratings={}, today=later
    )
    airflow = next(step for step in view.steps if step.tool.slug == "airflow")
    assert airflow.step.status == "in_progress"


def test_changing_the_pace_keeps_the_start(site_content, person):
    services.plan_update(user=person, today=TODAY, role="mlops-engineer")
    plan = services.plan_update(user=person, today=TODAY + timedelta(days=3), hours_per_week=40)
    assert (plan.hours_per_week, plan.started_on) == (40, TODAY)


# Step statuses -------------------------------------------------------------------------------


def test_done_counts_the_hours_of_that_day_even_if_the_estimate_changes(site_content, person):
    services.ratings_save(user=person, levels={"docker": 2})
    services.plan_update(user=person, today=TODAY, role="mlops-engineer")
    step = services.step_status_set(user=person, tool="docker", status="done", today=TODAY)
    assert (step.hours_done, step.done_on, step.started_on) == (10, TODAY, TODAY)  # 20 h halved
    docker = site_content.tools["docker"]
    docker.hours_to_learn = 80
    docker.save()
    view = selectors.saved_plan_outline_get(
        plan=selectors.plan_get(user=person), ratings=levels_of(person), today=TODAY
    )
    assert view.steps[0].tool.slug == "docker" and view.steps[0].step.hours == 10
    assert view.outline.hours_done == 10


def test_every_status_change_is_dated_for_the_chart(site_content, person):
    services.plan_update(user=person, today=TODAY, role="mlops-engineer")
    day2 = TODAY + timedelta(days=1)
    services.step_status_set(user=person, tool="docker", status="in_progress", today=TODAY)
    services.step_status_set(user=person, tool="docker", status="done", today=day2)
    services.step_status_set(user=person, tool="docker", status="done", today=day2)  # no change
    services.step_status_set(user=person, tool="mlflow", status="done", today=day2)
    changes = list(PlanStepChange.objects.values_list("status", "changed_on", "hours_done"))
    assert changes == [("in_progress", TODAY, 0), ("done", day2, 20), ("done", day2, 20)]
    plan = selectors.plan_get(user=person)
    assert selectors.hours_done_history(plan=plan) == [(TODAY, 0), (day2, 40)]


def test_undoing_a_done_step_takes_its_hours_back(site_content, person):
    services.plan_update(user=person, today=TODAY, role="mlops-engineer")
    services.step_status_set(user=person, tool="docker", status="done", today=TODAY)
    step = services.step_status_set(user=person, tool="docker", status="todo", today=TODAY)
    assert (step.hours_done, step.done_on, step.started_on) == (None, None, None)
    plan = selectors.plan_get(user=person)
    assert selectors.hours_done_history(plan=plan) == [(TODAY, 0)]


@pytest.mark.parametrize("status", ["finished", "", None, ["done"], 3])
def test_an_unknown_status_is_refused(site_content, person, status):
    services.plan_update(user=person, today=TODAY, role="mlops-engineer")
    with pytest.raises(ValidationError) as caught:
        services.step_status_set(user=person, tool="docker", status=status, today=TODAY)
    assert "status" in caught.value.message_dict
    assert not PlanStep.objects.exists()


def test_a_tool_outside_the_plans_role_or_without_a_plan_is_refused(site_content, person):
    with pytest.raises(ValidationError):
        services.step_status_set(user=person, tool="docker", status="done", today=TODAY)
    services.plan_update(user=person, today=TODAY, role="mlops-engineer")
    with pytest.raises(ValidationError) as caught:
        services.step_status_set(user=person, tool="kafka", status="done", today=TODAY)
    assert "tool" in caught.value.message_dict
    assert not PlanStep.objects.exists()


# Anonymous work kept on log-in ---------------------------------------------------------------


def test_the_sessions_self_check_and_pace_become_the_persons(site_content, person):
    services.ratings_save(user=person, levels={"docker": 0, "kafka": 1})
    services.anonymous_plan_claim(
        user=person,
        levels={"docker": 3, "no-longer-a-tool": 2, "mlflow": 9},
        role="mlops-engineer",
        hours_per_week=12,
        today=TODAY,
    )
    assert levels_of(person) == {"docker": 3, "kafka": 1}
    plan = Plan.objects.get(user=person)
    assert (plan.role.slug, plan.hours_per_week) == ("mlops-engineer", 12)


def test_a_saved_plan_wins_over_the_sessions_sketch(site_content, person):
    services.plan_update(user=person, today=TODAY, role="data-engineer", hours_per_week=3)
    services.anonymous_plan_claim(
        user=person, levels={}, role="mlops-engineer", hours_per_week=12, today=TODAY
    )
    plan = Plan.objects.get(user=person)
    assert (plan.role.slug, plan.hours_per_week) == ("data-engineer", 3)


def test_a_stale_role_in_the_session_does_not_stop_the_log_in(site_content, person):
    services.anonymous_plan_claim(
        user=person, levels={"docker": 2}, role="gone", hours_per_week=5, today=TODAY
    )
    assert levels_of(person) == {"docker": 2}
    assert not Plan.objects.exists()


# Reads ---------------------------------------------------------------------------------------


def test_the_plan_view_orders_prerequisites_first_and_lists_milestones(site_content, person):
    # Kubeflow requires Docker in the test world; rate Docker as known and Kubeflow as new.
    view = selectors.plan_outline_get(
        role_slug="mlops-engineer",
        hours_per_week=10,
        ratings={"docker": 1},
        states={},
        started_on=TODAY,
        today=TODAY,
    )
    slugs = [step.tool.slug for step in view.steps]
    assert slugs.index("docker") < slugs.index("kubeflow")
    assert view.steps[0].tool.milestones and view.rated and view.role_name == "MLOps engineer"
    assert view.steps[0].level_label == "I know what it is for"


def test_the_plan_view_follows_an_editors_new_prerequisite(site_content):
    mlflow, airflow = site_content.tools["mlflow"], site_content.tools["airflow"]
    mlflow.prerequisites.add(airflow)  # a catalog change: the cached tool cards are rebuilt

    def order():
        view = selectors.plan_outline_get(
            role_slug="mlops-engineer",
            hours_per_week=10,
            ratings={},
            states={},
            started_on=TODAY,
            today=TODAY,
        )
        return [step.tool.slug for step in view.steps]

    assert order().index("airflow") < order().index("mlflow")
