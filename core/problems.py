"""Problem details (RFC 9457): the one shape of every error answer under /api/ (see
core.api_errors for DRF's exceptions). No DRF import here: the lockout answer (core.security)
uses it too, and DRF's settings import core.security."""

from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:careerguide:problem:"

# code -> (the HTTP status it comes with, its title). A code never changes meaning; new ones
# may be added, so a client treats one it does not know by its status.
CODES = {
    "validation_failed": (400, _("Invalid input")),
    "malformed_request": (400, _("Malformed request")),
    "not_authenticated": (401, _("Not authenticated")),
    "authentication_failed": (401, _("Authentication failed")),
    "permission_denied": (403, _("Permission denied")),
    "not_found": (404, _("Not found")),
    "method_not_allowed": (405, _("Method not allowed")),
    "not_acceptable": (406, _("Not acceptable")),
    "conflict": (409, _("Conflict")),
    "too_large": (413, _("Request too large")),
    "unsupported_media_type": (415, _("Unsupported media type")),
    "throttled": (429, _("Too many requests")),
    "locked_out": (429, _("Locked out")),
    "server_error": (500, _("Server error")),
}


def problem(
    code: str,
    *,
    detail=None,
    errors: list[dict] | None = None,
    status: int | None = None,
    extra: dict | None = None,
) -> dict:
    """The problem details body for `code`."""
    default_status, title = CODES[code]
    body = {
        "type": TYPE_PREFIX + code,
        "code": code,
        "title": str(title),
        "status": status or default_status,
        "detail": str(detail if detail is not None else title),
        "errors": errors or [],
    }
    body.update(extra or {})
    return body


def problem_response(code: str, *, detail=None, status: int | None = None) -> JsonResponse:
    """A problem as a plain Django response, for answers outside DRF's views."""
    body = problem(code, detail=detail, status=status)
    return JsonResponse(body, status=body["status"], content_type=PROBLEM_CONTENT_TYPE)
