"""A person's data export holds their self-check and learning plan, and nobody else's."""

import json
from datetime import date

import pytest

from plans import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_data_export_holds_the_self_check_the_plan_and_its_changes(client, site_content):
    person, stranger = UserFactory(), UserFactory()
    for user in (person, stranger):
        services.ratings_save(user=user, levels={"docker": 2, "kafka": 4})
        services.plan_update(user=user, today=date(2026, 3, 2), role="mlops-engineer")
        services.step_status_set(user=user, tool="docker", status="done", today=date(2026, 3, 5))
    client.force_login(person)

    data = json.loads(client.get("/profile/export/").content)

    levels = {row["tool"]: row["level"] for row in data["skills"]}
    assert levels == {"Docker": 2, site_content.tools["kafka"].name: 4}
    plan = data["learning_plan"]
    assert (plan["role"], plan["hours_per_week"], plan["started"]) == (
        "MLOps engineer",
        5,
        "2026-03-02",
    )
    assert plan["steps"] == [
        {
            "tool": "Docker",
            "status": "done",
            "started": "2026-03-05",
            "done": "2026-03-05",
            "hours_done": 10,
        }
    ]
    assert plan["changes"] == [{"tool": "Docker", "status": "done", "on": "2026-03-05"}]


def test_the_data_export_of_someone_without_a_plan_says_so(client, site_content):
    person = UserFactory()
    client.force_login(person)
    data = json.loads(client.get("/profile/export/").content)
    assert (data["skills"], data["learning_plan"]) == ([], None)
