"""Log-in protection shared by the site, the admin and the API."""

import logging

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

logger = logging.getLogger("careerguide.auth")


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT proxies of ours, the
    address the outermost of them saw. Entries a client adds to X-Forwarded-For are to the left
    of those, so they are never read."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    """429 for a locked-out log-in: JSON for the API, a page for people."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = f"Too many failed log-ins. Try again in {minutes} minutes."
    if request.path.startswith("/api/"):
        answer = JsonResponse({"detail": message}, status=429)
    else:
        answer = render(request, "registration/locked_out.html", {"message": message}, status=429)
    answer["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return answer


def log_login(sender, request, user, **kwargs):
    """Receives user_logged_in (connected in core.apps)."""
    logger.info("login user=%s ip=%s", user.get_username(), client_ip(request) if request else "")


def log_failed_login(sender, credentials, request=None, **kwargs):
    # Django hands us the credentials with the password already masked; log the name only.
    logger.warning(
        "failed login user=%s ip=%s",
        credentials.get("username", ""),
        client_ip(request) if request is not None else "",
    )
