"""Who may open what: every URL swept as an anonymous person, a signed-in one and an owner."""

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from assessments.models import ShareLink
from assessments.services.assessment import assessment_submit
from assessments.services.sharing import share_create
from roles.models import Role, Tool
from tests.factories import UserFactory
from tests.helpers import answers_leaning_to

pytestmark = pytest.mark.django_db


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
    "assessment/result/<uuid:assessment_id>/tie-breakers/",
    "assessment/result/<uuid:assessment_id>/share/<str:token>/revoke/",
    "accounts/logout/",
    "language/",
    "theme/",
    "api/v1/auth/register/",
    "api/v1/auth/login/",
    "plan/reminders/",
    "assessment/result/<uuid:assessment_id>/follow-up/",
    "assessment/result/<uuid:assessment_id>/follow-up/withdraw/",
}


# A result is open to its owner or the browser that took it; to anyone else it does not exist.
NOT_FOUND_FOR_STRANGERS = {
    "assessment/result/<uuid:assessment_id>/",
    # Prometheus' scrape: a 404 without the bearer token (tests/core/test_metrics.py).
    "metrics",
    # The follow-up e-mail's token is its only credential (a share token here: not one of it).
    "api/v1/follow-ups/<str:token>/",
}


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
