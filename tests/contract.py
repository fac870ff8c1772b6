"""The contract test: every answer the tests receive from the API is checked against the
schema the site serves (/api/schema/), with openapi-core. tests/conftest.py wraps Django's
test client with it for every test, so any drift between the views and the schema (a status
not documented, a field missing or of another type, a null where none is allowed, an error
body that is not the Problem) fails the test that met it."""

import json
import re
from functools import cache

from django.http import HttpResponse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from openapi_core import Config, OpenAPI
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_core.testing import MockRequest, MockResponse

API_PREFIX = "/api/v1/"
_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


@cache
def served_schema() -> dict:
    """The schema as /api/schema/ serves it (JSON), built once per process."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))


def _text(body, **parameters) -> str:
    return body.decode(parameters.get("charset", "utf-8")) if isinstance(body, bytes) else body


@cache
def openapi() -> OpenAPI:
    # openapi-core reads application/json only: the problem details are JSON too, and the
    # plan's calendar (text/calendar) is text.
    config = Config(
        extra_media_type_deserializers={
            "application/problem+json": json.loads,
            "text/calendar": _text,
        }
    )
    return OpenAPI.from_dict(served_schema(), config=config)


class ContractBroken(AssertionError):
    pass


def checked(response: HttpResponse) -> bool:
    """Check one answer of the test client against the schema; False when the request is
    not one of the schema's operations (an unknown address, a method a path does not have:
    their problem bodies are checked by the tests that make them)."""
    request = getattr(response, "wsgi_request", None)
    if request is None or not request.path.startswith(API_PREFIX):
        return False
    match = request.resolver_match
    if match is None:
        return False
    pattern = "/" + _PARAMETER.sub(r"{\1}", match.route)
    mock_request = MockRequest(
        "http://testserver",
        request.method or "GET",
        request.path,
        path_pattern=pattern,
        args=request.GET,
        view_args={name: str(value) for name, value in match.kwargs.items()},
    )
    content = b"" if getattr(response, "streaming", False) else response.content
    mock_response = MockResponse(
        content,
        status_code=response.status_code,
        headers=dict(response.headers.items()),
        content_type=response.get("Content-Type", "") if content else "",
    )
    try:
        openapi().validate_response(mock_request, mock_response)
    except (PathNotFound, OperationNotFound):
        return False
    except Exception as error:  # openapi-core's errors: a broken contract
        details = "; ".join(str(cause) for cause in getattr(error, "schema_errors", []) or [])
        raise ContractBroken(
            f"{request.method} {request.get_full_path()} -> {response.status_code} does not "
            f"match the schema: {error!r} {details}\n{content[:2000]!r}"
        ) from error
    return True
