"""Claims that contradict what the question holds true: found, challenged, corrected only by a real correction.

The scorer and the interviewer act on one judgement: a sentence suspected of stating a wrong belief is
never evidence for a milestone, and a milestone said with its contrasted subjects swapped is challenged
and fails even when no listed misconception covers it.
"""

from __future__ import annotations

from interviewers.scoring.offline import OfflineScorer
from interviewers.transcript import parse_transcript
from interviewers.understanding.swaps import clauses
from question_bank.loader import Bank
from tests.interviewers.helpers import interview, say


def _card(bank: Bank, scorer: OfflineScorer, question_id: str, *answers: str):  # type: ignore[no-untyped-def]
    turns = [{"speaker": "interviewer", "text": bank.get(question_id).prompt}]
    for text in answers:
        turns += [{"speaker": "candidate", "text": text}, {"speaker": "interviewer", "text": "Go on."}]
    return scorer.score(bank.get(question_id), parse_transcript({"question_id": question_id, "turns": turns}))


def test_a_milestone_said_with_its_subjects_swapped_is_challenged_and_fails(bank: Bank, scorer: OfflineScorer) -> None:
    # No listed misconception says that L1 squares the weights: the milestone itself is the truth reversed.
    engine = interview(bank, scorer, "mlf-l1-vs-l2")
    swapped = "L1 adds the sum of the squared weights to the loss, and L2 adds the sum of their absolute values."
    reply = say(engine, swapped, 1)
    assert reply.decision.action == "challenge"
    assert reply.decision.target == "penalties"
    assert reply.text.rstrip().endswith("?") and "absolute" not in reply.text  # a question, not the answer
    card = engine.scorecard()
    assert next(m for m in card.milestones if m.id == "penalties").status == "missed"
    assert any("penalties" in m.claim for m in card.misconceptions)


def test_the_same_milestone_said_the_right_way_round_is_credited(bank: Bank, scorer: OfflineScorer) -> None:
    engine = interview(bank, scorer, "mlf-l1-vs-l2")
    right = "L1 adds the sum of the absolute weights to the loss, and L2 adds the sum of their squares."
    reply = say(engine, right, 1)
    assert reply.decision.action != "challenge"
    assert engine.scorecard().misconceptions == []


def test_naming_both_sides_in_one_phrase_is_not_a_swap(bank: Bank, scorer: OfflineScorer) -> None:
    assert clauses("At 1% prevalence I'd only talk about precision and recall.") == [
        "At 1% prevalence I'd only talk about precision & recall"
    ]
    engine = interview(bank, scorer, "mlf-confusion-matrix-calc")
    reply = say(engine, "At 1% prevalence I'd only talk about precision and recall.", 1)
    assert reply.decision.action != "challenge"


def test_a_sentence_stating_a_wrong_belief_is_not_evidence(bank: Bank, scorer: OfflineScorer) -> None:
    # It shares the milestone's words (accuracy, fraud rate) while saying what fails it.
    card = _card(
        bank,
        scorer,
        "sd-checkout-fraud",
        "Fraud is 0.3 percent, so a good model should get well above 99.7 percent accuracy, and that's our target.",
    )
    quotes = [e.quote for m in card.milestones for e in m.evidence]
    assert not any("99.7 percent accuracy" in q for q in quotes)
    assert card.misconceptions and "99.7" in card.misconceptions[0].quote


def test_the_word_correction_inside_a_claim_is_not_a_retraction(bank: Bank, scorer: OfflineScorer) -> None:
    card = _card(
        bank,
        scorer,
        "sd-checkout-fraud",
        "Fraud is 0.3 percent, so a good model should get well above 99.7 percent accuracy, and that's our target.",
        "I'd oversample fraud with SMOTE to 50/50. That doesn't change the predicted probabilities, so no correction.",
    )
    assert [m.quote for m in card.misconceptions][:1] == [
        "Fraud is 0.3 percent, so a good model should get well above 99.7 percent accuracy, and that's our target."
    ]


def test_a_later_sentence_merely_on_the_topic_does_not_correct_a_claim(bank: Bank, scorer: OfflineScorer) -> None:
    stated = "L2 is the one that produces sparsity, because it drives the small weights all the way to exactly zero."
    card = _card(bank, scorer, "mlf-l1-vs-l2", stated, "Elastic net mixes the L1 and L2 penalties with a mixing ratio.")
    assert any(m.quote == stated for m in card.misconceptions)
    fixed = _card(
        bank,
        scorer,
        "mlf-l1-vs-l2",
        stated,
        "Sorry, I got that backwards: L1 is the one whose constant gradient sets small weights exactly to zero.",
    )
    assert not any(m.quote == stated for m in fixed.misconceptions)


