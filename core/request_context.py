"""The id of the request (or of the task) being handled now, for every log line it writes.

A context variable, so each thread of a gthread worker (and each job of a task worker) has its
own. core.middleware.RequestIdMiddleware sets it for a request; core.tasks carries it from the
request that enqueued a job to the job's run."""

import contextlib
import contextvars
from collections.abc import Iterator

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def request_id_get() -> str:
    """The current request's id, or "" outside any request or task."""
    return _request_id.get()


@contextlib.contextmanager
def request_id_bound(request_id: str) -> Iterator[None]:
    """Log everything inside under `request_id`; the previous id comes back after."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)
