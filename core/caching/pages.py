"""The response caches the views declare: public pages for anonymous, cookie-less GETs
(cache_public_page), a signed-in person's pages (cache_personal_page) and API answers
(cached_user_response). A response is stored only when it is a plain 200 that sets no
cookie, and replayed with the headers the view set."""

import hashlib
from collections.abc import Callable
from dataclasses import replace
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from .entries import get_entry, remember_user_entry, set_entry
from .keys import personal_page_key, public_page_key, user_response_key
from .params import PageKey, no_parameters
from .versions import catalog_version, history_version, peers_version

# Headers a view sets that a replayed response must carry too (cookies never: they'd be
# someone's). Middleware headers (CSP, X-Frame-Options...) are added on every response anyway.
REPLAYED_HEADERS = (
    "Content-Type",
    "Cache-Control",
    "Expires",
    "Vary",
    "Content-Language",
    "Content-Disposition",
)


def _stored(response: HttpResponse) -> tuple[bytes, dict[str, str]]:
    headers = {name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)}
    return response.content, headers


def _replayed(stored: tuple[bytes, dict[str, str]]) -> HttpResponse:
    content, headers = stored
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response


def _cached_or_rendered(
    key: str,
    render: Callable[[], HttpResponse],
    *,
    shared: bool = True,
    may_store: Callable[[], bool] = lambda: True,
    stored: Callable[[], None] = lambda: None,
) -> HttpResponse:
    """The stored response for `key`, or a fresh one from `render()`, stored when it is a
    plain 200 that sets no cookie (a cookie would be someone's)."""
    found = get_entry(key)
    if found is not None:
        return _replayed(found)
    response = render()
    render_now = getattr(response, "render", None)
    if callable(render_now):
        response = render_now()  # DRF and template responses render lazily
    if response.status_code == 200 and not response.cookies and may_store():
        set_entry(key, _stored(response), shared=shared)
        stored()
    return response


def _csrf_secret(request: HttpRequest) -> str:
    """The request's CSRF secret as CsrfViewMiddleware has it ("" for none yet): the cookie's,
    until a render makes a new one (and sets that as a cookie only after the view)."""
    return request.META.get("CSRF_COOKIE", "")


def _keeps_csrf_secret(request: HttpRequest) -> Callable[[], bool]:
    """Whether the render, once done, kept the CSRF secret the request came with: a page
    rendered with a new one carries tokens that fit only the cookie its response sets, so
    replayed without that cookie its forms would be refused."""
    secret = _csrf_secret(request)
    return lambda: _csrf_secret(request) == secret


def _csrf_secret_digest(request: HttpRequest) -> str:
    """Which CSRF cookie the request came with, as part of a personal page's key: the page's
    form tokens are valid only with the cookie it was rendered for."""
    secret = _csrf_secret(request)
    return hashlib.sha256(secret.encode()).hexdigest() if secret else ""


def _site(request: HttpRequest) -> str | None:
    """The address a page's absolute links are built from, if it may be cached: the request's
    own scheme and host, which must be the configured SITE_URL when there is one (a made-up
    Host header never reaches the cache)."""
    site = f"{request.scheme}://{request.get_host()}"
    if settings.SITE_URL and site != settings.SITE_URL:
        return None
    return site


def _asks_for_indent(request: HttpRequest) -> bool:
    return "indent" in request.META.get("HTTP_ACCEPT", "")


def _is_cookieless_get(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def cache_public_page(key: Callable[[HttpRequest], PageKey] = no_parameters):
    """For a view whose answer is the same for everyone: served from the cache for anonymous,
    cookie-less GETs (nothing personal, such as a name in the menu, can be shared). `key`
    names the query parameters the view reads (see PageKey)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = cached(request, *args, **kwargs)
            if (
                request.path.startswith("/api/")
                and _is_cookieless_get(request)
                and response.status_code == 200
            ):
                # Anyone's copy is good until the catalog changes, which the cache above
                # learns at once: a client or proxy may keep it, and asks again with its ETag
                # each time (a 304 costs a cache read).
                patch_cache_control(response, public=True, no_cache=True)
                patch_vary_headers(response, ("Accept-Language", "Authorization", "Cookie"))
            return response

        def cached(request, *args, **kwargs):
            if not _is_cookieless_get(request):
                return view(request, *args, **kwargs)
            site = _site(request)
            catalog = catalog_version()
            page = key(request)
            # DRF renders `Accept: application/json; indent=8` as asked: not for everyone.
            if site is None or not page.cacheable or _asks_for_indent(request):
                return view(request, *args, **kwargs)
            cache_key = public_page_key(catalog=catalog, site=site, page=(request.path, page))
            return _cached_or_rendered(
                cache_key,
                lambda: view(request, *args, **kwargs),
                shared=page.shared,
                may_store=_keeps_csrf_secret(request),
            )

        return wrapper

    return decorator


def cache_personal_page(
    key: Callable[[HttpRequest], PageKey] = no_parameters, *, with_peers: bool = False
):
    """For a signed-in person's page that changes only with their history: cached per session
    and CSRF cookie (its forms carry that cookie's token), never while a flash message waits
    to be shown, nor when its render made a new CSRF cookie.
    `key` names the query parameters the view reads; a page that is not `shared` is not
    cached at all. `with_peers`: the page also shows everyone's counted results, so their
    version is part of its key."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            session = request.session
            if (
                request.method != "GET"
                or not request.user.is_authenticated
                or session.session_key is None
                or "_messages" in session
            ):
                return view(request, *args, **kwargs)
            user_id = request.user.pk
            page = key(request)
            if with_peers:
                page = replace(page, params=(*page.params, ("peers", peers_version())))
            # Its forms' CSRF tokens fit the cookie it is rendered for, which may change while
            # the session stays (a browser that drops the cookie gets a new one).
            page = replace(page, params=(*page.params, ("csrf", _csrf_secret_digest(request))))
            history = history_version(request.user)
            if history is None or not page.shared or not page.cacheable:
                return view(request, *args, **kwargs)
            cache_key = personal_page_key(
                session_key=session.session_key, history=history, page=(request.path, page)
            )
            keeps_csrf_secret = _keeps_csrf_secret(request)
            return _cached_or_rendered(
                cache_key,
                lambda: view(request, *args, **kwargs),
                # A message added while rendering belongs to this one response only.
                may_store=lambda: "_messages" not in session and keeps_csrf_secret(),
                stored=lambda: remember_user_entry(user_id, cache_key),
            )

        return wrapper

    return decorator


def cached_user_response(
    *, user, path: str, page: PageKey, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """An API answer about the `user`'s own history (at `path`, with the query parameters in
    `page`), cached until that history changes."""
    user_id = user.pk
    history = history_version(user)
    if history is None or not page.shared or not page.cacheable:
        return render()
    key = user_response_key(user_id=user_id, history=history, page=(path, page))
    return _cached_or_rendered(key, render, stored=lambda: remember_user_entry(user_id, key))
