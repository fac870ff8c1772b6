"""An anonymous person's self-check and plan live in their session, and become theirs when
they log in or sign up (on the site or through the API)."""

import json

import pytest

from plans import planning
from plans.models import Plan, SkillRating
from plans.progress import SESSION_KEY
from tests import factories
from tests.factories import TEST_PASSWORD
from tests.helpers import problem_messages

pytestmark = pytest.mark.django_db

DATA_TOOLS = ["kafka", "flink", "spark", "redshift", "airflow", "dvc"]


@pytest.fixture
def sketched(client, site_content):
    """An anonymous browser that took the data engineering self-check (knows Spark well,
    tried Kafka) and set 10 hours a week."""
    levels = {f"level-{slug}": 0 for slug in DATA_TOOLS}
    levels.update({"level-spark": 4, "level-kafka": 2})
    assert client.post("/plan/skills/?role=data-engineer", levels).status_code == 302
    assert client.post("/plan/", {"hours_per_week": "10"}).status_code == 302
    return client


def _expect_claimed(user, site_content):
    levels = dict(SkillRating.objects.filter(user=user).values_list("tool__slug", "level"))
    assert levels == {**dict.fromkeys(DATA_TOOLS, 0), "spark": 4, "kafka": 2}
    plan = Plan.objects.get(user=user)
    assert plan.role == site_content.data and plan.hours_per_week == 10


def test_the_self_check_is_kept_in_the_session_and_planned_from_it(sketched):
    response = sketched.get("/plan/")

    assert response.status_code == 200
    view = response.context["plan"]
    assert view.role_slug == "data-engineer" and view.hours_per_week == 10
    steps = {item.tool.slug: item.step.hours for item in view.steps}
    assert "spark" not in steps and steps["kafka"] == 10  # tried it: half of 20 hours
    html = response.content.decode()
    assert "Sign up or log in to keep it" in html
    assert 'href="/accounts/signup/?next=/plan/"' in html
    assert 'class="step-status-form' not in html and "calendar.ics" not in html
    assert not SkillRating.objects.exists() and not Plan.objects.exists()


def test_the_self_check_is_prefilled_from_the_session(sketched):
    html = sketched.get("/plan/skills/?role=data-engineer").content.decode()

    assert 'name="level-spark" value="4" id="id_level-spark_4" checked' in html


def test_an_anonymous_persons_role_and_pace_are_checked_too(sketched, site_content):
    factories.RoleFactory(name="Data steward", slug="data-steward")

    no_tools = sketched.post("/plan/", {"role": "data-steward"})
    assert no_tools.status_code == 400
    assert "Data steward has no tools to plan yet." in no_tools.content.decode()

    too_much = sketched.post("/plan/", {"hours_per_week": "61"})
    assert too_much.status_code == 400
    assert "Hours a week must be a whole number from 1 to 60." in too_much.content.decode()

    view = sketched.get("/plan/").context["plan"]
    assert view.role_slug == "data-engineer" and view.hours_per_week == 10


def test_an_anonymous_person_without_a_role_is_asked_for_one(client, site_content):
    response = client.get("/plan/")

    assert response.status_code == 200
    assert "Choose a role above to see your plan" in response.content.decode()


def test_steps_are_tracked_only_with_an_account(sketched):
    response = sketched.post("/plan/steps/kafka/", {"status": "done"})

    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_logging_in_keeps_the_sessions_self_check_role_and_pace(sketched, site_content):
    person = factories.UserFactory()

    response = sketched.post(
        "/accounts/login/?next=/plan/", {"username": person.username, "password": TEST_PASSWORD}
    )

    assert response.status_code == 302 and response.url == "/plan/"
    _expect_claimed(person, site_content)
    assert SESSION_KEY not in sketched.session
    assert sketched.get("/plan/").context["can_track"]


