"""The one interface every scorer implements (interviewers/models.py picks one)."""

from __future__ import annotations

from typing import Protocol

from interviewers.scorecard import Scorecard
from interviewers.transcript import Transcript
from question_bank.schema import Question


class Scorer(Protocol):
    """Takes a question and a transcript (shared/CONTRACTS.md §2), returns a scorecard (§3)."""

    name: str

    def score(self, question: Question, transcript: Transcript) -> Scorecard: ...
