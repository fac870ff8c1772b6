"""The plan API: who may call skills/, plan/, plan/steps/{tool}/ and plan.ics."""

import pytest
from rest_framework.test import APIClient

from plans.models import Plan, SkillRating

pytestmark = pytest.mark.django_db


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
