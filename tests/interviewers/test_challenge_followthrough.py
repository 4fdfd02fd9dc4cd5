"""After a challenge: a kept claim is pushed once more, never praised, and the scorecard holds it too;
a correction ends it. Failing code is not waved through with "That works."."""

from __future__ import annotations

from interviewers.engine import InterviewEngine, Reply
from interviewers.scorecard import Scorecard
from interviewers.scoring.offline import OfflineScorer
from question_bank.loader import Bank
from tests.interviewers.helpers import interview, say

CLAIM = "With a large enough lambda, L2 also drives the weights exactly to zero, just like L1."
DEFENCE = "I'm sure about it: push the L2 strength high enough and the ridge coefficients land exactly on zero."


def test_a_kept_claim_is_pressed_once_then_counted(bank: Bank, scorer: OfflineScorer) -> None:
    engine = interview(bank, scorer, "mlf-l1-vs-l2")
    first = say(engine, CLAIM, 1)
    assert first.decision.action == "challenge"
    belief = first.decision.extra["misconception"]
    pressed = say(engine, DEFENCE, 2)
    assert pressed.decision.action == "challenge" and pressed.decision.extra.get("held")
    assert pressed.decision.extra.get("misconception") == belief
    assert pressed.text.rstrip().endswith("?") and "never" not in pressed.text.lower()
    after = say(engine, "Yes, I'd stand by that: a large enough ridge penalty zeroes the weights.", 3)
    assert after.decision.action != "challenge"  # not argued a third time
    assert after.decision.extra.get("neutral")  # and not praised
    card = engine.scorecard()
    milestone = bank.get("mlf-l1-vs-l2").misconceptions[belief].milestone
    assert any(m.quote for m in card.misconceptions)
    assert next(m for m in card.milestones if m.id == milestone).status == "missed"


def test_waving_the_counterexample_away_is_pressed_too(bank: Bank, scorer: OfflineScorer) -> None:
    # A drill review: "in a toy case like that sure, but in practice..." after a pointed counterexample moved on.
    engine = interview(bank, scorer, "mlf-l1-vs-l2")
    assert say(engine, CLAIM, 1).decision.action == "challenge"
    waved = "I mean in a toy case like that sure, but I don't think that edge case matters much for real models."
    pressed = say(engine, waved, 2)
    assert pressed.decision.action == "challenge" and pressed.decision.extra.get("held")


TOP_P_CLAIM = "With p 0.9 and temperature 1.5 top-p always stays a small safe set, so it can't get incoherent."
MOVING_ON = "For creative writing I'd raise the temperature a little and add a mild repetition penalty."


def test_a_reply_about_something_else_gets_the_challenge_once_more(bank: Bank, scorer: OfflineScorer) -> None:
    # A drill: the top-p claim was challenged, the reply went on to code settings, and the claim was let go.
    engine = interview(bank, scorer, "mlf-decoding-strategies")
    first = say(engine, TOP_P_CLAIM, 1)
    assert first.decision.action == "challenge"
    again = say(engine, MOVING_ON, 2)
    assert again.decision.action == "challenge" and again.decision.extra.get("reminder")
    assert first.decision.content in again.text and "didn't answer" in again.text
    assert not again.decision.extra.get("held")  # moving on is not insisting
    # Ignored twice: let go, not asked a third time.
    later = say(engine, "For classification I'd read the label token probabilities directly instead of sampling.", 3)
    assert later.decision.action != "challenge"


def test_a_reply_that_takes_up_the_challenge_is_not_reminded(bank: Bank, scorer: OfflineScorer) -> None:
    engine = interview(bank, scorer, "mlf-decoding-strategies")
    assert say(engine, TOP_P_CLAIM, 1).decision.action == "challenge"
    engaged = "Hmm, if it's that flat, covering 90 percent of the mass takes a big chunk of the vocabulary."
    assert not say(engine, engaged, 2).decision.extra.get("reminder")


def test_a_correction_after_the_challenge_ends_it(bank: Bank, scorer: OfflineScorer) -> None:
    engine = interview(bank, scorer, "mlf-l1-vs-l2")
    assert say(engine, CLAIM, 1).decision.action == "challenge"
    fixed = "You're right, I had that wrong: ridge only shrinks weights toward zero and never makes them exactly zero."
    reply = say(engine, fixed, 2)
    assert reply.decision.action != "challenge"
    assert not reply.decision.extra.get("neutral")
    assert engine.scorecard().misconceptions == []


