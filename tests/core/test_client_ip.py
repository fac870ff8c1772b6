"""Who the client is: its address, from X-Forwarded-For only when our own proxies sent it; an
IPv6 client is its /64."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from core.security import client_ip
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


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
