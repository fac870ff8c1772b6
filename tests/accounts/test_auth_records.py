"""What is kept about log-ins and sessions: django-axes' records are deleted with the account
and kept for a retention period; expired sessions are pruned."""

import datetime
import io

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from careerguide.accounts.models import PasswordRecheckFailure
from careerguide.accounts.services import user_deactivate
from tests.accounts.helpers import register
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


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
    token = register(api, "leaving", "leaving@example.com").json()["token"]
    APIClient().post("/api/v1/auth/login/", {"username": "leaving", "password": "wrong-guess"})
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert api.delete("/api/v1/me/", {"password": TEST_PASSWORD}).status_code == 204
    assert not AccessLog.objects.filter(username="leaving").exists()
    assert not AccessAttempt.objects.filter(username="leaving").exists()


def _other_device(person) -> Client:
    device = Client()
    device.post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})
    assert device.get("/profile/").status_code == 200
    return device


def _anonymous(device: Client) -> bool:
    """The device's session, though its row is still there, authenticates no one."""
    assert Session.objects.filter(session_key=device.cookies["sessionid"].value).exists()
    profile = device.get("/profile/")
    api = device.get("/api/v1/me/")
    return (
        profile.status_code == 302
        and "/accounts/login/" in profile.url
        and api.status_code in {401, 403}
    )


def test_a_deleted_accounts_session_on_another_device_authenticates_no_one():
    # Session rows don't index their user, so deleting an account leaves the other devices'
    # rows to expire with SESSION_COOKIE_AGE (prune_auth_records deletes them then); without
    # the user row Django's auth gives AnonymousUser. A new account of the same name doesn't
    # inherit it either: the session holds the old primary key and the old password's hash.
    person = UserFactory(username="leaving")
    device = _other_device(person)
    here = Client()
    here.force_login(person)

    assert here.post("/profile/delete/", {"password": TEST_PASSWORD}).status_code == 302
    UserFactory(username="leaving")

    assert _anonymous(device)


def test_a_deactivated_accounts_session_on_another_device_authenticates_no_one():
    person = UserFactory()
    device = _other_device(person)

    user_deactivate(user=person)

    assert _anonymous(device)


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
