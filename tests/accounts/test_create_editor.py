"""manage.py create_editor makes a staff user in the Editors group, through the accounts
service (the same checks as sign-up)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from careerguide.accounts.models import EDITORS_GROUP
from tests import factories
from tests.admin_client import login

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple-9"


def _create(*args, **kwargs):
    out = io.StringIO()
    call_command("create_editor", *args, stdout=out, **kwargs)
    return out.getvalue()


def test_it_creates_a_staff_editor_who_can_log_in_and_edit_content(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)

    out = _create("ada", "Ada@Example.com", "--password-env", "EDITOR_PASSWORD")

    user = get_user_model().objects.get(username="ada")
    assert "Created editor “ada”" in out
    assert user.is_staff and not user.is_superuser and user.is_active
    assert user.email == "Ada@example.com"
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS_GROUP]
    assert user.has_perm("roles.change_tool") and not user.has_perm("accounts.view_user")
    client = login(user, PASSWORD)
    assert client.get("/admin/roles/tool/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 403


def test_it_prompts_for_the_password_twice(monkeypatch):
    answers = iter([PASSWORD, PASSWORD])
    prompts = []

    def fake_getpass(prompt):
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", fake_getpass)

    _create("grace", "grace@example.com")

    assert prompts == ["Password: ", "Password (again): "]
    assert get_user_model().objects.get(username="grace").check_password(PASSWORD)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ([PASSWORD, "something-else-entirely"], "The two passwords didn't match."),
        (["", ""], "The password can't be empty."),
    ],
)
def test_bad_prompted_passwords_are_refused(monkeypatch, typed, message):
    answers = iter(typed)
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    with pytest.raises(CommandError, match=message):
        _create("grace", "grace@example.com")

    assert not get_user_model().objects.filter(username="grace").exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "too short"),
        ("password123", "too common"),
        ("12345678901234", "entirely numeric"),
        ("ada-lovelace-editor", "too similar"),
    ],
)
def test_a_weak_password_is_refused_by_djangos_validators(monkeypatch, password, message):
    monkeypatch.setenv("EDITOR_PASSWORD", password)

    with pytest.raises(CommandError, match=f"not good enough.*{message}"):
        _create("ada-lovelace", "ada@example.com", "--password-env", "EDITOR_PASSWORD")

    assert not get_user_model().objects.filter(username="ada-lovelace").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["taken", "new@example.com"], "The username “taken”: That username is taken."),
        (["TAKEN", "new@example.com"], "The username “TAKEN”: That username is taken."),
        (["newbie", "Taken@Example.com"], "already exists"),
        (["newbie", "not-an-address"], "is not a valid e-mail address"),
        (["bad name!", "new@example.com"], "Invalid username"),
        (["  ", "new@example.com"], "can't be empty"),
    ],
)
def test_bad_usernames_and_emails_are_refused(monkeypatch, args, message):
    factories.UserFactory(username="taken", email="taken@example.com")
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)

    with pytest.raises(CommandError, match=message):
        _create(*args, "--password-env", "EDITOR_PASSWORD")

    assert get_user_model().objects.count() == 1


@pytest.mark.parametrize(("value", "message"), [(None, "is not set"), ("", "is empty")])
def test_a_missing_password_variable_is_refused(monkeypatch, value, message):
    if value is None:
        monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("EDITOR_PASSWORD", value)

    with pytest.raises(CommandError, match=f"EDITOR_PASSWORD {message}"):
        _create("ada", "ada@example.com", "--password-env", "EDITOR_PASSWORD")


def test_it_says_to_migrate_when_the_group_is_missing(monkeypatch):
    Group.objects.filter(name=EDITORS_GROUP).delete()
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)

    with pytest.raises(CommandError, match="migrate"):
        _create("ada", "ada@example.com", "--password-env", "EDITOR_PASSWORD")

    assert not get_user_model().objects.filter(username="ada").exists()
