"""The self-check, the plan, its steps and calendar as web pages, and the plan on the profile."""

import datetime
import re
import uuid

import pytest
from django.utils import timezone

from assessments.services.assessment import assessment_submit
from plans import planning
from plans.models import Plan, PlanStep, PlanStepChange, SkillRating
from roles.models import Tool
from tests import factories
from tests.helpers import answers_leaning_to

pytestmark = pytest.mark.django_db

MLOPS_TOOLS = ["docker", "kubeflow", "mlflow", "airflow", "dvc"]  # the role's tools, by order


def _levels(**levels) -> dict[str, int]:
    return {f"level-{slug}": level for slug, level in levels.items()}


def _all_levels(slugs, level=0) -> dict[str, int]:
    return {f"level-{slug}": level for slug in slugs}


@pytest.fixture
def signed_in(client, site_content, person):
    client.force_login(person)
    return client


@pytest.fixture
def planned(signed_in, person, site_content):
    """A signed-in person whose plan is for MLOps, rated new to everything but MLflow."""
    response = signed_in.post(
        "/plan/skills/?role=mlops-engineer", {**_all_levels(MLOPS_TOOLS), "level-mlflow": 3}
    )
    assert response.status_code == 302
    return signed_in


def _step_slugs(response) -> list[str]:
    return [item.tool.slug for item in response.context["plan"].steps]


# The self-check ---------------------------------------------------------------------------


def test_the_self_check_shows_each_tool_of_the_role_with_five_plain_levels(client, site_content):
    response = client.get("/plan/skills/?role=mlops-engineer")

    assert response.status_code == 200
    html = response.content.decode()
    assert [tool.slug for tool, _ in response.context["form"].rows()] == MLOPS_TOOLS
    assert html.count("<fieldset") == len(MLOPS_TOOLS)
    assert "<legend" in html and "Packages a model and everything it needs" in html
    for meaning in planning.LEVELS.values():
        assert html.count(meaning) == len(MLOPS_TOOLS)
    assert html.count('type="radio"') == 5 * len(MLOPS_TOOLS)
    assert "no-store" in response["Cache-Control"]


def test_the_self_check_of_every_tool_lists_the_whole_catalog(client, site_content):
    response = client.get("/plan/skills/?all=1")

    assert response.status_code == 200
    assert len(response.context["form"].rows()) == len(site_content.tools)


def test_the_self_check_is_prefilled_with_the_latest_ratings(signed_in, person, site_content):
    factories.SkillRatingFactory(user=person, tool=site_content.tools["docker"], level=3)

    html = signed_in.get("/plan/skills/?role=mlops-engineer").content.decode()

    checked = re.findall(r'name="level-docker" value="(\d)"[^>]*checked', html)
    assert checked == ["3"]


def test_an_unknown_role_is_not_found(client, site_content):
    assert client.get("/plan/skills/?role=astronaut").status_code == 404


def test_a_role_with_no_tools_says_so_with_a_400(client, site_content):
    factories.RoleFactory(name="Data steward", slug="data-steward")

    response = client.get("/plan/skills/?role=data-steward")

    assert response.status_code == 400
    assert "Data steward has no tools to plan yet." in response.content.decode()


def test_saving_the_self_check_signed_in_keeps_ratings_and_sets_the_role(
    signed_in, person, site_content
):
    response = signed_in.post(
        "/plan/skills/?role=mlops-engineer", {**_all_levels(MLOPS_TOOLS, 1), "level-docker": 4}
    )

    assert response.status_code == 302 and response.url == "/plan/"
    levels = dict(SkillRating.objects.filter(user=person).values_list("tool__slug", "level"))
    assert levels == {**dict.fromkeys(MLOPS_TOOLS, 1), "docker": 4}
    assert Plan.objects.get(user=person).role == site_content.mlops


