"""Serializer fields of the assessment API beyond core.api_fields."""

from drf_spectacular.utils import extend_schema_field

from core.api_fields import AsSentField


@extend_schema_field({"type": "boolean"})
class AsSentBooleanField(AsSentField):
    """A boolean a service judges (`feels_right`, `show_name`): passed on as sent, so "yes" or
    1 get the service's message, the same on the site and in the API. A flag the API alone
    reads is a core.api_fields.StrictBooleanField."""


# No maxLength: JSON Schema counts code points, the service counts characters as people see
# them (core.text.free_text_clean: NFC, grapheme clusters), so a longer string of code points
# may be within the limit.
@extend_schema_field({"type": "string"})  # allow_null adds the null
class CommentField(AsSentField):
    """A person's comment as sent: the service judges it (text, its length, what it holds)."""
