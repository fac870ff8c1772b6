"""Found by an adversarial review of the learning plan: each test failed before its fix."""

import pytest

from plans import planning
from plans.models import Plan
from plans.progress import SESSION_KEY
from tests import factories
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize("role", ["data-\x00engineer", "\x00"])
def test_a_role_with_a_nul_byte_is_a_400_at_the_role(person_api, person, site_content, role):
    response = person_api.patch("/api/v1/plan/", {"role": role}, format="json")

    assert response.status_code == 400
    assert response.json() == {"role": ["Choose one of the roles in the catalog."]}
    assert not Plan.objects.filter(user=person).exists()
