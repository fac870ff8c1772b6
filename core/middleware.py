"""Middleware of our own."""

import functools
import re
import uuid

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.log import log_response
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from .request_context import request_id_bound
from .security import from_trusted_proxy

API_PREFIX = "/api/"


class PrivateResponsesMiddleware:
    """A response to a signed-in person (a session log-in or an API token) is theirs alone:
    unless its view says otherwise, no shared cache may keep it and no browser may store it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and _is_personal(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _is_personal(request) -> bool:
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """The language of each request. A page's language is in its address: Spanish under /es/,
    English with no prefix (today's URLs), whatever the cookie or the browser says, so a link
    always shows what it showed when it was shared. The API has no prefix: it answers in the
    language its client asks for with Accept-Language (English if it asks for none we have)."""

    def process_request(self, request):
        if request.path_info.startswith(API_PREFIX):
            language = language_from_accept_header(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)


def language_from_accept_header(header: str) -> str:
    """The first language of an Accept-Language header that the site speaks, else the default.
    A language with q=0 is one the client refuses (RFC 9110), never chosen."""
    for code, quality in parse_accept_lang_header(header):
        if code == "*":
            break
        if quality <= 0:
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class ApiAnswersMiddleware:
    """Under /api/: every answer is JSON and GETs are conditional.

    - An address without its slash that no API view has is a problem-details 404 here,
      before CommonMiddleware could redirect it to the address with a slash (which drops a
      POST's body, and is a RuntimeError under DEBUG): the problem names the address with the
      slash instead. Other addresses are resolved by the handler alone (resolving each one
      here too cost a tenth of a millisecond); only a 404 is looked at again, to say that no
      view has its address (also under DEBUG, where Django would answer its HTML page).
    - A 200 GET gets an ETag (a hash of its body, so it changes with the language, the page and
      the data) and answers 304 Not Modified to a matching If-None-Match.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        if not request.path_info.endswith("/") and not _resolves(request.path_info):
            return api_not_found(request)
        response = self.get_response(request)
        if response.status_code == 404 and not _resolves(request.path_info):
            return api_not_found(request)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            if not response.streaming and not response.has_header("ETag"):
                set_response_etag(response)
            conditional = get_conditional_response(
                request, etag=response.get("ETag"), response=response
            )
            if conditional is not None:
                return conditional
        return response


def _resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def api_not_found(request):
    """The 404 for an API address no view has, naming the address with a slash if that one
    exists."""
    from core.problems import problem_response

    if not request.path_info.endswith("/") and _resolves(request.path_info + "/"):
        detail = _("This address ends with a slash: %(path)s") % {
            "path": request.get_full_path(force_append_slash=True)
        }
        return problem_response("not_found", detail=detail)
    return problem_response("not_found", detail=_("No API endpoint has this address."))


# What we take as a request id from a proxy: short and plain, so a log line can't be forged.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@-]{1,128}")


class RequestIdMiddleware:
    """Every request gets an id: the X-Request-ID our proxy sent (settings.TRUSTED_PROXIES;
    anyone else's is ignored, so a client can't make its lines pass for another's), or a new
    one. It is on every log line of the request (core.log_format) and of the jobs it queues
    (core.tasks), and in the response's X-Request-ID header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        if given and from_trusted_proxy(request) and _REQUEST_ID.fullmatch(given):
            request_id = given
        else:
            request_id = uuid.uuid4().hex
        request.request_id = request_id
        with request_id_bound(request_id):
            response = self.get_response(request)
            if response.status_code >= 400:
                # Django writes this line ("Not Found: /x") only after the last middleware
                # has returned, outside the id; written here, it has the id, and Django's
                # own call sees it logged and writes nothing more.
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,
                    request=request,
                )
        response["X-Request-ID"] = request_id
        return response


# A view's own policy (django-csp's decorators) or its exemption, on the response.
_VIEW_POLICY_ATTRIBUTES = (
    "_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
    "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro",
)  # fmt: skip


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site's policy built once per process.

    django-csp builds the header from the settings twice on every request (the policy and the
    report-only one), about 0.05 ms of CPU each time, though with no nonce and no view of its
    own policy the string never changes. We use neither; a response that does (or DEBUG's
    error pages, or excluded prefixes) takes django-csp's own way."""

    def process_response(self, request, response):
        policies = _site_policies()
        if (
            policies is None
            or settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _VIEW_POLICY_ATTRIBUTES)
        ):
            return super().process_response(request, response)
        for header, policy in policies:
            if header not in response:
                response[header] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


@functools.cache
def _site_policies() -> tuple[tuple[str, str], ...] | None:
    """The headers the settings give every response; None when a policy excludes prefixes."""
    headers = []
    for header, setting, report_only in [
        (HEADER, "CONTENT_SECURITY_POLICY", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ]:
        if (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES"):
            return None
        policy = build_policy(report_only=report_only)
        if policy:
            headers.append((header, policy))
    return tuple(headers)


@receiver(setting_changed)
def _forget_site_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policies.cache_clear()
