"""The self-check, the plan, its steps and calendar as web pages, and the plan on the profile."""

import re
import uuid

import pytest
from django.utils import timezone

from assessments.services.assessment import assessment_submit
from plans import planning
from plans.models import Plan, PlanStep
from tests import factories
from tests.helpers import answers_leaning_to
from tests.plans.helpers import MLOPS_TOOLS, all_levels

pytestmark = pytest.mark.django_db


def _step_slugs(response) -> list[str]:
    return [item.tool.slug for item in response.context["plan"].steps]


# The plan ---------------------------------------------------------------------------------


def test_the_plan_lists_ordered_dated_steps_with_hours_and_milestones(planned, person):
    response = planned.get("/plan/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    # MLflow is known (3): not a step. Docker comes before Kubeflow, which requires it.
    assert _step_slugs(response) == ["docker", "kubeflow", "airflow", "dvc"]
    html = response.content.decode()
    today = timezone.localdate()
    assert 'href="/tools/docker/"' in html
    assert "About 20 hours for you" in html
    assert f"Starts {today:%-d %b %Y}" in html
    assert "Install it and run the tutorial" in html
    outline = response.context["outline"]
    assert outline.hours_total == 80 and outline.hours_done == 0
    assert f'you finish on <strong class="plan-finish">{outline.finish:%-d %B %Y}' in html
    assert re.search(r'<progress class="plan-progress" id="plan-progress" max="80" value="0"', html)
    assert html.count('class="step-status-form') == 4
    assert "/plan/calendar.ics" in html


def test_a_rating_of_1_or_2_shortens_the_step(signed_in):
    signed_in.post(
        "/plan/skills/?role=mlops-engineer", {**all_levels(MLOPS_TOOLS), "level-docker": 2}
    )

    steps = signed_in.get("/plan/").context["plan"].steps

    assert {item.tool.slug: item.step.hours for item in steps}["docker"] == 10


def test_switching_the_role_re_plans_and_keeps_statuses(planned, person, site_content):
    planned.post("/plan/steps/airflow/", {"status": "done"})

    response = planned.post("/plan/", {"role": "data-engineer"})

    assert response.status_code == 302
    assert Plan.objects.get(user=person).role == site_content.data
    steps = planned.get("/plan/").context["plan"].steps
    assert {item.tool.slug: item.step.status for item in steps}["airflow"] == "done"


@pytest.mark.parametrize("role", ["astronaut", ""])
def test_an_unknown_role_is_refused_at_the_role_field(planned, person, site_content, role):
    response = planned.post("/plan/", {"role": role})

    assert response.status_code == 400
    assert "Choose one of the roles in the catalog." in response.content.decode()
    assert Plan.objects.get(user=person).role == site_content.mlops


def test_a_role_with_no_tools_is_refused_at_the_role_field(planned, person, site_content):
    factories.RoleFactory(name="Data steward", slug="data-steward")

    response = planned.post("/plan/", {"role": "data-steward"})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="role-error">Data steward has no tools to plan yet.' in html
    assert Plan.objects.get(user=person).role == site_content.mlops


def test_the_pace_re_dates_the_plan(planned, person):
    before = planned.get("/plan/").context["outline"].finish

    response = planned.post("/plan/", {"hours_per_week": "20"})

    assert response.status_code == 302
    assert Plan.objects.get(user=person).hours_per_week == 20
    after = planned.get("/plan/").context["outline"].finish
    assert after < before


@pytest.mark.parametrize("value", ["0", "61", "-3", "ten", "4.5", "", "99999999"])
def test_a_pace_outside_1_to_60_or_not_a_number_is_refused_at_the_field(planned, person, value):
    response = planned.post("/plan/", {"hours_per_week": value})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="pace-error">Hours a week must be a whole number from 1 to 60.' in html
    assert 'aria-invalid="true"' in html
    assert Plan.objects.get(user=person).hours_per_week == planning.DEFAULT_HOURS_PER_WEEK


def test_a_signed_in_person_without_a_plan_sees_their_latest_results_role(
    signed_in, result, person
):
    response = signed_in.get("/plan/")

    assert response.status_code == 200
    assert response.context["plan"].role_slug == result.top_role.slug
    assert not response.context["can_track"]
    assert 'class="step-status-form' not in response.content.decode()
    assert not Plan.objects.filter(user=person).exists()  # a GET saves nothing

    signed_in.post("/plan/", {"role": result.top_role.slug})
    assert signed_in.get("/plan/").context["can_track"]


# Steps ------------------------------------------------------------------------------------


def test_marking_a_step_done_counts_its_hours_and_comes_back_to_the_plan(planned, person):
    response = planned.post("/plan/steps/docker/", {"status": "done"})

    assert response.status_code == 302 and response.url == "/plan/#step-docker"
    step = PlanStep.objects.get(plan__user=person, tool__slug="docker")
    assert step.status == "done" and step.hours_done == 20
    page = planned.get("/plan/")
    assert page.context["outline"].hours_done == 20
    assert "Docker: done." in page.content.decode()


@pytest.mark.parametrize("status", ["finished", "", "DONE"])
def test_an_unknown_status_is_refused_at_the_steps_field(planned, person, status):
    response = planned.post("/plan/steps/docker/", {"status": status})

    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'id="status-error-docker">Choose one of the statuses: ', html)
    assert not PlanStep.objects.filter(plan__user=person).exists()


