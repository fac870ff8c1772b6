"""Django's own messages on the Spanish log-in and sign-up pages come from our catalog, in the
informal "tú" of the rest of the site, not from Django's formal Spanish."""

import re

import pytest
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from tests.core.test_catalogs import FORMAL
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def test_a_wrong_password_is_answered_in_tu():
    person = UserFactory()

    response = Client().post(
        "/es/accounts/login/", {"username": person.username, "password": "not-the-one"}
    )

    text = _text(response)
    assert "Escribe un nombre de usuario y una contraseña correctos" in text
    assert not FORMAL.search(text)


def test_the_password_rules_and_required_fields_speak_tu():
    with translation.override("es"):
        with pytest.raises(ValidationError) as rules:
            validate_password("12345678")
        required = forms.CharField().error_messages["required"]
        messages = [*rules.value.messages, str(required)]

    assert "Esta contraseña solo tiene números." in messages
    assert "Este campo es obligatorio." in messages
    assert not [message for message in messages if FORMAL.search(message)]
