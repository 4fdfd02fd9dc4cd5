"""The interviewer listens: each finding of the review that rated it 4/10, replayed, and the benchmark's rates held.

Every example below was seen on a shipped question before the understanding step existed.
"""

from __future__ import annotations

import pytest

from benchmarks.interviewer_harness import Harness, Report, load_scripts
from interviewers.engine import InterviewEngine, Reply
from interviewers.personas import persona_for_round, personas
from interviewers.phrasing import OfflinePhraser
from interviewers.scoring.offline import OfflineScorer
from interviewers.state import Decision, InterviewState
from question_bank.leaks import leak_problems
from question_bank.loader import Bank
from question_bank.schema import Question


@pytest.fixture
def engine_for(bank: Bank, scorer: OfflineScorer):  # type: ignore[no-untyped-def]
    def make(question_id: str) -> InterviewEngine:
        question = bank.get(question_id)
        engine = InterviewEngine(question, persona_for_round(question.round), scorer=scorer, seed=11)
        engine.opening()
        return engine

    return make


def say(engine: InterviewEngine, text: str, minute: float = 1.0) -> Reply:
    engine.candidate_turn(text)
    return engine.respond(elapsed=60 * minute)


def fact_index(question: Question, word: str) -> int:
    return next(i for i, f in enumerate(question.facts) if word in f.ask)


# -- wrong claims are pushed back on, with a question, never the answer ---------------------------------


@pytest.mark.parametrize(
    ("question_id", "claim"),
    [
        ("dbg-train-serve-skew", "Training-serving skew can't happen if you use the same model file."),
        ("mlf-optimizers", "Weight decay is exactly identical to L2 regularization, so AdamW was never really needed."),
        ("mlf-l1-vs-l2", "L1 keeps all correlated features with equal weights, while L2 randomly picks one."),
        ("sd-checkout-fraud", "Accuracy is a fine metric here since almost all orders are legit."),
    ],
)
def test_a_wrong_claim_is_challenged_not_agreed_with(engine_for, question_id: str, claim: str) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for(question_id)
    reply = say(engine, claim)
    assert reply.decision.action == "challenge"
    misconception = engine.question.misconceptions[reply.decision.extra["misconception"]]
    assert misconception.challenge and misconception.challenge in reply.text
    assert reply.text.rstrip().endswith("?")  # a pointed question, not a correction
    assert not reply.text.startswith(("Right", "Good", "Exactly"))


@pytest.mark.parametrize(
    ("question_id", "said"),
    [
        # The fix for the belief "(value, node) tuples on heapq are fine", in its words (a drill review saw it
        # challenged before the bank had premises).
        ("code-merge-k-sorted-lists", "So I'll push (val, i, node) with the list index i as a tiebreaker."),
        # Program text said inline, near the same belief's words.
        (
            "code-merge-k-sorted-lists",
            "heap = [(node.val, i, node) for i, node in enumerate(lists) if node]; heapq.heapify(heap); "
            "dummy = tail = ListNode(); while heap: val, i, node = heapq.heappop(heap)",
        ),
    ],
)
def test_the_right_approach_in_the_beliefs_own_words_is_not_challenged(engine_for, question_id: str, said: str) -> None:  # type: ignore[no-untyped-def]
    reply = say(engine_for(question_id), said)
    assert reply.decision.action != "challenge"


