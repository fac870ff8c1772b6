"""Log-in protection shared by the site, the admin and the API."""

import datetime
import functools
import ipaddress
import logging
import unicodedata
from collections.abc import Mapping

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import Q, Sum
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

logger = logging.getLogger("careerguide.auth")
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def _proxy_networks(addresses: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(address, strict=False) for address in addresses)


def _is_our_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _proxy_networks(tuple(settings.TRUSTED_PROXIES)))


def from_trusted_proxy(request) -> bool:
    """Whether the request came straight from one of our proxies (settings.TRUSTED_PROXIES),
    so the headers it adds (X-Forwarded-For, X-Request-ID) are its and may be believed."""
    return _is_our_proxy(request.META.get("REMOTE_ADDR", ""))


def client_ip(request) -> str:
    """The client, by address: REMOTE_ADDR, unless the request comes from one of our proxies
    (settings.TRUSTED_PROXIES); then the nearest address in X-Forwarded-For that is not one of
    ours. Entries a client wrote itself stand to the left of that one, so they are never read.
    An IPv6 address is given as the first address of its network of IPV6_CLIENT_PREFIX bits
    (a /64: one client), so every limit counts the network, not each of its addresses."""
    return _client_network(_client_address(request))


def _client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if not _is_our_proxy(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_our_proxy(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # not an address: our proxy never writes one of those
    return remote


def _client_network(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv4Address):
        return address
    if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1
        return str(ip.ipv4_mapped)
    network = ipaddress.IPv6Network((ip, settings.IPV6_CLIENT_PREFIX), strict=False)
    return str(network.network_address)


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    """429 for a locked-out log-in: JSON for the API, a page for people."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = ngettext(
        "Too many failed log-ins. Try again in %(minutes)s minute.",
        "Too many failed log-ins. Try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        answer = JsonResponse({"detail": message}, status=429)
    else:
        answer = render(request, "registration/locked_out.html", {"message": message}, status=429)
    answer["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return answer


# The lockout policy (README, "Security") ------------------------------------------------------

LOCKOUT_USERNAME_LENGTH = 255  # django-axes' username column


def lockout_username(request, credentials: dict | None = None) -> str | None:
    """The name django-axes counts failures under (AXES_USERNAME_CALLABLE): what was typed,
    NFKC-normalised and lower-cased, as usernames are unique (`Alice`, `ALICE` and a full-width
    `Alice` share one count), and cut to the column's length, so a name of any length is
    counted, never a 500."""
    source = credentials if credentials is not None else getattr(request, "POST", None)
    value = source.get("username") if isinstance(source, Mapping) else None
    if value is None:
        return None
    # Cut before normalising too: NFKC of a huge string is slow, and it never gets shorter.
    text = unicodedata.normalize("NFKC", str(value)[: LOCKOUT_USERNAME_LENGTH * 4])
    return text.lower()[:LOCKOUT_USERNAME_LENGTH]


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with our policy:

    - a username is locked *from one address* after AXES_FAILURE_LIMIT failures in
      AXES_COOLOFF_TIME (AXES_LOCKOUT_PARAMETERS is [["username", "ip_address"]], so a log-in
      clears only that username's failures from that address, never other people's);
    - an address is locked for every username after LOCKOUT_ADDRESS_FAILURE_LIMIT failures
      across usernames, except for a username that has logged in from that address before (its
      access log), so a guesser on a shared network can't lock its regulars out.

    A stranger's failures from elsewhere never lock anyone out of their own account.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        totals = attempts.aggregate(
            address=Sum("failures_since_start"),
            pair=Sum("failures_since_start", filter=Q(username=username)),
        )
        pair, address = totals["pair"] or 0, totals["address"] or 0
        if address >= settings.LOCKOUT_ADDRESS_FAILURE_LIMIT and not self._known_here(
            request, credentials
        ):
            return max(pair, get_failure_limit(request, credentials))
        return pair

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is not None and getattr(request, "axes_ip_address", None):
            # django-axes appends every failure's query string and form to its row, so a
            # flood of failures would grow one row without end (and each append rewrites it).
            # We never read them: keep none.
            AccessAttempt.objects.filter(
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            ).exclude(get_data="", post_data="").update(get_data="", post_data="")

    @staticmethod
    def _known_here(request, credentials: dict | None) -> bool:
        typed = (credentials or {}).get("username")
        return bool(typed) and (
            AccessLog.objects.filter(
                username=str(typed)[:LOCKOUT_USERNAME_LENGTH], ip_address=request.axes_ip_address
            ).exists()
        )


def login_records_forget(username: str) -> None:
    """Delete what django-axes holds about `username`: its access logs (successful log-ins)
    and failure logs under the name as it was, its failed attempts under the name they are
    counted by (lockout_username). Called when the account is deleted."""
    AccessLog.objects.filter(username=username).delete()
    AccessFailureLog.objects.filter(username=username).delete()
    counted = lockout_username(None, {"username": username})
    AccessAttempt.objects.filter(username__in={username, counted}).delete()


def login_records_prune(*, now: datetime.datetime) -> dict[str, int]:
    """Delete access logs older than ACCESS_LOG_RETENTION_DAYS and attempts whose cool-off has
    passed; the number of each deleted."""
    logs_before = now - datetime.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    attempts_before = now - (settings.AXES_COOLOFF_TIME or datetime.timedelta(0))
    return {
        "access logs": AccessLog.objects.filter(attempt_time__lt=logs_before).delete()[0],
        "failure logs": AccessFailureLog.objects.filter(attempt_time__lt=logs_before).delete()[0],
        "lockout attempts": (
            AccessAttempt.objects.filter(attempt_time__lt=attempts_before).delete()[0]
            if settings.AXES_COOLOFF_TIME is not None
            else 0
        ),
    }


# The auth log --------------------------------------------------------------------------------

LOGGED_VALUE_LENGTH = 200


def loggable(value: object) -> str:
    """`value` safe to put in one log line: every character that is not printable (line
    breaks, other control and format characters, U+2028...) and every space or backslash is
    written as an escape, so a made-up username can neither start a new line nor forge a
    `field=value` pair; and it is cut to a bounded length."""
    text = str(value)
    out = []
    for char in text[:LOGGED_VALUE_LENGTH]:
        if char == "\\":
            out.append("\\\\")
        elif char.isprintable() and char != " ":
            out.append(char)
        else:
            code = ord(char)
            out.append(
                f"\\x{code:02x}"
                if code < 0x100
                else f"\\u{code:04x}"
                if code < 0x10000
                else f"\\U{code:08x}"
            )
    if len(text) > LOGGED_VALUE_LENGTH:
        out.append(f"...(+{len(text) - LOGGED_VALUE_LENGTH})")
    return "".join(out)


def log_login(sender, request, user, **kwargs):
    """Receives user_logged_in (connected in core.apps)."""
    logger.info(
        "login user=%s ip=%s",
        loggable(user.get_username()),
        loggable(client_ip(request)) if request else "",
    )


def log_failed_login(sender, credentials, request=None, **kwargs):
    # Django hands us the credentials with the password already masked; log the name only.
    logger.warning(
        "failed login user=%s ip=%s",
        loggable(credentials.get("username", "")),
        loggable(client_ip(request)) if request is not None else "",
    )


# Links in e-mails ----------------------------------------------------------------------------


def site_url(request: HttpRequest) -> str:
    """The origin (scheme://host[:port]) that links in e-mails are built from: SITE_URL, never
    a Host header; only when it is not set (development) the request's own scheme and host."""
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
