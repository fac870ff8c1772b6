"""The site in two languages: addresses, the switcher, the API's Accept-Language, content with
its English fallback, and caches kept per language."""

import re

import pytest
from django.test import Client
from django.utils import translation

from careerguide.accounts.models import User
from core import caching
from core.middleware import language_from_accept_header
from quizzes import authoring
from quizzes.models import Choice, Question
from roles.models import Role

pytestmark = pytest.mark.django_db


def _alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html))


def test_english_keeps_todays_addresses_and_spanish_lives_under_es(client, site_content):
    english = client.get("/roles/data-engineer/")
    spanish = client.get("/es/roles/data-engineer/")

    assert english.status_code == spanish.status_code == 200
    assert '<html lang="en">' in english.text
    assert '<html lang="es">' in spanish.text
    assert english["Content-Language"] == "en"
    assert spanish["Content-Language"] == "es"


def test_the_address_decides_the_language_not_the_browser_or_the_cookie(client, site_content):
    client.cookies["careerguide_language"] = "es"

    response = client.get("/roles/", HTTP_ACCEPT_LANGUAGE="es")

    # A shared English link shows English to everyone, so it never changes under them.
    assert '<html lang="en">' in response.text


def test_every_page_names_its_other_languages_for_search_engines(client, site_content):
    html = client.get("/es/roles/data-engineer/?").text

    alternates = _alternates(html)
    assert alternates["en"].endswith("/roles/data-engineer/")
    assert alternates["es"].endswith("/es/roles/data-engineer/")
    assert alternates["x-default"] == alternates["en"]
    assert all(url.startswith("http") for url in alternates.values())


def test_the_switcher_links_to_the_same_page_with_its_query(client, site_content):
    html = client.get("/tools/?category=orchestration").text

    assert 'href="/es/tools/?category=orchestration" hreflang="es" lang="es">Español</a>' in html


def test_a_signed_in_persons_switch_is_kept_on_their_account(client, person, site_content):
    client.force_login(person)

    response = client.post("/language/", {"language": "es", "next": "/roles/data-engineer/"})

    assert response.status_code == 302
    assert response["Location"] == "/es/roles/data-engineer/"
    person.refresh_from_db()
    assert person.language == "es"


@pytest.mark.parametrize(
    "posted",
    [
        {"language": "xx", "next": "/roles/"},
        {"language": "es\x00", "next": "/roles/"},
        {"language": "es", "next": "https://evil.example/"},
        {"language": "es" * 5000, "next": "/" * 5000},
    ],
)
def test_the_switcher_refuses_odd_input_without_saving_it(client, person, posted):
    client.force_login(person)

    response = client.post("/language/", posted)

    assert response.status_code in (302, 400)
    assert "evil.example" not in response.get("Location", "")
    person.refresh_from_db()
    assert person.language in ("", "es")
    if posted["language"] != "es":
        assert person.language == ""


def test_the_switcher_takes_posts_only(client):
    assert client.get("/language/").status_code == 405


def test_content_shows_in_spanish_and_falls_back_to_english(client, site_content):
    Role.objects.filter(slug="data-engineer").update(name_es="Ingeniero/a de datos")

    page = client.get("/es/roles/").text

    assert "Ingeniero/a de datos" in page
    assert "MLOps engineer" in page  # no Spanish name yet: the English one stands in
    assert "Ingeniero/a de datos" not in client.get("/roles/").text


@pytest.mark.parametrize(
    "header, language",
    [
        ("es", "es"),
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("fr-FR,fr;q=0.9,es;q=0.5", "es"),
        ("fr, de", "en"),
        ("", "en"),
        ("*", "en"),
        ("en;q=0.1, es;q=0.9", "es"),
        ("\x00es", "en"),
        ("es;q=abc", "en"),
        ("a" * 10_000, "en"),
    ],
)
def test_the_api_language_comes_from_the_accept_language_header(header, language):
    assert language_from_accept_header(header) == language


