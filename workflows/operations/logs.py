"""Structured logs: one JSON object per line (time, level, logger, message, and the request id and user of
the action that wrote it), so a log shipper can index them and one request can be followed across lines."""
from __future__ import annotations

import contextvars
import json
import logging
import sys
from datetime import datetime, timezone

# What the running request or job adds to every line it logs (request_id, user); set per thread/task.
log_context: contextvars.ContextVar[dict] = contextvars.ContextVar("dachuan_log_context", default={})


class JsonFormatter(logging.Formatter):
    """A record as one JSON line; extra fields given as `extra={"fields": {...}}` are merged in."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname, "logger": record.name, "msg": record.getMessage()}
        line.update(log_context.get())
        line.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure(stream=None, level: int = logging.INFO) -> logging.Handler:
    """JSON lines on stderr (journald keeps them): our loggers from `level`, the libraries' from WARNING
    (WeasyPrint narrates every page at INFO)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("dachuan").setLevel(level)
    return handler
