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


def configure_logging(fmt: str = "auto", level: str = "info", secrets: Iterable[str] = ()) -> None:
    use_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    renderer = structlog.processors.JSONRenderer(_orjson) if use_json else structlog.dev.ConsoleRenderer(
        exception_formatter=structlog.dev.plain_traceback)  # rich's default shows locals: tokens, DSNs
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            Redactor(secrets),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
