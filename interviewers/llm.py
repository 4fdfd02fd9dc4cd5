"""One way into litellm for the whole package: lazy import, timeouts, and a single error type.

litellm costs ~4 s to import and, unless told otherwise, fetches a model price list from the
internet on import; both are avoided on every path that does not use an LLM.
"""

from __future__ import annotations

import os
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
class LLMClient:
    """A litellm model string plus call options. `extra` carries e.g. `mock_response` in tests."""

    model: str
    timeout: float = 30.0
    temperature: float = 0.2
    extra: dict[str, Any] = field(default_factory=dict)

    def complete(self, messages: list[dict[str, str]], json_mode: bool = False) -> str:
        kwargs: dict[str, Any] = {"timeout": self.timeout, "temperature": self.temperature, **self.extra}
        if json_mode:
            kwargs["response_format"] = {"type": "json_object"}
        try:
            response = _litellm().completion(model=self.model, messages=messages, **kwargs)
            content = response.choices[0].message.content
        except Exception as exc:
            raise LLMError(f"{type(exc).__name__}: {str(exc)[:200]}") from exc
        if not isinstance(content, str) or not content.strip():
            raise LLMError("the model returned an empty reply")
        return content

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """Yield text pieces as the provider sends them; raises LLMError on failure."""
        kwargs: dict[str, Any] = {"timeout": self.timeout, "temperature": self.temperature, **self.extra}
        try:
            for chunk in _litellm().completion(model=self.model, messages=messages, stream=True, **kwargs):
                piece = chunk.choices[0].delta.content
                if piece:
                    yield piece
        except Exception as exc:
            raise LLMError(f"{type(exc).__name__}: {str(exc)[:200]}") from exc
