"""OpenAPI generation: the exact contract a generated client relies on.

- Every operation documents each error it can answer with (400 bad input, 401/403 without a
  valid token, 404, 406, 413/415 for bodies, 409 where a write can clash, 429, 500), and every
  error's body is the one `Problem` component (core.problems), as `application/problem+json`.
- Public operations (AllowAny) declare no security at all; the others the token (or the site's
  session), never an "or nothing" `{}`.
- A DELETE that reads a body (DELETE me/ with the password) documents it.
- Operation ids are the path's words and a verb: `roles_list`, `roles_get`, `me_delete`.
- GETs document 304 Not Modified (ETag / If-None-Match, core.middleware.ApiAnswersMiddleware).
"""

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from .problems import CODES

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

ERROR_DESCRIPTIONS = {
    "400": "Bad input: `code` validation_failed (see `errors`) or malformed_request.",
    "401": "No valid credentials: not_authenticated or authentication_failed.",
    "403": "permission_denied (e.g. a session request without its CSRF token).",
    "404": "not_found (or not yours, or past the last page).",
    "406": "not_acceptable: the API answers application/json only.",
    "409": "conflict: it clashes with what is already saved.",
    "413": "too_large: the body is over the size limit.",
    "415": "unsupported_media_type: send application/json.",
    "429": "throttled (too many requests) or locked_out (too many wrong passwords); "
    "see Retry-After.",
    "500": "server_error.",
}

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "Problem details (RFC 9457), the body of every error answer. `code` is "
    "stable and machine-readable, one of: "
    + ", ".join(f"`{code}` ({status})" for code, (status, _title) in CODES.items())
    + "; new codes may be added, so treat an unknown one by its status.",
    "properties": {
        "type": {"type": "string", "description": "A URI naming the problem type."},
        "code": {"type": "string", "description": "The machine code (see above)."},
        "title": {"type": "string", "description": "A short summary of the code."},
        "status": {"type": "integer", "description": "The HTTP status."},
        "detail": {
            "type": "string",
            "description": "What went wrong, in words for people, in the request's language.",
        },
        "errors": {
            "type": "array",
            "description": "Bad input, one entry per message (empty for other problems).",
            "items": {"$ref": "#/components/schemas/ProblemError"},
        },
        "existing_id": {
            "type": "string",
            "format": "uuid",
            "description": "On a `conflict` over a reused client_id: the saved result's id.",
        },
    },
    "required": ["type", "code", "title", "status", "detail", "errors"],
}
PROBLEM_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "field": {
            "type": ["string", "null"],
            "description": "The field's dotted path (`answers.0.choice`), a query parameter's "
            "name (`page_size`), or null for the request as a whole.",
        },
        "pointer": {
            "type": "string",
            "description": "The same place as a JSON pointer (RFC 6901), `/` for the whole.",
        },
        "code": {"type": "string", "description": "A machine code for this message."},
        "detail": {"type": "string", "description": "The message, translated."},
    },
    "required": ["field", "pointer", "code", "detail"],
}

_VERBS = {
    "_retrieve": "_get",
    "_destroy": "_delete",
    "_partial_update": "_update",
}


class ErrorDocumentingAutoSchema(AutoSchema):
    """drf-spectacular's schema, with the errors, the security and the bodies made exact."""

    def _is_public(self) -> bool:
        return any(isinstance(p, AllowAny) for p in self.view.get_permissions())

    def get_auth(self):
        if self._is_public():
            return []
        return [auth for auth in super().get_auth() if auth]

    def get_operation_id(self):
        operation_id = super().get_operation_id()
        if operation_id.startswith("auth_") and operation_id.endswith("_create"):
            return operation_id.removesuffix("_create")
        for suffix, verb in _VERBS.items():
            if operation_id.endswith(suffix):
                return operation_id.removesuffix(suffix) + verb
        return operation_id

    def get_request_serializer(self):
        # A DELETE has a body only where its view declares one (extend_schema(request=...)).
        if self.method == "DELETE":
            return None
        return super().get_request_serializer()

    def _get_request_body(self, direction="request"):
        if self.method != "DELETE":
            return super()._get_request_body(direction)
        serializer = self.get_request_serializer()
        if serializer is None:
            return None
        schema, _required = self._get_request_for_media_type(serializer, direction)
        return {"content": {"application/json": {"schema": schema}}, "required": True}

    def _negotiates_content(self) -> bool:
        """Whether the view can refuse an Accept header (406): not one that answers the same
        whatever is asked (the calendar file)."""
        own = type(self.view).perform_content_negotiation
        return own is APIView.perform_content_negotiation

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        if self._is_public():
            operation["security"] = []  # said outright: no token, whatever a default says
        responses = operation.setdefault("responses", {})
        has_body = "requestBody" in operation
        statuses = ["429", "500"]
        if self._negotiates_content():
            statuses.append("406")
        if has_body or any(p["in"] == "query" for p in operation.get("parameters", [])):
            statuses.append("400")
        if has_body:
            statuses += ["413", "415"]
        if not self._is_public():
            statuses += ["401", "403"]
        if "{" in path or self._is_list_view():
            statuses.append("404")
        for status in statuses:
            responses.setdefault(status, {"description": ERROR_DESCRIPTIONS[status]})
        if method == "GET":
            responses.setdefault(
                "304",
                {"description": "Not modified: the ETag sent in If-None-Match still matches."},
            )
            if "200" in responses:
                responses["200"].setdefault("headers", {})["ETag"] = {
                    "description": "Send it back in If-None-Match: 304 while nothing changed.",
                    "schema": {"type": "string"},
                }
        return operation


def problem_details_hook(result, generator, request, public):
    """Postprocessing hook: every error answer (4xx, 5xx) of every operation has the one
    Problem body, as application/problem+json."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas["ProblemError"] = PROBLEM_ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            for status, response in operation.get("responses", {}).items():
                if status[0] in "45":
                    response.setdefault("description", ERROR_DESCRIPTIONS.get(status, ""))
                    if not response["description"]:
                        response["description"] = ERROR_DESCRIPTIONS.get(status, "An error.")
                    response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}}
    return result
