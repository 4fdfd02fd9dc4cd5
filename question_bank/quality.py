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
# A coding question's code is run: enough tests to mean something, some of them edge cases the candidate
# cannot see, the signature they call, and the milestone the run decides.
MIN_TESTS = 4
MIN_HIDDEN_TESTS = 2
# The scorer credits an answer in the candidate's own words by its milestone's examples (a paraphrase with
# none of the cue words is far nearer to them than to the grader's wording).
MIN_EXAMPLES = 3


def quality_problems(question: Question) -> list[str]:
    """Why this question falls short of the shipped bank's bar (empty when it does not)."""
    problems: list[str] = []
    milestones = question.milestones
    if len(milestones) < MIN_MILESTONES:
        problems.append(f"has {len(milestones)} milestones, needs at least {MIN_MILESTONES}")
    probed = sum(1 for m in milestones if m.probe)
    if probed < MIN_PROBE_SHARE * len(milestones):
        problems.append(f"only {probed} of {len(milestones)} milestones have a probe (needs 80 %)")
    few = [m.id for m in milestones if len(m.examples) < MIN_EXAMPLES]
    if few:
        problems.append(f"milestones with fewer than {MIN_EXAMPLES} examples: {', '.join(few)}")
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
    if question.round == "coding":
        problems += _test_problems(question)
    return problems + leak_problems(question)


def _test_problems(question: Question) -> list[str]:
    problems = []
    hidden = sum(t.hidden for t in question.tests)
    if len(question.tests) < MIN_TESTS or hidden < MIN_HIDDEN_TESTS:
        problems.append(
            f"a coding question needs at least {MIN_TESTS} tests, {MIN_HIDDEN_TESTS} of them hidden "
            f"(has {len(question.tests)}, {hidden} hidden)"
        )
    if question.tests and not question.signature:
        problems.append("a coding question with tests needs a signature (what the tests call)")
    if question.tests and not any(m.tested for m in question.milestones):
        problems.append("a coding question with tests needs one milestone marked `tested: true`")
    names = [t.name for t in question.tests]
    if len(set(names)) != len(names):
        problems.append("test names must be unique")
    return problems
