"""Property-based tests of the whole API against its own OpenAPI schema (in-process, bounded).

Schemathesis generates requests of every shape for every operation, valid ones and invalid
ones; none may answer 5xx, and every response must match the schema. (Its pytest plugin does not
run under pytest 9 yet, so the operations are parametrized here and driven with Hypothesis.)
"""

import uuid

import pytest
import schemathesis
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from knox.models import AuthToken
from schemathesis import GenerationMode, checks

from assessments.selectors.rescoring import version_keys
from assessments.services.assessment import assessment_submit
from assessments.services.sharing import share_create
from careerguide.wsgi import application
from core import caching
from tests.factories import UserFactory
from tests.helpers import answers_leaning_to, publish_changed_version

pytestmark = pytest.mark.fuzz

SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/", application)
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}
EXAMPLES_PER_OPERATION = 20


# What the issue asks: no 5xx, and every answer as documented (status, content type, body).
# Business-rule rejections of schema-valid data (a common password, a wrong answer) are right,
# and list filters are lenient on purpose, so the acceptance/rejection checks are not used.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


def _has_inputs(operation):
    """Invalid requests exist only for operations with a query, a body or a typed path part."""
    typed_path = any(
        parameter.definition.get("schema", {}).get("format") == "uuid"
        for parameter in operation.path_parameters
    )
    return bool(len(operation.query) or len(operation.body) or typed_path)


CASES = [(label, GenerationMode.POSITIVE) for label in sorted(OPERATIONS)] + [
    (label, GenerationMode.NEGATIVE)
    for label, operation in sorted(OPERATIONS.items())
    if _has_inputs(operation)
]


