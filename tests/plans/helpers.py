"""Helpers of the plans tests."""

import datetime

from icalendar import Calendar

from plans.models import PlanStep, SkillRating
from tests.factories import (
    PlanFactory,
    RoleFactory,
    ToolFactory,
)

TODAY = datetime.date(2026, 3, 2)


def patch_plan(client, **body):
    response = client.patch("/api/v1/plan/", body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def steps_by_tool(body):
    return {step["tool"]: step for step in body["steps"]}


def day_iso(days):
    return (TODAY + datetime.timedelta(days=days)).isoformat()


# --- the calendar --------------------------------------------------------------------------


def ics_events(response):
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


# --- what it costs -------------------------------------------------------------------------


def big_plan_create(person, tool_count):
    role = RoleFactory()
    tools = []
    for index in range(tool_count):
        # Each tool needs the one before: a long chain of prerequisites.
        tools.append(ToolFactory(roles=[role], prerequisites=tools[-1:] if index else None))
    SkillRating.objects.bulk_create(
        SkillRating(user=person, tool=tool, level=index % 3) for index, tool in enumerate(tools)
    )
    plan = PlanFactory(user=person, role=role, started_on=TODAY)
    PlanStep.objects.bulk_create(
        PlanStep(
            plan=plan, tool=tool, status=status, started_on=TODAY, done_on=done, hours_done=hours
        )
        for tool, status, done, hours in [
            (tool, "done", TODAY, 5) if index % 2 else (tool, "in_progress", None, None)
            for index, tool in enumerate(tools[: tool_count // 2])
        ]
    )
    return plan


MLOPS_TOOLS = ["docker", "kubeflow", "mlflow", "airflow", "dvc"]  # the role's tools, by order


def all_levels(slugs, level=0) -> dict[str, int]:
    return {f"level-{slug}": level for slug in slugs}
