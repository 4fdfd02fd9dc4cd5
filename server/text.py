"""Text from outside is valid Unicode or refused; text stored before that rule still reads."""

from __future__ import annotations

import logging
import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> bool:
    """Whether the text can be stored and sent as UTF-8: JSON lets a lone surrogate (\\ud83d) through."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def readable(text: str) -> str:
    """Text stored before it was checked, with any lone surrogate replaced, so old rows still read and replay."""
    return text if encodable(text) else _SURROGATE.sub("\ufffd", text)


def readable_data(value: Any) -> Any:
    """`readable` through a decoded JSON value (a turn's data, a session's meta or scorecard)."""
    if isinstance(value, str):
        return readable(value)
    if isinstance(value, list):
        return [readable_data(v) for v in value]
    if isinstance(value, dict):
        return {readable(k) if isinstance(k, str) else k: readable_data(v) for k, v in value.items()}
    return value


# Credentials in text that reaches a log line, an error or an export: a URL's user:password, a password or
# key in a query string, a bearer token, provider keys (sk-…, AKIA…).
_SECRETS = (
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^\s/@]*(?:@[^\s/@]*)*@", re.I), r"\1***@"),
    (re.compile(r"([?&;](?:password|passwd|pwd|token|api[_-]?key|key|secret)=)[^&\s]+", re.I), r"\1***"),
    (re.compile(r"(\bbearer\s+)[\w.~+/=-]+", re.I), r"\1***"),
    (re.compile(r"\b(sk|pk|rk)-[\w-]{8,}"), "***"),
    (re.compile(r"\bAKIA[0-9A-Z]{16}\b"), "***"),
    (re.compile(r"((?:api[_-]?key|password|secret|token)[\"']?\s*[:=]\s*[\"']?)[^\s\"',;]+", re.I), r"\1***"),
)


def redact(text: str) -> str:
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Every log line through `redact`: a provider's or a driver's message can quote a credential."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def redact_logs() -> None:
    for name in ("mockloop", "uvicorn", "uvicorn.error", "uvicorn.access", "litellm", "LiteLLM"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
