"""Scorecards (shared/CONTRACTS.md §3): a verdict per milestone, with quotes as evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field

from interviewers.understanding.speech_acts import looks_like_code
from question_bank.schema import Question

Status = Literal["met", "partial", "missed"]
Verdict = Literal["no_hire", "lean_no_hire", "lean_hire", "hire", "strong_hire"]

# Lower bounds of each verdict on the 0-100 score. A hire needs roughly two thirds of the weighted
# milestones; a strong hire needs nearly all of them; under a quarter shows little of what was asked.
VERDICT_THRESHOLDS: list[tuple[float, Verdict]] = [
    (85.0, "strong_hire"),
    (65.0, "hire"),
    (45.0, "lean_hire"),
    (25.0, "lean_no_hire"),
    (0.0, "no_hire"),
]
CREDIT: dict[Status, float] = {"met": 1.0, "partial": 0.5, "missed": 0.0}
# Each hint given costs this many points of the 0-100 score, at most HINT_COST_CAP in all: a hint is help a
# real interviewer notes down, but three hints should not sink an answer that then covers everything.
HINT_COST = 5.0
HINT_COST_CAP = 15.0
# A coding round in which no code was written is at most lean_hire, whatever was said about the approach:
# "I'd use a hash map" is not a working solution, and no careful interviewer hires on talk alone.
NO_CODE_CAP = 64.0


class Evidence(BaseModel):
    turn: int = Field(description="Index of a candidate turn in the transcript's `turns`.")
    quote: str = Field(description="An exact substring of that turn's text.")


class MilestoneResult(BaseModel):
    id: str
    status: Status
    evidence: list[Evidence] = Field(default_factory=list)
    why: str | None = Field(default=None, description="A short explanation of the verdict.")


def turn_extra(turn: Any) -> dict[str, Any]:
    """A turn's data beyond speaker and text, whether the turn is a parsed transcript turn or a plain dict."""
    if isinstance(turn, dict):
        return turn
    extra = getattr(turn, "model_extra", None)
    return extra if isinstance(extra, dict) else {}


def hints_given(turns: list[Any]) -> int:
    """Hints the interviewer gave in a transcript (its turns' recorded decisions; "no hints left" is not one)."""
    count = 0
    for turn in turns:
        decision = turn_extra(turn).get("decision")
        if isinstance(decision, dict) and decision.get("action") == "hint" and decision.get("target") != "hint:none":
            count += 1
    return count


def held_beliefs(turns: list[Any]) -> set[str]:
    """Beliefs the candidate kept after the interviewer pushed back twice ("misconception:N" or a milestone id)."""
    held = set()
    for turn in turns:
        decision = turn_extra(turn).get("decision")
        if isinstance(decision, dict) and decision.get("held"):
            if "misconception" in decision:
                held.add(f"misconception:{decision['misconception']}")
            elif decision.get("target"):
                held.add(str(decision["target"]))
    return held


@dataclass(frozen=True)
class Challenged:
    """A sentence the interviewer challenged as a wrong belief."""

    turn: int  # the candidate turn that said it
    quote: str
    belief: str  # "misconception:N", or the milestone it reversed (as claims.belief_of names it)
    milestone: str | None  # the milestone the belief gets wrong, if it names one
    held: bool = False  # the challenge came after the candidate kept the belief: their whole reply defended it


def challenged_quotes(turns: list[Any]) -> list[Challenged]:
    """Every sentence the interviewer challenged, from the decisions recorded in the transcript."""
    out = []
    for index, turn in enumerate(turns):
        decision = turn_extra(turn).get("decision")
        if not isinstance(decision, dict) or decision.get("action") != "challenge" or not decision.get("quote"):
            continue
        quote = str(decision["quote"])
        said = (j for j in range(index - 1, -1, -1) if getattr(turns[j], "speaker", None) == "candidate")
        source = next(said, None)  # the challenge answers the turn just before it
        if source is None or quote not in turns[source].text:
            continue
        target = str(decision.get("target") or "")
        belief = f"misconception:{decision['misconception']}" if "misconception" in decision else target
        milestone = target if target and ":" not in target else None
        out.append(Challenged(source, quote, belief, milestone, bool(decision.get("held"))))
    return out


