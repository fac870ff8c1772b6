"""Log lines with the request's id (core.request_context), in plain text or, with
LOG_FORMAT=json, one JSON object per line for a log collector."""

import datetime
import json
import logging

from .request_context import request_id_get


class RequestIdFilter(logging.Filter):
    """Puts the current request's (or job's) id on each record as `request_id` ("-" if none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_get() or "-"
        return True


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
