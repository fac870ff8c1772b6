"""Issue 18, review: what the Spanish site got wrong under attack or in odd corners (a copied
quiz version, a log-in from a Spanish page, a note to an address's owner, the data export, the
API's parse errors, Accept-Language's q=0, the switcher's unknown languages)."""

import json

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from careerguide.accounts.models import User
from core.middleware import language_from_accept_header
from quizzes import authoring
from quizzes.models import Choice, Question
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


# A copied version keeps its Spanish ------------------------------------------------------------


def _translate(version) -> None:
    for question in Question.objects.filter(version=version):
        Question.objects.filter(pk=question.pk).update(
            text_es=f"¿Pregunta {question.key}?", help_text_es=f"Ayuda {question.key}"
        )
    for choice in Choice.objects.filter(question__version=version):
        Choice.objects.filter(pk=choice.pk).update(text_es=f"Opción {choice.key}")


def _texts(version) -> tuple[list, list]:
    questions = Question.objects.filter(version=version).order_by("order", "key")
    choices = Choice.objects.filter(question__version=version).order_by(
        "question__order", "question__key", "order", "key"
    )
    return (
        list(questions.values_list("key", "text_en", "text_es", "help_text_en", "help_text_es")),
        list(choices.values_list("question__key", "key", "text_en", "text_es")),
    )


@pytest.mark.parametrize("active", ["en", "es"])
def test_a_new_draft_keeps_every_language_of_its_questions_and_choices(version, active):
    # It was: "New draft from this version" copied the active language's texts only, so
    # the next version had no Spanish (the Spanish assessment showed English) and, copied
    # from a Spanish page, no English.
    _translate(version)

    with translation.override(active):
        draft = authoring.version_copy_as_draft(version=version)

    assert _texts(draft) == _texts(version)
    assert all(question[2] for question in _texts(draft)[0])


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

    [note] = mail.outbox
    assert says in note.body
    assert f"{link}_reset/" in note.body


def test_the_confirmation_link_is_still_in_the_language_signed_up_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, "/es", "lucia", "lucia@example.com")

    [confirm] = mail.outbox
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


# The API's parse errors in the client's language --------------------------------------------------


@pytest.mark.parametrize("body", [b"{bad json", b"\xff\xfe", b'{"a": NaN}', b"[1, 2"])
def test_a_malformed_json_body_is_refused_in_the_clients_language(api, body):
    response = api.generic(
        "POST",
        "/api/v1/auth/register/",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert response.status_code == 400
    assert response["Content-Language"] == "es"
    detail = response.json()["detail"]
    assert detail.startswith("Error de análisis JSON"), detail
    # Python's own words (in English) are not passed on.
    assert "Expecting" not in detail and "codec" not in detail and "NaN" not in detail


def test_a_malformed_json_body_says_where_in_english(api):
    response = api.generic(
        "POST", "/api/v1/auth/register/", b'{\n "a": }', content_type="application/json"
    )

    assert response.json() == {"detail": "JSON parse error - not valid JSON at line 2, column 7."}


# Accept-Language: a language with q=0 is one the client refuses ---------------------------------


@pytest.mark.parametrize(
    "header, language",
    [
        ("es;q=0", "en"),
        ("fr, es;q=0", "en"),
        ("es;q=0.000, en;q=0", "en"),
        ("es;q=0.001", "es"),
        ("es;q=0, es-MX;q=0.5", "es"),
    ],
)
def test_a_language_the_client_refuses_is_not_chosen(header, language):
    assert language_from_accept_header(header) == language


def test_the_api_does_not_answer_in_a_refused_language(api, site_content):
    response = api.get("/api/v1/roles/", HTTP_ACCEPT_LANGUAGE="es;q=0")

    assert response["Content-Language"] == "en"


# The switcher: only the site's languages --------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en-us", "es-mx", "ES", "de"])
@pytest.mark.parametrize("signed_in", [False, True])
def test_the_switcher_never_sends_anyone_to_a_language_the_site_lacks(
    client, person, language, signed_in
):
    # Django's set_language takes any language it has a catalog for: `fr` redirected to
    # /fr/roles/ (a 404) and set the language cookie to it.
    if signed_in:
        client.force_login(person)

    response = client.post("/language/", {"language": language, "next": "/roles/"})

    assert response.status_code == 400
    assert "careerguide_language" not in response.cookies
    assert not response.get("Location")
    person.refresh_from_db()
    assert person.language == ""


def test_the_switcher_still_switches(client):
    response = client.post("/language/", {"language": "es", "next": "/roles/?page=2"})

    assert response.status_code == 302
    assert response["Location"] == "/es/roles/?page=2"
    assert response.cookies["careerguide_language"].value == "es"


# A form refused for its CSRF token says so in the page's language --------------------------------


@pytest.mark.parametrize(
    "prefix, lang, says",
    [("", "en", "This form has expired"), ("/es", "es", "Este formulario ha caducado")],
)
def test_an_expired_form_is_refused_in_the_pages_language(prefix, lang, says):
    # It was Django's bare page: <html lang="en"> and "403 Forbidden" around Django's own
    # Spanish, on every Spanish page whose form outlived its cookie.
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(f"{prefix}/accounts/login/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert says in html
    assert "Forbidden" not in html
