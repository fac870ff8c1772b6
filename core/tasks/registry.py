"""Defining and enqueueing tasks: `background` wraps django-tasks' `task` with a retry policy
and the enqueuing request's id; `enqueue` writes the job in the caller's transaction."""

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django_tasks import task as django_task
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend

from core.request_context import request_id_bound, request_id_get

# The keyword argument that carries the enqueuing request's id into the job (stripped before
# the task's own function is called).
REQUEST_ID_KWARG = "_request_id"
# The longest wait between two tries of a job.
MAX_BACKOFF_SECONDS = 3600


class PermanentFailure(Exception):
    """Raised by a task when trying again cannot help: the job fails at once."""


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff: float = 30.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed try number `attempt` (1, 2, ...)."""
        return float(min(self.backoff * 4 ** (attempt - 1), MAX_BACKOFF_SECONDS))


# By the task's dotted path (what the job row stores).
_policies: dict[str, RetryPolicy] = {}
DEFAULT_POLICY = RetryPolicy()


def retry_policy(task_path: str) -> RetryPolicy:
    return _policies.get(task_path, DEFAULT_POLICY)


# By the task's dotted path: the keyword arguments the row keeps only until the job is done.
_secrets: dict[str, tuple[str, ...]] = {}
FORGOTTEN = "(forgotten once the job was done)"


def secret_kwargs(task_path: str) -> tuple[str, ...]:
    return _secrets.get(task_path, ())


def background(
    function: Callable | None = None,
    *,
    max_attempts: int = 5,
    backoff: float = 30.0,
    priority: int = 0,
    queue_name: str = "default",
    secret: tuple[str, ...] = (),
) -> Any:
    """Make `function` a task (usable as @background or @background(max_attempts=...)).
    Its log lines carry the id of the request that enqueued it. `secret` names keyword
    arguments (an e-mail holding a link that logs in) that the job's row keeps only while a try
    may still need them: the worker overwrites them once the job succeeds or fails for good,
    as finished rows are kept for days."""

    def wrap(func: Callable) -> Task:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            request_id = kwargs.pop(REQUEST_ID_KWARG, "") or request_id_get()
            with request_id_bound(request_id):
                return func(*args, **kwargs)

        made = django_task(run, priority=priority, queue_name=queue_name)
        _policies[made.module_path] = RetryPolicy(max_attempts=max_attempts, backoff=backoff)
        _secrets[made.module_path] = tuple(secret)
        return made

    if function is not None:
        return wrap(function)
    return wrap


def enqueue(task: Task, *args: Any, **kwargs: Any) -> None:
    """Queue `task` with these (JSON) arguments, as part of the current transaction: with the
    database backend the job's row is inserted now and commits (or rolls back) with the
    caller's writes; any other backend is handed the job once the transaction commits."""
    request_id = request_id_get()
    if request_id:
        kwargs[REQUEST_ID_KWARG] = request_id
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
