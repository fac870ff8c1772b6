"""The self-check and learning plan API: skills/, plan/, plan/steps/{tool}/ and plan.ics."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar
from rest_framework.test import APIClient

from plans.models import Plan, PlanStep, PlanStepChange, SkillRating
from tests.factories import (
    PlanFactory,
    RoleFactory,
    SkillRatingFactory,
    ToolFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
MLOPS_ORDER = ["docker", "kubeflow", "mlflow", "airflow", "dvc"]
DATA_ORDER = ["kafka", "flink", "spark", "redshift", "airflow", "dvc"]


@pytest.fixture
def today(monkeypatch):
    """timezone.localdate() answers a day the test sets (today.set(day))."""

    class Today:
        day = TODAY

        def set(self, day):
            self.day = day

    clock = Today()
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return clock.day if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return clock


def _plan(client, **body):
    response = client.patch("/api/v1/plan/", body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def _steps(body):
    return {step["tool"]: step for step in body["steps"]}


def _day(days):
    return (TODAY + datetime.timedelta(days=days)).isoformat()


# --- who may call --------------------------------------------------------------------------

ENDPOINTS = [
    ("get", "/api/v1/skills/"),
    ("put", "/api/v1/skills/"),
    ("get", "/api/v1/plan/"),
    ("patch", "/api/v1/plan/"),
    ("patch", "/api/v1/plan/steps/docker/"),
    ("get", "/api/v1/plan.ics"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_every_endpoint_needs_a_person(api, site_content, method, path):
    response = getattr(api, method)(path, {}, format="json")

    assert response.status_code == 401
    assert "detail" in response.json()
    assert not SkillRating.objects.exists() and not Plan.objects.exists()


def test_a_bad_token_is_refused(site_content):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert client.get("/api/v1/plan/").status_code == 401


def test_the_site_session_works_too(session_api, site_content, today):
    body = {"ratings": [{"tool": "docker", "level": 2}]}

    assert session_api.put("/api/v1/skills/", body, format="json").status_code == 200
    assert session_api.patch("/api/v1/plan/", {"role": "mlops-engineer"}).status_code == 200
    assert session_api.patch("/api/v1/plan/steps/docker/", {"status": "done"}).status_code == 200
    assert session_api.get("/api/v1/plan/").json()["steps_done"] == 1
    assert session_api.get("/api/v1/plan.ics").status_code == 200


def test_a_session_write_needs_the_csrf_token(person, site_content):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(person)
    body = {"ratings": [{"tool": "docker", "level": 2}]}

    assert client.get("/api/v1/skills/").status_code == 200
    assert client.put("/api/v1/skills/", body, format="json").status_code == 403
    assert client.patch("/api/v1/plan/", {"role": "mlops-engineer"}).status_code == 403
    assert not SkillRating.objects.exists() and not Plan.objects.exists()


def test_answers_are_private(person_api, site_content):
    response = person_api.get("/api/v1/plan/")

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


# --- the self-check ------------------------------------------------------------------------


def test_skills_are_empty_before_the_self_check(person_api, site_content):
    assert person_api.get("/api/v1/skills/").json() == {"ratings": [], "updated": None}


def test_put_sets_the_levels_listed_and_keeps_the_others(person_api, person, site_content):
    first = person_api.put(
        "/api/v1/skills/",
        {"ratings": [{"tool": "kafka", "level": 4}, {"tool": "docker", "level": 2}]},
        format="json",
    )
    again = person_api.put(
        "/api/v1/skills/", {"ratings": [{"tool": "docker", "level": 3}]}, format="json"
    )

    assert first.status_code == again.status_code == 200
    # Catalog order, every rated tool, the one left out kept.
    assert again.json()["ratings"] == [
        {"tool": "docker", "level": 3},
        {"tool": "kafka", "level": 4},
    ]
    assert again.json()["updated"] is not None
    assert person_api.get("/api/v1/skills/").json() == again.json()
    assert SkillRating.objects.filter(user=person).count() == 2


def test_an_empty_list_changes_nothing(person_api, person, site_content):
    SkillRatingFactory(user=person, tool=site_content.tools["spark"], level=1)

    response = person_api.put("/api/v1/skills/", {"ratings": []}, format="json")

    assert response.status_code == 200
    assert response.json()["ratings"] == [{"tool": "spark", "level": 1}]


def test_someone_elses_ratings_are_never_shown_or_changed(person_api, site_content):
    stranger = UserFactory()
    SkillRatingFactory(user=stranger, tool=site_content.tools["docker"], level=4)

    assert person_api.get("/api/v1/skills/").json()["ratings"] == []
    person_api.put("/api/v1/skills/", {"ratings": [{"tool": "docker", "level": 1}]}, format="json")
    assert SkillRating.objects.get(user=stranger).level == 4


GOOD = {"tool": "docker", "level": 2}


@pytest.mark.parametrize(
    ("ratings", "says"),
    [
        ([GOOD, {"tool": "kafka", "level": 5}], "Entry 2: the level of kafka must be from 0 to 4"),
        ([GOOD, {"tool": "kafka", "level": -1}], "Entry 2: the level of kafka must be from 0 to 4"),
        ([GOOD, {"tool": "kafka", "level": "3"}], "Entry 2: the level of kafka must be a whole"),
        ([GOOD, {"tool": "kafka", "level": 2.5}], "Entry 2: the level of kafka must be a whole"),
        ([GOOD, {"tool": "kafka", "level": True}], "Entry 2: the level of kafka must be a whole"),
        ([GOOD, {"tool": "kafka", "level": None}], "Entry 2: the level of kafka must be a whole"),
        ([GOOD, {"tool": "cobol", "level": 1}], "Entry 2: 'cobol' is not a tool in the catalog"),
        ([GOOD, {"tool": 7, "level": 1}], "Entry 2: '7' is not a tool in the catalog"),
        ([GOOD, {"tool": "docker", "level": 1}], "Entry 2: docker is rated more than once"),
        ([GOOD, {"tool": "kafka"}], "Entry 2: send an object with a tool and a level"),
        ([GOOD, ["kafka", 1]], "Entry 2: send an object with a tool and a level"),
        ([GOOD, 3], "Entry 2: send an object with a tool and a level"),
        ("docker", "Send a list of ratings"),
        ({"docker": 2}, "Send a list of ratings"),
        (None, "Send a list of ratings"),
        ([GOOD] * 201, "at most 200 ratings"),
    ],
)
def test_a_bad_rating_is_a_400_naming_it_and_nothing_is_saved(
    person_api, person, site_content, ratings, says
):
    SkillRatingFactory(user=person, tool=site_content.tools["docker"], level=0)

    response = person_api.put("/api/v1/skills/", {"ratings": ratings}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["ratings"]
    assert any(says in message for message in response.json()["ratings"]), response.json()
    assert list(SkillRating.objects.filter(user=person).values_list("tool__slug", "level")) == [
        ("docker", 0)
    ]


def test_every_bad_entry_is_named_at_once(person_api, site_content):
    response = person_api.put(
        "/api/v1/skills/",
        {"ratings": [{"tool": "nope", "level": 1}, GOOD, {"tool": "kafka", "level": 9}]},
        format="json",
    )

    messages = response.json()["ratings"]
    assert [message.split(":")[0] for message in messages] == ["Entry 1", "Entry 3"]


@pytest.mark.parametrize("body", [[GOOD], "ratings", {}])
def test_a_body_that_is_not_an_object_with_ratings_is_a_400(person_api, site_content, body):
    response = person_api.put("/api/v1/skills/", body, format="json")

    assert response.status_code == 400
    assert not SkillRating.objects.exists()


# --- the plan ------------------------------------------------------------------------------


def test_with_no_result_and_no_plan_there_is_nothing_to_plan(person_api, site_content, today):
    body = person_api.get("/api/v1/plan/").json()

    assert body == {
        "saved": False,
        "role": None,
        "role_name": None,
        "hours_per_week": 5,
        "started": TODAY.isoformat(),
        "finish": None,
        "hours_total": 0,
        "hours_done": 0,
        "percent_done": 0,
        "steps_done": 0,
        "steps": [],
    }
    assert not Plan.objects.exists()


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
        "starts": _day(0),
        "due": _day(28),
        "late": False,
        "level": 0,
        "milestones": [
            "Install it and run the tutorial",
            "Use it on a small project",
            "Explain it to a colleague",
        ],
    }
    assert body["finish"] == _day(28 * 6)
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

    steps = _steps(_plan(person_api, role="mlops-engineer"))

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

    body = _plan(person_api, role="mlops-engineer")

    order = [step["tool"] for step in body["steps"]]
    assert order.index("docker") < order.index("kubeflow")
    assert order == ["mlflow", "airflow", "dvc", "docker", "kubeflow"]


def test_patch_saves_the_plan_with_a_role_and_pace(person_api, person, site_content, today):
    body = _plan(person_api, role="mlops-engineer", hours_per_week=10)

    assert (body["saved"], body["role"], body["hours_per_week"]) == (True, "mlops-engineer", 10)
    assert [step["tool"] for step in body["steps"]] == MLOPS_ORDER
    assert body["steps"][0]["due"] == _day(14)
    assert body["started"] == TODAY.isoformat()
    assert person_api.get("/api/v1/plan/").json() == body
    plan = Plan.objects.get(user=person)
    assert (plan.role.slug, plan.hours_per_week, plan.started_on) == ("mlops-engineer", 10, TODAY)


def test_an_empty_patch_saves_the_plan_of_the_latest_result(person_api, person, result, today):
    body = _plan(person_api)

    assert (body["saved"], body["role"], body["hours_per_week"]) == (True, "data-engineer", 5)
    assert Plan.objects.get(user=person).role.slug == "data-engineer"


def test_the_plan_is_dated_again_when_the_pace_changes(person_api, site_content, today):
    _plan(person_api, role="mlops-engineer", hours_per_week=5)
    person_api.patch("/api/v1/plan/steps/docker/", {"status": "in_progress"})

    body = _plan(person_api, hours_per_week=20)

    # 20 hours at 20 a week: 7 days a step.
    assert [(step["starts"], step["due"]) for step in body["steps"]] == [
        (_day(7 * index), _day(7 * (index + 1))) for index in range(5)
    ]
    assert body["finish"] == _day(35)
    assert _steps(body)["docker"]["status"] == "in_progress"  # a status is never lost
    assert body["role"] == "mlops-engineer"


def test_a_new_role_keeps_the_statuses_set(person_api, site_content, today):
    _plan(person_api, role="mlops-engineer")
    person_api.patch("/api/v1/plan/steps/airflow/", {"status": "done"})

    body = _plan(person_api, role="data-engineer")

    assert _steps(body)["airflow"]["status"] == "done"
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
    assert says in str(response.json()[field])
    plan = Plan.objects.get(user=person)
    assert (plan.role_id, plan.hours_per_week) == (before.role_id, 5)


def test_a_role_with_no_tools_is_refused(person_api, person, site_content, today):
    RoleFactory(name="Prompt whisperer", slug="prompt-whisperer")

    response = person_api.patch("/api/v1/plan/", {"role": "prompt-whisperer", "hours_per_week": 8})

    assert response.status_code == 400
    assert response.json() == {"role": ["Prompt whisperer has no tools to plan yet."]}
    assert not Plan.objects.exists()  # not even the pace


def test_both_bad_fields_are_named(person_api, site_content):
    response = person_api.patch("/api/v1/plan/", {"role": "nope", "hours_per_week": 99})

    assert response.status_code == 400
    assert set(response.json()) == {"role", "hours_per_week"}
    assert not Plan.objects.exists()


def test_a_first_patch_without_a_role_or_result_asks_for_one(person_api, site_content):
    response = person_api.patch("/api/v1/plan/", {"hours_per_week": 8})

    assert response.status_code == 400
    assert "role" in response.json()
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
    _plan(person_api, role="mlops-engineer")  # 28 days a step from TODAY
    today.set(TODAY + datetime.timedelta(days=10))  # done early, on day 10

    response = person_api.patch("/api/v1/plan/steps/docker/", {"status": "done"}, format="json")

    assert response.status_code == 200
    body = response.json()
    docker, kubeflow = body["steps"][0], body["steps"][1]
    assert (docker["tool"], docker["status"], docker["due"]) == ("docker", "done", _day(10))
    assert (kubeflow["starts"], kubeflow["due"]) == (_day(10), _day(38))
    assert (body["hours_done"], body["hours_total"], body["percent_done"]) == (20, 100, 20)
    assert body["steps_done"] == 1
    change = PlanStepChange.objects.get(plan__user=person)
    assert (change.status, change.hours_done, change.changed_on) == (
        "done",
        20,
        TODAY + datetime.timedelta(days=10),
    )


def test_every_status_can_be_set_and_undone(person_api, site_content, today):
    _plan(person_api, role="mlops-engineer")
    for status in ["in_progress", "done", "skipped", "todo"]:
        body = person_api.patch("/api/v1/plan/steps/mlflow/", {"status": status}).json()
        assert _steps(body)["mlflow"]["status"] == status

    skipped = person_api.patch("/api/v1/plan/steps/dvc/", {"status": "skipped"}).json()
    assert (_steps(skipped)["dvc"]["starts"], _steps(skipped)["dvc"]["due"]) == (None, None)
    assert skipped["hours_total"] == 80


def test_a_step_done_keeps_its_hours_when_the_estimate_changes(person_api, site_content, today):
    _plan(person_api, role="mlops-engineer")
    person_api.patch("/api/v1/plan/steps/docker/", {"status": "done"})
    for slug in ["docker", "kubeflow"]:
        tool = site_content.tools[slug]
        tool.hours_to_learn = 40
        tool.save()  # an editor's change

    steps = _steps(person_api.get("/api/v1/plan/").json())

    assert steps["docker"]["hours"] == 20  # what was done stays as it was
    assert steps["kubeflow"]["hours"] == 40  # what is left follows the new estimate
    assert steps["kubeflow"]["due"] == _day(56)


def test_a_late_step_is_due_today_and_pushes_the_rest_back(person_api, site_content, today):
    _plan(person_api, role="mlops-engineer")
    today.set(TODAY + datetime.timedelta(days=40))  # docker was due on day 28

    steps = _steps(person_api.get("/api/v1/plan/").json())

    assert (steps["docker"]["late"], steps["docker"]["due"]) == (True, _day(40))
    assert (steps["kubeflow"]["starts"], steps["kubeflow"]["due"]) == (_day(40), _day(68))


@pytest.mark.parametrize("status", ["finished", "", "DONE", 1, None, ["done"]])
def test_a_status_that_does_not_exist_is_a_400(person_api, person, site_content, today, status):
    _plan(person_api, role="mlops-engineer")

    response = person_api.patch("/api/v1/plan/steps/docker/", {"status": status}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["status"]
    assert not PlanStep.objects.exists() and not PlanStepChange.objects.exists()


def test_a_step_needs_a_status(person_api, site_content, today):
    _plan(person_api, role="mlops-engineer")

    response = person_api.patch("/api/v1/plan/steps/docker/", {}, format="json")

    assert response.status_code == 400
    assert "status" in response.json()


@pytest.mark.parametrize("tool", ["kafka", "no-such-tool"])
def test_a_tool_outside_the_plan_is_a_404(person_api, site_content, today, tool):
    _plan(person_api, role="mlops-engineer")

    response = person_api.patch(f"/api/v1/plan/steps/{tool}/", {"status": "done"})

    assert response.status_code == 404
    assert response.json() == {"detail": "That tool is not part of this plan's role."}
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
    assert _plan(person_api, role="data-engineer")["saved"] is True


def test_someone_elses_plan_is_out_of_reach(person_api, site_content, today):
    stranger = UserFactory()
    theirs = PlanFactory(user=stranger, role=site_content.mlops, started_on=TODAY)

    assert person_api.get("/api/v1/plan/").json()["saved"] is False
    response = person_api.patch("/api/v1/plan/steps/docker/", {"status": "done"})

    assert response.status_code == 404
    assert not PlanStep.objects.filter(plan=theirs).exists()


# --- the calendar --------------------------------------------------------------------------


def _events(response):
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_the_calendar_is_an_ics_attachment_of_the_steps_left(person_api, site_content, today):
    _plan(person_api, role="mlops-engineer", hours_per_week=10)
    person_api.patch("/api/v1/plan/steps/docker/", {"status": "done"})
    person_api.patch("/api/v1/plan/steps/dvc/", {"status": "skipped"})

    response = person_api.get("/api/v1/plan.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == (
        'attachment; filename="careerguide-learning-plan.ics"'
    )
    assert "no-store" in response["Cache-Control"]
    events = _events(response)
    assert sorted(events) == [
        "Learn Apache Airflow",
        "Learn Kubeflow",
        "Learn MLflow",
        "Learning plan done: MLOps engineer",
    ]
    kubeflow = events["Learn Kubeflow"]
    assert kubeflow.decoded("DTSTART") == TODAY
    assert kubeflow.decoded("DTEND") == TODAY + datetime.timedelta(days=15)  # due on day 14
    assert "http://testserver/tools/kubeflow/" in str(kubeflow["URL"])
    finish = events["Learning plan done: MLOps engineer"]
    assert finish.decoded("DTSTART") == TODAY + datetime.timedelta(days=42)


def test_the_calendar_is_sent_whatever_the_accept_header(person_api, site_content, today):
    _plan(person_api, role="mlops-engineer")

    response = person_api.get("/api/v1/plan.ics", HTTP_ACCEPT="text/calendar")

    assert response.status_code == 200
    assert len(_events(response)) == 6


def test_there_is_no_calendar_before_a_plan_is_saved(person_api, result, today):
    response = person_api.get("/api/v1/plan.ics")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "no learning plan yet" in response.json()["detail"]
    assert not Plan.objects.exists()


def test_the_calendars_uids_stay_the_same_when_the_plan_is_dated_again(
    person_api, site_content, today
):
    _plan(person_api, role="mlops-engineer")
    before = {
        str(e["UID"]): e.decoded("DTEND")
        for e in _events(person_api.get("/api/v1/plan.ics")).values()
    }

    _plan(person_api, hours_per_week=20)
    after = {
        str(e["UID"]): e.decoded("DTEND")
        for e in _events(person_api.get("/api/v1/plan.ics")).values()
    }

    assert set(before) == set(after)
    assert before != after


# --- what it costs -------------------------------------------------------------------------


def _big_plan(person, tool_count):
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


@pytest.mark.parametrize("tool_count", [5, 50])
def test_the_plan_costs_the_same_few_queries_whatever_its_size(
    person_api, person, db, today, django_assert_num_queries, tool_count
):
    _big_plan(person, tool_count)
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
    _big_plan(person, tool_count)

    # as above, plus the catalog: tools, prerequisites, roles, roles' tools, role names
    with django_assert_num_queries(10):
        person_api.get("/api/v1/plan/")


@pytest.mark.parametrize("tool_count", [5, 50])
def test_the_calendar_costs_the_same_few_queries(
    person_api, person, db, today, django_assert_num_queries, tool_count
):
    _big_plan(person, tool_count)
    person_api.get("/api/v1/plan.ics")

    with django_assert_num_queries(5):
        response = person_api.get("/api/v1/plan.ics")
    assert len(_events(response)) == tool_count - tool_count // 4 + 1