def carries_code(turn: Any) -> bool:
    """Whether a turn carries code: the drill's `code` field, or program text pasted in."""
    return bool(turn_extra(turn).get("code")) or looks_like_code(turn.text)


def code_written(turns: list[Any]) -> bool:
    """Whether any candidate turn carried code."""
    return any(getattr(turn, "speaker", None) == "candidate" and carries_code(turn) for turn in turns)


class Misconception(BaseModel):
    claim: str = Field(description="The wrong belief, as the question lists it.")
    turn: int = Field(description="The candidate turn that states it.")
    quote: str = Field(description="An exact substring of that turn's text.")


class Scorecard(BaseModel):
    question_id: str
    scorer: str
    score: float
    verdict: Verdict
    milestones: list[MilestoneResult]
    misconceptions: list[Misconception] = Field(default_factory=list)
    hints_used: int = 0
    delivery: dict[str, Any] | None = None
    tests: dict[str, Any] | None = None  # coding questions with tests: the last submitted code's run (§3)
    notes: list[str] = Field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


def verdict_for(score: float) -> Verdict:
    for floor, verdict in VERDICT_THRESHOLDS:
        if score >= floor:
            return verdict
    return "no_hire"


def weighted_score(question: Question, results: list[MilestoneResult]) -> float:
    """The weighted share of milestones met, partial counting half, on 0-100."""
    by_id = {r.id: r for r in results}
    total = sum(m.weight for m in question.milestones)
    earned = sum(m.weight * CREDIT[by_id[m.id].status] for m in question.milestones if m.id in by_id)
    return round(100.0 * earned / total, 2) if total else 0.0


def build_scorecard(
    question: Question,
    results: list[MilestoneResult],
    scorer: str,
    notes: list[str] | None = None,
    delivery: dict[str, Any] | None = None,
    misconceptions: list[Misconception] | None = None,
    hints_used: int = 0,
    code_written: bool | None = None,
    tests: dict[str, Any] | None = None,
) -> Scorecard:
    """Assemble a scorecard that obeys §3: every milestone in question order, evidence only when credited."""
    by_id = {r.id: r for r in results}
    ordered = []
    for milestone in question.milestones:
        result = by_id.get(milestone.id) or MilestoneResult(id=milestone.id, status="missed")
        if result.status == "missed" or not result.evidence:
            result = result.model_copy(update={"status": "missed", "evidence": []})
        ordered.append(result)
    score = weighted_score(question, ordered)
    if hints_used:
        score = round(max(0.0, score - min(HINT_COST_CAP, HINT_COST * hints_used)), 2)
    notes = list(notes or [])
    if question.round == "coding" and code_written is False and score > NO_CODE_CAP:
        score = NO_CODE_CAP
        notes.append(f"no code was written: a coding round without code scores at most {NO_CODE_CAP:.0f}")
    elif tests is not None and tests.get("total"):
        cap = tests_cap(int(tests.get("passed", 0)), int(tests["total"]))
        if score > cap:
            score = cap
            notes.append(f"{tests.get('passed', 0)} of {tests['total']} tests pass: the score is at most {cap:.0f}")
    return Scorecard(
        question_id=question.id,
        scorer=scorer,
        score=score,
        verdict=verdict_for(score),
        milestones=ordered,
        notes=notes,
        delivery=delivery,
        misconceptions=misconceptions or [],
        hints_used=hints_used,
        tests=tests,
    )


def tests_cap(passed: int, total: int) -> float:
    """The most a coding answer can score with this share of its tests passing: the no-code cap at none, 100 at all."""
    return round(NO_CODE_CAP + (100.0 - NO_CODE_CAP) * passed / total, 2)
