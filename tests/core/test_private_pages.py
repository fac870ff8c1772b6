"""Personal pages and answers are private and never stored by a cache; public pages say
nothing private."""

import pytest
from django.test import Client

from tests.core.helpers import token_of
from tests.factories import UserFactory
from tests.helpers import answers_leaning_to, take_assessment

pytestmark = pytest.mark.django_db


# 12. Personal answers are private and never stored ------------------------------------------


@pytest.mark.parametrize("path", ["/profile/", "/profile/export/", "/accounts/password_change/"])
def test_personal_pages_are_private_and_not_stored(site_content, path):
    web = Client()
    web.force_login(UserFactory())
    for _ in range(2):  # the profile's second answer comes from the cache
        response = web.get(path)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/api/v1/me/", "/api/v1/assessments/"])
def test_personal_api_answers_are_private_and_not_stored(site_content, path):
    api = Client(HTTP_AUTHORIZATION=f"Token {token_of(UserFactory())}")
    for _ in range(2):
        response = api.get(path)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_public_pages_say_nothing_private(site_content):
    assert "private" not in Client().get("/tools/").get("Cache-Control", "")


def test_an_anonymous_persons_result_is_not_stored_either(site_content, version):
    browser = Client()
    response = take_assessment(browser, answers_leaning_to(version, [site_content.data.slug]))
    page = browser.get(response.url)
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
