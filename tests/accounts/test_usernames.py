"""Usernames: the API normalises them as the site does, they are unique whatever their case
(races included), and a username of any length on the log-in pages is a field error."""

import string

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.db import connection
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from careerguide.accounts import services
from careerguide.accounts.models import User
from tests.accounts.helpers import register
from tests.admin_client import force_login_verified
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


# 4. The API normalises usernames as the site does; case-insensitive uniqueness; races ----


@pytest.mark.parametrize("typed", ["Ｍallory", "ｍallory", "MALLORY"])
def test_the_api_refuses_a_username_that_is_taken_in_another_form(api, typed):
    UserFactory(username="mallory")

    response = register(api, typed, "second@example.com")

    assert response.status_code == 400
    assert response.json() == {"username": ["That username is taken."]}
    assert User.objects.count() == 1


def test_the_api_stores_a_username_normalised_as_the_sign_up_form_does(api):
    response = register(api, "Ｒenée", "renee@example.com")

    assert response.status_code == 201
    assert response.json()["user"]["username"] == "Renée"
    assert User.objects.get().username == "Renée"


def test_a_username_that_normalises_into_a_bad_one_is_refused_at_the_field(api):
    # "⑴" is a digit to a regular expression, but normalises to "(1)".
    response = register(api, "sam⑴", "sam@example.com")

    assert response.status_code == 400
    assert "username" in response.json()


def test_the_database_refuses_two_usernames_that_differ_only_in_case():
    from django.db import IntegrityError, transaction

    UserFactory(username="mallory")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="Mallory", password=TEST_PASSWORD)


def test_a_race_for_one_username_answers_400_not_500(api, monkeypatch):
    """Two sign-ups at once both find the name free; the second insert then meets the unique
    constraint. Simulated by a check that misses the first one's row."""
    UserFactory(username="mallory")
    real_check = services.username_is_taken

    def filter_missing_mallory(username):
        if not filter_missing_mallory.raced:
            filter_missing_mallory.raced = True
            return False
        return real_check(username)

    filter_missing_mallory.raced = False
    monkeypatch.setattr(services, "username_is_taken", filter_missing_mallory)

    response = register(api, "ｍallory", "second@example.com")

    assert filter_missing_mallory.raced
    assert response.status_code == 400
    assert response.json() == {"username": ["That username is taken."]}


def test_the_migration_renames_usernames_that_differ_only_in_case(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0002_editors_group")])
    old_apps = executor.loader.project_state([("accounts", "0002_editors_group")]).apps
    OldUser = old_apps.get_model("accounts", "User")
    first = OldUser.objects.create(username="mallory", password="!")
    second = OldUser.objects.create(username="Mallory", password="!")
    other = OldUser.objects.create(username="someone", password="!")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    names = dict(User.objects.values_list("pk", "username"))
    assert names == {first.pk: "mallory", second.pk: f"Mallory-{second.pk}", other.pk: "someone"}


# 5. A username of any length on the log-in pages: a field error, never a 500 --------------


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_a_very_long_username_is_an_error_at_its_field(url):
    response = Client().post(url, {"username": "a" * 300, "password": "whatever-it-is"})

    assert response.status_code in (200, 400)  # the admin's own pages answer 200
    assert "at most 150 characters" in " ".join(response.context["form"].errors["username"])
    if url.startswith("/accounts/"):
        assert response.status_code == 400


def test_a_long_username_that_reaches_the_lockout_is_counted_not_a_crash():
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="203.0.113.5")

    assert authenticate(request, username="x" * 300, password="whatever-it-is") is None

    attempt = AccessAttempt.objects.get()
    assert attempt.username == "x" * 255 and attempt.failures_since_start == 1


# 1. A username the unique constraint (Lower("username")) counts as taken is a 400 ------------


@pytest.fixture
def unicode_lower():
    """SQLite's LOWER() folds only ASCII; PostgreSQL's folds every letter. On SQLite, make it
    fold as Python does (so `sẞ` and `sß` collide, as on PostgreSQL) for the constraint and
    every query; afterwards fold only ASCII again, as SQLite's own does (sqlite3 can't drop an
    override here)."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    raw.create_function("LOWER", 1, lambda value: _fold(value, str.lower), deterministic=True)
    yield
    raw.create_function("LOWER", 1, lambda value: _fold(value, _ascii_lower), deterministic=True)


def _ascii_lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _fold(value, lower):
    if value is None or isinstance(value, bytes):
        return value
    return lower(str(value))


def _lower_collides(first: str, second: str) -> bool:
    """Whether the database itself folds the two names to one (its LOWER, as the constraint)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT LOWER(%s) = LOWER(%s)", [first, second])
        return bool(cursor.fetchone()[0])


