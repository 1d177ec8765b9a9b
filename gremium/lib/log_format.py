"""The log's two formats: plain text lines, or JSON lines for central log collection
(GREMIUM_LOG_FORMAT=json). Either way every record carries the id of the request it
was written in, so one request's lines can be found together (X-Request-ID)."""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

# The request being served in this thread; "-" outside a request (start-up, commands).
current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")

# Where the request log middleware leaves the id, for records Django writes about a request
# after the middleware returned (django.request's "Not Found", "Internal Server Error").
REQUEST_ID_META = "gremium.request_id"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, for either format."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            request = getattr(record, "request", None)
            meta = getattr(request, "META", {})
            record.request_id = meta.get(REQUEST_ID_META) or current_request_id.get()
        return True


class JsonLinesFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id,
    the fields a record brings in `extra={"fields": {...}}`, and a traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id.get()),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(*, level: str, json_lines: bool) -> dict[str, object]:
    """Django's LOGGING: everything to standard error in the chosen format."""
    formatter: dict[str, object] = (
        {"()": JsonLinesFormatter} if json_lines else {"format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"gremium": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "gremium",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
    }
