"""Log lines with the request's id (core.request_context) and no secret from an address, in
plain text or, with LOG_FORMAT=json, one JSON object per line for a log collector."""

import datetime
import json
import logging

from .request_context import request_id_get


class RequestIdFilter(logging.Filter):
    """Puts the current request's (or job's) id on each record as `request_id` ("-" if none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_get() or "-"
        return True


# Route parameters that are secrets: an e-mail's link (follow-up, reminder, unsubscribe, address
# confirmation, password reset) or a share link. Whoever has the address can use it.
SECRET_ROUTE_PARAMETERS = ("token", "uidb64")
HIDDEN = "[hidden]"


class SecretPathFilter(logging.Filter):
    """Writes the secrets an address carries as "[hidden]" in the lines Django writes about a
    request ("Not Found: /follow-up/<token>/", "Forbidden (CSRF ...): <path>"): more people
    read the logs, and for longer, than the links were sent to. Those lines come with the
    request, whose resolved route says which parts of the path are secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if isinstance(path, str) and isinstance(record.args, tuple) and path in record.args:
            hidden = path_with_secrets_hidden(request)
            record.args = tuple(hidden if arg == path else arg for arg in record.args)
        return True


# How many of an unresolved path's leading segments are tried as a route (each a resolve()):
# the deepest route with a secret has six ("/api/v1/assessments/<id>/shares/<token>/").
_PREFIX_SEGMENTS = 6


def path_with_secrets_hidden(request) -> str:
    """request.path with the values of its route's secret parameters written as "[hidden]"."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is None:
        return _unresolved_path_hidden(path, getattr(request, "path_info", path))
    for name in SECRET_ROUTE_PARAMETERS:
        value = match.kwargs.get(name)
        if isinstance(value, str) and value and f"/{value}/" in path:
            # The last such segment: the secret comes after the route's fixed words.
            before, _, after = path.rpartition(f"/{value}/")
            path = f"{before}/{HIDDEN}/{after}"
    return path


def _unresolved_path_hidden(path: str, path_info: str) -> str:
    """A path no view has, answered before any view (a 404): it may still carry a secret, as
    the address of a view it begins with ("/api/v1/follow-ups/<token>" without its slash, or
    "/follow-up/<token>/)" as a mail client linked it). Every segment equal to such a view's
    secret is hidden (a fixed word equal to it too: a log line loses a word, never a secret)."""
    from django.urls import resolve

    segments = path_info.split("/")
    secrets: set[str] = set()
    for end in range(min(len(segments), _PREFIX_SEGMENTS + 1), 1, -1):
        head = "/".join(segments[:end])
        try:
            kwargs = resolve(head if head.endswith("/") else head + "/").kwargs
        except Exception:  # Resolver404; and a log line never fails its request
            continue
        secrets = {
            value
            for name in SECRET_ROUTE_PARAMETERS
            if isinstance(value := kwargs.get(name), str) and value
        }
        if secrets:
            break
    if not secrets:
        return path
    return "/".join(HIDDEN if segment in secrets else segment for segment in path.split("/"))


def _request_id_of(record: logging.LogRecord) -> str | None:
    given = getattr(record, "request_id", None) or request_id_get()
    return None if given in (None, "", "-") else given


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id,
    and the traceback as `exception` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            # null outside any request or job (the plain format writes "-").
            "request_id": _request_id_of(record),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