def _submit_failing_two_sum(engine: InterviewEngine) -> Reply:
    """Code that passes "basic" and fails "duplicates", submitted at minute 5."""
    outcomes = [
        {"name": "basic", "passed": True, "hidden": False, "message": ""},
        {"name": "duplicates", "passed": False, "hidden": False, "message": "expected [0, 1], got None"},
    ]
    code = "def two_sum(nums, target):\n    return None\n"
    return say(engine, code, 5, code=code, tests_detail=outcomes)


def test_failing_code_is_not_waved_through(bank: Bank, scorer: OfflineScorer) -> None:
    engine = interview(bank, scorer, "code-two-sum")
    review = _submit_failing_two_sum(engine)
    assert review.decision.action == "review_code"
    talk = "The complexity is O(n) time and O(n) space because each element is looked up once in the hash map."
    reply = say(engine, talk, 6)
    assert reply.decision.action == "ask_code" and reply.decision.extra.get("failing")
    assert "1 of 2 tests" in reply.decision.reason
    assert reply.decision.extra.get("neutral")
    later = say(engine, "I'd rather talk about the follow-up first.", 7)
    assert later.decision.action != "ask_code" or not later.decision.extra.get("failing")  # reminded once
    assert later.decision.extra.get("neutral")


def test_a_reply_that_moves_on_is_not_pressed_as_kept(bank: Bank, scorer: OfflineScorer) -> None:
    engine = interview(bank, scorer, "mlf-l1-vs-l2")
    assert say(engine, CLAIM, 1).decision.action == "challenge"
    other = "For correlated features I'd reach for elastic net, which mixes both penalties."
    reply = say(engine, other, 2)
    assert not reply.decision.extra.get("held")  # not argued as kept unless the candidate insists
    assert reply.decision.extra.get("reminder")  # but the question is put once more, and nothing is praised
    assert not reply.text.lower().startswith(("good", "great", "nice"))


def test_sticking_with_a_challenged_claim_is_pressed(bank: Bank, scorer: OfflineScorer) -> None:
    # A candidate review: "I'm sticking with singly linked." got "Okay, I follow the idea. Let's see it in code."
    engine = interview(bank, scorer, "code-lru-cache")
    assert say(engine, "Singly linked nodes are enough; we only ever remove from the tail.", 1).decision.action == (
        "challenge"
    )
    reply = say(engine, "I don't see where a back pointer comes into it; I'm sticking with singly linked.", 2)
    assert reply.decision.action == "challenge" and reply.decision.extra.get("held")


def test_denying_the_challenged_claim_ends_the_challenge(bank: Bank, scorer: OfflineScorer) -> None:
    # A candidate review: "I never said it can't overfit" was pushed again and the claim scored as kept.
    engine = interview(bank, scorer, "mlf-l1-vs-l2")
    first = say(engine, CLAIM, 1)
    assert first.decision.action == "challenge"
    reply = say(engine, "I never said that. I take back the part about ridge; only the lasso lands on zero.", 2)
    assert reply.decision.action != "challenge"
    assert engine.scorecard().misconceptions == []


def test_a_short_wrong_claim_is_challenged_and_not_praised(bank: Bank, scorer: OfflineScorer) -> None:
    # Four content words already state a belief: at five this went unchallenged and earned its milestone.
    reply = say(interview(bank, scorer, "mlf-svm-kernels"), "Cranking C up widens the margin and regularizes more.", 1)
    assert reply.decision.action == "challenge"
    assert reply.decision.extra.get("misconception") == 0


def test_a_pass_or_a_plea_is_never_praised(bank: Bank, scorer: OfflineScorer) -> None:
    from interviewers.phrasing import praises

    for text in ("I pass on this one.", "I'm a bit stuck on the math side.", "Can you give me a hint?"):
        reply = say(interview(bank, scorer, "mlf-svm-kernels"), text, 1)
        assert reply.decision.action != "redirect", text  # "I'm a bit stuck" is no drift
        assert reply.decision.extra.get("neutral"), text
        assert not praises(reply.text.split(".")[0] + "."), reply.text


def test_questions_about_the_job_or_the_clock_get_no_fact(bank: Bank, scorer: OfflineScorer) -> None:
    # A candidate review: both were answered with one of the question's facts.
    reply = say(interview(bank, scorer, "beh-mentoring"), "Can I ask what mentoring looks like on your team?", 1)
    assert reply.decision.action != "answer_fact"
    reply = say(interview(bank, scorer, "mlcode-roc-auc"), "Should we wrap up?", 1)
    assert reply.decision.action != "answer_fact"


