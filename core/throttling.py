"""DRF's throttles, counting by the client address that core.security.client_ip finds (the same
one the log-in lockout uses), never by an X-Forwarded-For the client wrote itself; the same
throttles for site views (AddressThrottle, wait_if_throttled) and their 429 page. Their counts
live in the cache, so while Redis is unreachable they let requests through (and the cache
backend logs a warning)."""

from django.shortcuts import render
from rest_framework import throttling

from .security import client_ip


class ClientAddressMixin:
    def get_ident(self, request):
        return client_ip(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientAddressMixin, throttling.ScopedRateThrottle):
    pass


class AddressThrottle(ClientAddressMixin, throttling.SimpleRateThrottle):
    """Requests per client address, signed in or not, with the rate of its `scope` in
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allows(self, request) -> bool:
        """allow_request for a site view too: only the request's address is read."""
        return self.allow_request(request, None)  # type: ignore[arg-type]  # no view is read


def wait_if_throttled(request, *throttles: AddressThrottle) -> int | None:
    """Seconds to wait if one of `throttles` refuses this request, else None. Each throttle
    that allows it counts it."""
    for throttle in throttles:
        if not throttle.allows(request):
            return max(1, int(throttle.wait() or 1))
    return None


def too_many_requests(request, *, message: str, retry_after: int):
    """The site's 429 page, in the page's language, with Retry-After."""
    response = render(request, "too_many_requests.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