def test_the_wrong_one_of_two_alternatives_is_challenged_and_fails(bank: Bank, scorer: OfflineScorer) -> None:
    # No listed misconception covers a regression loss for logistic regression; the milestone names cross-entropy.
    engine = interview(bank, scorer, "mlcode-logistic-regression-l2")
    reply = say(engine, "The loss is the squared error between p and y averaged over the batch, plus the L2 term.", 1)
    assert reply.decision.action == "challenge" and reply.decision.target == "loss_with_l2"
    assert "squared error" in reply.text and "entropy" not in reply.text.lower()  # asks why, never says what
    card = engine.scorecard()
    assert next(m for m in card.milestones if m.id == "loss_with_l2").status == "missed"
    assert any("cross-entropy" in m.claim for m in card.misconceptions)
    # A random split of orders in time is the same kind of slip, on a design question.
    engine = interview(bank, scorer, "sd-checkout-fraud")
    reply = say(engine, "I'd do a random split of the orders into train and test, eighty twenty.", 1)
    assert reply.decision.action == "challenge" and reply.decision.target == "model"


def test_comparing_alternatives_or_naming_the_right_one_is_no_substitution(bank: Bank, scorer: OfflineScorer) -> None:
    for text in (
        "Binary cross-entropy rather than mean squared error, since squared error on a sigmoid is not convex.",
        "I'd minimize the log loss plus lambda over two times the squared norm of w.",
    ):
        reply = say(interview(bank, scorer, "mlcode-logistic-regression-l2"), text, 1)
        assert reply.decision.action != "challenge", text
    # Saying the right one later corrects the slip.
    card = _card(
        bank,
        scorer,
        "mlcode-logistic-regression-l2",
        "The loss is the squared error between p and y averaged over the batch, plus the L2 term.",
        "Sorry, I mean the mean binary cross-entropy, the log loss, plus lambda over two times the squared norm of w.",
    )
    assert not card.misconceptions
    assert next(m for m in card.milestones if m.id == "loss_with_l2").status != "missed"


def test_a_conceded_half_of_a_sentence_is_not_a_claim(bank: Bank, scorer: OfflineScorer) -> None:
    # "X, but Y" asserts Y: the first halves read like "L2 zeroes weights too" and "accuracy is fine here".
    for question_id, text in (
        ("mlf-l1-vs-l2", "Crank the ridge penalty up and the coefficients get tiny, but they never hit exactly zero."),
        ("sd-checkout-fraud", "Almost every order is legit, so accuracy looks great, but it tells you nothing here."),
    ):
        reply = say(interview(bank, scorer, question_id), text, 1)
        assert reply.decision.action != "challenge", text
    # The asserted half still counts: a claim after "but" is challenged.
    reply = say(
        interview(bank, scorer, "sd-checkout-fraud"),
        "Precision and recall are fine too, but accuracy is good enough here because almost every order is legit.",
        1,
    )
    assert reply.decision.action == "challenge"


def test_a_belief_stated_across_a_semicolon_is_challenged(bank: Bank, scorer: OfflineScorer) -> None:
    # Neither half states the belief alone ("Zero init is fine here" is a fragment): the sentence does.
    engine = interview(bank, scorer, "mlcode-two-layer-nn-backprop")
    reply = say(engine, "Zero init is fine here; the updates will make the hidden units different.", 1)
    assert reply.decision.action == "challenge"
    assert reply.decision.extra.get("misconception") == 0
    engine = interview(bank, scorer, "code-lru-cache")
    reply = say(engine, "Singly linked nodes are enough; we only ever remove from the tail.", 1)
    assert reply.decision.action == "challenge"
    assert reply.decision.extra.get("misconception") == 0


def test_a_belief_in_one_half_of_a_semicolon_sentence_is_still_found(bank: Bank, scorer: OfflineScorer) -> None:
    from interviewers.scoring.text import split_units
    from interviewers.understanding.claims import claim_statements

    text = "Unreachable slots start at INT_MAX; adding one to that sentinel later is harmless in every comparison."
    halves = [u.text for u in claim_statements(split_units(0, text))]
    assert halves[0] == text  # kept whole: the first half is short
    assert "adding one to that sentinel later is harmless in every comparison." in halves
    assert all(text[u.start : u.end] == u.text for u in claim_statements(split_units(0, text)))


def test_a_belief_across_two_long_clauses_is_judged_as_one_sentence(bank: Bank, scorer: OfflineScorer) -> None:
    # Both clauses are long, so text.py ends a unit at the semicolon; neither clause alone says that the
    # pointer walk returns positions of the sorted array, which are not the caller's indices.
    text = (
        "Sort the array first, then walk a left and a right index toward each other; "
        "wherever the two values add up to the target, those two indices are what we return."
    )
    reply = say(interview(bank, scorer, "code-two-sum"), text, 1)
    assert reply.decision.action == "challenge"
    assert reply.decision.extra.get("misconception") == 0
    assert reply.decision.extra["quote"] in text


def test_a_run_on_transcript_is_not_joined_into_one_claim() -> None:
    from interviewers.scoring.text import split_units
    from interviewers.understanding.claims import whole_sentences

    text = "first I split by time " * 30 + "so the model never sees the future"
    units = split_units(0, text)
    assert len(units) >= 2
    assert whole_sentences(units, {0: text}) == []
    two = "One clause that is long enough to stand alone here; another clause that is also long enough to stand alone."
    (joined,) = whole_sentences(split_units(0, two), {0: two})
    assert joined.text == two[joined.start : joined.end] == two.rstrip(".") + "."
