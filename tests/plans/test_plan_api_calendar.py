"""The plan API's calendar: GET plan.ics."""

import datetime

import pytest

from plans.models import Plan
from tests.helpers import problem
from tests.plans.helpers import (
    TODAY,
    ics_events,
    patch_plan,
)

pytestmark = pytest.mark.django_db


def test_the_calendar_is_an_ics_attachment_of_the_steps_left(person_api, site_content, today):
    patch_plan(person_api, role="mlops-engineer", hours_per_week=10)
    person_api.patch("/api/v1/plan/steps/docker/", {"status": "done"})
    person_api.patch("/api/v1/plan/steps/dvc/", {"status": "skipped"})

    response = person_api.get("/api/v1/plan.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == (
        'attachment; filename="careerguide-learning-plan.ics"'
    )
    assert "no-store" in response["Cache-Control"]
    events = ics_events(response)
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
    patch_plan(person_api, role="mlops-engineer")

    response = person_api.get("/api/v1/plan.ics", HTTP_ACCEPT="text/calendar")

    assert response.status_code == 200
    assert len(ics_events(response)) == 6


def test_there_is_no_calendar_before_a_plan_is_saved(person_api, result, today):
    response = person_api.get("/api/v1/plan.ics")

    assert response.status_code == 404
    assert "no learning plan yet" in problem(response)["detail"]
    assert not Plan.objects.exists()


def test_the_calendars_uids_stay_the_same_when_the_plan_is_dated_again(
    person_api, site_content, today
):
    patch_plan(person_api, role="mlops-engineer")
    before = {
        str(e["UID"]): e.decoded("DTEND")
        for e in ics_events(person_api.get("/api/v1/plan.ics")).values()
    }

    patch_plan(person_api, hours_per_week=20)
    after = {
        str(e["UID"]): e.decoded("DTEND")
        for e in ics_events(person_api.get("/api/v1/plan.ics")).values()
    }

    assert set(before) == set(after)
    assert before != after