def test_an_uncorrected_misconception_fails_its_milestone_and_is_listed(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("mlf-l1-vs-l2")
    say(engine, "L1 adds lambda times the sum of absolute weights; L2 adds lambda times the sum of squared weights.")
    say(engine, "With correlated features L1 shares the weight evenly among them.", 2)
    card = engine.scorecard()
    assert [m.claim for m in card.misconceptions] == [
        "With correlated features, L1 shares the weight evenly among them."
    ]
    assert next(m for m in card.milestones if m.id == "correlated").status == "missed"
    assert next(m for m in card.milestones if m.id == "penalties").status != "missed"


def test_a_retracted_misconception_is_forgiven(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("mlf-l1-vs-l2")
    say(engine, "With correlated features L1 shares the weight evenly among them.")
    say(engine, "Actually, no, I got that backwards: L1 keeps one of them and zeroes the rest, L2 spreads it.", 2)
    assert engine.scorecard().misconceptions == []


def test_a_myth_named_as_a_myth_is_not_challenged(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("sd-checkout-fraud")
    reply = say(engine, "A common mistake is to think accuracy is a fine metric here because most orders are legit.")
    assert reply.decision.action != "challenge"


# -- what was just said is never asked again -----------------------------------------------------------


def test_an_answered_follow_up_is_not_asked(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("mlf-l1-vs-l2")
    priors = next(i for i, f in enumerate(engine.question.follow_ups) if "priors" in f.text)
    replies = [
        say(engine, "L1 adds lambda times the sum of absolute weights to the loss; L2 adds the sum of squares.", 1),
        say(engine, "From a Bayesian view, L1 is a Laplace prior on the weights and L2 is a Gaussian prior.", 2),
        say(engine, "L1's gradient has constant size, so small weights are driven exactly to zero; L2's shrinks.", 3),
        say(engine, "Geometrically the L1 ball is a diamond whose corners sit on the axes.", 4),
    ]
    assert f"follow_up:{priors}" in engine.state.answered
    assert all(r.decision.target != f"follow_up:{priors}" for r in replies)


def test_a_stated_complexity_is_not_asked_for(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("code-two-sum")
    say(engine, "I'd keep a hash map from value to index and, for each element, look up target minus it.")
    reply = say(engine, "That's O(n) time and O(n) space, since each lookup and insert is constant time.", 2)
    complexity = next(m for m in engine.question.milestones if "complex" in m.id or "O(n)" in m.text)
    assert reply.decision.target != complexity.id
    assert engine.state.coverage[complexity.id] != "missed" or complexity.id in engine.state.answered


def test_no_second_curveball_before_the_first_is_dealt_with(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("sd-checkout-fraud")
    engine.state.coverage = dict.fromkeys(engine.state.coverage, "met")  # the basics are there
    first = say(engine, "I'd score each order with a gradient-boosted model on velocity and device features.", 5)
    assert first.decision.action in ("curveball", "deepen")
    if first.decision.action == "deepen":
        first = say(engine, "I'd answer that with per-segment thresholds tuned on the analysts' capacity.", 6)
    assert first.decision.action == "curveball"
    asked = say(engine, "Hmm, does that change the latency budget?", 7)
    assert asked.decision.action != "curveball"
    assert engine.state.curveball_pending


def test_an_answer_about_something_else_has_not_dealt_with_the_curveball(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("dbg-rag-reindex-regression")
    engine.state.coverage = dict.fromkeys(engine.state.coverage, "met")  # the basics are there
    twist = say(engine, "So the root cause is the query side still embedding with embed-v2 against embed-v3 docs.", 5)
    assert twist.decision.action == "curveball" and engine.state.curveball_index == 0
    # The reply ignores the retirement and talks about monitoring: the next change of requirements waits.
    other = say(engine, "For monitoring I'd alert on the fallback rate and the thumbs-down share per wiki space.", 6)
    assert other.decision.action != "curveball" and engine.state.curveball_pending
    replied = say(
        engine,
        "Since embed-v2 is being retired, I'd re-embed the questions with embed-v3 behind a flag, check "
        "recall on the labelled queries against the old index, then cut over the alias.",
        7,
    )
    # Dealt with: the first change is settled, and the next one may come.
    assert replied.decision.action != "curveball" or replied.decision.target == "follow_up:1"
    assert not (engine.state.curveball_pending and engine.state.curveball_index == 0)


# -- clarifying questions get what the interviewer holds ----------------------------------------------------


def test_two_questions_in_one_turn_get_both_facts(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("mlf-classification-metrics")
    question = engine.question
    reply = say(engine, "What is the application and roughly how rare are the positives?")
    assert reply.decision.action == "answer_fact"
    assert {fact_index(question, "application"), fact_index(question, "how rare")} <= set(reply.decision.extra["facts"])


def test_clarifying_questions_in_other_words_get_their_facts(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("sd-rag-support-assistant")
    reply = say(engine, "How many help-center articles are there, and what's the latency budget for the first token?")
    assert reply.decision.action == "answer_fact"
    assert "8,000" in reply.text and "1.5 seconds" in reply.text


def test_a_hint_request_gets_a_hint(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("code-coin-change")
    reply = say(engine, "Can you give me a hint?")
    assert reply.decision.action == "hint" and engine.question.hints[0] in reply.text


# -- ordinary technical words are not distress or hostility ----------------------------------------------


@pytest.mark.parametrize(
    ("question_id", "text"),
    [
        ("code-two-sum", "I'd do it in one pass with a hash map from value to index."),
        ("sd-rag-support-assistant", "Offline, an LLM-judge pass grades each answer against the article it cites."),
        ("mlf-classification-metrics", "Accuracy is useless here, because almost every transaction is legitimate."),
        ("dbg-nan-loss-divergence", "If the loss goes NaN I'd kill the job and resume from the last good checkpoint."),
    ],
)
def test_technical_words_are_not_read_as_stuck_or_hostile(engine_for, question_id: str, text: str) -> None:  # type: ignore[no-untyped-def]
    reply = say(engine_for(question_id), text)
    assert reply.decision.action != "hint"
    assert not reply.decision.extra.get("hostile")


def test_a_hand_trace_of_the_table_is_on_topic(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("code-coin-change")
    reply = say(
        engine, "With coins 1, 2 and 5 and amount 11: dp[0] is 0, dp[1] is 1, dp[2] is 1, dp[5] is 1, dp[11] is 3."
    )
    assert reply.decision.action != "redirect"


def test_passing_moves_on_but_a_pass_over_the_data_is_an_answer(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("code-two-sum")
    asked = say(engine, "I'd check every pair with two nested loops.")
    passed = say(engine, "I'll pass on this one.", 2)
    assert passed.decision.action != "hint" and passed.decision.target != asked.decision.target
    assert asked.decision.target in engine.state.skipped
    assert "pass" in engine.turns[-1]["decision"]["understood"]["acts"]
    assert say(engine_for("code-two-sum"), "One pass over the array is enough.").decision.action != "hint"


def test_checking_in_or_asking_about_the_loop_is_not_a_clarifying_question(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("sd-query-autocomplete")
    assert say(engine, "Anything I missed?").decision.action != "ask_assumption"
    assert say(engine_for("mlcode-roc-auc"), "What's the interview loop after this?").decision.action == (
        "answer_offscript"
    )
    told = say(engine_for("beh-failure"), "What I learned: I now do a time-based split and audit feature timestamps.")
    assert told.decision.action != "ask_assumption"


def test_a_question_about_the_team_is_never_evidence(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("dbg-nan-loss-divergence")
    say(engine, "How does the team handle on-call when a training run diverges like this overnight?")
    card = engine.scorecard()
    assert all("on-call" not in e.quote for m in card.milestones for e in m.evidence)


# -- nothing given away; the clock, not the rubric, says when time is up -------------------------------------


def test_the_shipped_bank_names_no_fact_before_it_is_revealed(bank: Bank) -> None:
    assert [f"{q.id}: {p}" for q in bank.questions.values() for p in leak_problems(q)] == []


def test_a_probe_naming_a_hidden_fact_fails_strict_validation(bank: Bank) -> None:
    skew = bank.get("dbg-train-serve-skew")
    root = next(i for i, m in enumerate(skew.milestones) if m.id == "root_cause")
    leaky = skew.model_copy(
        update={
            "milestones": [
                m.model_copy(update={"probe": "Why would the error grow with how far a city is from London?"})
                if i == root
                else m
                for i, m in enumerate(skew.milestones)
            ],
            "hints": [*skew.hints[:-1], "Use a hash map, UTC vs local, hour_of_day offset: timezone shifted."],
        }
    )
    problems = leak_problems(leaky)
    assert any("'london'" in p and f"milestones[{root}].probe" in p for p in problems)
    assert any("last hint states the solution" in p for p in problems)


def test_an_exhausted_rubric_early_invites_questions_without_time_talk(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("mlf-svm-kernels")
    for milestone in engine.question.milestones:
        engine.state.coverage[milestone.id] = "met"
    engine.state.follow_ups_used = set(range(len(engine.question.follow_ups)))
    reply = say(engine, "And the kernel trick avoids ever computing the feature map explicitly.", 0.05)
    assert reply.decision.action == "wrap_up" and reply.decision.extra["early"]
    assert "time" not in reply.text.lower()
    close = say(engine, "No questions, thanks.", 0.5)
    assert close.decision.action == "close" and "time" not in close.text.lower()


def test_the_candidates_question_at_the_close_is_answered_first(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("beh-conflict")
    over = engine.question.time_box + 1
    reply = say(engine, "I think we're out of time, but what does the team work on day to day?", over)
    assert reply.decision.action == "answer_candidate_question"
    assert reply.text.startswith("A typical week")  # the answer on what they asked about: the day to day
    general = say(engine, "And what's the thing you'd change about the company if you could?", 0.5)
    assert general.decision.action == "answer_candidate_question"  # on no topic team.yaml knows: a general line
    assert any(answer in general.text for answer in engine.persona.candidate_question_answers)


def test_no_line_stacks_two_lead_ins(bank: Bank) -> None:
    """ "Go on. Hold on. Where would …" was two interruptions in a row."""
    for persona in personas().values():
        question = next(q for q in bank.questions.values() if q.round == persona.round)
        phraser = OfflinePhraser(persona, seed=1)
        state = InterviewState(question, persona)
        for n in range(12):
            line = phraser.phrase(
                Decision("probe", "", content=f"Where would the labels for part {n} come from?"), state
            )
            stacked = [f"{a} {i}" for a in persona.acks for i in persona.probe_intros if i]
            assert not line.startswith(tuple(stacked)), line


# -- the benchmark's rates, on every shipped question -------------------------------------------------------


@pytest.fixture(scope="module")
def listening(bank: Bank, scorer: OfflineScorer) -> Report:
    return Harness(bank, scorer).run(load_scripts())


def test_every_shipped_question_has_a_scripted_candidate(bank: Bank) -> None:
    assert sorted(load_scripts()) == sorted(bank.questions)


# The whole bank is played once per module (about two minutes here); the first test to ask waits for it.
@pytest.mark.timeout(1200)
def test_the_interviewer_never_repeats_leaks_or_misreads(listening: Report) -> None:
    assert listening.asked_again == []
    assert listening.false_triggers == []
    assert listening.leaks == []
    assert listening.hint_requests.rate == 1.0
    assert listening.ordered().rate == 1.0


# The whole bank is played once per module (about two minutes here); the first test to ask waits for it.
@pytest.mark.timeout(1200)
def test_clarifying_questions_in_other_words_are_mostly_answered(listening: Report) -> None:
    # Offline, with the bank's example questions per fact: 0.93 (tuning half) and 0.91 (report half) of
    # clarifying questions asked in other words get their fact; another fact in about 7 %.
    assert listening.clarify.rate >= 0.9
    assert listening.wrong_fact.hits <= 0.1 * listening.wrong_fact.total


# The whole bank is played once per module (about two minutes here); the first test to ask waits for it.
@pytest.mark.timeout(1200)
def test_misconceptions_are_challenged_more_often_than_correct_answers_are(listening: Report) -> None:
    # Offline, with about 25 wordings and 15 truths per belief (four of them neutral: the belief's premise or the
    # right approach, without its conclusion) and the stance model (claims.py): 0.93 (tuning half) and 0.91 (report
    # half) of misconceptions said in other words are challenged, and 64 scripted lines of correct answers were taken
    # for one (each false reading counts once per candidate kind that says the sentence: strong, rambling and
    # mistranscribed runs of 85 questions). With 17 wordings: 0.90 and 0.89, 99 lines; with nine and a word gate
    # alone: 0.79 caught, 53 lines. The questions tagged llm still do worse (0.87 against 0.94).
    assert listening.challenged.rate >= 0.9
    assert len(listening.false_challenges) <= 75


def test_a_hint_about_ground_already_covered_is_skipped(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("sd-marketplace-recs")
    say(engine, "The objective is purchases per session rather than clicks, judged by an A/B test on GMV per session.")
    say(engine, "The home page must answer within the 120 ms p99 budget at about 20,000 requests per second.", 2)
    reply = say(engine, "Can you give me a hint?", 3)
    assert reply.decision.action == "hint"
    first = engine.question.hints[0]
    assert engine.state.coverage["requirements"] != "met" or first not in reply.text