def test_retaking_the_self_check_replaces_the_levels(planned, person):
    planned.post("/plan/skills/?role=mlops-engineer", _all_levels(MLOPS_TOOLS, 2))

    assert set(SkillRating.objects.filter(user=person).values_list("level", flat=True)) == {2}
    assert SkillRating.objects.filter(user=person).count() == len(MLOPS_TOOLS)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"level-docker": "7"}, "Choose one of the five levels, from 0 to 4."),
        ({"level-docker": "-1"}, "Choose one of the five levels, from 0 to 4."),
        ({"level-docker": "two"}, "Choose one of the five levels, from 0 to 4."),
        ({"level-docker": None}, "Choose how well you know Docker."),
        ({"level-nosuch": "2"}, "&#x27;nosuch&#x27; is not a tool in the catalog."),
        ({"level-mlflow": "9", "level-kafka": "9"}, "the level of kafka must be from 0 to 4"),
    ],
)
def test_bad_levels_are_refused_at_the_field_and_nothing_is_saved(
    signed_in, person, change, message
):
    data = {**_all_levels(MLOPS_TOOLS, 1), **change}
    data = {name: value for name, value in data.items() if value is not None}

    response = signed_in.post("/plan/skills/?role=mlops-engineer", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SkillRating.objects.filter(user=person).exists()
    assert not Plan.objects.filter(user=person).exists()


def test_the_error_is_shown_at_the_tools_fieldset(signed_in):
    data = {**_all_levels(MLOPS_TOOLS, 1)}
    del data["level-kubeflow"]

    html = signed_in.post("/plan/skills/?role=mlops-engineer", data).content.decode()

    fieldset = re.search(r'<fieldset[^>]*id="tool-kubeflow"[^>]*>', html).group(0)
    assert 'aria-describedby="summary-kubeflow error-kubeflow"' in fieldset
    assert 'id="error-kubeflow">Choose how well you know Kubeflow.' in html


def test_a_posted_level_of_a_catalog_tool_outside_the_role_is_kept(signed_in, person):
    signed_in.post(
        "/plan/skills/?role=mlops-engineer", {**_all_levels(MLOPS_TOOLS), "level-kafka": 2}
    )

    assert SkillRating.objects.get(user=person, tool__slug="kafka").level == 2


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
        "/plan/skills/?role=mlops-engineer", {**_all_levels(MLOPS_TOOLS), "level-docker": 2}
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


# Query counts -----------------------------------------------------------------------------


def _big_role(step_count: int, person) -> str:
    """A role of `step_count` tools, each requiring the one before, with a status on half."""
    role = factories.RoleFactory(slug=f"big-{step_count}")
    previous = None
    tools = []
    for _ in range(step_count):
        tool = factories.ToolFactory(roles=[role], prerequisites=[previous] if previous else [])
        tools.append(tool)
        previous = tool
    plan = factories.PlanFactory(user=person, role=role)
    for tool in tools[: step_count // 2]:
        PlanStep.objects.create(plan=plan, tool=tool, status="in_progress")
        factories.SkillRatingFactory(user=person, tool=tool, level=1)
    return role.slug


@pytest.mark.parametrize("step_count", [4, 60])
def test_the_plan_page_runs_a_fixed_number_of_queries(
    client, person, django_assert_num_queries, step_count
):
    _big_role(step_count, person)
    client.force_login(person)
    client.get("/plan/")  # the catalog's tool cards, built once per catalog version

    # session, user, plan with its role, its steps, their tools, the ratings
    with django_assert_num_queries(6):
        response = client.get("/plan/")
    assert len(response.context["plan"].steps) == step_count


@pytest.mark.parametrize("step_count", [4, 60])
def test_the_self_check_runs_a_fixed_number_of_queries(
    client, person, django_assert_num_queries, step_count
):
    role = _big_role(step_count, person)
    client.force_login(person)
    client.get(f"/plan/skills/?role={role}")

    with django_assert_num_queries(3):  # session, user, the ratings
        response = client.get(f"/plan/skills/?role={role}")
    assert len(response.context["form"].rows()) == step_count


@pytest.mark.parametrize("step_count", [4, 60])
def test_an_anonymous_plan_runs_a_fixed_number_of_queries(
    client, db, django_assert_num_queries, step_count
):
    role = _big_role(step_count, factories.UserFactory())
    client.post("/plan/", {"role": role})
    client.get("/plan/")

    with django_assert_num_queries(1):  # the session
        response = client.get("/plan/")
    assert len(response.context["plan"].steps) == step_count


@pytest.mark.parametrize("step_count", [4, 60])
def test_the_profile_with_a_plan_runs_a_fixed_number_of_queries(
    client, person, django_assert_num_queries, step_count
):
    role = _big_role(step_count, person)
    client.force_login(person)
    client.post(
        "/plan/steps/" + Tool.objects.filter(roles__slug=role).first().slug + "/",
        {"status": "done"},
    )
    client.get("/plan/")

    # session, user, the count of assessments (none), fit history; then the plan with its
    # role, its steps and their tools, the ratings and the plan's dated changes; the live share
    # links
    with django_assert_num_queries(10):
        response = client.get("/profile/")
    assert response.status_code == 200


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
