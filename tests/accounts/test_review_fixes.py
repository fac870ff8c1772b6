"""Holes an adversarial review of the hardening (issue 11) found. HTTP-level through the real
middleware stack unless the thing is a function of a request; run them on PostgreSQL as well
(DATABASE_URL=postgres://...): the usernames below collide there."""

import datetime
import string

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from careerguide.accounts import services
from careerguide.accounts.models import User
from core.security import client_ip
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


# 1. A username the unique constraint (Lower("username")) counts as taken is a 400 ------------


@pytest.fixture
def unicode_lower():
    """SQLite's LOWER() folds only ASCII; PostgreSQL's folds every letter. On SQLite, make it
    fold as Python does (so `sẞ` and `sß` collide, as on PostgreSQL) for the constraint and
    every query; afterwards fold only ASCII again, as SQLite's own does (sqlite3 can't drop an
    override here)."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    raw.create_function("LOWER", 1, lambda value: _fold(value, str.lower), deterministic=True)
    yield
    raw.create_function("LOWER", 1, lambda value: _fold(value, _ascii_lower), deterministic=True)


def _ascii_lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _fold(value, lower):
    if value is None or isinstance(value, bytes):
        return value
    return lower(str(value))


def _lower_collides(first: str, second: str) -> bool:
    """Whether the database itself folds the two names to one (its LOWER, as the constraint)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT LOWER(%s) = LOWER(%s)", [first, second])
        return bool(cursor.fetchone()[0])


def _sign_up(how: str, username: str):
    email, password = f"{len(username)}-new@example.com", TEST_PASSWORD
    if how == "api":
        return APIClient().post(
            "/api/v1/auth/register/",
            {"username": username, "email": email, "password": password},
        )
    return Client().post(
        "/accounts/signup/",
        {"username": username, "email": email, "password1": password, "password2": password},
    )


def _username_errors(how: str, response) -> list[str]:
    if how == "api":
        return response.json().get("username", [])
    return response.context["form"].errors.get("username", [])


@pytest.mark.parametrize("how", ["api", "web"])
@pytest.mark.parametrize(("taken", "typed"), [("ix", "İx"), ("sß", "sẞ")])
def test_sign_up_refuses_a_username_the_unique_constraint_counts_as_taken(
    unicode_lower, how, taken, typed
):
    UserFactory(username=taken)

    response = _sign_up(how, typed)

    if _lower_collides(taken, typed):
        assert response.status_code == 400
        assert _username_errors(how, response) == ["That username is taken."]
        assert User.objects.count() == 1
    else:  # SQLite folds `İ` to `i̇` (two characters): a different name there
        assert response.status_code in (201, 302)
        assert User.objects.count() == 2


@pytest.mark.parametrize("how", ["api", "web"])
def test_a_sign_up_that_loses_a_race_for_the_username_is_a_400_at_the_field(
    unicode_lower, monkeypatch, how
):
    """The check passed (another request took the name just after it): the insert breaks the
    constraint, and that is said at `username`, never a 500."""
    UserFactory(username="sß")
    monkeypatch.setattr(services, "_account_errors", lambda **kwargs: {})

    response = _sign_up(how, "sẞ")

    assert response.status_code == 400
    assert _username_errors(how, response) == ["That username is taken."]
    assert User.objects.count() == 1


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
    assert response.json() == {"detail": "Invalid token."}


# 4. JSON nested too deeply ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/auth/login/", "/api/v1/assessments/"])
def test_json_nested_too_deeply_is_a_400(path):
    api = APIClient()
    api.force_authenticate(UserFactory())
    response = api.post(path, "[" * 50000, content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()


# 5. Expired sessions are pruned ------------------------------------------------------------------


def test_prune_auth_records_deletes_expired_sessions():
    now = timezone.now()
    Session.objects.create(
        session_key="e" * 32, session_data="", expire_date=now - datetime.timedelta(days=1)
    )
    Session.objects.create(
        session_key="l" * 32, session_data="", expire_date=now + datetime.timedelta(days=1)
    )

    call_command("prune_auth_records", stdout=None)

    assert list(Session.objects.values_list("session_key", flat=True)) == ["l" * 32]


# 6. An IPv6 client is its /64 ------------------------------------------------------------------


def test_two_addresses_in_one_ipv6_64_are_one_client(rf):
    first = client_ip(rf.get("/", REMOTE_ADDR="2001:db8:1:2::5"))
    second = client_ip(rf.get("/", REMOTE_ADDR="2001:db8:1:2::9"))
    other = client_ip(rf.get("/", REMOTE_ADDR="2001:db8:1:3::5"))

    assert first == second == "2001:db8:1:2::"
    assert other == "2001:db8:1:3::"


def test_the_ipv6_prefix_is_a_setting_and_applies_behind_our_proxy(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    settings.IPV6_CLIENT_PREFIX = 48
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="2001:db8:1:2:aaaa:bbbb:cccc:dddd"
    )

    assert client_ip(request) == "2001:db8:1::"


def test_ipv4_addresses_are_unchanged(rf):
    assert client_ip(rf.get("/", REMOTE_ADDR="203.0.113.5")) == "203.0.113.5"
    assert client_ip(rf.get("/", REMOTE_ADDR="203.0.113.6")) == "203.0.113.6"


def test_wrong_passwords_from_addresses_in_one_64_lock_the_next_one():
    alice = UserFactory(username="alice")
    answers = [
        Client(REMOTE_ADDR=f"2001:db8:1:2::{n}").post(
            "/accounts/login/", {"username": alice.username, "password": "wrong-guess"}
        )
        for n in range(1, 6)
    ]
    assert [response.status_code for response in answers] == [400] * 4 + [429]

    locked = Client(REMOTE_ADDR="2001:db8:1:2::99").post(
        "/accounts/login/", {"username": alice.username, "password": TEST_PASSWORD}
    )

    assert locked.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"2001:db8:1:2::"}