def test_signing_up_keeps_the_sessions_self_check_role_and_pace(sketched, site_content):
    response = sketched.post(
        "/accounts/signup/",
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )

    assert response.status_code == 302
    _expect_claimed(
        factories.UserFactory._meta.model.objects.get(username="newcomer"), site_content
    )


def test_the_api_log_in_keeps_the_sessions_work_too(sketched, site_content):
    person = factories.UserFactory()

    response = sketched.post(
        "/api/v1/auth/login/",
        {"username": person.username, "password": TEST_PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 200
    _expect_claimed(person, site_content)


def test_a_saved_plan_wins_over_the_sessions_role_and_pace(sketched, site_content):
    person = factories.UserFactory()
    factories.PlanFactory(user=person, role=site_content.mlops, hours_per_week=3)

    sketched.post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})

    plan = Plan.objects.get(user=person)
    assert plan.role == site_content.mlops and plan.hours_per_week == 3
    assert SkillRating.objects.get(user=person, tool__slug="spark").level == 4


def test_a_malformed_session_is_ignored_and_never_stops_a_log_in(client, site_content):
    session = client.session
    session[SESSION_KEY] = {"levels": {"spark": "four", "kafka": 9, "nosuch": 1}, "role": 7}
    session.save()
    person = factories.UserFactory()

    assert client.get("/plan/").status_code == 200
    response = client.post(
        "/accounts/login/", {"username": person.username, "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert not SkillRating.objects.filter(user=person).exists()
    assert not Plan.objects.filter(user=person).exists()


def test_an_anonymous_pace_defaults_until_one_is_set(client, site_content):
    client.post("/plan/", {"role": "mlops-engineer"})

    view = client.get("/plan/").context["plan"]

    assert view.hours_per_week == planning.DEFAULT_HOURS_PER_WEEK


def test_a_role_gone_from_the_catalog_asks_for_another(client, site_content):
    client.post("/plan/", {"role": "data-engineer"})
    site_content.data.delete()

    response = client.get("/plan/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="role-error">Choose one of the roles in the catalog.' in html
    assert '<option value="">Choose a role</option>' in html


def _tamper(client, **sketch):
    session = client.session
    session[SESSION_KEY] = sketch
    session.save()


@pytest.mark.parametrize("level", [-1, 5, 10**9])
def test_a_level_out_of_range_in_the_session_breaks_no_page_and_no_log_in(
    client, site_content, level
):
    _tamper(client, levels={"kafka": level, "spark": 1}, role="data-engineer", hours_per_week=5)

    for path in (
        "/plan/",
        "/plan/skills/",
        "/plan/skills/?role=data-engineer",
        "/plan/skills/?all=1",
    ):
        assert client.get(path).status_code == 200, path
    person = factories.UserFactory()
    response = client.post(
        "/accounts/login/", {"username": person.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/plan/").status_code == 200
    assert client.get("/profile/").status_code == 200


@pytest.mark.parametrize("pace", [0, -3, 61, 10**9])
def test_a_pace_out_of_range_in_the_session_is_left_out(client, site_content, pace):
    _tamper(client, levels={"spark": 1}, role="data-engineer", hours_per_week=pace)

    response = client.get("/plan/")

    assert response.status_code == 200
    assert response.context["plan"].hours_per_week == planning.DEFAULT_HOURS_PER_WEEK


@pytest.mark.parametrize("role", ["data-\x00engineer", "\x00", "\ud800", "data-engineer\udfff"])
def test_a_role_with_a_nul_byte_or_a_lone_surrogate_is_a_400_at_the_role(
    person_api, person, site_content, role
):
    # As a client sends it: JSON escapes, ASCII on the wire.
    body = json.dumps({"role": role}, ensure_ascii=True)
    response = person_api.patch("/api/v1/plan/", body, content_type="application/json")

    assert response.status_code == 400
    assert problem_messages(response) == {"role": ["Choose one of the roles in the catalog."]}
    assert not Plan.objects.filter(user=person).exists()
