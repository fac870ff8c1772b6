"""One shape for every API error: `{"detail": ...}`, or field errors keyed by field."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_from_django(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        response.data = {"detail": response.data}
    return response


def _from_django(error: DjangoValidationError) -> dict:
    """A service's ValidationError in the API's shape: field errors keyed by field, and a
    message about the request as a whole (no field, or the "detail" key) as one string."""
    if not hasattr(error, "error_dict"):
        return {"detail": " ".join(error.messages)}
    messages: dict[str, str | list[str]] = dict(error.message_dict)
    if "detail" in messages:
        messages["detail"] = " ".join(error.message_dict["detail"])
    return messages
