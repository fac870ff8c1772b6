"""The API's contract with generated clients: one error format (problem details) with stable
codes, JSON for every answer under /api/, conditional GETs, public operations that ignore
credentials, the schema's security, nullable objects and bodies, and the data export."""

import json
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import LocalePrefixPattern, resolve
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from core.problems import CODES
from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import answers_leaning_to, problem, problem_fields

pytestmark = pytest.mark.django_db


# One error format ------------------------------------------------------------------------------


def test_a_validation_error_names_each_field_with_its_own_code(person_api, version):
    question = version.questions.order_by("order").first()
    body = {
        "version": version.pk,
        "answers": [{"question": question.pk}],
        "client_id": "not-a-uuid",
    }
    response = person_api.post("/api/v1/assessments/", body, format="json")

    assert response.status_code == 400
    assert problem(response)["code"] == "validation_failed"
    assert problem_fields(response) == {"answers.0.choice": ["required"], "client_id": ["invalid"]}
    pointers = {error["pointer"] for error in response.json()["errors"]}
    assert pointers == {"/answers/0/choice", "/client_id"}


def test_wrong_credentials_have_a_code_of_their_own(api, db):
    response = api.post("/api/v1/auth/login/", {"username": "nobody", "password": "x" * 12})
    assert response.status_code == 400
    assert problem_fields(response) == {None: ["invalid_credentials"]}


def test_the_lockout_and_the_throttle_are_told_apart(api, settings):
    person = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post("/api/v1/auth/login/", {"username": person.username, "password": "wrong-one"})
    locked = api.post("/api/v1/auth/login/", {"username": person.username, "password": "wrong"})
    assert locked.status_code == 429
    assert problem(locked)["code"] == "locked_out"
    assert locked["Retry-After"]

    for _ in range(20):
        throttled = api.post("/api/v1/auth/register/", {})
        if throttled.status_code == 429:
            break
    assert problem(throttled)["code"] == "throttled"


