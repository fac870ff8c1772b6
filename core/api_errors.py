"""One error format for the whole API: problem details (RFC 9457), `application/problem+json`.

Every error answer under /api/ is an object with a stable machine `code` (one of CODES), a
short `title` for that code, the HTTP `status`, a translated `detail` for people, and, for bad
input, `errors`: one entry per message, with the field's dotted path (`answers.0.choice`, null
for the request as a whole), its JSON pointer, its own machine code and its message. DRF's
exceptions come through `exception_handler`; what Django answers before any view (unknown
paths, over-size bodies, 500s) through `problem_response`.
"""

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .problems import CODES, PROBLEM_CONTENT_TYPE, problem

# DRF's exception codes -> ours.
_DRF_CODES = {
    "parse_error": "malformed_request",
    "invalid": "validation_failed",
}


class Conflict(exceptions.APIException):
    """409: the request clashes with what is already saved (e.g. a client_id used before with
    other answers). `extra` goes into the problem as members of its own."""

    status_code = 409
    default_detail = _("The request conflicts with what is already saved.")
    default_code = "conflict"

    def __init__(self, detail=None, *, extra: dict | None = None):
        super().__init__(detail)
        self.extra = extra or {}


class LockedOut(exceptions.Throttled):
    """429 for too many wrong passwords (not too many requests): `locked_out`."""

    default_code = "locked_out"


class TooLarge(exceptions.APIException):
    status_code = 413
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class BadParameter(exceptions.ValidationError):
    """400 naming a query parameter (`page_size`, `role`...) as the field in `errors`."""

    def __init__(self, name: str, message, code: str = "invalid"):
        super().__init__({name: [exceptions.ErrorDetail(str(message), code=code)]})


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_from_django(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, RequestDataTooBig):
        exc = TooLarge()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = list(_flatten(exc.detail, ()))
        whole = [error["detail"] for error in errors if error["field"] is None]
        detail = " ".join(whole) if whole else _("Check the fields listed in `errors`.")
        body = problem("validation_failed", detail=detail, errors=errors)
    else:
        drf_code = getattr(exc.detail, "code", None) or exc.default_code
        code = _DRF_CODES.get(drf_code, drf_code)
        if code not in CODES:
            code = _code_for_status(response.status_code)
        body = problem(
            code,
            detail=exc.detail,
            status=response.status_code,
            extra=getattr(exc, "extra", None),
        )
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _code_for_status(status: int) -> str:
    for code, (code_status, _title) in CODES.items():
        if code_status == status:
            return code
    return "server_error" if status >= 500 else "validation_failed"


def _flatten(detail, path: tuple[str, ...]) -> Iterable[dict]:
    """DRF's nested error detail as a flat list: one entry per message, with its path."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            key = str(key)
            # DRF's and Django's "not about one field" keys, and ours ("detail"), belong to
            # the object they sit in.
            whole = key in {api_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS, "detail"}
            yield from _flatten(value, path if whole else (*path, key))
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                yield from _flatten(value, (*path, str(index)))
            else:
                yield from _flatten(value, path)
    else:
        yield {
            "field": ".".join(path) if path else None,
            "pointer": "/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in path),
            "code": getattr(detail, "code", None) or "invalid",
            "detail": str(detail),
        }


def _from_django(error: DjangoValidationError) -> dict | list:
    """A service's ValidationError in DRF's terms, each message keeping its code."""
    if not hasattr(error, "error_dict"):
        return [_detail(item) for item in error.error_list]
    return {field: [_detail(item) for item in items] for field, items in error.error_dict.items()}


def _detail(item: DjangoValidationError) -> exceptions.ErrorDetail:
    message = item.message
    if item.params:
        message = message % item.params
    return exceptions.ErrorDetail(str(message), code=item.code or "invalid")
