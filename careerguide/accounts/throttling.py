"""Rate limits of accounts, the same on the site and in the API: DRF's throttles with their
rates in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]. Their counts live in the cache, so while
Redis is unreachable they let requests through (and the cache backend logs a warning); what
guards passwords (the log-in lockout, password re-checks) lives in the database instead."""

from django.utils.crypto import salted_hmac
from rest_framework.throttling import SimpleRateThrottle

from core.throttling import AddressThrottle


class SignupThrottle(AddressThrottle):
    """Sign-ups (web form and API) from one address."""

    scope = "signup"


class PasswordResetThrottle(AddressThrottle):
    """Password-reset requests from one address."""

    scope = "password_reset"


class EmailThrottle(SimpleRateThrottle):
    """E-mails we send to one address that someone typed (reset links, sign-up mails), so a
    stranger can't flood an inbox. Keyed by a keyed hash: the cache holds no addresses."""

    scope = "email"

    def __init__(self, email: str):
        super().__init__()
        self.email = email

    def get_cache_key(self, request, view):
        digest = salted_hmac("careerguide.accounts.email-throttle", mailbox_of(self.email))
        return self.cache_format % {"scope": self.scope, "ident": digest.hexdigest()}


def mailbox_of(email: str) -> str:
    """The inbox an address delivers to, as far as a budget needs to know: case folded, and
    without a sub-address ("ana+1@x" and "Ana+2@X" both reach "ana@x" at most providers), so
    a stranger can't get past the budget by adding tags. Used for counting only, never for
    sending: the mail goes to the address as typed."""
    local, at, domain = email.strip().rpartition("@")
    if not at:
        return email.strip().casefold()
    local = local.split("+", 1)[0] or local
    return f"{local}@{_ascii_domain(domain)}".casefold()


def _ascii_domain(domain: str) -> str:
    """A domain as DNS has it: "bücher.de" and "xn--bcher-kva.de" are one, as are
    "example.com" and "example.com." (a name we can't convert is kept as typed)."""
    domain = domain.casefold().rstrip(".")
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def email_may_be_sent(email: str) -> bool:
    """Whether another e-mail may go to `email` now (and count it if so)."""
    return EmailThrottle(email).allow_request(None, None)  # type: ignore[arg-type]  # unread
