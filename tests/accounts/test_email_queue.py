"""Accounts' e-mails go out from the worker, never in the request: the answer, and the work
the request does, are the same whether the address has an account; a mail server that is
away is tried again with backoff, and a delivery keeps one Message-ID on every try."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.tasks import run_queue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _normalised(queries) -> list[str]:
    """The SQL of the request, with values (an address, an id, a time) left out."""
    return [re.sub(r"'[^']*'|\bs\d+_x\d+\b|\b\d+\b", "?", query["sql"]) for query in queries]


def _reset(email: str):
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/accounts/password_reset/", {"email": email})
    return response, _normalised(queries.captured_queries)


def test_a_reset_request_answers_at_once_and_its_mail_goes_out_when_a_worker_runs():
    UserFactory(email="here@example.com")
    response, _ = _reset("here@example.com")
    assert response.status_code == 302
    assert mail.outbox == []  # no worker has run yet: the request sent nothing
    job = DBTaskResult.objects.get()
    assert job.task_path == "careerguide.accounts.tasks.password_reset_email_send"
    run_queue()
    assert [message.to for message in mail.outbox] == [["here@example.com"]]


def test_a_reset_request_does_the_same_work_whether_the_address_has_an_account():
    UserFactory(email="here@example.com")
    known, known_sql = _reset("here@example.com")
    unknown, unknown_sql = _reset("nobody@example.com")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    # The same statements (no look-up of the address in the request), one job queued each.
    assert known_sql == unknown_sql
    assert not any("accounts_user" in sql and "email" in sql for sql in known_sql)
    assert DBTaskResult.objects.count() == 2
    run_queue()
    assert [message.to for message in mail.outbox] == [["here@example.com"]]


def _sign_up(client, username, email):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/accounts/signup/",
            {
                "username": username,
                "email": email,
                "password1": "a-Long-passphrase-42",
                "password2": "a-Long-passphrase-42",
            },
        )
    return response, _normalised(queries.captured_queries)


def test_a_sign_up_does_the_same_work_whether_the_address_has_an_account():
    UserFactory(email="taken@example.com")
    taken, taken_sql = _sign_up(Client(), "first", "taken@example.com")
    free, free_sql = _sign_up(Client(), "second", "free@example.com")
    assert taken.status_code == free.status_code == 302
    assert taken_sql == free_sql
    assert mail.outbox == []
    run_queue()
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "already belongs to your account" in bodies["taken@example.com"]
    assert "/accounts/email/confirm/" in bodies["free@example.com"]


class _AwayServer:
    calls = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls <= 2:
            raise ConnectionRefusedError("the mail server is away")
        mail.outbox.extend(messages)
        return len(messages)


def test_a_mail_server_that_is_away_is_tried_again_with_the_same_message_id(monkeypatch):
    UserFactory(email="here@example.com")
    monkeypatch.setattr("django.core.mail.get_connection", lambda *a, **k: _AwayServer())
    _AwayServer.calls = 0
    _reset("here@example.com")
    start = timezone.now()
    run_queue(now=start)  # the look-up runs and queues the delivery, which fails once
    delivery = DBTaskResult.objects.get(task_path__endswith="email_deliver")
    assert delivery.status == TaskResultStatus.READY
    assert delivery.exception_class_path == "builtins.ConnectionRefusedError"
    message_id = delivery.args_kwargs["kwargs"]["message_id"]
    run_queue(now=start + datetime.timedelta(seconds=31))  # fails again
    assert mail.outbox == []
    run_queue(now=start + datetime.timedelta(minutes=3))
    delivery.refresh_from_db()
    assert delivery.status == TaskResultStatus.SUCCESSFUL
    assert len(delivery.worker_ids) == 3
    [message] = mail.outbox
    assert message.extra_headers["Message-ID"] == message_id


def test_a_delivery_that_never_gets_through_ends_failed(monkeypatch):
    UserFactory(email="here@example.com")

    class Down(_AwayServer):
        def send_messages(self, messages):
            raise ConnectionRefusedError("down for good")

    monkeypatch.setattr("django.core.mail.get_connection", lambda *a, **k: Down())
    _reset("here@example.com")
    now = timezone.now()
    for _ in range(10):
        run_queue(now=now)
        now += datetime.timedelta(hours=2)
    delivery = DBTaskResult.objects.get(task_path__endswith="email_deliver")
    assert delivery.status == TaskResultStatus.FAILED
    assert len(delivery.worker_ids) == 8
    assert "down for good" in delivery.traceback


def _links_kept() -> list[str]:
    """Every link to our site that a job row in the queue's table still holds."""
    return [
        link
        for job in DBTaskResult.objects.all()
        for link in re.findall(r"https?://\S+/(?:reset|confirm)/\S+", str(job.args_kwargs))
    ]


def test_a_delivered_mail_leaves_no_reset_link_in_the_queue():
    # The table keeps finished jobs for days (and it is in backups, and on the admin's task
    # pages): a reset link there still works, so whoever reads it could take the account.
    UserFactory(email="here@example.com")
    _reset("here@example.com")
    run_queue()
    [message] = mail.outbox
    assert "/reset/" in message.body
    assert _links_kept() == []
    delivery = DBTaskResult.objects.get(task_path__endswith="email_deliver")
    assert delivery.args_kwargs["kwargs"]["to"] == "here@example.com"  # the rest stays


def test_a_mail_that_failed_for_good_leaves_no_link_in_the_queue(monkeypatch):
    class Down(_AwayServer):
        def send_messages(self, messages):
            raise ConnectionRefusedError("down for good")

    monkeypatch.setattr("django.core.mail.get_connection", lambda *a, **k: Down())
    client = Client()
    client.post(
        "/accounts/signup/",
        {
            "username": "newcomer",
            "email": "new@example.com",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    )
    now = timezone.now()
    run_queue(now=now)
    assert _links_kept() != []  # kept while a try may still deliver it
    for _ in range(10):
        now += datetime.timedelta(hours=2)
        run_queue(now=now)
    assert DBTaskResult.objects.get(task_path__endswith="email_deliver").status == "FAILED"
    assert _links_kept() == []
