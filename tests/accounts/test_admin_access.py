"""Who sees what in the admin: the Editors group, plain staff, superusers."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment
from tests import factories
from tests.admin_client import csrf_token

pytestmark = pytest.mark.django_db

CONTENT_MODELS = {
    "roles": [
        "role",
        "focusarea",
        "focuspoint",
        "toolcategory",
        "tool",
        "salaryfigure",
        "careeraspect",
        "aspecttext",
        "laboursource",
        "occupation",
        "roleproxy",
        "wagedistribution",
        "outlook",
    ],
    "quizzes": ["quiz", "quizversion", "question", "choice", "choiceweight"],
}

EDITOR_PAGES = [
    "/admin/roles/role/",
    "/admin/roles/focusarea/",
    "/admin/roles/tool/",
    "/admin/roles/toolcategory/",
    "/admin/roles/salaryfigure/",
    "/admin/roles/careeraspect/",
    "/admin/roles/laboursource/",
    "/admin/roles/occupation/",
    "/admin/roles/outlook/",
    "/admin/quizzes/quiz/",
    "/admin/quizzes/quizversion/",
    "/admin/quizzes/question/",
    "/admin/quizzes/choice/",
]

PRIVATE_PAGES = [
    "/admin/accounts/user/",
    "/admin/accounts/user/add/",
    "/admin/auth/group/",
    "/admin/auth/group/add/",
    "/admin/assessments/assessment/",
]


def _token_pages():
    """Token admins, if the API's token app is installed (knox or DRF's authtoken)."""
    pages = []
    if apps.is_installed("knox"):
        pages.append("/admin/knox/authtoken/")
    if apps.is_installed("rest_framework.authtoken"):
        pages.append("/admin/authtoken/tokenproxy/")
    return pages


def _every_other_admin_list():
    """The list page of every model registered in the admin that is not content: whatever
    app registers one (tokens, log-in records...), editors must not see it."""
    return sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
        if model._meta.model_name not in CONTENT_MODELS.get(model._meta.app_label, [])
    )


def test_the_editors_group_has_exactly_the_content_permissions():
    group = Group.objects.get(name="Editors")

    granted = set(group.permissions.values_list("content_type__app_label", "codename"))

    expected = {
        (app_label, f"{action}_{model}")
        for app_label, models in CONTENT_MODELS.items()
        for model in models
        for action in ["add", "change", "delete", "view"]
    }
    assert granted == expected
    assert not any(app in {"accounts", "auth", "contenttypes", "sessions"} for app, _ in granted)
    assert not any(
        codename.endswith(("assessment", "rolescore", "answer")) for _, codename in granted
    )


def test_the_migration_is_reversible():
    migration = importlib.import_module("careerguide.accounts.migrations.0002_editors_group")
    state = MigrationLoader(connection).project_state(("accounts", "0002_editors_group"))
    editor = factories.EditorFactory()
    schema_editor = SimpleNamespace(connection=connection)

    migration.remove_editors_group(state.apps, schema_editor)
    assert not Group.objects.filter(name="Editors").exists()
    assert not editor.groups.exists()

    Permission.objects.filter(content_type__app_label="roles").delete()  # as on a fresh database
    migration.create_editors_group(state.apps, schema_editor)
    group = Group.objects.get(name="Editors")
    assert group.permissions.count() == 52
    assert group.permissions.filter(codename="change_tool").exists()


def test_the_login_page_refuses_a_person_who_is_not_staff(person):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/admin/login/")
    response = browser.post(
        "/admin/login/",
        {
            "username": person.username,
            "password": factories.TEST_PASSWORD,
            "csrfmiddlewaretoken": csrf_token(page),
        },
    )

    assert response.status_code == 200
    assert "staff account" in response.content.decode()
    assert browser.get("/admin/").status_code == 302


def test_the_login_form_checks_the_csrf_token(editor):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/admin/login/")

    response = browser.post(
        "/admin/login/", {"username": editor.username, "password": factories.TEST_PASSWORD}
    )

    assert response.status_code == 403


def test_an_editor_sees_the_catalog_and_the_quiz_and_nothing_private(editor_client):
    index = editor_client.get("/admin/")

    html = index.content.decode()
    assert index.status_code == 200
    for page in EDITOR_PAGES:
        assert f'href="{page}"' in html
    for page in [*PRIVATE_PAGES, *_token_pages()]:
        assert f'href="{page}"' not in html


@pytest.mark.parametrize("page", EDITOR_PAGES)
def test_an_editor_can_open_every_content_list(editor_client, page):
    assert editor_client.get(page).status_code == 200


@pytest.mark.parametrize("page", [*PRIVATE_PAGES, *_token_pages()])
def test_an_editor_gets_403_on_people_groups_tokens_and_results(editor_client, page):
    assert editor_client.get(page).status_code == 403


@pytest.mark.parametrize("page", _every_other_admin_list())
def test_an_editor_gets_403_on_every_admin_page_that_is_not_content(editor_client, page):
    assert editor_client.get(page).status_code == 403


def test_an_editor_gets_403_on_a_user_and_an_assessment(editor_client, editor, result):
    assert editor_client.get(f"/admin/accounts/user/{editor.pk}/change/").status_code == 403
    assert (
        editor_client.get(f"/admin/assessments/assessment/{result.pk}/change/").status_code == 403
    )
    assert (
        editor_client.get(f"/admin/assessments/assessment/{result.pk}/delete/").status_code == 403
    )
    group = Group.objects.get(name="Editors")
    assert editor_client.get(f"/admin/auth/group/{group.pk}/change/").status_code == 403


def test_plain_staff_see_nothing(staff_client):
    index = staff_client.get("/admin/")

    assert index.status_code == 200
    assert "You don’t have permission to view or edit anything." in index.content.decode()
    for page in [*EDITOR_PAGES, *PRIVATE_PAGES]:
        assert staff_client.get(page).status_code == 403


def test_a_superuser_keeps_full_access_and_sees_results_read_only(superuser_client, result):
    for page in [*EDITOR_PAGES, *PRIVATE_PAGES, *_token_pages()]:
        assert superuser_client.get(page).status_code == 200

    page = superuser_client.get(f"/admin/assessments/assessment/{result.pk}/change/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Data engineer" in html
    assert 'name="_save"' not in html
    assert superuser_client.get("/admin/assessments/assessment/add/").status_code == 403
    delete_page = f"/admin/assessments/assessment/{result.pk}/delete/"
    assert superuser_client.get(delete_page).status_code == 403
    assert Assessment.objects.filter(pk=result.pk).exists()
