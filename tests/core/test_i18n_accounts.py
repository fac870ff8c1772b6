"""The Spanish site and people's accounts: a log-in or sign-up on a Spanish page goes on in
Spanish, a note to an address's owner is in the owner's language, and the data export holds
the languages kept about the person."""

import json

import pytest

from careerguide.accounts.models import User
from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import sent_mail

pytestmark = pytest.mark.django_db


# A log-in or sign-up on a Spanish page goes on in Spanish ----------------------------------------


def _signup(client, prefix, username, email, **extra):
    data = {"username": username, "email": email, "password1": TEST_PASSWORD}
    data["password2"] = TEST_PASSWORD
    return client.post(f"{prefix}/accounts/signup/", {**data, **extra.pop("data", {})}, **extra)


@pytest.mark.parametrize("chosen", ["", "es"])
def test_a_log_in_on_a_spanish_page_goes_on_to_the_next_page_in_spanish(client, chosen):
    # /profile/ sends an anonymous person to /accounts/login/?next=/profile/; the switcher
    # keeps the query, so the Spanish log-in page has an English `next`. It landed in English.
    person = UserFactory(language=chosen)

    response = client.post(
        "/es/accounts/login/?next=/profile/",
        {"username": person.username, "password": TEST_PASSWORD, "next": "/profile/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/es/profile/"


def test_a_log_in_still_follows_the_language_the_person_chose(client):
    person = UserFactory(language="en")

    response = client.post(
        "/es/accounts/login/?next=/es/plan/",
        {"username": person.username, "password": TEST_PASSWORD, "next": "/es/plan/"},
    )

    assert response["Location"] == "/plan/"


def test_a_sign_up_on_a_spanish_page_goes_on_to_the_next_page_in_spanish(client):
    response = _signup(client, "/es", "lucia", "lucia@example.com", data={"next": "/plan/"})

    assert response.status_code == 302
    assert response["Location"] == "/es/plan/"


# A note to an address's owner is in the owner's language -----------------------------------------


@pytest.mark.parametrize(
    "owner_language, page, says, link",
    [
        ("en", "/es", "already belongs to your account", "http://testserver/accounts/password"),
        ("", "/es", "already belongs to your account", "http://testserver/accounts/password"),
        ("es", "", "Ya pertenece a tu cuenta", "http://testserver/es/accounts/password"),
    ],
)
def test_the_note_to_an_addresss_owner_is_in_the_owners_language(
    client, django_capture_on_commit_callbacks, owner_language, page, says, link
):
    # A stranger signing up with someone's address on a Spanish page sent that person a
    # Spanish note, with a Spanish link, whatever language their own account is in.
    UserFactory(username="owner", email="taken@example.com", language=owner_language)

    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, page, "intruder", "taken@example.com")

    [note] = sent_mail()
    assert says in note.body
    assert f"{link}_reset/" in note.body


def test_the_confirmation_link_is_still_in_the_language_signed_up_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, "/es", "lucia", "lucia@example.com")

    [confirm] = sent_mail()
    assert "http://testserver/es/accounts/email/confirm/" in confirm.body
    assert "Hola" in confirm.body


# The data export holds the languages kept about the person ---------------------------------------


def test_the_data_export_says_the_accounts_language_and_each_results(client, version, result):
    result.__class__.objects.filter(pk=result.pk).update(language="es")
    User.objects.filter(pk=result.user_id).update(language="es")
    client.force_login(result.user)

    data = json.loads(client.get("/profile/export/").content)

    assert data["account"]["language"] == "es"
    assert [assessment["language"] for assessment in data["assessments"]] == ["es"]
