"""Issue 11, finding 13: what someone types as a username can't forge lines (or fields) in
the auth log: line breaks and other control characters are written as escapes."""

import logging

import pytest
from django.test import Client
from rest_framework.test import APIClient

from core.security import loggable
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

FORGED = "nobody\n2026-01-01 00:00:00 INFO careerguide.auth login user=admin ip=10.0.0.1"


def _auth_log(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "careerguide.auth"]


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/", "/api/v1/auth/login/"])
def test_a_line_break_in_a_username_stays_on_its_own_log_line(caplog, url):
    client = APIClient() if url.startswith("/api/") else Client()
    with caplog.at_level(logging.INFO, logger="careerguide.auth"):
        client.post(url, {"username": FORGED, "password": "wrong-guess"})

    (line,) = _auth_log(caplog)
    assert "\n" not in line and "\r" not in line
    assert line.startswith("failed login user=nobody\\x0a2026-01-01\\x2000:00:00")
    assert line.endswith(" ip=127.0.0.1")
    assert line.count(" ip=") == 1  # no second field can be made up either


@pytest.mark.parametrize(
    ("typed", "logged"),
    [
        ("a\rb", "a\\x0db"),
        ("a\x1b[31mb", "a\\x1b[31mb"),  # a terminal escape
        ("a\u2028b", "a\\u2028b"),  # a line separator some log viewers honour
        ("a\u202eb", "a\\u202eb"),  # right-to-left override
        ("a\\x0ab", "a\\\\x0ab"),  # a backslash is escaped too, so no escape can be faked
        ("a b", "a\\x20b"),
        ("Renée", "Renée"),
    ],
)
def test_unprintable_characters_are_escaped(typed, logged):
    assert loggable(typed) == logged


def test_a_very_long_username_is_cut_in_the_log():
    assert loggable("x" * 5000) == "x" * 200 + "...(+4800)"


def test_ordinary_log_ins_read_as_before(caplog):
    person = UserFactory(username="ada.l")
    with caplog.at_level(logging.INFO, logger="careerguide.auth"):
        Client().post("/accounts/login/", {"username": "ada.l", "password": TEST_PASSWORD})

    assert _auth_log(caplog) == [f"login user={person.username} ip=127.0.0.1"]