def test_the_api_answers_in_the_asked_language_and_says_so(api, site_content):
    Role.objects.filter(slug="data-engineer").update(name_es="Ingeniero/a de datos")

    spanish = api.get("/api/v1/roles/data-engineer/", HTTP_ACCEPT_LANGUAGE="es-ES")
    english = api.get("/api/v1/roles/data-engineer/")

    assert spanish.status_code == english.status_code == 200
    assert spanish.json()["name"] == "Ingeniero/a de datos"
    assert spanish["Content-Language"] == "es"
    assert english.json()["name"] == "Data engineer"
    assert english["Content-Language"] == "en"
    assert "Accept-Language" in spanish["Vary"]


def test_the_apis_error_messages_follow_the_language(api):
    response = api.post(
        "/api/v1/auth/login/", {"username": "", "password": ""}, HTTP_ACCEPT_LANGUAGE="es"
    )

    assert response.status_code == 400
    assert response["Content-Language"] == "es"
    # DRF's own message, from its Spanish catalog
    assert "Este campo no puede estar en blanco." in str(response.json())


def test_cached_pages_and_api_answers_are_kept_once_per_language(client, api, site_content):
    Role.objects.filter(slug="data-engineer").update(name_es="Ingeniero/a de datos")
    # Fill the caches in one language, then ask in the other: never the first one's copy.
    for _ in range(2):
        assert "Ingeniero/a de datos" in client.get("/es/roles/").text
        assert "Ingeniero/a de datos" not in client.get("/roles/").text
        spanish = api.get("/api/v1/roles/", HTTP_ACCEPT_LANGUAGE="es").json()
        english = api.get("/api/v1/roles/").json()
        assert "Ingeniero/a de datos" in str(spanish)
        assert "Ingeniero/a de datos" not in str(english)


def test_catalog_data_is_built_once_per_language(site_content):
    built = []

    def build():
        built.append(translation.get_language())
        return translation.get_language()

    for language in ["en", "es", "en", "es"]:
        with translation.override(language):
            assert caching.catalog_data(name="test-names", build=build) == language
    assert built == ["en", "es"]


def test_an_unknown_language_prefix_is_not_a_page(client, site_content):
    assert client.get("/fr/roles/").status_code == 404
    assert client.get("/en/roles/").status_code == 404  # English has no prefix


def test_a_spanish_address_without_its_slash_is_redirected_in_spanish(client, site_content):
    response = client.get("/es/roles")

    assert response.status_code == 301
    assert response["Location"] == "/es/roles/"


def test_the_admin_stays_in_english(admin_client):
    response = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="es")

    assert '<html lang="en"' in response.text


def test_a_client_is_not_a_problem_for_the_unprefixed_health_probes():
    assert Client().get("/healthz", HTTP_ACCEPT_LANGUAGE="es").status_code == 200


def test_signing_up_in_spanish_keeps_spanish_on_the_account(client, api):
    client.post(
        "/es/accounts/signup/",
        {
            "username": "lucia",
            "email": "lucia@example.com",
            "password1": "una-frase-larga-19",
            "password2": "una-frase-larga-19",
        },
    )
    api.post(
        "/api/v1/auth/register/",
        {"username": "mateo", "email": "mateo@example.com", "password": "una-frase-larga-19"},
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert User.objects.get(username="lucia").language == "es"
    assert User.objects.get(username="mateo").language == "es"


def test_a_log_in_takes_the_person_to_the_language_they_last_chose(client, person):
    person.set_password("a-long-passphrase-19")
    person.language = "es"
    person.save()

    response = client.post(
        "/accounts/login/?next=/plan/",
        {"username": person.username, "password": "a-long-passphrase-19"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/es/plan/"


def test_a_log_in_without_a_chosen_language_stays_where_it_was(client, person):
    person.set_password("a-long-passphrase-19")
    person.save()

    response = client.post(
        "/es/accounts/login/", {"username": person.username, "password": "a-long-passphrase-19"}
    )

    assert response["Location"] == "/es/profile/"


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
