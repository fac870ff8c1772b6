"""Issue 11, findings 4, 5, 6, 8, 9, 11 (django-axes) and 16: each test failed before its fix.
HTTP-level ones go through the real URLs and middleware."""

import datetime
import io
import re

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import authenticate, get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from careerguide.accounts import services
from careerguide.accounts.models import PasswordRecheckFailure
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def _register(api, username, email, password=TEST_PASSWORD):
    return api.post(
        "/api/v1/auth/register/", {"username": username, "email": email, "password": password}
    )


# 4. The API normalises usernames as the site does; case-insensitive uniqueness; races ----


@pytest.mark.parametrize("typed", ["Ｍallory", "ｍallory", "MALLORY"])
def test_the_api_refuses_a_username_that_is_taken_in_another_form(api, typed):
    UserFactory(username="mallory")

    response = _register(api, typed, "second@example.com")

    assert response.status_code == 400
    assert response.json() == {"username": ["That username is taken."]}
    assert User.objects.count() == 1


def test_the_api_stores_a_username_normalised_as_the_sign_up_form_does(api):
    response = _register(api, "Ｒenée", "renee@example.com")

    assert response.status_code == 201
    assert response.json()["user"]["username"] == "Renée"
    assert User.objects.get().username == "Renée"


def test_a_username_that_normalises_into_a_bad_one_is_refused_at_the_field(api):
    # "⑴" is a digit to a regular expression, but normalises to "(1)".
    response = _register(api, "sam⑴", "sam@example.com")

    assert response.status_code == 400
    assert "username" in response.json()


def test_the_database_refuses_two_usernames_that_differ_only_in_case():
    from django.db import IntegrityError, transaction

    UserFactory(username="mallory")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="Mallory", password=TEST_PASSWORD)


def test_a_race_for_one_username_answers_400_not_500(api, monkeypatch):
    """Two sign-ups at once both find the name free; the second insert then meets the unique
    constraint. Simulated by a check that misses the first one's row."""
    UserFactory(username="mallory")
    real_check = services.username_is_taken

    def filter_missing_mallory(username):
        if not filter_missing_mallory.raced:
            filter_missing_mallory.raced = True
            return False
        return real_check(username)

    filter_missing_mallory.raced = False
    monkeypatch.setattr(services, "username_is_taken", filter_missing_mallory)

    response = _register(api, "ｍallory", "second@example.com")

    assert filter_missing_mallory.raced
    assert response.status_code == 400
    assert response.json() == {"username": ["That username is taken."]}


def test_the_migration_renames_usernames_that_differ_only_in_case(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0002_editors_group")])
    old_apps = executor.loader.project_state([("accounts", "0002_editors_group")]).apps
    OldUser = old_apps.get_model("accounts", "User")
    first = OldUser.objects.create(username="mallory", password="!")
    second = OldUser.objects.create(username="Mallory", password="!")
    other = OldUser.objects.create(username="someone", password="!")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    names = dict(User.objects.values_list("pk", "username"))
    assert names == {first.pk: "mallory", second.pk: f"Mallory-{second.pk}", other.pk: "someone"}


# 5. A username of any length on the log-in pages: a field error, never a 500 --------------


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_a_very_long_username_is_an_error_at_its_field(url):
    response = Client().post(url, {"username": "a" * 300, "password": "whatever-it-is"})

    assert response.status_code in (200, 400)  # the admin's own pages answer 200
    assert "at most 150 characters" in " ".join(response.context["form"].errors["username"])
    if url.startswith("/accounts/"):
        assert response.status_code == 400


def test_a_long_username_that_reaches_the_lockout_is_counted_not_a_crash():
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="203.0.113.5")

    assert authenticate(request, username="x" * 300, password="whatever-it-is") is None

    attempt = AccessAttempt.objects.get()
    assert attempt.username == "x" * 255 and attempt.failures_since_start == 1


# 6. Password reset: limited per address and per e-mail; links from SITE_URL ---------------


def _ask_reset(client, email):
    return client.post("/accounts/password_reset/", {"email": email})


