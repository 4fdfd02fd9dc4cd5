"""One way into litellm for the whole package: lazy import, timeouts, and a single error type.

litellm costs ~4 s to import and, unless told otherwise, fetches a model price list from the
internet on import; both are avoided on every path that does not use an LLM.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


class LLMError(Exception):
    """The provider failed, timed out or answered with something unusable."""


def _litellm() -> Any:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    litellm.suppress_debug_info = True
    return litellm


@dataclass
class Breaker:
    """After a provider failure, stop calling it for a while: a live turn should not wait out a
    timeout on every reply while the provider is down. Shared by the clients of one server."""

    cooldown: float = 30.0
    _until: float = 0.0
    _why: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def check(self) -> None:
        with self._lock:
            left = self._until - time.monotonic()
            if left > 0:
                raise LLMError(f"not called for another {left:.0f} s after a failure ({self._why})")

    def failed(self, why: str) -> None:
        with self._lock:
            self._until, self._why = time.monotonic() + self.cooldown, why[:80]

    def succeeded(self) -> None:
        with self._lock:
            self._until = 0.0


@dataclass
class LLMClient:
    """A litellm model string plus call options. `extra` carries e.g. `mock_response` in tests."""

    model: str
    timeout: float = 30.0
    temperature: float = 0.2
    extra: dict[str, Any] = field(default_factory=dict)
    breaker: Breaker = field(default_factory=Breaker)

    def complete(self, messages: list[dict[str, str]], json_mode: bool = False) -> str:
        kwargs: dict[str, Any] = {"timeout": self.timeout, "temperature": self.temperature, **self.extra}
        if json_mode:
            kwargs["response_format"] = {"type": "json_object"}
        self.breaker.check()
        try:
            response = _litellm().completion(model=self.model, messages=messages, **kwargs)
            content = response.choices[0].message.content
        except Exception as exc:
            raise self._failed(exc) from exc
        self.breaker.succeeded()
        if not isinstance(content, str) or not content.strip():
            raise LLMError("the model returned an empty reply")
        return content

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """Yield text pieces as the provider sends them; raises LLMError on failure."""
        kwargs: dict[str, Any] = {"timeout": self.timeout, "temperature": self.temperature, **self.extra}
        self.breaker.check()
        try:
            for chunk in _litellm().completion(model=self.model, messages=messages, stream=True, **kwargs):
                piece = chunk.choices[0].delta.content
                if piece:
                    yield piece
        except Exception as exc:
            raise self._failed(exc) from exc
        self.breaker.succeeded()

    def _failed(self, exc: Exception) -> LLMError:
        # Only the error's type and HTTP status: a provider's message can echo the request, key included,
        # and this text is stored with the turn and shown in the API and exports.
        status = getattr(exc, "status_code", None)
        error = LLMError(f"{type(exc).__name__}" + (f" (HTTP {status})" if isinstance(status, int) else ""))
        self.breaker.failed(str(error))
        return error
