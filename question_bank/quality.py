"""The editorial bar for shipped questions, beyond what the file format requires.

A user's own bank only has to parse; the shipped bank also has to be interview-grade.
"""

from __future__ import annotations

from question_bank.leaks import leak_problems
from question_bank.schema import Question

NEEDS_CURVEBALL = {"coding", "debugging", "system_design"}
MIN_MILESTONES = 4
MIN_PROBE_SHARE = 0.8
NEEDS_MISCONCEPTIONS = {"coding", "ml_fundamentals", "debugging", "system_design"}
MIN_MISCONCEPTIONS = 2


def quality_problems(question: Question) -> list[str]:
    """Why this question falls short of the shipped bank's bar (empty when it does not)."""
    problems: list[str] = []
    milestones = question.milestones
    if len(milestones) < MIN_MILESTONES:
        problems.append(f"has {len(milestones)} milestones, needs at least {MIN_MILESTONES}")
    probed = sum(1 for m in milestones if m.probe)
    if probed < MIN_PROBE_SHARE * len(milestones):
        problems.append(f"only {probed} of {len(milestones)} milestones have a probe (needs 80 %)")
    if not question.hints:
        problems.append("has no hints")
    if not question.vocabulary:
        problems.append("has no vocabulary")
    if question.round in NEEDS_CURVEBALL and not any(f.kind == "curveball" for f in question.follow_ups):
        problems.append(f"a {question.round} question needs at least one curveball follow-up")
    if question.round == "system_design" and len(question.facts) < 2:
        problems.append("a system design question needs at least 2 facts")
    if question.round == "debugging" and len(question.facts) < 2:
        problems.append("a debugging question needs at least 2 facts (symptoms revealed when asked)")
    if question.round in NEEDS_MISCONCEPTIONS and len(question.misconceptions) < MIN_MISCONCEPTIONS:
        problems.append(f"a {question.round} question needs at least {MIN_MISCONCEPTIONS} misconceptions")
    return problems + leak_problems(question)
