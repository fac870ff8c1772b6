"""How an API request proves who it is: knox tokens, checked without walking the person's
other tokens."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from knox.signals import token_expired
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header


class TokenAuthentication(auth.TokenAuthentication):
    """knox's token check, minus its clean-up of *all* the person's expired tokens on every
    request (one query and a loop over up to TOKEN_LIMIT_PER_USER rows each time). Only the
    token presented is checked and, if expired, deleted; the others are deleted when the
    person logs in again (services.token_create) and by `manage.py prune_auth_records`."""

    # `Authorization: Token <key>`, as knox has it; `Bearer <key>` too, as client generators
    # and HTTP libraries send by default.
    KEYWORDS = (b"token", b"bearer")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.KEYWORDS:
            return None  # no token, or another scheme's (the session's CSRF, say)
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as `Authorization: Token <key>`, with one space.")
            )
        return self.authenticate_credentials(parts[1])

    def authenticate_credentials(self, token: bytes):
        # A knox token is hex digits; anything else (bytes that are not UTF-8, a NUL, which
        # PostgreSQL refuses in a query) can't be one: 401, never a 500 on decoding it.
        if not token.isalnum():
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(token)

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


class TokenScheme(KnoxTokenScheme):
    """The same `Authorization: Token <key>` scheme in the OpenAPI document."""

    target_class = "careerguide.accounts.authentication.TokenAuthentication"

    def get_security_definition(self, auto_schema):
        return {
            **super().get_security_definition(auto_schema),
            "description": "`Authorization: Token <key>`, the key from auth/register/ or "
            "auth/login/ (`Bearer <key>` is accepted as well).",
        }
