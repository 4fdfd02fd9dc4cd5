"""One reading of a candidate turn, made before anything is decided: what it does, asks, covers and gets wrong.

The policy decides only from this and the interview state; the scorer reads the same milestone
judgements and misconceptions, so what the interviewer believes was covered is what the scorecard says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from interviewers.scorecard import MilestoneResult
from interviewers.understanding.claims import ClaimHit
from interviewers.understanding.facts import FactMatch

Act = Literal[
    "answer",  # says something about the problem
    "clarify",  # asks the interviewer a question about the problem
    "hint_request",  # asks to be helped along
    "stuck",  # says it cannot go on
    "pass",  # passes on the current question as a whole move
    "check_in",  # asks whether it is on track ("anything I missed?"): not a clarifying question
    "drift",  # talks about something else
    "hostile",  # attacks the interviewer or the exercise
    "about_job",  # asks about the team, the role, the company
    "code",  # submits code
    "silent",  # nothing was said
]


@dataclass
class TurnAnalysis:
    acts: list[Act]
    questions: list[str] = field(default_factory=list)  # the sentences that ask the interviewer something
    job_question: str | None = None  # the one that asks about the job, the team or the company
    facts: list[FactMatch] = field(default_factory=list)  # facts those questions ask for, best first
    results: dict[str, MilestoneResult] = field(default_factory=dict)  # every milestone, judged on the whole interview
    claims: list[ClaimHit] = field(default_factory=list)  # misconceptions stated in this turn, uncorrected
    standing: list[ClaimHit] = field(default_factory=list)  # every one stated so far and not corrected since
    restated: list[ClaimHit] = field(default_factory=list)  # the ones this turn states, even if said before
    defends: bool = False  # the turn insists on what it said before ("I'm sure", "I'd stick with it")
    dismissals: list[tuple[str, str]] = field(default_factory=list)  # (milestone id, sentence) waved away this turn
    tests: list[dict[str, Any]] | None = None  # this turn's code run: every test's outcome (code_results.py)
    relevance: float = 0.0  # how closely the turn's best sentence matches any milestone or the problem itself
    answered: set[str] = field(
        default_factory=set
    )  # probes and follow-ups ("milestone id", "follow_up:N") said already
    source: str = "offline"

    def has(self, act: Act) -> bool:
        return act in self.acts

    def record(self) -> dict[str, Any]:
        """A compact form for the decision record and the review: what the interviewer understood."""
        data: dict[str, Any] = {"acts": list(self.acts), "source": self.source}
        if self.facts:
            data["facts_asked"] = [m.fact for m in self.facts]
        if self.claims:
            data["misconceptions"] = [c.index for c in self.claims if c.index is not None]
            if reversed_ := [c.milestone for c in self.claims if c.index is None]:
                data["contradicts"] = reversed_
        return data
