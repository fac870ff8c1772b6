"""What the API makes of odd request bodies: JSON nested too deeply, numbers too long for
Python (a 400), bodies over the size limit (a 413): problem details, never a 500."""

import json

import pytest
from rest_framework.test import APIClient

from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import problem

pytestmark = pytest.mark.django_db


# 4. JSON nested too deeply ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/auth/login/", "/api/v1/assessments/"])
def test_json_nested_too_deeply_is_a_400(path):
    api = APIClient()
    api.force_authenticate(UserFactory())
    response = api.post(path, "[" * 50000, content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()


def test_a_number_too_long_for_python_is_a_plain_400(client, site_content):
    response = client.post(
        "/api/v1/auth/login/", '{"username": ' + "9" * 5000 + "}", content_type="application/json"
    )
    assert response.status_code == 400
    assert problem(response)["detail"] == ("JSON parse error - a number is too long.")


def test_an_api_body_over_the_size_limit_is_a_413_problem(client, site_content, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/api/v1/auth/login/", '{"username": "' + "x" * 5000 + '"}', content_type="application/json"
    )
    assert response.status_code == 413
    assert problem(response)["code"] == "too_large"


def test_a_body_over_a_megabyte_is_refused_by_default(client, site_content):
    """Django's default is 2.5 MB; no form or endpoint of ours needs near one (the proxy
    caps bodies too: README, Deploying)."""
    person = UserFactory()
    padding = "x" * 1_100_000

    api = client.post(
        "/api/v1/auth/login/",
        json.dumps({"username": person.username, "password": TEST_PASSWORD, "pad": padding}),
        content_type="application/json",
    )
    site = client.post(
        "/accounts/login/",
        {"username": person.username, "password": TEST_PASSWORD, "pad": padding},
    )

    assert api.status_code == 413
    assert problem(api)["code"] == "too_large"
    assert site.status_code == 400
