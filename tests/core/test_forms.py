"""core.forms.ServiceForm: a service's messages at the fields they name."""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import ServiceForm


class _PasswordForm(ServiceForm):
    password1 = forms.CharField()
    password2 = forms.CharField()
    service_fields = {"password": "password2"}


def test_the_services_messages_go_at_their_fields_and_the_rest_above_the_form():
    form = _PasswordForm(data={"password1": "a", "password2": "a"})
    assert form.is_valid()

    form.add_service_errors(
        ValidationError({"password": ["Too short.", "Too common."], "limit": ["Too many."]})
    )

    assert form.errors["password2"] == ["Too short.", "Too common."]
    assert form.non_field_errors() == ["Too many."]
    assert "password1" not in form.errors
