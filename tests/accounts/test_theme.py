"""The colour-mode switch: auto, light or dark, kept on the account of a signed-in person and
in the cookie static/js/theme.js reads before the page is painted; a log-in brings the
account's choice to the device. The server never reads the cookie, so pages don't vary by it."""

import pytest
from django.test import Client

from careerguide.accounts.models import THEME_COOKIE, User
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_a_signed_in_person_s_choice_is_kept_on_the_account_and_in_the_cookie():
    person = UserFactory()
    web = Client()
    web.force_login(person)

    response = web.post("/theme/", {"theme": "dark", "next": "/es/compare/"})

    assert response.status_code == 302
    assert response["Location"] == "/es/compare/"
    assert response.cookies[THEME_COOKIE].value == "dark"
    assert response.cookies[THEME_COOKIE]["samesite"] == "Lax"
    assert not response.cookies[THEME_COOKIE]["httponly"]
    assert User.objects.get(pk=person.pk).theme == "dark"


def test_a_visitor_s_choice_is_kept_in_the_cookie_only():
    response = Client().post("/theme/", {"theme": "light", "next": "/roles/"})

    assert response.status_code == 302
    assert response.cookies[THEME_COOKIE].value == "light"


@pytest.mark.parametrize("theme", ["", "blue", "DARK", "dark "])
def test_a_mode_the_site_does_not_have_is_refused(theme):
    person = UserFactory(theme="light")
    web = Client()
    web.force_login(person)

    response = web.post("/theme/", {"theme": theme})

    assert response.status_code == 400
    assert THEME_COOKIE not in response.cookies
    assert User.objects.get(pk=person.pk).theme == "light"


def test_the_switch_goes_back_only_to_this_site():
    response = Client().post("/theme/", {"theme": "dark", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_switch_takes_posts_only():
    assert Client().get("/theme/?theme=dark").status_code == 405


def test_a_log_in_brings_the_account_s_choice_to_this_device():
    person = UserFactory(theme="dark")
    web = Client()
    web.cookies[THEME_COOKIE] = "light"

    response = web.post(
        "/accounts/login/", {"username": person.username, "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert response.cookies[THEME_COOKIE].value == "dark"


def test_the_cookie_does_not_change_a_cached_anonymous_page():
    web = Client()
    first = web.get("/roles/").content
    web.cookies[THEME_COOKIE] = "dark"

    assert web.get("/roles/").content == first
