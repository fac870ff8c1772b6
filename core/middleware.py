"""Middleware of our own."""

import re
import uuid

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control
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
        response["X-Request-ID"] = request_id
        return response