def test_a_challenged_sentence_is_no_evidence_while_its_belief_stands(bank: Bank, scorer: OfflineScorer) -> None:
    # A candidate review: sentences challenged and defended were quoted as the evidence for their milestone;
    # the next review: a correct sentence challenged by mistake, then explained, lost its credit.
    from interviewers.transcript import parse_transcript
    from tests.interviewers.test_offline_scorer import STRONG_L1_L2

    question = bank.get("mlf-l1-vs-l2")
    turns: list[dict[str, object]] = [{"speaker": "interviewer", "text": question.prompt}]
    for answer in STRONG_L1_L2:
        turns += [{"speaker": "candidate", "text": answer}, {"speaker": "interviewer", "text": "Go on."}]
    plain = scorer.score(question, parse_transcript({"question_id": question.id, "turns": turns}))
    quoted = next(e for m in plain.milestones for e in m.evidence)
    owner = next(m.id for m in plain.milestones if quoted in m.evidence)

    def card_with(**decision: object) -> Scorecard:
        challenge = {"action": "challenge", "reason": "states a misconception", "quote": quoted.quote, **decision}
        turns[quoted.turn + 1] = {"speaker": "interviewer", "text": "Are you sure?", "decision": challenge}
        return scorer.score(question, parse_transcript({"question_id": question.id, "turns": turns}))

    def quotes(card: Scorecard, milestone: str) -> list[str]:
        return [e.quote for m in card.milestones if m.id == milestone for e in m.evidence]

    kept = card_with(misconception=0, target=owner, held=True)  # pushed twice and kept: the belief stands
    assert quoted.quote not in quotes(kept, owner)
    assert any(m.evidence for m in kept.milestones)  # the rest still counts
    missed = card_with(misconception=0, target=owner)  # a challenge the scorer does not uphold costs nothing
    assert quoted.quote in quotes(missed, owner)


def test_code_is_asked_for_once_the_main_idea_is_on_the_table(bank: Bank, scorer: OfflineScorer) -> None:
    # A candidate review: "Let's see it in code" came after only the brute-force baselines.
    engine = interview(bank, scorer, "code-merge-k-sorted-lists")
    early = [
        "Before I pick an approach: roughly how many lists could there be, and how many nodes in total?",
        "Can any of the lists be empty, or could I be handed an empty array of lists? And may I relink the nodes?",
        "Okay. The naive route is to dump every value into an array, sort it, and rebuild: that's N log N time plus "
        "linear extra memory. Folding lists into an accumulator one at a time is also simple but it rewalks the "
        "growing result each time, so it degrades to roughly N times k.",
    ]
    actions = [say(engine, text, i + 1).decision.action for i, text in enumerate(early)]
    assert "ask_code" not in actions
    later = [
        "Better: keep a min-heap holding the current head of each list, pop the smallest, and push its successor.",
        "The heap never holds more than k nodes, so each push and pop is log k and the total is N log k.",
        "Ties are broken by list index so the heap never compares two nodes directly.",
    ]
    actions += [say(engine, text, i + 4).decision.action for i, text in enumerate(later)]
    assert "ask_code" in actions[3:]


def test_a_new_question_near_a_given_fact_is_not_answered_with_it_again(bank: Bank, scorer: OfflineScorer) -> None:
    # A candidate review: "like a holiday?" got "As I said: Users were split 50/50 for 14 days…".
    engine = interview(bank, scorer, "dbg-ab-test-no-lift")
    first = say(engine, "How were users split between the arms, and for how long?", 1)
    assert first.decision.action == "answer_fact" and 0 in first.decision.extra["facts"]
    again = say(engine, "Was there anything unusual during the test window, like a holiday or a big content launch?", 2)
    assert not (again.decision.action == "answer_fact" and again.decision.extra.get("repeat"))
    asked_again = say(engine, "Sorry, how long did the test run and how were users split?", 3)
    assert asked_again.decision.action == "answer_fact" and asked_again.decision.extra.get("repeat")


def test_no_clarifying_probe_once_the_code_is_in(bank: Bank, scorer: OfflineScorer) -> None:
    # A second review: after 8 of 8 tests passed, "What do you want to know about the lists before picking an
    # approach?"
    from tests.server.test_drill_code import CORRECT

    engine = interview(bank, scorer, "code-two-sum")
    say(engine, "One pass with a hash map from value to index, looking up target minus each element.", 1)
    targets = [say(engine, "Here is the code.", 2, code=CORRECT).decision.target]
    later = ["It is O(n) time and O(n) space.", "Edge cases: an empty input, no pair, duplicates like [3, 3]."]
    targets += [say(engine, text, 3 + i).decision.target for i, text in enumerate(later)]
    assert "clarify" not in targets


