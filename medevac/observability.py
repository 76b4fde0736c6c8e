"""Structured logging: JSON in production, readable in a terminal; request context from contextvars.

Secrets never reach a log line: a processor masks bearer tokens, `access_token=` query values,
passwords in DSNs and URLs, and any configured secret (TURN) wherever they appear, including in
exception text; tracebacks are rendered without local variables (which would hold them whole).
"""

import logging
import re
import sys
from collections.abc import Iterable
from typing import Any

import orjson
import structlog
from aiohttp.http_exceptions import HttpProcessingError

MASK = "[redacted]"
PATTERNS = (
    re.compile(r"mdv_[A-Za-z0-9_\-]+"),  # our bearer tokens, wherever they travel
    re.compile(r"(?<=[?&;]access_token=)[^&\s\"']+"),
    re.compile(r"(?<=[?&;]password=)[^&\s\"']+", re.IGNORECASE),
    re.compile(r"(?<=://)[^/@\s:\"']+:[^/@\s\"']+(?=@)"),  # user:password@ in a DSN or URL
    re.compile(r"(?i)(?<=bearer )[^\s\"']+"),
)


# Every pattern needs one of these in the text (lowercased): most values (ids, routes, numbers)
# have none and skip the five scans; request logs at hundreds per second paid for them.
MARKERS = ("mdv_", "access_token=", "password=", "://", "bearer ")


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    lowered = text.lower()
    if any(marker in lowered for marker in MARKERS):
        for pattern in PATTERNS:
            text = pattern.sub(MASK, text)
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


class Redactor:
    """A structlog processor: every string value of the event, masked."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = tuple(s for s in secrets if s)

    def _clean(self, value: Any) -> Any:
        if isinstance(value, str):
            return redact_text(value, self.secrets)
        if isinstance(value, dict):
            return {k: self._clean(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(self._clean(v) for v in value)
        return value

    def __call__(self, logger: Any, method: str, event: dict[str, Any]) -> dict[str, Any]:
        return self._clean(event)


def _orjson(event: dict[str, Any], **_: Any) -> str:
    return orjson.dumps(event, default=str).decode()


class ClientFaults(logging.Filter):
    """aiohttp logs a request it could not parse ("Error handling request") with a traceback whose
    text quotes the offending line whole, token and all; and a client that went away as an error.
    Both are the client's doing: one debug line naming the kind, without the text. (Only aiohttp's
    records: a refused database connection elsewhere is no client's doing.)"""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level  # the handler's: a record demoted below it is not written

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if record.name.startswith("aiohttp") and isinstance(exc, (HttpProcessingError, ConnectionError)):
            record.msg, record.args = "http.client_fault", ()
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            record.__dict__["error"] = type(exc).__name__
        return record.levelno >= self.level


def configure_logging(fmt: str = "auto", level: str = "info", secrets: Iterable[str] = ()) -> None:
    use_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    renderer = structlog.processors.JSONRenderer(_orjson) if use_json else structlog.dev.ConsoleRenderer(
        exception_formatter=structlog.dev.plain_traceback)  # rich's default shows locals: tokens, DSNs
    shared = [structlog.processors.add_log_level, structlog.processors.TimeStamper(fmt="iso", utc=True),
              structlog.processors.StackInfoRenderer(), structlog.processors.format_exc_info, Redactor(secrets)]
    structlog.configure(
        processors=[structlog.contextvars.merge_contextvars, *shared, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
    _route_stdlib_logging(level, shared, renderer)


def _route_stdlib_logging(level: str, shared: list, renderer: Any) -> None:
    """Libraries' own log records (aiohttp, asyncio, asyncpg) through the same chain: redacted,
    in the same format, at the same level."""
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name("medevac")
    handler.setLevel(level.upper())
    handler.addFilter(ClientFaults(handler.level))
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[structlog.stdlib.ExtraAdder(["error"]), *shared],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer]))
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if h.get_name() != "medevac"] + [handler]
    root.setLevel(level.upper())
