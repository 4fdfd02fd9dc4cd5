"""What a third drill review (12 drills on questions nobody tuned on) found around challenges and pleas: a
denial of a challenged claim is taken ("I never said it was quadratic"), the answer to the interviewer's own
"what would you expect to see if that were wrong?" is no claim, a sentence as close to a truth as to a wrong
wording is no claim, and "I'm lost, can you just tell me…?" or "Maybe just turn it off?" is not a clarifying
question."""

from __future__ import annotations

from interviewers.scoring.offline import OfflineScorer
from interviewers.scoring.text import split_units
from interviewers.understanding.claims import find_claims
from question_bank.loader import Bank
from tests.interviewers.helpers import interview, say


def _claims(bank: Bank, scorer: OfflineScorer, question_id: str, text: str) -> list[int | None]:
    return [h.index for h in find_claims(bank.get(question_id), split_units(0, text), scorer.encoder, {0: text})]


def test_a_denied_challenge_is_taken_before_the_next_question(bank: Bank, scorer: OfflineScorer) -> None:
    engine = interview(bank, scorer, "mlf-l1-vs-l2", seed=13)
    claim = "Crank the ridge strength high enough and the coefficients hit exactly zero, just like lasso does."
    assert say(engine, claim, 1).decision.action == "challenge"
    reply = say(engine, "I take that back: ridge shrinks the weights toward zero but never lands exactly on it.", 2)
    assert reply.decision.action != "challenge" and reply.decision.extra.get("settled")
    assert reply.text.startswith(tuple(engine.persona.settled_lines))
    assert not any(praise in reply.text for praise in ("Good", "Great", "Nice", "Right."))


def test_the_answer_to_what_if_you_were_wrong_is_no_claim(bank: Bank, scorer: OfflineScorer) -> None:
    text = "Sure, if that were wrong I'd see the too-simple model with high training error as well."
    assert _claims(bank, scorer, "mlf-bias-variance", text) == []


def test_a_sentence_as_close_to_a_truth_as_to_a_wording_is_no_claim(bank: Bank, scorer: OfflineScorer) -> None:
    # It states the truth: the L2 gradient is rescaled per parameter, which is why AdamW decouples the decay.
    text = "With L2 in Adam the lambda*w term is divided by sqrt(v) too, so weights with big gradients decay less."
    assert 1 not in _claims(bank, scorer, "mlf-optimizers", text)


def test_a_plea_in_a_questioning_voice_gets_help_not_a_request_for_assumptions(
    bank: Bank, scorer: OfflineScorer
) -> None:
    engine = interview(bank, scorer, "dbg-feature-pipeline-join", seed=13)
    reply = say(engine, "I'm completely lost here, could you just tell me what's going on?", 3)
    assert reply.decision.action == "hint"
    engine = interview(bank, scorer, "dbg-feature-pipeline-join", seed=13)
    stuck = say(engine, "I'm stuck. What would you do?", 3)
    assert stuck.decision.action == "hint"


def test_a_guess_in_a_questioning_voice_is_an_answer(bank: Bank, scorer: OfflineScorer) -> None:
    engine = interview(bank, scorer, "dbg-feature-pipeline-join", seed=13)
    reply = say(engine, "Maybe roll the feature job back to last week's version and rerun the forecasts?", 3)
    assert reply.decision.action not in ("ask_assumption", "answer_fact")
    assert "answer" in reply.decision.extra["understood"]["acts"]


def test_a_reply_that_neither_takes_back_nor_denies_is_not_acknowledged(bank: Bank, scorer: OfflineScorer) -> None:
    # Fourth review: "Okay, that answers it." after a buzzword non-answer to a challenge.
    engine = interview(bank, scorer, "mlf-l1-vs-l2", seed=13)
    claim = "Crank the ridge strength high enough and the coefficients hit exactly zero, just like lasso does."
    assert say(engine, claim, 1).decision.action == "challenge"
    reply = say(engine, "We'd use best-in-class regularization, whatever is state of the art, and tune it.", 2)
    assert not reply.decision.extra.get("settled")


def test_a_short_plea_that_says_where_it_is_stuck_gets_help(bank: Bank, scorer: OfflineScorer) -> None:
    engine = interview(bank, scorer, "mlcode-top-p-sampling", seed=13)
    reply = say(
        engine, "Hmm, I'm stuck: I don't see why the kept set would be empty. The cumulative sum looks right.", 6
    )
    assert reply.decision.action == "hint"
    hedge = interview(bank, scorer, "sd-rag-support-assistant", seed=13)
    calm = say(hedge, "I'm not sure the whole index fits in memory, so I'd shard it across two machines.", 6)
    assert calm.decision.action != "hint"  # a hedge that goes on is an answer


def test_blaming_drift_and_a_random_split_are_challenged(bank: Bank, scorer: OfflineScorer) -> None:
    # Drills on questions that listed no such belief: "it's just drift, retrain" and "a random 80/20 split".
    drift = "Honestly the audience probably changed this week, so I'd just retrain on the newest impressions."
    assert (
        say(interview(bank, scorer, "dbg-miscalibrated-probabilities", seed=13), drift, 3).decision.action
        == "challenge"
    )
    split = "For offline evaluation I'd shuffle last year's orders and hold out a random 20 percent."
    assert say(interview(bank, scorer, "sd-delivery-eta", seed=13), split, 3).decision.action == "challenge"
    right = "I'd evaluate with a time-based split: train on earlier weeks and test on the weeks after."
    assert say(interview(bank, scorer, "sd-delivery-eta", seed=13), right, 3).decision.action != "challenge"
