"""Request ids: X-Request-ID from our proxy (or a new one), echoed in the response, on every log
line of the request and of the jobs it queued; LOG_FORMAT=json writes one object per line."""

import contextlib
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from core.log_format import JsonFormatter, RequestIdFilter, SecretPathFilter
from core.tasks import run_queue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def captured_lines(*logger_names: str, level: int | None = None):
    """The JSON lines written to `logger_names` (the root logger when none) by a handler set
    up as settings.LOGGING's console handler: its filters and the JSON format."""
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["request_id", "secret_paths"]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(SecretPathFilter())
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(name) for name in logger_names] or [logging.getLogger()]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        if level is not None:
            logger.setLevel(level)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        for logger, before in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(before)


@pytest.fixture
def log_lines():
    with captured_lines(level=logging.INFO) as lines:
        yield lines


def test_a_request_gets_a_new_id_echoed_in_the_response():
    first = Client().get("/healthz")
    second = Client().get("/healthz")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_id_of_our_proxy_is_kept_and_anyone_elses_is_not(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    proxied = Client(REMOTE_ADDR="10.0.0.1").get("/healthz", HTTP_X_REQUEST_ID="edge-42.abc")
    assert proxied["X-Request-ID"] == "edge-42.abc"
    stranger = Client(REMOTE_ADDR="203.0.113.9").get("/healthz", HTTP_X_REQUEST_ID="edge-42.abc")
    assert stranger["X-Request-ID"] != "edge-42.abc"
    # Even our proxy's id is taken only when it is plain (no spaces, quotes, line breaks).
    forged = Client(REMOTE_ADDR="10.0.0.1").get("/healthz", HTTP_X_REQUEST_ID='x" level=ERROR')
    assert forged["X-Request-ID"] != 'x" level=ERROR'


def test_the_lines_of_a_request_and_of_the_jobs_it_queued_carry_its_id(settings, log_lines):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    UserFactory(email="here@example.com")
    response = Client(REMOTE_ADDR="10.0.0.1").post(
        "/accounts/password_reset/",
        {"email": "here@example.com"},
        HTTP_X_REQUEST_ID="req-reset-1",
    )
    assert response["X-Request-ID"] == "req-reset-1"
    run_queue()
    lines = log_lines()
    queued = [line for line in lines if line["message"] == "password reset e-mail queued"]
    assert queued and all(line["request_id"] == "req-reset-1" for line in queued)
    assert all(set(line) >= {"time", "level", "logger", "message"} for line in lines)


def test_log_format_json_writes_one_object_per_line():
    environment = {
        key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"
    }
    environment.update(LOG_FORMAT="json")
    code = (
        "import logging; from core.request_context import request_id_bound\n"
        "with request_id_bound('abc'):\n"
        "    logging.getLogger('careerguide.x').warning('two\\nlines')\n"
        "logging.getLogger('careerguide.x').warning('none')"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(line["message"], line["request_id"]) for line in lines] == [
        ("two\nlines", "abc"),
        ("none", None),
    ]
    assert lines[0]["level"] == "WARNING" and lines[0]["logger"] == "careerguide.x"


def test_an_unknown_log_format_is_refused():
    environment = {
        key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**environment, "LOG_FORMAT": "xml"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "LOG_FORMAT must be plain or json" in result.stderr


def test_the_line_django_writes_for_a_4xx_answer_carries_the_id():
    # Django logs "Not Found: /path" after the last middleware has returned, where no id was
    # bound any more: the line an operator greps for by the id in the response.
    # settings.LOGGING: django.request is not propagated.
    with captured_lines("django.request") as written:
        response = Client().get("/no-such-page/")

    assert response.status_code == 404
    lines = written()
    assert [line["message"] for line in lines] == ["Not Found: /no-such-page/"]
    assert lines[0]["request_id"] == response["X-Request-ID"]


SECRET = "SeCrEt-Token_123:abc"
UUID = "6c1b2f0e-7b8a-4a57-9d43-6a3f0f4f6c11"


@pytest.mark.parametrize(
    ("method", "path", "logged"),
    [
        ("get", f"/s/{SECRET}/", "Not Found: /s/[hidden]/"),
        ("get", f"/s/{SECRET}/card.png", "Not Found: /s/[hidden]/card.png"),
        ("get", f"/es/s/{SECRET}/", "Not Found: /es/s/[hidden]/"),
        ("get", f"/follow-up/{SECRET}/", "Not Found: /follow-up/[hidden]/"),
        ("post", f"/follow-up/{SECRET}/", "Forbidden (CSRF cookie not set.): /follow-up/[hidden]/"),
        ("get", f"/follow-up/unsubscribe/{SECRET}/", "Not Found: /follow-up/unsubscribe/[hidden]/"),
        ("get", f"/api/v1/follow-ups/{SECRET}/", "Not Found: /api/v1/follow-ups/[hidden]/"),
        ("get", f"/plan/reminders/done/{SECRET}/", "Not Found: /plan/reminders/done/[hidden]/"),
        (
            "get",
            f"/plan/reminders/unsubscribe/{SECRET}/",
            "Not Found: /plan/reminders/unsubscribe/[hidden]/",
        ),
        ("get", "/s/s/", "Not Found: /s/[hidden]/"),
        # No view has these addresses, but they begin with one that has a secret: an API call
        # without its slash, or a mail client's link with something stuck to its end.
        ("get", f"/api/v1/follow-ups/{SECRET}", "Not Found: /api/v1/follow-ups/[hidden]"),
        ("post", f"/api/v1/follow-ups/{SECRET}", "Not Found: /api/v1/follow-ups/[hidden]"),
        (
            "get",
            f"/api/v1/assessments/{UUID}/shares/{SECRET}",
            f"Not Found: /api/v1/assessments/{UUID}/shares/[hidden]",
        ),
        ("get", f"/follow-up/{SECRET}/)", "Not Found: /follow-up/[hidden]/)"),
        ("get", f"/es/s/{SECRET}/%3E", "Not Found: /es/s/[hidden]/>"),
        (
            "get",
            f"/accounts/reset/MQ/{SECRET}/x",
            "Not Found: /accounts/reset/[hidden]/[hidden]/x",
        ),
        ("get", "/no-such-page/", "Not Found: /no-such-page/"),
    ],
)
def test_the_secret_in_an_emailed_or_shared_address_is_never_logged(method, path, logged):
    # The Django loggers that write a line about a request.
    with captured_lines("django.request", "django.security.csrf") as written:
        response = getattr(Client(enforce_csrf_checks=True), method)(path)

    assert response.status_code in (403, 404)
    lines = written()
    assert [line["message"] for line in lines] == [logged]
    assert SECRET not in json.dumps(lines, ensure_ascii=False)
