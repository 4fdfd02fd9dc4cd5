"""After a challenge: a kept claim is pushed once more, never praised, and the scorecard holds it too;
a correction ends it. Failing code is not waved through with "That works."."""

from __future__ import annotations

from interviewers.engine import InterviewEngine, Reply
from interviewers.personas import persona_for_round
from interviewers.scoring.offline import OfflineScorer
from question_bank.loader import Bank

CLAIM = "With a big enough lambda, ridge sets the weights exactly to zero as well, the same as lasso does."
DEFENCE = "I'm sure about it: push the L2 strength high enough and the ridge coefficients land exactly on zero."


def _engine(bank: Bank, scorer: OfflineScorer, question_id: str) -> InterviewEngine:
    question = bank.get(question_id)
    engine = InterviewEngine(question, persona_for_round(question.round), scorer=scorer, seed=5)
    engine.opening()
    return engine


def _say(engine: InterviewEngine, text: str, minute: float, **data: object) -> Reply:
    engine.candidate_turn(text, **data)
    return engine.respond(elapsed=60 * minute)


def test_a_kept_claim_is_pressed_once_then_counted(bank: Bank, scorer: OfflineScorer) -> None:
    engine = _engine(bank, scorer, "mlf-l1-vs-l2")
    first = _say(engine, CLAIM, 1)
    assert first.decision.action == "challenge"
    belief = first.decision.extra["misconception"]
    pressed = _say(engine, DEFENCE, 2)
    assert pressed.decision.action == "challenge" and pressed.decision.extra.get("held")
    assert pressed.decision.extra.get("misconception") == belief
    assert pressed.text.rstrip().endswith("?") and "never" not in pressed.text.lower()
    after = _say(engine, "Yes, I'd stand by that: a large enough ridge penalty zeroes the weights.", 3)
    assert after.decision.action != "challenge"  # not argued a third time
    assert after.decision.extra.get("neutral")  # and not praised
    card = engine.scorecard()
    milestone = bank.get("mlf-l1-vs-l2").misconceptions[belief].milestone
    assert any(m.quote for m in card.misconceptions)
    assert next(m for m in card.milestones if m.id == milestone).status == "missed"


def test_a_correction_after_the_challenge_ends_it(bank: Bank, scorer: OfflineScorer) -> None:
    engine = _engine(bank, scorer, "mlf-l1-vs-l2")
    assert _say(engine, CLAIM, 1).decision.action == "challenge"
    fixed = "You're right, I had that wrong: ridge only shrinks weights toward zero and never makes them exactly zero."
    reply = _say(engine, fixed, 2)
    assert reply.decision.action != "challenge"
    assert not reply.decision.extra.get("neutral")
    assert engine.scorecard().misconceptions == []


def test_failing_code_is_not_waved_through(bank: Bank, scorer: OfflineScorer) -> None:
    engine = _engine(bank, scorer, "code-two-sum")
    outcomes = [
        {"name": "basic", "passed": True, "hidden": False, "message": ""},
        {"name": "duplicates", "passed": False, "hidden": False, "message": "expected [0, 1], got None"},
    ]
    code = "def two_sum(nums, target):\n    return None\n"
    review = _say(engine, code, 5, code=code, tests_detail=outcomes)
    assert review.decision.action == "review_code"
    talk = "The complexity is O(n) time and O(n) space because each element is looked up once in the hash map."
    reply = _say(engine, talk, 6)
    assert reply.decision.action == "ask_code" and reply.decision.extra.get("failing")
    assert "1 of 2 tests" in reply.decision.reason
    assert reply.decision.extra.get("neutral")
    later = _say(engine, "I'd rather talk about the follow-up first.", 7)
    assert later.decision.action != "ask_code" or not later.decision.extra.get("failing")  # reminded once
    assert later.decision.extra.get("neutral")


def test_a_reply_that_moves_on_is_not_pressed(bank: Bank, scorer: OfflineScorer) -> None:
    engine = _engine(bank, scorer, "mlf-l1-vs-l2")
    assert _say(engine, CLAIM, 1).decision.action == "challenge"
    other = "For correlated features I'd reach for elastic net, which mixes both penalties."
    reply = _say(engine, other, 2)
    assert not reply.decision.extra.get("held")  # not argued again unless the candidate insists
    assert reply.decision.extra.get("neutral")  # but the kept claim is not praised either
