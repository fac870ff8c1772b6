"""How an API request proves who it is: knox tokens, checked without walking the person's
other tokens."""

from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox import auth
from knox.signals import token_expired


class TokenAuthentication(auth.TokenAuthentication):
    """knox's token check, minus its clean-up of *all* the person's expired tokens on every
    request (one query and a loop over up to TOKEN_LIMIT_PER_USER rows each time). Only the
    token presented is checked and, if expired, deleted; the others are deleted when the
    person logs in again (services.token_create) and by `manage.py prune_auth_records`."""

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