@pytest.mark.parametrize("tool", ["nosuch", "kafka"])  # not in the catalog; not in the role
def test_a_step_that_is_not_in_the_plan_is_not_found(planned, person, tool):
    assert planned.post(f"/plan/steps/{tool}/", {"status": "done"}).status_code == 404
    assert not PlanStep.objects.filter(plan__user=person).exists()


def test_a_step_of_someone_without_a_plan_is_not_found(signed_in, site_content):
    factories.PlanFactory(role=site_content.mlops)  # someone else's

    assert signed_in.post("/plan/steps/docker/", {"status": "done"}).status_code == 404
    assert not PlanStep.objects.exists()


def test_setting_a_status_needs_a_post_and_an_account(client, site_content):
    assert client.post("/plan/steps/docker/", {"status": "done"}).url.startswith(
        "/accounts/login/?next=/plan/"
    )
    client.force_login(factories.UserFactory())
    assert client.get("/plan/steps/docker/").status_code == 405


# The calendar -----------------------------------------------------------------------------


def test_the_calendar_is_an_ics_file_of_the_plans_dates(planned):
    response = planned.get("/plan/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"BEGIN:VCALENDAR")
    assert response.content.count(b"BEGIN:VEVENT") == 5  # four steps and the finish
    assert b"Learn Docker" in response.content


def test_the_calendar_needs_an_account_and_a_plan(client, site_content):
    assert client.get("/plan/calendar.ics").status_code == 302
    client.force_login(factories.UserFactory())
    assert client.get("/plan/calendar.ics").status_code == 404


# The result page --------------------------------------------------------------------------


def test_the_result_links_to_the_self_check_for_its_top_role(client, version, site_content):
    answers = answers_leaning_to(version, ["data-engineer"])
    assessment, _ = assessment_submit(
        version=version, answers=answers.items(), client_id=uuid.uuid4(), user=None
    )
    session = client.session
    session["anonymous_assessments"] = [str(assessment.pk)]
    session.save()

    html = client.get(assessment.get_absolute_url()).content.decode()

    assert 'href="/plan/skills/?role=data-engineer">Build my learning plan</a>' in html


def test_a_bad_status_for_a_tool_of_the_role_that_is_no_step_is_shown_on_the_page(
    client, person, site_content
):
    client.force_login(person)
    client.post("/plan/", {"role": "mlops-engineer"})
    client.post(
        "/plan/skills/?role=mlops-engineer",
        {
            "level-mlflow": 4,
            "level-docker": 0,
            "level-kubeflow": 0,
            "level-airflow": 0,
            "level-dvc": 0,
        },
    )  # MLflow: no step

    response = client.post("/plan/steps/mlflow/", {"status": "finished"})

    assert response.status_code == 400
    html = response.content.decode()
    # Before, it sat at a step the page doesn't show: nothing to read.
    assert 'id="step-error">MLflow: Choose one of the statuses' in html
    assert not PlanStep.objects.exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/plan/"),
        ("delete", "/plan/"),
        ("patch", "/plan/skills/"),
        ("delete", "/plan/skills/"),
        ("post", "/plan/calendar.ics"),
        ("put", "/plan/calendar.ics"),
    ],
)
def test_methods_the_plan_pages_dont_take_are_a_405(client, person, site_content, method, path):
    client.force_login(person)
    client.post("/plan/", {"role": "mlops-engineer"})

    response = getattr(client, method)(path)

    assert response.status_code == 405
