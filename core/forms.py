"""What the site's forms share."""

from django import forms
from django.core.exceptions import ValidationError


class ServiceForm(forms.Form):
    """A form whose write goes through a service (which checks everything, for the site and
    the API alike): the service's ValidationError is shown at the fields it names, anything
    else above the form."""

    # A field the service names -> the field of this form that shows its messages.
    service_fields: dict[str, str] = {}

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            shown_at = self.service_fields.get(field, field)
            self.add_error(shown_at if shown_at in self.fields else None, messages)