def test_planning_the_work_is_not_drifting(bank: Bank, scorer: OfflineScorer) -> None:
    # A second review: this got "Let's keep to the problem in front of us."
    engine = interview(bank, scorer, "code-lru-cache")
    say(engine, "A hash map from key to node plus a doubly linked list in recency order gives O(1) get and put.", 1)
    reply = say(engine, "Let me get the base version working first and then come back to the TTL.", 2)
    assert reply.decision.action != "redirect"
    assert "drift" not in reply.decision.extra.get("understood", {}).get("acts", [])


def test_a_hint_while_a_test_fails_is_about_that_test(bank: Bank, scorer: OfflineScorer) -> None:
    # A candidate review: debugging one failing hidden test, "Can you give me a hint?" got the ladder's first rung
    # on the approach ("AUC equals the chance that a random positive scores above a random negative…").
    engine = interview(bank, scorer, "code-two-sum")
    assert _submit_failing_two_sum(engine).decision.action == "review_code"
    hint = say(engine, "Can you give me a hint?", 6)
    assert hint.decision.action == "hint" and "duplicates" in hint.text
    assert engine.state.hints_given == 1
    second = say(engine, "Another hint, please?", 7)
    assert second.decision.action == "hint" and "duplicates" not in second.decision.content  # once per run


def test_saying_one_is_stuck_is_never_challenged_as_a_claim(bank: Bank, scorer: OfflineScorer) -> None:
    # A last drill: this was challenged as "the ETA shown at checkout can stay fixed", quoting the plea back.
    engine = interview(bank, scorer, "sd-delivery-eta")
    reply = say(engine, "I'm a bit stuck on how to handle the estimate once the order is already on its way.", 1)
    assert reply.decision.action != "challenge"


def test_a_belief_kept_then_given_up_leaves_a_note_and_no_evidence(bank: Bank, scorer: OfflineScorer) -> None:
    """Second review: a claim defended through one push and corrected later left no trace, and the defending
    reply ("…I still think the loop corrects itself") was quoted as evidence for another milestone."""
    engine = interview(bank, scorer, "mlf-l1-vs-l2")
    assert say(engine, CLAIM, 1).decision.action == "challenge"
    defence = f"{DEFENCE} Lasso and ridge both keep the model simple, which is the point of regularizing at all."
    assert say(engine, defence, 2).decision.extra.get("held")
    say(engine, "Okay, I was wrong: the L2 penalty only shrinks weights toward zero, it never zeroes them.", 3)
    card = engine.scorecard()
    assert card.misconceptions == []  # given up: no failed milestone for it
    assert any(n.startswith("kept a wrong belief after being challenged") for n in card.notes)
    quoted = {e.quote for m in card.milestones for e in m.evidence}
    assert not any("keep the model simple" in q or "push the L2 strength" in q for q in quoted)


def test_a_claim_corrected_at_once_leaves_no_note(bank: Bank, scorer: OfflineScorer) -> None:
    engine = interview(bank, scorer, "mlf-l1-vs-l2")
    assert say(engine, CLAIM, 1).decision.action == "challenge"
    say(engine, "You're right, I had that wrong: ridge only shrinks weights toward zero, never exactly to zero.", 2)
    assert not any("kept a wrong belief" in n for n in engine.scorecard().notes)


WAVED_AWAY = (
    "Prompt injection isn't really a concern here since all the documents are internal to our company, "
    "so I'd trust the content the tools return."
)


def test_a_topic_waved_away_is_pushed_back_on_once(bank: Bank, scorer: OfflineScorer) -> None:
    # A drill: asked where hidden instructions in strangers' emails are stopped, the candidate waved injection away,
    # and the interviewer went on to step limits as if that were an answer.
    engine = interview(bank, scorer, "sd-tool-agent")
    pushed = say(engine, WAVED_AWAY, 1)
    assert pushed.decision.action == "challenge" and pushed.decision.target == "injection"
    assert "isn't really a concern" in pushed.text and pushed.text.rstrip().endswith("?")
    again = say(engine, "Honestly, injection isn't a concern for an internal tool, I'd leave it out.", 2)
    assert again.decision.action != "challenge"  # asked once: the scorecard keeps the rest
    card = engine.scorecard()
    assert next(m for m in card.milestones if m.id == "injection").status == "missed"


def test_a_reason_that_settles_the_topic_is_no_dismissal(bank: Bank, scorer: OfflineScorer) -> None:
    engine = interview(bank, scorer, "sd-tool-agent")
    said = (
        "Injection isn't a problem once tool output is fenced as data: the policy gateway, not the model, "
        "decides which calls are allowed, and writes need the user's confirmation."
    )
    assert say(engine, said, 1).decision.action != "challenge"