@override_settings(SITE_URL="https://careerguide.example.com")
def test_reset_links_are_built_from_site_url_never_from_the_host_header():
    UserFactory(email="reset@example.com")
    response = _ask_reset(Client(HTTP_HOST="127.0.0.1:6666"), "reset@example.com")

    assert response.status_code == 302
    body = mail.outbox[0].body
    assert "127.0.0.1:6666" not in body
    assert re.search(r"https://careerguide\.example\.com/accounts/reset/\S+/\S+/", body)


def test_without_site_url_development_links_use_the_request_host():
    UserFactory(email="reset@example.com")
    _ask_reset(Client(), "reset@example.com")

    assert "http://testserver/accounts/reset/" in mail.outbox[0].body


def test_reset_requests_are_limited_per_address_with_429():
    client = Client(REMOTE_ADDR="203.0.113.5")
    answers = [_ask_reset(client, f"nobody{n}@example.com").status_code for n in range(6)]

    assert answers == [302] * 5 + [429]
    limited = _ask_reset(client, "nobody@example.com")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    # Another address is not affected.
    assert _ask_reset(Client(REMOTE_ADDR="198.51.100.7"), "a@example.com").status_code == 302


def test_reset_emails_to_one_address_are_limited_whoever_asks():
    UserFactory(email="target@example.com")
    for number in range(5):
        response = _ask_reset(Client(REMOTE_ADDR=f"203.0.113.{number}"), "target@example.com")
        assert response.status_code == 302  # the same answer, sent or not

    assert len(mail.outbox) == 3


# 8. Password re-checks (delete the account, change the password) are limited --------------


def _change_password(client, old):
    return client.post(
        "/accounts/password_change/",
        {
            "old_password": old,
            "new_password1": "brand-new-pass-71",
            "new_password2": "brand-new-pass-71",
        },
    )


def test_guessing_the_old_password_on_the_change_page_is_limited():
    person = UserFactory()
    client = Client()
    client.force_login(person)

    answers = [_change_password(client, f"guess-{n}").status_code for n in range(5)]
    limited = _change_password(client, TEST_PASSWORD)

    assert answers == [400] * 5
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "Too many wrong passwords" in limited.context["form"].errors["old_password"][0]
    person.refresh_from_db()
    assert person.check_password(TEST_PASSWORD)


def test_guessing_the_password_to_delete_the_account_is_limited_on_the_site():
    person = UserFactory()
    client = Client()
    client.force_login(person)

    answers = [client.post("/profile/delete/", {"password": f"guess-{n}"}) for n in range(5)]
    limited = client.post("/profile/delete/", {"password": TEST_PASSWORD})

    assert [answer.status_code for answer in answers] == [400] * 5
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert User.objects.filter(pk=person.pk).exists()


def test_guessing_the_password_to_delete_the_account_is_limited_in_the_api(person_api, person):
    answers = [person_api.delete("/api/v1/me/", {"password": f"guess-{n}"}) for n in range(5)]
    limited = person_api.delete("/api/v1/me/", {"password": TEST_PASSWORD})

    assert [answer.status_code for answer in answers] == [400] * 5
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "Too many wrong passwords" in limited.json()["detail"]
    assert User.objects.filter(pk=person.pk).exists()


