"""The security checklist, one test (or a few) per point."""

import logging
import uuid

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from knox.models import AuthToken
from rest_framework.test import APIClient

from assessments.models import ShareLink
from assessments.services.assessment import assessment_submit
from assessments.services.sharing import share_create
from roles.models import Role, Tool
from tests.factories import TEST_PASSWORD, UserFactory
from tests.helpers import answers_leaning_to

pytestmark = pytest.mark.django_db

PRODUCTION_LIKE = {
    "DEBUG": False,
    "SECURE_SSL_REDIRECT": False,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
}


# --- headers and cookies -------------------------------------------------------------------


@override_settings(**PRODUCTION_LIKE)
def test_responses_carry_the_security_headers(client, site_content):
    response = client.get("/", HTTP_X_FORWARDED_PROTO="https", secure=True)

    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if "script-src" in part)
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in policy


def test_pages_have_no_inline_script(client, version):
    for url in ["/", "/roles/", "/tools/", "/compare/", "/assessment/", "/accounts/login/"]:
        html = client.get(url, follow=True).content.decode()
        for tag in html.split("<script")[1:]:
            assert tag.split(">")[0].strip().startswith("src="), (url, tag[:80])


@override_settings(**PRODUCTION_LIKE)
def test_session_and_csrf_cookies_are_secure_httponly_and_samesite():
    person = UserFactory()
    client = Client()
    client.get("/accounts/login/", secure=True)
    client.post(
        "/accounts/login/",
        {"username": person.username, "password": TEST_PASSWORD},
        secure=True,
    )
    session = client.cookies["sessionid"]
    csrf = client.cookies["csrftoken"]
    for cookie in (session, csrf):
        assert cookie["secure"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["httponly"] is True


# --- lockout -------------------------------------------------------------------------------


def _fail_site_login(client, username, **extra):
    return client.post("/accounts/login/", {"username": username, "password": "wrong"}, **extra)


def test_repeated_failed_site_logins_are_locked_out_with_429():
    person = UserFactory()
    client = Client()
    for _ in range(5):
        _fail_site_login(client, person.username)

    response = client.post(
        "/accounts/login/", {"username": person.username, "password": TEST_PASSWORD}
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many failed log-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failed_api_logins_are_locked_out_with_429():
    person = UserFactory()
    api = APIClient()
    for _ in range(5):
        api.post("/api/v1/auth/login/", {"username": person.username, "password": "wrong"})

    response = api.post(
        "/api/v1/auth/login/", {"username": person.username, "password": TEST_PASSWORD}
    )

    assert response.status_code == 429
    assert "detail" in response.json()
    assert not AuthToken.objects.filter(user=person).exists()


def test_x_forwarded_for_cannot_reset_the_count():
    person = UserFactory()
    client = Client()
    for number in range(5):
        _fail_site_login(client, person.username, HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")

    response = client.post(
        "/accounts/login/",
        {"username": person.username, "password": TEST_PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert response.status_code == 429


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
def test_behind_a_proxy_the_address_comes_from_our_proxy_not_the_client(rf):
    from core.security import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "203.0.113.7"


def test_the_admin_login_is_locked_out_too():
    person = UserFactory(is_staff=True)
    client = Client()
    for _ in range(5):
        client.post("/admin/login/", {"username": person.username, "password": "wrong"})
    response = client.post(
        "/admin/login/", {"username": person.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 429


# --- sessions and tokens -------------------------------------------------------------------


def _logged_in_client(person):
    client = Client()
    client.get("/accounts/login/")
    before = client.cookies.get("sessionid")
    client.post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})
    return client, before


def test_the_session_key_changes_at_login(version):
    person = UserFactory()
    client = Client()
    client.get("/assessment/step/1/")
    client.post("/assessment/restart/")  # an anonymous session now exists
    anonymous_key = client.session.session_key
    client.post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})
    assert client.session.session_key != anonymous_key
    assert client.session["_auth_user_id"] == str(person.pk)


@pytest.mark.parametrize("how", ["logout", "password change", "deactivation"])
def test_old_sessions_and_tokens_are_refused_afterwards(how):
    person = UserFactory()
    client, _ = _logged_in_client(person)
    old_session = client.cookies["sessionid"].value
    _, key = AuthToken.objects.create(person)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/profile/").status_code == 200

    if how == "logout":
        client.post("/accounts/logout/")
        api.post("/api/v1/auth/logout/")
    elif how == "password change":
        client.post(
            "/accounts/password_change/",
            {
                "old_password": TEST_PASSWORD,
                "new_password1": "brand-new-password-61",
                "new_password2": "brand-new-password-61",
            },
        )
    else:
        person.is_active = False
        person.save()

    replay = Client()
    replay.cookies["sessionid"] = old_session
    profile = replay.get("/profile/")
    assert profile.status_code == 302 and profile.url.startswith("/accounts/login/")
    assert api.get("/api/v1/me/").status_code == 401


# --- the URL sweeps ------------------------------------------------------------------------


def _all_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _all_routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


# Anonymous GETs that may answer 200: the public site, the public API and the auth pages.
PUBLIC = {
    "",
    "healthz",
    "readyz",
    "roles/",
    "roles/<slug:slug>/",
    "tools/",
    "tools/<slug:slug>/",
    "compare/",
    "assessment/",
    "assessment/step/<int:step>/",
    "plan/",  # an anonymous person's plan lives in their session
    "plan/skills/",
    "methodology/",
    "s/<str:token>/",  # a shared result, to anyone with its link (unlisted, noindex)
    "s/<str:token>/card.png",
    "accounts/signup/",
    "accounts/login/",
    "accounts/password_reset/",
    "accounts/password_reset/done/",
    "accounts/reset/<uidb64>/<token>/",
    "accounts/reset/done/",
    "admin/login/",
    "api/v1/roles/",
    "api/v1/roles/<slug:slug>/",
    "api/v1/tools/",
    "api/v1/tools/<slug:slug>/",
    "api/v1/assessment/",
    "api/v1/methodology/",
    "api/schema/",
    "api/docs/",
}
# Anonymous GETs that are POST-only by design (they answer 405 to GET).
POST_ONLY = {
    "assessment/restart/",
    "plan/steps/<slug:tool>/",
    "assessment/result/<uuid:assessment_id>/feedback/",
    "assessment/result/<uuid:assessment_id>/feedback/delete/",
    "assessment/result/<uuid:assessment_id>/share/",
    "assessment/result/<uuid:assessment_id>/share/<str:token>/revoke/",
    "accounts/logout/",
    "language/",
    "api/v1/auth/register/",
    "api/v1/auth/login/",
}
# A result is open to its owner or the browser that took it; to anyone else it does not exist.
NOT_FOUND_FOR_STRANGERS = {"assessment/result/<uuid:assessment_id>/"}
# Pages for signed-in people only, named so that a renamed or reopened one is noticed (any
# route not listed above must send an anonymous person to log in too, or answer 401 in the API).
LOGIN_ONLY = {"assessment/result/<uuid:assessment_id>/rescore/"}


def _concrete(route, objects):
    """A real URL for a route pattern, filled with the objects' ids."""
    url = "/" + route.lstrip("^").rstrip("$").replace("\\Z", "")
    replacements = {
        "<slug:slug>": objects["slug"],
        "<slug:tool>": objects["tool"],
        "<int:step>": "1",
        "<uuid:assessment_id>": str(objects["assessment"]),
        # a live share link's token (shares/ of the API too); not the e-mail confirmation's
        "s/<str:token>/": f"s/{objects['share_token']}/",
        "share/<str:token>/": f"share/{objects['share_token']}/",
        "<uidb64>": "MQ",
        "<token>": "set-password",
        "<path:object_id>": str(objects["object_id"]),
        "<id>": "1",
        "<int:content_type_id>": "1",
        "<path:object_id>/": "1/",
        "<app_label>": "roles",
        "<url>": "x",
        "(?P<app_label>roles|quizzes|accounts|auth|content|axes|knox)/": "roles/",
    }
    for pattern, value in replacements.items():
        url = url.replace(pattern, value)
    return url


def test_every_url_answers_anonymous_people_as_it_should(version):
    owner = UserFactory()
    assessment, _ = assessment_submit(
        version=version,
        answers=answers_leaning_to(version, ["mlops-engineer"]).items(),
        client_id=uuid.uuid4(),
        user=owner,
    )
    link = share_create(assessment_id=assessment.pk, user=owner)
    role, tool = Role.objects.first(), Tool.objects.first()
    objects = {
        "slug": role.slug,
        "tool": tool.slug,
        "assessment": assessment.pk,
        "object_id": 1,
        "share_token": link.token,
    }
    client = Client()
    checked = 0
    routes = set(_all_routes())
    assert routes >= LOGIN_ONLY
    for route in sorted(routes):
        if "(?P<" in route and "app_label" not in route:
            continue  # admin's catch-all and static patterns: covered by the explicit URLs
        url = _concrete(route, objects)
        if "<" in url:
            continue
        url = url.replace(f"tools/{role.slug}/", f"tools/{tool.slug}/")
        response = client.get(url)
        checked += 1
        if route in PUBLIC:
            assert response.status_code in (200, 302), (route, response.status_code)
        elif route in NOT_FOUND_FOR_STRANGERS:
            assert response.status_code == 404, (route, response.status_code)
        elif route in POST_ONLY:
            assert response.status_code == 405, (route, response.status_code)
        elif route.startswith("api/"):
            assert response.status_code == 401, (route, response.status_code)
        else:
            assert response.status_code == 302, (route, response.status_code)
            final = client.get(url, follow=True).redirect_chain[-1][0]
            assert "login" in final, (route, final)
    assert checked > 40


def test_person_b_gets_404_for_every_object_of_person_a(version):
    owner, other = UserFactory(), UserFactory()
    assessment, _ = assessment_submit(
        version=version,
        answers=answers_leaning_to(version, ["mlops-engineer"]).items(),
        client_id=uuid.uuid4(),
        user=owner,
    )
    link = share_create(assessment_id=assessment.pk, user=owner)
    web = Client()
    web.force_login(other)
    api = APIClient()
    api.force_authenticate(other)
    base = f"/assessment/result/{assessment.pk}/"
    shares = f"/api/v1/assessments/{assessment.pk}/shares/"

    assert web.get(base).status_code == 404
    assert web.get(f"{base}delete/").status_code == 404
    assert web.post(f"{base}delete/").status_code == 404
    assert web.get(f"{base}rescore/").status_code == 404
    assert web.post(f"{base}rescore/", {"action": "save"}).status_code == 404
    assert api.get(f"/api/v1/assessments/{assessment.pk}/").status_code == 404
    assert api.delete(f"/api/v1/assessments/{assessment.pk}/").status_code == 404
    assert web.post(f"{base}share/").status_code == 404
    assert web.post(f"{base}share/{link.token}/revoke/").status_code == 404
    assert api.get(shares).status_code == 404
    assert api.post(shares, {}, format="json").status_code == 404
    assert api.delete(f"{shares}{link.token}/").status_code == 404
    assert api.get("/api/v1/assessments/").json()["count"] == 0
    assert str(assessment.pk) not in web.get("/profile/").content.decode()
    assert str(assessment.pk) not in web.get("/profile/export/").content.decode()
    assert link.token not in web.get("/profile/").content.decode()
    assert ShareLink.objects.live().count() == 1


# --- escaping ------------------------------------------------------------------------------


def test_usernames_are_shown_escaped():
    person = UserFactory(username="<b>bold</b>")
    client = Client()
    client.force_login(person)
    html = client.get("/profile/").content.decode()
    assert "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


# --- errors and logs -----------------------------------------------------------------------


def test_a_server_error_shows_a_plain_page_without_traceback_and_is_logged(caplog):
    from django.urls import path

    from careerguide import urls as project_urls

    def broken_view(request):
        raise RuntimeError("a secret internal detail")

    urlconf = type(
        "BrokenUrls",
        (),
        {
            "urlpatterns": [path("boom/", broken_view), *project_urls.urlpatterns],
            "handler500": project_urls.handler500,
        },
    )
    client = Client(raise_request_exception=False)
    with override_settings(ROOT_URLCONF=urlconf, DEBUG=False), caplog.at_level(logging.ERROR):
        response = client.get("/boom/")

    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert "a secret internal detail" not in html and "Traceback" not in html
    assert any("a secret internal detail" in str(r.exc_info) for r in caplog.records)


def test_logins_and_failed_logins_are_logged_without_passwords(caplog):
    person = UserFactory()
    client = Client()
    with caplog.at_level(logging.INFO, logger="careerguide.auth"):
        client.post("/accounts/login/", {"username": person.username, "password": "wrong-guess"})
        client.post("/accounts/login/", {"username": person.username, "password": TEST_PASSWORD})

    text = "\n".join(record.getMessage() for record in caplog.records)
    assert f"failed login user={person.username}" in text
    assert f"login user={person.username}" in text
    assert "wrong-guess" not in text and TEST_PASSWORD not in text
