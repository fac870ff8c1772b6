"""The API's languages: parse errors in the client's language, and Accept-Language's q=0 is a
language the client refuses."""

import pytest

from core.middleware import language_from_accept_header
from tests.helpers import problem

pytestmark = pytest.mark.django_db


# The API's parse errors in the client's language --------------------------------------------------


@pytest.mark.parametrize("body", [b"{bad json", b"\xff\xfe", b'{"a": NaN}', b"[1, 2"])
def test_a_malformed_json_body_is_refused_in_the_clients_language(api, body):
    response = api.generic(
        "POST",
        "/api/v1/auth/register/",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert response.status_code == 400
    assert response["Content-Language"] == "es"
    detail = response.json()["detail"]
    assert detail.startswith("Error de análisis JSON"), detail
    # Python's own words (in English) are not passed on.
    assert "Expecting" not in detail and "codec" not in detail and "NaN" not in detail


def test_a_malformed_json_body_says_where_in_english(api):
    response = api.generic(
        "POST", "/api/v1/auth/register/", b'{\n "a": }', content_type="application/json"
    )

    assert problem(response)["detail"] == ("JSON parse error - not valid JSON at line 2, column 7.")


# Accept-Language: a language with q=0 is one the client refuses ---------------------------------


@pytest.mark.parametrize(
    "header, language",
    [
        ("es;q=0", "en"),
        ("fr, es;q=0", "en"),
        ("es;q=0.000, en;q=0", "en"),
        ("es;q=0.001", "es"),
        ("es;q=0, es-MX;q=0.5", "es"),
    ],
)
def test_a_language_the_client_refuses_is_not_chosen(header, language):
    assert language_from_accept_header(header) == language


def test_the_api_does_not_answer_in_a_refused_language(api, site_content):
    response = api.get("/api/v1/roles/", HTTP_ACCEPT_LANGUAGE="es;q=0")

    assert response["Content-Language"] == "en"
