"""Serializer fields of the assessment API beyond core.api_fields."""

from drf_spectacular.utils import extend_schema_field

from core.api_fields import AsSentField


@extend_schema_field({"type": "boolean"})
class AsSentBooleanField(AsSentField):
    """A boolean a service judges (`feels_right`, `show_name`): passed on as sent, so "yes" or
    1 get the service's message, the same on the site and in the API. A flag the API alone
    reads is a core.api_fields.StrictBooleanField."""
