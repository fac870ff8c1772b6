import datetime

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from assessments.models import Assessment
from careerguide.accounts import services
from careerguide.accounts.models import User
from tests.accounts.helpers import register
from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import problem, problem_fields

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
    assert field in problem_fields(response)


def test_register_refuses_a_taken_username_or_email(api):
    UserFactory(username="taken", email="taken@example.com")
    response = api.post(
        "/api/v1/auth/register/",
        {"username": "TAKEN", "email": "Taken@example.com", "password": TEST_PASSWORD},
    )
    assert response.status_code == 400
    # Never whether the e-mail address has an account (tests/accounts/test_signup_privacy.py).
    assert set(problem_fields(response)) == {"username"}


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
    assert problem(response)["detail"] == ("Unable to log in with that username and password.")


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
    assert wrong.status_code == 400 and "password" in problem_fields(wrong)
    missing = person_api.delete("/api/v1/me/", {})
    assert missing.status_code == 400 and "password" in problem_fields(missing)

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


# 9. Knox: the token limit is enforced; a request doesn't walk the person's tokens ----------


@override_settings(REST_KNOX={"TOKEN_TTL": datetime.timedelta(days=30), "TOKEN_LIMIT_PER_USER": 3})
def test_logging_in_beyond_the_token_limit_revokes_the_oldest_token():
    person = UserFactory()
    api = APIClient()
    tokens = [
        api.post(
            "/api/v1/auth/login/", {"username": person.username, "password": TEST_PASSWORD}
        ).json()["token"]
        for _ in range(5)
    ]

    assert AuthToken.objects.filter(user=person).count() == 3

    def works(token):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client.get("/api/v1/me/").status_code == 200

    assert [works(token) for token in tokens] == [False, False, True, True, True]


def test_the_default_token_limit_is_20_and_registration_counts(api):
    token = register(api, "mo", "mo@example.com").json()["token"]
    person = User.objects.get(username="mo")
    for _ in range(25):  # as many log-ins (the API's "auth" rate would slow a test down)
        services.token_create(user=person)

    assert AuthToken.objects.filter(user=person).count() == 20
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").status_code == 401  # the first one made room long ago


def test_a_token_request_reads_one_token_however_many_the_person_holds(
    person, django_assert_num_queries
):
    for _ in range(15):
        AuthToken.objects.create(person)
    expired, _ = AuthToken.objects.create(person)
    AuthToken.objects.filter(pk=expired.pk).update(expiry=timezone.now() - datetime.timedelta(1))
    _, key = AuthToken.objects.create(person)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    # The token with its user, then the count of assessments: the other tokens are not read.
    with django_assert_num_queries(2):
        assert client.get("/api/v1/me/").status_code == 200


def test_logging_in_deletes_the_persons_expired_tokens(person, api):
    old, _ = AuthToken.objects.create(person)
    AuthToken.objects.filter(pk=old.pk).update(expiry=timezone.now() - datetime.timedelta(1))

    api.post("/api/v1/auth/login/", {"username": person.username, "password": TEST_PASSWORD})

    assert not AuthToken.objects.filter(pk=old.pk).exists()


# 16. Logging out over the API with a session ends the session ---------------------------


def test_api_logout_with_a_session_cookie_logs_the_session_out():
    person = UserFactory()
    browser = Client()
    browser.force_login(person)
    assert browser.get("/profile/").status_code == 200

    response = browser.post("/api/v1/auth/logout/")

    assert response.status_code == 204
    assert "_auth_user_id" not in browser.session
    profile = browser.get("/profile/")
    assert profile.status_code == 302 and profile.url.startswith("/accounts/login/")
    assert browser.get("/api/v1/me/").status_code == 401


def test_api_logout_with_a_session_needs_its_csrf_token():
    person = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)

    assert browser.post("/api/v1/auth/logout/").status_code == 403
    assert browser.get("/profile/").status_code == 200


def test_api_logout_with_a_token_still_revokes_only_that_token(person):
    _, first = AuthToken.objects.create(person)
    _, second = AuthToken.objects.create(person)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")

    assert api.post("/api/v1/auth/logout/").status_code == 204
    assert api.get("/api/v1/me/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api.get("/api/v1/me/").status_code == 200


def test_the_deploy_check_asks_for_site_url_and_refuses_a_malformed_one(settings):
    from careerguide.accounts.checks import site_url_is_an_origin, site_url_is_set

    settings.SITE_URL = ""
    assert [warning.id for warning in site_url_is_set(None)] == ["accounts.W001"]
    for wrong in ["careerguide.example.com", "https://careerguide.example.com/app", "ftp://x"]:
        settings.SITE_URL = wrong
        assert [error.id for error in site_url_is_an_origin(None)] == ["accounts.E001"], wrong
    settings.SITE_URL = "https://careerguide.example.com:8443"
    assert site_url_is_an_origin(None) == [] and site_url_is_set(None) == []


# 2. Answers that carry a token are never stored ---------------------------------------------


def test_the_api_register_and_log_in_answers_are_no_store():
    api = APIClient()
    registered = api.post(
        "/api/v1/auth/register/",
        {"username": "newcomer", "email": "newcomer@example.com", "password": TEST_PASSWORD},
    )
    logged_in = api.post("/api/v1/auth/login/", {"username": "newcomer", "password": TEST_PASSWORD})

    for response in (registered, logged_in):
        assert response.status_code in (200, 201)
        assert "token" in response.json()
        assert "no-store" in response["Cache-Control"]


# 3. A token header that is not UTF-8 -----------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/me/", "/api/v1/auth/logout/"])
def test_a_token_of_bytes_that_are_not_utf8_is_a_401(path):
    # WSGI hands headers over as latin-1: these are the bytes 0xff 0xfe.
    response = APIClient().post(path, HTTP_AUTHORIZATION="Token \xff\xfe")

    assert response.status_code == 401
    assert problem(response)["detail"] == ("Invalid token.")
