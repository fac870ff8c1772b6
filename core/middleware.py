"""Middleware of our own."""

from django.utils.cache import patch_cache_control


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