def _sign_up(how: str, username: str):
    email, password = f"{len(username)}-new@example.com", TEST_PASSWORD
    if how == "api":
        return APIClient().post(
            "/api/v1/auth/register/",
            {"username": username, "email": email, "password": password},
        )
    return Client().post(
        "/accounts/signup/",
        {"username": username, "email": email, "password1": password, "password2": password},
    )


def _username_errors(how: str, response) -> list[str]:
    if how == "api":
        return response.json().get("username", [])
    return response.context["form"].errors.get("username", [])


@pytest.mark.parametrize("how", ["api", "web"])
@pytest.mark.parametrize(("taken", "typed"), [("ix", "İx"), ("sß", "sẞ")])
def test_sign_up_refuses_a_username_the_unique_constraint_counts_as_taken(
    unicode_lower, how, taken, typed
):
    from careerguide.accounts.models import USERNAME_CHARACTERS

    UserFactory(username=taken)

    response = _sign_up(how, typed)

    # "İ" and "ẞ" are no letters a new username may hold, so the name is refused before it is
    # compared; the check that would compare it does so as the constraint does.
    assert response.status_code == 400
    assert _username_errors(how, response) == [str(USERNAME_CHARACTERS)]
    assert User.objects.count() == 1
    assert services.username_is_taken(typed) == _lower_collides(taken, typed)


@pytest.mark.parametrize("how", ["api", "web"])
def test_a_sign_up_that_loses_a_race_for_the_username_is_a_400_at_the_field(
    unicode_lower, monkeypatch, how
):
    """The check passed (another request took the name just after it): the insert breaks the
    constraint, and that is said at `username`, never a 500."""
    UserFactory(username="sß")
    monkeypatch.setattr(services, "_account_errors", lambda **kwargs: {})

    response = _sign_up(how, "sẞ")

    assert response.status_code == 400
    assert _username_errors(how, response) == ["That username is taken."]
    assert User.objects.count() == 1


# 6. Look-alike usernames: only the letters of English and Spanish, digits and . _ - ----------

LOOK_ALIKES = [
    "m\u0430llory",  # a Cyrillic a (U+0430) for the Latin one
    "\u00ffvonne",  # ÿ
    "\u1e30ate",  # Ḱ
    "sam\u3164",  # the Hangul filler: an invisible letter, even after NFKC
    "sam@example",
    "sam+1",
]


@pytest.mark.parametrize("how", ["api", "web"])
@pytest.mark.parametrize("typed", LOOK_ALIKES)
def test_sign_up_refuses_letters_outside_english_and_spanish_at_the_field(how, typed):
    from careerguide.accounts.models import USERNAME_CHARACTERS

    response = _sign_up(how, typed)

    assert response.status_code == 400
    assert _username_errors(how, response) == [str(USERNAME_CHARACTERS)]
    assert not User.objects.exists()


@pytest.mark.parametrize("how", ["api", "web"])
@pytest.mark.parametrize("typed", ["José_Núñez-1.b", "MÜLLER", "ｐeña"])
def test_sign_up_takes_english_and_spanish_letters_digits_and_three_marks(how, typed):
    response = _sign_up(how, typed)

    assert response.status_code in (201, 302)
    assert User.objects.count() == 1


def test_the_refusal_is_said_in_spanish_too():
    from django.utils import translation

    from careerguide.accounts.models import USERNAME_CHARACTERS

    response = APIClient().post(
        "/api/v1/auth/register/",
        {"username": "m\u0430llory", "email": "m@example.com", "password": TEST_PASSWORD},
        HTTP_ACCEPT_LANGUAGE="es",
    )

    with translation.override("es"):
        spanish = str(USERNAME_CHARACTERS)
    with translation.override("en"):
        assert spanish != str(USERNAME_CHARACTERS)
    assert response.status_code == 400
    assert response.json() == {"username": [spanish]}


def test_an_existing_username_outside_the_rule_still_logs_in():
    person = UserFactory(username="\u1e30ate@home")

    response = Client().post(
        "/accounts/login/", {"username": person.username, "password": TEST_PASSWORD}
    )

    assert response.status_code == 302


def test_the_admin_adds_no_username_the_sign_up_refuses(superuser):
    from careerguide.accounts.models import USERNAME_CHARACTERS

    admin = Client()
    force_login_verified(admin, superuser)
    response = admin.post(
        "/admin/accounts/user/add/",
        {"username": "\u1e30ate", "usable_password": "false"},
    )

    assert response.status_code == 200  # the form again
    assert response.context["adminform"].form.errors["username"] == [str(USERNAME_CHARACTERS)]
    assert not User.objects.filter(username="\u1e30ate").exists()
