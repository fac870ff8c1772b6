"""DRF's throttles, counting by the client address that core.security.client_ip finds (the same
one the log-in lockout uses), never by an X-Forwarded-For the client wrote itself."""

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
