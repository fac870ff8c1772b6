"""core.middleware.ContentSecurityPolicyMiddleware: django-csp's header, built once per process;
anything that needs a header of its own still gets django-csp's."""

import pytest
from csp.constants import NONCE
from csp.decorators import csp_exempt, csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from core.middleware import ContentSecurityPolicyMiddleware


def _through(middleware_class, view):
    def answer(request):
        return view(request)

    request = RequestFactory().get("/")
    return request, middleware_class(answer)(request)


def _plain(request):
    return HttpResponse("ok")


def test_the_header_is_the_one_django_csp_builds():
    _, ours = _through(ContentSecurityPolicyMiddleware, _plain)
    _, theirs = _through(CSPMiddleware, _plain)
    assert ours["Content-Security-Policy"]
    assert sorted(ours["Content-Security-Policy"].split("; ")) == sorted(
        theirs["Content-Security-Policy"].split("; ")
    )
    assert "Content-Security-Policy-Report-Only" not in ours


def test_a_changed_setting_changes_the_header():
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        _, response = _through(ContentSecurityPolicyMiddleware, _plain)
        assert response["Content-Security-Policy"] == "default-src 'none'"
    _, response = _through(ContentSecurityPolicyMiddleware, _plain)
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_view_with_a_policy_of_its_own_or_a_nonce_gets_django_csps_answer():
    _, updated = _through(
        ContentSecurityPolicyMiddleware, csp_update({"img-src": "example.org"})(_plain)
    )
    assert "example.org" in updated["Content-Security-Policy"]

    _, exempt = _through(ContentSecurityPolicyMiddleware, csp_exempt()(_plain))
    assert "Content-Security-Policy" not in exempt

    def with_nonce(request):
        return HttpResponse(str(request.csp_nonce))

    with_nonces = {"DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", NONCE]}}
    with override_settings(CONTENT_SECURITY_POLICY=with_nonces):
        _, response = _through(ContentSecurityPolicyMiddleware, with_nonce)
    nonce = response.content.decode()
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error():
    request, _ = _through(ContentSecurityPolicyMiddleware, _plain)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
