"""The one place that builds what talks to a model: the LLM client that understands and words turns, and
the judge that scores. Drill, score and the live server all ask it, so a setting means the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from interviewers.llm import Breaker, LLMClient

if TYPE_CHECKING:
    from interviewers.scoring.base import Scorer
    from interviewers.scoring.offline import OfflineScorer

JUDGE_TIMEOUT = 60.0  # one call scores a whole interview


@dataclass(frozen=True)
class Models:
    model: str | None  # a litellm model string; None: everything offline
    extra: dict[str, Any] = field(default_factory=dict)  # on every call (mock_response in tests and demos)
    turn_timeout: float = 30.0
    # Shared by every client built here: once the provider fails, later calls skip it for a while.
    breaker: Breaker = field(default_factory=Breaker)

    def llm(self) -> LLMClient | None:
        if not self.model:
            return None
        return LLMClient(self.model, timeout=self.turn_timeout, extra=dict(self.extra), breaker=self.breaker)

    def judge(self, fallback: Scorer) -> Scorer | None:
        """The LLM judge, falling back to `fallback` per scorecard; None offline."""
        if not self.model:
            return None
        from interviewers.scoring.llm import LLMJudge

        return LLMJudge(self.model, fallback=fallback, timeout=JUDGE_TIMEOUT, breaker=self.breaker, **self.extra)

    def scorer(self, offline: OfflineScorer | None = None) -> Scorer:
        """The judge when a model is set, else the offline scorer (loaded here unless given)."""
        from interviewers.scoring.offline import OfflineScorer

        local = offline or OfflineScorer()
        return self.judge(local) or local