def test_the_re_check_limit_is_the_persons_whatever_the_address(person):
    """A stolen session can't dodge the limit by changing address."""
    client = Client()
    client.force_login(person)
    for number in range(5):
        client.post("/profile/delete/", {"password": "guess"}, REMOTE_ADDR=f"203.0.113.{number}")

    limited = client.post("/profile/delete/", {"password": TEST_PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert limited.status_code == 429


def test_the_re_check_allows_again_after_the_cool_off_and_a_right_one_clears(person, settings):
    for _ in range(4):
        with pytest.raises(services.ValidationError):
            services.password_recheck(user=person, password="guess")
    services.password_recheck(user=person, password=TEST_PASSWORD)
    assert not PasswordRecheckFailure.objects.exists()

    for _ in range(5):
        with pytest.raises(services.ValidationError):
            services.password_recheck(user=person, password="guess")
    with pytest.raises(services.TooManyAttempts) as limited:
        services.password_recheck(user=person, password=TEST_PASSWORD)
    assert 0 < limited.value.retry_after <= settings.AXES_COOLOFF_TIME.total_seconds()

    PasswordRecheckFailure.objects.update(
        created_at=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )
    services.password_recheck(user=person, password=TEST_PASSWORD)


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
    token = _register(api, "mo", "mo@example.com").json()["token"]
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


# 11. django-axes' records: deleted with the account, kept for a retention period ---------


def test_deleting_an_account_deletes_its_access_logs_and_attempts():
    person = UserFactory(username="leaving")
    other = UserFactory(username="staying")
    client = Client(REMOTE_ADDR="203.0.113.5")
    client.post("/accounts/login/", {"username": "Leaving", "password": "wrong-guess"})
    client.post("/accounts/login/", {"username": "staying", "password": "wrong-guess"})
    client.post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})
    Client().post("/accounts/login/", {"username": other.username, "password": TEST_PASSWORD})
    Client(REMOTE_ADDR="198.51.100.7").post(
        "/accounts/login/", {"username": "leaving", "password": "wrong-guess"}
    )
    assert AccessLog.objects.filter(username="leaving").exists()
    assert AccessAttempt.objects.filter(username="leaving").exists()

    response = client.post("/profile/delete/", {"password": TEST_PASSWORD})

    assert response.status_code == 302
    assert not AccessLog.objects.filter(username="leaving").exists()
    assert not AccessAttempt.objects.filter(username="leaving").exists()
    assert AccessLog.objects.filter(username="staying").exists()
    assert AccessAttempt.objects.filter(username="staying").exists()


def test_deleting_an_account_over_the_api_deletes_its_log_in_records(api):
    token = _register(api, "leaving", "leaving@example.com").json()["token"]
    APIClient().post("/api/v1/auth/login/", {"username": "leaving", "password": "wrong-guess"})
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert api.delete("/api/v1/me/", {"password": TEST_PASSWORD}).status_code == 204
    assert not AccessLog.objects.filter(username="leaving").exists()
    assert not AccessAttempt.objects.filter(username="leaving").exists()


def test_prune_auth_records_keeps_access_logs_for_the_retention_period(settings, person):
    now = timezone.now()
    settings.ACCESS_LOG_RETENTION_DAYS = 30

    def access_log(days_ago):
        log = AccessLog.objects.create(
            username=person.username,
            ip_address="203.0.113.5",
            user_agent="",
            http_accept="",
            path_info="/accounts/login/",
        )
        AccessLog.objects.filter(pk=log.pk).update(attempt_time=now - datetime.timedelta(days_ago))
        return log.pk

    old, recent = access_log(31), access_log(29)
    stale_attempt = AccessAttempt.objects.create(
        username="x",
        ip_address="203.0.113.5",
        user_agent="",
        http_accept="",
        path_info="/",
        get_data="",
        post_data="",
        failures_since_start=3,
    )
    AccessAttempt.objects.filter(pk=stale_attempt.pk).update(
        attempt_time=now - settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1)
    )
    expired, _ = AuthToken.objects.create(person)
    AuthToken.objects.filter(pk=expired.pk).update(expiry=now - datetime.timedelta(1))
    live, _ = AuthToken.objects.create(person)
    PasswordRecheckFailure.objects.create(
        user=person, created_at=now - settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1)
    )

    out = io.StringIO()
    call_command("prune_auth_records", stdout=out)

    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent]
    assert old not in AccessLog.objects.values_list("pk", flat=True)
    assert not AccessAttempt.objects.exists()
    assert list(AuthToken.objects.values_list("pk", flat=True)) == [live.pk]
    assert not PasswordRecheckFailure.objects.exists()
    assert "access logs: 1 deleted" in out.getvalue()


def test_the_retention_period_defaults_to_30_days(settings):
    assert settings.ACCESS_LOG_RETENTION_DAYS == 30


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
