"""Smoke test of the contract as a mobile developer meets it: a client generated from the
served schema by openapi-python-client (no generator warning), driving a short journey in
process through its generated functions only, each answer parsed into its typed model."""

import importlib
import json
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from django.test import Client as DjangoClient
from knox.models import AuthToken

from careerguide.wsgi import application
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture
def generated(tmp_path, db):
    schema = DjangoClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    (tmp_path / "schema.json").write_text(json.dumps(schema))
    command = ["generate", "--path", "schema.json", "--output-path", "mobile", "--meta", "none"]
    run = subprocess.run(
        [str(GENERATOR), *command],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": f"{GENERATOR.parent}:/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Warning" not in run.stdout + run.stderr, run.stdout + run.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module("mobile")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.split(".")[0] == "mobile"]:
            del sys.modules[name]


def test_a_generated_client_runs_a_short_journey(generated, version, in_process_requests):
    models = importlib.import_module("mobile.models")
    from mobile.api.assessment import assessment_get
    from mobile.api.assessments import assessments_create, assessments_list
    from mobile.api.auth import auth_register
    from mobile.api.me import me_delete, me_export
    from mobile.api.roles import roles_list
    from mobile.api.tools import tools_list

    transport = httpx.WSGITransport(app=application)
    anon = generated.Client(
        base_url="http://testserver",
        raise_on_unexpected_status=True,
        httpx_args={"transport": transport},
    )
    password = "a-long-passphrase-19"
    token = auth_register.sync(
        client=anon,
        body=models.RegisterInputRequest(
            username="mobile", email="mobile@example.com", password=password
        ),
    )
    # The generator's default `Bearer` prefix is accepted.
    me = generated.AuthenticatedClient(
        base_url="http://testserver",
        token=token.token,
        raise_on_unexpected_status=True,
        httpx_args={"transport": transport},
    )

    assert isinstance(roles_list.sync(client=me), models.PaginatedRoleSummaryList)
    refused = tools_list.sync(client=anon, role="astronaut")
    assert isinstance(refused, models.Problem) and refused.errors[0].field == "role"

    quiz = assessment_get.sync(client=anon)
    body = models.AssessmentInputRequest(
        version=quiz.version,
        answers=[
            models.AnswerInputRequest(question=q.id, choice=q.choices[0].id) for q in quiz.questions
        ],
        client_id=uuid.uuid4(),
    )
    result = assessments_create.sync(client=me, body=body)
    assert isinstance(result, models.AssessmentDetailOutput)
    assert assessments_list.sync(client=me).results[0].id == result.id
    export = me_export.sync(client=me)
    assert isinstance(export, models.DataExport) and export.assessments[0].id == result.id

    wrong = me_delete.sync(client=me, body=models.AccountDeleteInputRequest(password="nope"))
    assert isinstance(wrong, models.Problem) and wrong.code == "validation_failed"
    deleted = me_delete.sync_detailed(
        client=me, body=models.AccountDeleteInputRequest(password=password)
    )
    assert deleted.status_code == 204


def test_a_generated_client_sets_the_weekly_reminder_in_a_time_zone(
    generated, site_content, in_process_requests
):
    from mobile.api.plan import plan_reminders_get, plan_reminders_update, plan_update

    models = importlib.import_module("mobile.models")
    person = UserFactory(email="rosa@example.com")
    _token, key = AuthToken.objects.create(person)
    me = generated.AuthenticatedClient(
        base_url="http://testserver",
        token=key,
        raise_on_unexpected_status=True,
        httpx_args={"transport": httpx.WSGITransport(app=application)},
    )
    plan_update.sync(client=me, body=models.PatchedPlanInputRequest(role="data-engineer"))

    before = plan_reminders_get.sync(client=me)
    assert isinstance(before, models.ReminderOutput) and before.time_zone == "UTC"
    saved = plan_reminders_update.sync(
        client=me,
        body=models.ReminderInputRequest(
            enabled=True,
            weekday=3,
            time_zone="America/Mexico_City",
            language=models.LanguageEnum("es"),
        ),
    )
    assert isinstance(saved, models.ReminderOutput)
    assert (saved.enabled, saved.weekday, saved.time_zone) == (True, 3, "America/Mexico_City")

    refused = plan_reminders_update.sync(
        client=me, body=models.ReminderInputRequest(enabled=True, time_zone="Mars/Base")
    )
    assert isinstance(refused, models.Problem) and refused.errors[0].field == "time_zone"
    assert plan_reminders_get.sync(client=me).time_zone == "America/Mexico_City"
