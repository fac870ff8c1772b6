"""The learning plan on the profile: its progress and chart."""

import datetime
import re

import pytest
from django.utils import timezone

from plans.models import Plan, PlanStep, PlanStepChange
from roles.models import Tool

pytestmark = pytest.mark.django_db


# The profile ------------------------------------------------------------------------------


def test_the_profile_shows_the_plans_progress_and_its_chart(planned, person):
    planned.post("/plan/steps/docker/", {"status": "done"})
    planned.post("/plan/steps/kubeflow/", {"status": "done"})
    PlanStepChange.objects.filter(tool__slug="docker").update(
        changed_on=timezone.localdate() - datetime.timedelta(days=3)
    )

    response = planned.get("/profile/")

    html = response.content.decode()
    assert "Learning plan" in html and "MLOps engineer" in html
    assert re.search(r'class="[^"]*plan-steps-done">2 of 4<', html)
    assert re.search(r'class="[^"]*plan-hours-done">40 of 80 \(50%\)<', html)
    assert 'href="/plan/"' in html
    assert html.count('class="hours-point"') == 2
    assert 'aria-labelledby="hours-chart-desc"' in html
    assert "The chart's hours as a table" in html
    assert re.findall(r'<th scope="row">[^<]+</th><td>(\d+)</td>', html) == ["20", "40"]


def test_the_profile_invites_a_plan_when_there_is_none(signed_in):
    html = signed_in.get("/profile/").content.decode()

    assert "You have no learning plan yet." in html and 'href="/plan/skills/"' in html


def test_the_profile_follows_a_status_change_at_once(planned):
    planned.get("/plan/")  # shows the self-check's flash message: the profile may be cached
    assert "0 of 4" in planned.get("/profile/").content.decode()  # now cached

    planned.post("/plan/steps/docker/", {"status": "done"})
    planned.get("/plan/")  # shows and clears the flash message

    assert re.search(r'plan-steps-done">1 of 4<', planned.get("/profile/").content.decode())


def test_a_cached_profile_never_shows_yesterdays_dates(
    planned, person, monkeypatch, django_assert_num_queries
):
    # Started long ago: its first step runs late, so it is due today, and the rest after it.
    Plan.objects.filter(user=person).update(
        started_on=timezone.localdate() - datetime.timedelta(days=100)
    )
    planned.get("/plan/")  # shows the self-check's flash message: the profile may be cached
    first = planned.get("/profile/").content.decode()
    with django_assert_num_queries(2):  # the session and the user: the page is cached today
        assert planned.get("/profile/").content.decode() == first
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)

    second = planned.get("/profile/").content.decode()

    finish = re.compile(r'plan-finish">([^<]+)<')
    assert finish.search(first).group(1) != finish.search(second).group(1)


def test_a_cached_profile_follows_an_editors_new_estimate(planned):
    planned.get("/plan/")  # shows the self-check's flash message: the profile may be cached
    assert re.search(r'plan-hours-done">0 of 80 ', planned.get("/profile/").content.decode())
    docker = Tool.objects.get(slug="docker")
    docker.hours_to_learn = 40
    docker.save()

    html = planned.get("/profile/").content.decode()

    assert re.search(r'plan-hours-done">0 of 100 ', html)


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