def test_every_operation_is_covered():
    assert len(OPERATIONS) == 36
    assert len(CASES) == 36 + 24


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("label", "mode"), CASES, ids=[f"{label}-{mode.value}" for label, mode in CASES]
)
def test_no_request_gets_a_5xx_or_breaks_the_schema(label, mode, version, in_process_requests):
    person = UserFactory()

    @given(case=OPERATIONS[label].as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        caching.clear_all()  # throttling would otherwise answer 429 part-way through
        _, token = AuthToken.objects.create(person)
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

    check()


# Operations on one of the person's own results: with random ids they only ever answer 404, so
# here the id is always the person's result (shown among others' so `peers` is filled in), and
# the bodies are what is generated.
OWN_RESULT_CASES = [
    ("GET /api/v1/assessments/{assessment_id}/", GenerationMode.POSITIVE),
    ("PUT /api/v1/assessments/{assessment_id}/feedback/", GenerationMode.POSITIVE),
    ("PUT /api/v1/assessments/{assessment_id}/feedback/", GenerationMode.NEGATIVE),
    ("DELETE /api/v1/assessments/{assessment_id}/feedback/", GenerationMode.POSITIVE),
    # More than ten posts: past the tenth live link, the 400 with its message.
    ("POST /api/v1/assessments/{assessment_id}/shares/", GenerationMode.POSITIVE),
    ("POST /api/v1/assessments/{assessment_id}/shares/", GenerationMode.NEGATIVE),
    ("GET /api/v1/assessments/{assessment_id}/shares/", GenerationMode.POSITIVE),
    # Generated tokens of every shape: never a 500 (a NUL was one, on PostgreSQL).
    ("DELETE /api/v1/assessments/{assessment_id}/shares/{token}/", GenerationMode.POSITIVE),
    ("DELETE /api/v1/assessments/{assessment_id}/shares/{token}/", GenerationMode.NEGATIVE),
    # Any body for one's own result: a 400 (not a close call, or answers that don't fit).
    ("POST /api/v1/assessments/{assessment_id}/tie-breakers/", GenerationMode.POSITIVE),
    ("POST /api/v1/assessments/{assessment_id}/tie-breakers/", GenerationMode.NEGATIVE),
    ("GET /api/v1/assessments/{assessment_id}/follow-up/", GenerationMode.POSITIVE),
    ("PUT /api/v1/assessments/{assessment_id}/follow-up/", GenerationMode.POSITIVE),
    ("PUT /api/v1/assessments/{assessment_id}/follow-up/", GenerationMode.NEGATIVE),
    ("DELETE /api/v1/assessments/{assessment_id}/follow-up/", GenerationMode.POSITIVE),
]


def _submit(version, owner):
    answers = answers_leaning_to(version, ["data-engineer", "mlops-engineer"])
    assessment, _ = assessment_submit(
        version=version, answers=answers.items(), client_id=uuid.uuid4(), user=owner
    )
    return assessment


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("label", "mode"),
    OWN_RESULT_CASES,
    ids=[f"{label}-{mode.value}" for label, mode in OWN_RESULT_CASES],
)
def test_ones_own_result_never_gets_a_5xx_or_breaks_the_schema(
    label, mode, version, in_process_requests
):
    person = UserFactory()
    result = _submit(version, person)
    for _ in range(5):
        _submit(version, UserFactory())

    @given(case=OPERATIONS[label].as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        caching.clear_all()
        _, token = AuthToken.objects.create(person)
        case.path_parameters = {**(case.path_parameters or {}), "assessment_id": str(result.pk)}
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

    with override_settings(PEERS_MIN_RESULTS=1):
        check()


# Re-scoring one of the person's results on an older version: the generated bodies go to that
# result (a preview, or the answers refused), and then the answers random ids never reach: the
# whole preview, the save and its retry (a 200 that is either shape of the schema's oneOf).
RESCORE = "POST /api/v1/assessments/{assessment_id}/rescore/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda mode: mode.value
)
def test_rescoring_ones_own_old_result_never_gets_a_5xx_or_breaks_the_schema(
    mode, version, in_process_requests
):
    person = UserFactory()
    result = _submit(version, person)
    keys = version_keys(version=publish_changed_version(version))
    path = {"assessment_id": str(result.pk)}

    def call(case):
        caching.clear_all()
        _, token = AuthToken.objects.create(person)
        case.path_parameters = {**(case.path_parameters or {}), **path}
        return case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

    @given(case=OPERATIONS[RESCORE].as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        call(case)

    check()
    answers = [
        {"question": keys.question_ids[key], "choice": keys.choice_ids[key]["middle"]}
        for key in ("cloud", "dashboards")
    ]
    save = {"answers": answers, "save": True, "client_id": str(uuid.uuid4())}
    statuses = [
        call(OPERATIONS[RESCORE].Case(body=body, media_type="application/json")).status_code
        for body in ({"answers": answers}, save, save)
    ]
    assert statuses == [200, 201, 200]


# Revoking one of the person's live links: generated tokens only ever find none (404), so the
# answers of a real one are checked here: 204, then 404 once revoked, with the list in between.
SHARES = "/api/v1/assessments/{assessment_id}/shares/"


@pytest.mark.django_db
def test_a_live_share_link_is_listed_and_revoked_as_the_schema_says(version, in_process_requests):
    person = UserFactory()
    result = _submit(version, person)
    link = share_create(assessment_id=result.pk, user=person, show_name=True)
    path = {"assessment_id": str(result.pk), "token": link.token}

    def call(label, **kwargs):
        caching.clear_all()
        _, token = AuthToken.objects.create(person)
        case = OPERATIONS[label].Case(path_parameters=path, **kwargs)
        return case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

    listed = call(f"GET {SHARES}")
    assert [row["token"] for row in listed.json()["results"]] == [link.token]
    made = call(f"POST {SHARES}", body={"show_name": False}, media_type="application/json")
    assert made.status_code == 201
    statuses = [call(f"DELETE {SHARES}{{token}}/").status_code for _ in range(2)]
    assert statuses == [204, 404]
