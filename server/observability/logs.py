"""Logs as one JSON object per line (or plain text), every line carrying the request id it belongs to."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from pythonjsonlogger.json import JsonFormatter

from server.observability.record import current_request_id

# The per-request line, one per request (server/observability/middleware.py).
REQUESTS = "maillage.requests"


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


def log_handler(log_format: str, stream: TextIO | None = None) -> logging.Handler:
    """The service's handler: JSON lines (or plain text) on `stream` (stderr), each with its request id."""
    handler = logging.StreamHandler(stream or sys.stderr)
    if log_format == "json":
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                json_default=str,
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    handler.addFilter(RequestIdFilter())
    return handler


def configure_logging(level: str, log_format: str) -> None:
    """The process's logging: one handler on stderr for everything, uvicorn's loggers included."""
    root = logging.getLogger()
    root.handlers[:] = [log_handler(log_format)]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # One line per call to the issuer would drown the request lines; its failures still show.
    logging.getLogger("httpx").setLevel(logging.WARNING)
