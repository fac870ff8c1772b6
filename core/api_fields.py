"""Serializer fields shared by every app's API. The site's forms and the API call the same
services, so a value the service must judge is passed on as sent, and a boolean is JSON's."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .security import site_url


class AsSentField(serializers.Field):
    """A value passed on as sent, never coerced ("yes", "true", 1 or 5.5 stay what they are):
    the service checks it, with one message for the site and the API. Subclasses declare
    their type for the schema with `extend_schema_field`."""

    def to_internal_value(self, data):
        return data

    def to_representation(self, value):
        return value


@extend_schema_field({"type": "boolean"})
class StrictBooleanField(serializers.Field):
    """true or false as JSON has them: "yes" or 1 are refused, never taken as true."""

    default_error_messages = {"invalid": gettext_lazy("Send true or false.")}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


@extend_schema_field(
    {"type": "string", "format": "uri", "description": "The page on the site, to open."}
)
class WebUrlField(serializers.Field):
    """The object's page on the site (its get_absolute_url, in the request's language), whole:
    what an app opens in a browser, beside the API's own `url`."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return f"{site_url(self.context['request'])}{value.get_absolute_url()}"
