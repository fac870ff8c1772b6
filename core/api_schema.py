"""OpenAPI generation: every operation also documents the errors it can answer with."""

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny

DETAIL_ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Field errors keyed by field (a list of messages each), or `detail`.",
    "additionalProperties": {},
}


def _error(description, schema):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


class ErrorDocumentingAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus the 400, 401, 404 and 429 answers each operation can give."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        has_input = method in {"POST", "PUT", "PATCH", "DELETE"} or self._is_list_view()
        if has_input:
            responses.setdefault("400", _error("Bad input.", FIELD_ERRORS))
        if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            responses.setdefault("401", _error("Not authenticated.", DETAIL_ERROR))
        if "{" in path or self._is_list_view():
            responses.setdefault(
                "404", _error("Not found (or not yours, or past the last page).", DETAIL_ERROR)
            )
        responses.setdefault("429", _error("Too many requests; see Retry-After.", DETAIL_ERROR))
        return operation
