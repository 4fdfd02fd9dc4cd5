"""The one interface every scorer implements, and a registry to pick one by name."""

from __future__ import annotations

from typing import Any, Protocol

from interviewers.scorecard import Scorecard
from interviewers.transcript import Transcript
from question_bank.schema import Question


class Scorer(Protocol):
    """Takes a question and a transcript (shared/CONTRACTS.md §2), returns a scorecard (§3)."""

    name: str

    def score(self, question: Question, transcript: Transcript) -> Scorecard: ...


def get_scorer(model: str | None = None, timeout: float = 60.0, **llm_extra: Any) -> Scorer:
    """The LLM judge when a litellm model string is given, else the offline scorer.

    `llm_extra` goes to litellm on every call (e.g. `mock_response` in tests and demos).
    """
    from interviewers.scoring.offline import OfflineScorer

    if not model:
        return OfflineScorer()
    from interviewers.scoring.llm import LLMJudge

    return LLMJudge(model, fallback=OfflineScorer(), timeout=timeout, **llm_extra)