def test_a_wrong_password_when_deleting_the_account_locks_out_with_its_code(
    person_api, person, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        person_api.delete("/api/v1/me/", {"password": "not-it"}, format="json")
    response = person_api.delete("/api/v1/me/", {"password": TEST_PASSWORD}, format="json")
    assert response.status_code == 429
    assert problem(response)["code"] == "locked_out"


@pytest.mark.parametrize(
    ("request_kwargs", "status", "code"),
    [
        ({"method": "GET", "path": "/api/v1/no-such-thing/"}, 404, "not_found"),
        ({"method": "GET", "path": "/api/v1/assessments/not-a-uuid/"}, 404, "not_found"),
        ({"method": "GET", "path": "/api/v2/roles/"}, 404, "not_found"),
        ({"method": "DELETE", "path": "/api/v1/roles/"}, 405, "method_not_allowed"),
        ({"method": "GET", "path": "/api/v1/roles/", "HTTP_ACCEPT": "text/html"}, 406, None),
        (
            {
                "method": "POST",
                "path": "/api/v1/auth/login/",
                "data": "username=a",
                "content_type": "application/x-www-form-urlencoded",
            },
            415,
            "unsupported_media_type",
        ),
        (
            {
                "method": "POST",
                "path": "/api/v1/auth/login/",
                "data": "{",
                "content_type": "application/json",
            },
            400,
            "malformed_request",
        ),
        ({"method": "GET", "path": "/api/v1/me/"}, 401, "not_authenticated"),
        (
            {"method": "GET", "path": "/api/v1/me/", "HTTP_AUTHORIZATION": "Token nope"},
            401,
            "authentication_failed",
        ),
    ],
)
def test_every_error_under_the_api_is_a_problem_in_json(request_kwargs, status, code, db):
    kwargs = dict(request_kwargs)
    response = Client().generic(kwargs.pop("method"), kwargs.pop("path"), **kwargs)

    assert response.status_code == status
    body = problem(response)
    assert body["code"] == (code or "not_acceptable")
    assert CODES[body["code"]][0] == status
    assert body["type"] == f"urn:careerguide:problem:{body['code']}"


def test_a_post_without_its_trailing_slash_is_a_json_404_naming_the_address(db, settings):
    settings.DEBUG = True  # where Django's slash redirect is a RuntimeError for a POST
    response = Client().post("/api/v1/auth/login", {}, content_type="application/json")

    assert response.status_code == 404
    assert "/api/v1/auth/login/" in problem(response)["detail"]


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_an_address_no_api_view_has_is_named_as_such(method, debug, db, settings):
    settings.DEBUG = debug  # where Django would answer its HTML 404 page
    response = Client().generic(method, "/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert problem(response)["detail"] == "No API endpoint has this address."


@pytest.mark.parametrize("path", ["/api/v1/tools/", "/api/v1/plan.ics", "/healthz"])
def test_an_api_or_health_address_is_never_tried_against_the_pages(path):
    # The pages (English ones unprefixed) come after: trying each of their patterns first
    # was a third of a cached API answer's time.
    tried = resolve(path).tried

    assert not any(isinstance(first.pattern, LocalePrefixPattern) for first, *_ in tried)


def test_a_body_over_the_limit_is_a_413(client, db):
    response = client.post(
        "/api/v1/auth/login/",
        json.dumps({"username": "x" * 1_100_000, "password": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert problem(response)["code"] == "too_large"


def test_a_500_under_the_api_is_a_problem(db, monkeypatch):
    from roles import selectors

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "role_list", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/roles/")

    assert response.status_code == 500
    assert problem(response)["code"] == "server_error"


def test_errors_are_translated_but_codes_are_not(api, db):
    response = api.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="es")
    english = api.get("/api/v1/me/")
    assert problem(response)["code"] == problem(english)["code"] == "not_authenticated"
    assert problem(response)["detail"] != problem(english)["detail"]


# Public operations ignore credentials ------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/roles/", "/api/v1/tools/", "/api/v1/assessment/", "/api/v1/methodology/"],
)
def test_a_stale_token_never_breaks_the_catalog(site_content, path):
    token, key = AuthToken.objects.create(UserFactory())
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(days=1))
    for prefix in ("Token", "Bearer"):
        response = Client().get(path, HTTP_AUTHORIZATION=f"{prefix} {key}")
        assert response.status_code == 200, (prefix, response.content)
    assert Client().get(path, HTTP_AUTHORIZATION="Token not-a-token").status_code == 200


def test_a_bearer_token_is_accepted_as_well(person, token):
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.json()["username"] == person.username


# Conditional requests --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/roles/", "/api/v1/roles/data-engineer/", "/api/v1/tools/", "/api/v1/tools/kafka/"],
)
def test_catalog_answers_carry_an_etag_and_answer_304_to_it(site_content, path):
    first = Client().get(path)
    assert first.status_code == 200 and first["ETag"]
    assert first["Cache-Control"] == "public, no-cache"
    assert "Accept-Language" in first["Vary"]

    again = Client().get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""

    other = Client().get(path + "?page_size=1" if path.endswith("s/") else path + "x/")
    assert other.get("ETag") != first["ETag"]


def test_a_persons_history_and_result_answer_304_until_they_change(person_api, person, version):
    body = {
        "version": version.pk,
        "answers": [
            {"question": q, "choice": c}
            for q, c in answers_leaning_to(version, ["data-engineer"]).items()
        ],
        "client_id": str(uuid.uuid4()),
    }
    result = person_api.post("/api/v1/assessments/", body, format="json").json()
    for path in ("/api/v1/assessments/", f"/api/v1/assessments/{result['id']}/"):
        first = person_api.get(path)
        assert "private" in first["Cache-Control"]
        assert person_api.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    path = f"/api/v1/assessments/{result['id']}/"
    first = person_api.get(path)
    person_api.put(f"{path}feedback/", {"feels_right": True})
    changed = person_api.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["feedback"]["feels_right"] is True

    listed = person_api.get("/api/v1/assessments/")
    person_api.delete(path)
    changed = person_api.get("/api/v1/assessments/", HTTP_IF_NONE_MATCH=listed["ETag"])
    assert changed.status_code == 200 and changed.json()["count"] == 0


# The schema ------------------------------------------------------------------------------------


@pytest.fixture
def schema(db):
    return Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_documented_error_has_the_one_problem_body(schema):
    seen = 0
    for _path, _method, operation in _operations(schema):
        for status, response in operation["responses"].items():
            if status[0] in "45":
                seen += 1
                assert response["content"] == {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                }
    assert seen > 100
    assert {"code", "title", "status", "detail", "errors"} <= set(
        schema["components"]["schemas"]["Problem"]["required"]
    )


def test_public_operations_need_no_token_and_the_others_need_one(schema):
    public = {
        ("/api/v1/auth/login/", "post"),
        ("/api/v1/auth/register/", "post"),
        ("/api/v1/roles/", "get"),
        ("/api/v1/roles/{slug}/", "get"),
        ("/api/v1/tools/", "get"),
        ("/api/v1/tools/{slug}/", "get"),
        ("/api/v1/assessment/", "get"),
        ("/api/v1/methodology/", "get"),
        # The follow-up's answer: the token from the e-mail, in the address, is the credential.
        ("/api/v1/follow-ups/{token}/", "get"),
        ("/api/v1/follow-ups/{token}/", "post"),
    }
    assert "security" not in schema
    for path, method, operation in _operations(schema):
        if (path, method) in public:
            assert operation["security"] == [], path
            assert "401" not in operation["responses"], path
        else:
            assert operation["security"], path
            assert {} not in operation["security"], path
            assert "401" in operation["responses"], path
    token_scheme = schema["components"]["securitySchemes"]["knoxApiToken"]
    assert token_scheme == {"type": "apiKey", "in": "header", "name": "Authorization"} | {
        key: token_scheme[key] for key in ("description",) if key in token_scheme
    }


def test_deleting_the_account_documents_its_body_and_the_export_is_there(schema):
    delete = schema["paths"]["/api/v1/me/"]["delete"]
    body = delete["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert schema["components"]["schemas"][body.rsplit("/", 1)[1]]["required"] == ["password"]
    assert schema["paths"]["/api/v1/me/export/"]["get"]["operationId"] == "me_export"
    assert schema["info"]["version"] == "2.0.0"


def test_operation_ids_are_readable_and_unique(schema):
    ids = [operation["operationId"] for _path, _method, operation in _operations(schema)]
    assert len(ids) == len(set(ids))
    assert {"auth_login", "auth_register", "me_get", "me_delete", "roles_list", "roles_get"} <= set(
        ids
    )
    assert not any(word in text for text in ids for word in ("retrieve", "destroy", "partial"))


def test_nullable_objects_are_written_as_one_of_a_ref_or_null(schema):
    text = json.dumps(schema)
    assert '"nullable"' not in text
    detail = schema["components"]["schemas"]["AssessmentDetailOutput"]["properties"]
    for name in ("peers", "feedback"):
        assert {"type": "null"} in detail[name]["oneOf"], name


# The export ------------------------------------------------------------------------------------


def test_the_export_in_the_api_is_the_sites_export(person, token, result):
    site = Client()
    site.force_login(person)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    from_api = api.get("/api/v1/me/export/")
    from_site = site.get("/profile/export/")

    assert from_api.status_code == 200
    assert from_api.json() == json.loads(from_site.content)
    assert from_api.json()["assessments"][0]["id"] == str(result.pk)
    assert "private" in from_api["Cache-Control"]


def test_the_export_needs_a_token(api, db):
    response = api.get("/api/v1/me/export/")
    assert problem(response)["code"] == "not_authenticated"


# The contract test itself ------------------------------------------------------------------------


def test_the_contract_check_catches_an_answer_that_drifts_from_the_schema(site_content):
    from tests import contract

    response = Client().get("/api/v1/roles/")
    assert contract.checked(response) is True

    body = response.json()
    del body["results"][0]["slug"]
    response.content = json.dumps(body).encode()
    with pytest.raises(contract.ContractBroken):
        contract.checked(response)

    response.status_code = 418  # a status the operation does not document
    with pytest.raises(contract.ContractBroken):
        contract.checked(response)


def test_the_contract_check_leaves_addresses_outside_the_schema_alone(db):
    from tests import contract

    assert contract.checked(Client().get("/api/v1/nowhere/")) is False
    assert contract.checked(Client().get("/healthz")) is False


# One naming rule ---------------------------------------------------------------------------------


def test_identifiers_are_slugs_with_their_names_beside_them(person_api, result, site_content):
    quiz = person_api.get("/api/v1/assessment/").json()
    assert "number" not in quiz and quiz["version_number"] == result.version.number

    detail = person_api.get(f"/api/v1/assessments/{result.pk}/").json()
    assert detail["version_number"] == result.version.number
    assert (detail["top_role"], detail["top_role_name"]) == (
        result.top_role.slug,
        result.top_role.name,
    )
    for tool in detail["recommended_tools"]:
        assert tool["category"] == site_content.tools[tool["slug"]].category.slug
        assert tool["category_name"] == site_content.tools[tool["slug"]].category.name

    role = person_api.get("/api/v1/roles/data-engineer/").json()
    assert role["url"] == "http://testserver/api/v1/roles/data-engineer/"
    assert role["web_url"] == "http://testserver/roles/data-engineer/"
    assert role["tools"][0]["web_url"].startswith("http://testserver/tools/")
    assert all(
        set(point) == {"title", "text"} for a in role["focus_areas"] for point in a["points"]
    )
    spanish = person_api.get("/api/v1/roles/data-engineer/", HTTP_ACCEPT_LANGUAGE="es").json()
    assert spanish["web_url"] == "http://testserver/es/roles/data-engineer/"


def test_a_406_is_documented_only_where_an_accept_header_can_be_refused(schema, person_api):
    calendar = schema["paths"]["/api/v1/plan.ics"]["get"]["responses"]
    assert "406" not in calendar
    assert "406" in schema["paths"]["/api/v1/plan/"]["get"]["responses"]
    # The calendar's address answers whatever the client accepts: here its 404 (no plan
    # saved yet), never a 406.
    answer = person_api.get("/api/v1/plan.ics", HTTP_ACCEPT="image/png")
    assert answer.status_code == 404
    assert problem(answer)["code"] == "not_found"
