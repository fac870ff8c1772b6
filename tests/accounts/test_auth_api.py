import datetime

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from assessments.models import Assessment
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_register_returns_a_token_that_works(api):
    response = api.post(
        "/api/v1/auth/register/",
        {"username": "mo", "email": "mo@example.com", "password": TEST_PASSWORD},
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "expiry", "user"}
    assert body["user"]["username"] == "mo"
    api.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert api.get("/api/v1/me/").json()["username"] == "mo"


def test_tokens_are_stored_hashed_and_expire_in_30_days(api, person):
    body = api.post(
        "/api/v1/auth/login/", {"username": person.username, "password": TEST_PASSWORD}
    ).json()

    stored = AuthToken.objects.get(user=person)
    assert body["token"] not in (stored.digest, stored.token_key)
    assert stored.token_key == body["token"][: len(stored.token_key)]
    expected = timezone.now() + datetime.timedelta(days=30)
    assert abs(stored.expiry - expected) < datetime.timedelta(minutes=1)


def test_an_expired_token_is_refused(person_api, person):
    AuthToken.objects.filter(user=person).update(expiry=timezone.now() - datetime.timedelta(1))
    assert person_api.get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "mo", "email": "mo@example.com", "password": "password"}, "password"),
        ({"username": "mo", "email": "not-an-email", "password": TEST_PASSWORD}, "email"),
        ({"username": "", "email": "mo@example.com", "password": TEST_PASSWORD}, "username"),
        ({"username": "m o", "email": "mo@example.com", "password": TEST_PASSWORD}, "username"),
        ({"email": "mo@example.com", "password": TEST_PASSWORD}, "username"),
    ],
)
def test_register_reports_bad_fields(api, body, field):
    response = api.post("/api/v1/auth/register/", body)

    assert response.status_code == 400
    assert field in response.json()


def test_register_refuses_a_taken_username_or_email(api):
    UserFactory(username="taken", email="taken@example.com")
    response = api.post(
        "/api/v1/auth/register/",
        {"username": "TAKEN", "email": "Taken@example.com", "password": TEST_PASSWORD},
    )
    assert response.status_code == 400
    # Never whether the e-mail address has an account (tests/accounts/test_signup_privacy.py).
    assert set(response.json()) == {"username"}


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "nobody", "password": TEST_PASSWORD},
        {"username": "PERSON", "password": "wrong-password"},
    ],
)
def test_wrong_credentials_never_say_which_field_was_wrong(api, credentials):
    UserFactory(username="PERSON")
    response = api.post("/api/v1/auth/login/", credentials)

    assert response.status_code == 400
    assert response.json() == {"detail": "Unable to log in with that username and password."}


def test_logout_revokes_the_token(person_api, person):
    assert person_api.post("/api/v1/auth/logout/").status_code == 204
    assert person_api.get("/api/v1/me/").status_code == 401
    assert not AuthToken.objects.filter(user=person).exists()


def test_password_change_and_deactivation_revoke_tokens(person_api, person, token):
    person.set_password("a-new-long-password-55")
    person.save()
    assert person_api.get("/api/v1/me/").status_code == 401

    _, key = AuthToken.objects.create(person)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").status_code == 200
    person.is_active = False
    person.save()
    assert client.get("/api/v1/me/").status_code == 401


def test_me_reports_the_account_and_its_assessment_count(person_api, person):
    body = person_api.get("/api/v1/me/").json()
    assert body == {
        "id": person.pk,
        "username": person.username,
        "email": person.email,
        "date_joined": body["date_joined"],
        "language": "",
        "assessment_count": 0,
    }


def test_me_needs_authentication(api):
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_deleting_the_account_needs_the_password(person_api, person):
    wrong = person_api.delete("/api/v1/me/", {"password": "nope"})
    assert wrong.status_code == 400 and "password" in wrong.json()
    missing = person_api.delete("/api/v1/me/", {})
    assert missing.status_code == 400 and "password" in missing.json()

    assert person_api.delete("/api/v1/me/", {"password": TEST_PASSWORD}).status_code == 204
    assert not type(person).objects.filter(pk=person.pk).exists()
    assert Assessment.objects.count() == 0


def test_session_authentication_needs_csrf(person):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(person)
    assert client.get("/api/v1/me/").status_code == 200
    assert client.post("/api/v1/auth/logout/").status_code == 403


def test_login_is_throttled_with_retry_after(api, settings):
    for _ in range(10):
        api.post("/api/v1/auth/login/", {"username": "x", "password": "y"})
    response = api.post("/api/v1/auth/login/", {"username": "x", "password": "y"})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "detail" in response.json()


def test_x_forwarded_for_cannot_dodge_the_api_throttle(api):
    for number in range(10):
        api.post(
            "/api/v1/auth/register/", {}, format="json", HTTP_X_FORWARDED_FOR=f"10.1.0.{number}"
        )
    response = api.post(
        "/api/v1/auth/register/", {}, format="json", HTTP_X_FORWARDED_FOR="192.0.2.55"
    )
    assert response.status_code == 429
