"""Who the client is: its address, from X-Forwarded-For only when our own proxies sent it; an
IPv6 client is its /64."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings

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


# 15. X-Forwarded-For only from our own proxies ----------------------------------------------


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
def test_forwarded_for_from_anyone_else_is_ignored(rf):
    from_a_stranger = rf.get("/", HTTP_X_FORWARDED_FOR="192.0.2.1", REMOTE_ADDR="203.0.113.9")
    assert client_ip(from_a_stranger) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24", "10.0.1.1"])
def test_behind_two_proxies_of_ours_the_client_is_the_first_address_that_is_not_ours(rf):
    request = rf.get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.1.1", REMOTE_ADDR="10.0.0.5"
    )
    assert client_ip(request) == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
def test_a_made_up_forwarded_for_from_our_proxy_is_never_taken_for_an_address(rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="not-an-address", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "10.0.0.1"


def test_api_throttles_count_by_the_real_address_not_a_made_up_header(site_content, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {**SimpleRateThrottle.THROTTLE_RATES, "anon": "3/minute"},
    )
    codes = [
        Client(HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").get(f"/api/v1/tools/?page_size={n}").status_code
        for n in range(1, 6)
    ]
    assert codes == [200, 200, 200, 429, 429]
