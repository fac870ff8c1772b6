"""Password reset: limited per address and per e-mail; its links come from SITE_URL."""

import re

import pytest
from django.test import Client, override_settings

from tests.factories import UserFactory
from tests.helpers import sent_mail

pytestmark = pytest.mark.django_db


# 6. Password reset: limited per address and per e-mail; links from SITE_URL ---------------


def _ask_reset(client, email):
    return client.post("/accounts/password_reset/", {"email": email})


@override_settings(SITE_URL="https://careerguide.example.com")
def test_reset_links_are_built_from_site_url_never_from_the_host_header():
    UserFactory(email="reset@example.com")
    response = _ask_reset(Client(HTTP_HOST="127.0.0.1:6666"), "reset@example.com")

    assert response.status_code == 302
    body = sent_mail()[0].body
    assert "127.0.0.1:6666" not in body
    assert re.search(r"https://careerguide\.example\.com/accounts/reset/\S+/\S+/", body)


def test_without_site_url_development_links_use_the_request_host():
    UserFactory(email="reset@example.com")
    _ask_reset(Client(), "reset@example.com")

    assert "http://testserver/accounts/reset/" in sent_mail()[0].body


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

    assert len(sent_mail()) == 3
