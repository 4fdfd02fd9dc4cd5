"""Scripted candidates show the follow-up policy at work (offline, with the real scorer)."""

from __future__ import annotations

import pytest

from interviewers.engine import InterviewEngine, Reply
from interviewers.personas import persona_for_round
from interviewers.scoring.offline import OfflineScorer
from question_bank.loader import Bank

MARKETPLACE_STRONG = [
    "Before any architecture: is the objective purchases or GMV rather than clicks, judged by an A/B test on GMV "
    "per session with recall at K offline? How many requests per second, and what is the p99 latency budget?",
    "Training data comes from impression logs joined with clicks, add-to-carts and purchases; impressions give the "
    "negatives, purchases need an attribution window, and the logs carry position bias from the old trending list.",
    "Features: the user's recent views and searches, category and price affinity, item category, price, title and "
    "image embeddings, seller rating and listing age, all defined once and served from an online store while "
    "training reads point-in-time snapshots from the offline store.",
    "I'd ship a popularity baseline first, then a two-tower retrieval model with an ANN index returning about a "
    "thousand candidates, and a multi-task gradient boosted ranker predicting click and purchase, evaluated with "
    "NDCG on a time-based split.",
    "Serving: fetch user features and the user embedding in about 15 ms, ANN retrieval in 20, filter sold items, rank "
    "a few hundred candidates in 50, re-rank for diversity, then roll out through shadow mode, a canary and an A/B "
    "test.",
    "New listings get content-based embeddings from text and images so they can be retrieved before any click, and "
    "I'd reserve exploration slots for fresh items.",
]
WEAK = [
    "Hmm, I would use machine learning for it.",
    "Maybe a neural network.",
    "I'm not sure.",
    "Probably some database.",
    "I guess it depends.",
]


@pytest.fixture
def engine_for(bank: Bank, scorer: OfflineScorer):  # type: ignore[no-untyped-def]
    def make(question_id: str) -> InterviewEngine:
        question = bank.get(question_id)
        engine = InterviewEngine(question, persona_for_round(question.round), scorer=scorer, seed=7)
        engine.opening()
        return engine

    return make


def answer(engine: InterviewEngine, text: str, minute: float) -> Reply:
    engine.candidate_turn(text)
    return engine.respond(elapsed=60 * minute)


def interviewer_lines(engine: InterviewEngine) -> list[str]:
    return [t["text"] for t in engine.turns if t["speaker"] == "interviewer"]


def test_strong_candidate_gets_deeper_follow_ups_and_a_curveball(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("sd-marketplace-recs")
    actions = [answer(engine, text, i + 1).decision.action for i, text in enumerate(MARKETPLACE_STRONG)]
    assert "curveball" in actions
    assert actions.count("probe") <= 3
    assert "hint" not in actions
    assert engine.state.covered_share() > 0.6


def test_weak_candidate_gets_probes_and_hints(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("sd-marketplace-recs")
    actions = [answer(engine, text, i + 1).decision.action for i, text in enumerate(WEAK)]
    assert "hint" in actions
    assert "probe" in actions or "dig" in actions
    assert "curveball" not in actions and "deepen" not in actions
    hints = [t["text"] for t in engine.turns if t.get("decision", {}).get("action") == "hint"]
    assert engine.question.hints[0] in hints[0]


def test_clarifying_question_gets_its_fact(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("sd-marketplace-recs")
    latency_fact = next(f for f in engine.question.facts if "p99" in f.ask)
    reply = answer(engine, "What's the p99 latency budget for the home page?", 1)
    assert reply.decision.action == "answer_fact"
    assert latency_fact.answer in reply.text
    other = [f.answer for f in engine.question.facts if f is not latency_fact and f.answer not in reply.text]
    assert other  # only what was asked is revealed


def test_question_without_a_fact_asks_for_an_assumption(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("code-two-sum")
    reply = answer(engine, "Should the solution be written in Rust or in Haskell?", 1)
    assert reply.decision.action == "ask_assumption"
    assert "assum" in reply.text.lower()


def test_off_topic_and_hostile_are_redirected(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("mlf-bias-variance")
    off = answer(engine, "Yesterday I watched a long documentary about penguins migrating across the ice shelf.", 1)
    assert off.decision.action == "redirect"
    hostile = answer(engine, "This is a stupid question and you are wasting my time.", 2)
    assert hostile.decision.action == "redirect" and hostile.decision.extra.get("hostile")


def test_silent_candidate_gets_escalating_hints_then_no_more(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("code-coin-change")
    replies = [answer(engine, "...", i + 1) for i in range(4)]
    assert [r.decision.action for r in replies] == ["hint"] * 4
    limit = min(len(engine.question.hints), engine.persona.hint_limit)
    for i in range(limit):
        assert engine.question.hints[i] in replies[i].text
    assert replies[-1].decision.extra.get("exhausted")


def test_nothing_repeats_and_nothing_unasked_leaks(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("sd-checkout-fraud")
    script = WEAK * 4 + ["What is the fraud rate?", "What is the fraud rate?", "/hint"] + MARKETPLACE_STRONG
    for i, text in enumerate(script):
        if engine.ended:  # the drill and the server stop here
            break
        if text == "/hint":
            engine.respond(elapsed=60 * i, command="hint")
        else:
            answer(engine, text, i * 0.5)
    lines = interviewer_lines(engine)
    assert len(lines) == len(set(lines)), "an interviewer line was repeated word for word"
    for turn in engine.turns:
        if turn["speaker"] != "interviewer":
            continue
        for fact in engine.question.facts:
            if fact.answer in turn["text"]:
                assert turn["decision"]["action"] == "answer_fact", "a fact was revealed without being asked"
        for milestone in engine.question.milestones:
            assert milestone.text not in turn["text"]


def test_time_box_wraps_up_then_closes(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("mlf-l1-vs-l2")
    box = engine.question.time_box
    late = answer(engine, "L1 adds absolute values of the weights and pushes some of them to exactly zero.", box * 0.8)
    assert late.decision.time_note
    minutes = late.decision.time_note.split()[0]
    assert minutes.isdigit() and minutes in late.text and "minute" in late.text
    over = answer(engine, "And L2 shrinks all weights smoothly toward zero.", box + 1)
    assert over.decision.action == "wrap_up"
    assert not over.ended
    close = answer(engine, "Thanks, no questions from me.", box + 2)
    assert close.decision.action == "close" and close.ended and engine.ended


def test_candidate_questions_at_the_close_are_answered(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("beh-conflict")
    answer(engine, "Sure.", 100)
    reply = answer(engine, "What does the team work on day to day?", 101)
    assert reply.decision.action == "answer_candidate_question"


def test_every_interviewer_turn_records_its_decision(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("dbg-auc-drop-after-retrain")
    for i, text in enumerate(WEAK[:3]):
        answer(engine, text, i + 1)
    for turn in engine.turns:
        if turn["speaker"] == "interviewer":
            assert {"action", "reason"} <= set(turn["decision"])


def test_resume_rebuilds_the_same_state(engine_for, bank: Bank, scorer: OfflineScorer) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("sd-marketplace-recs")
    for i, text in enumerate([*WEAK[:3], MARKETPLACE_STRONG[0], "What's the p99 latency budget?"]):
        answer(engine, text, i + 1)
    resumed = InterviewEngine.resume(engine.question, engine.persona, engine.turns, scorer=scorer, seed=7)
    for name in ("hints_given", "probed", "dug", "follow_ups_used", "facts_revealed", "phase"):
        assert getattr(resumed.state, name) == getattr(engine.state, name), name
    assert resumed.state.coverage == engine.state.coverage
    nxt = answer(resumed, "I'm not sure.", 7)
    assert nxt.text not in interviewer_lines(engine)


def test_one_letter_ask_only_matches_a_whole_word(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("code-two-sum")
    reply = answer(engine, "Is the input sorted?", 1)
    assert reply.decision.action == "answer_fact"
    sorted_fact = next(f for f in engine.question.facts if "sorted" in f.ask)
    size_fact = next(f for f in engine.question.facts if "size" in f.ask)
    assert sorted_fact.answer in reply.text and size_fact.answer not in reply.text


def test_an_answer_cut_off_by_a_drop_is_resumed_not_judged(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("sd-marketplace-recs")
    engine.candidate_turn(
        "First the requirements: the objective is purchases or GMV per session rather than clicks, judged by an "
        "A/B test, and I need the p99 latency budget and the requests per second before I draw",
        cut_off=True,
    )
    late = engine.question.time_box * 60 * 0.8  # when the clock would usually be mentioned
    reply = engine.respond(elapsed=late, command="resume")
    assert reply.decision.action == "resume"
    assert reply.text.startswith("Sorry, we lost the connection")  # the clock can wait for the next turn
    assert "“…and the requests per second before I draw”" in reply.text
    # What was said before the drop is kept and judged with the rest of the answer.
    assert any(t["speaker"] == "candidate" and "purchases or GMV" in t["text"] for t in engine.turns)
    assert "requirements" in engine.state.coverage


def test_each_question_of_a_turn_gets_its_fact(engine_for) -> None:  # type: ignore[no-untyped-def]
    engine = engine_for("code-two-sum")
    facts = engine.question.facts
    sorted_fact = next(f for f in facts if "sorted" in f.ask)
    repeat_fact = next(f for f in facts if "duplicates" in f.ask)
    range_fact = next(f for f in facts if "negative" in f.ask)
    reply = answer(engine, "Is the input sorted?\nAnd can values repeat?", 1)
    assert reply.decision.action == "answer_fact"
    assert sorted_fact.answer in reply.text and repeat_fact.answer in reply.text
    # "values" is an ask word of two facts: alone it points at neither, so the range stays unsaid.
    assert range_fact.answer not in reply.text


def test_cutting_in_makes_the_usual_move_as_an_interruption(engine_for) -> None:  # type: ignore[no-untyped-def]
    text = "I would collect click logs and purchases as labels and train a gradient boosted ranker on them"
    plain, cut = engine_for("sd-marketplace-recs"), engine_for("sd-marketplace-recs")
    plain.candidate_turn(text)
    cut.candidate_turn(text)
    usual = plain.respond(elapsed=120)
    reply = cut.respond(elapsed=120, command="interrupt")
    assert reply.decision.action == usual.decision.action  # the policy's move is unchanged
    assert any(reply.text.startswith(line) for line in cut.persona.cut_in_lines)
    assert cut.turns[-1]["decision"]["cut_in"] is True and cut.state.coverage == plain.state.coverage


def test_patience_follows_the_persona_and_the_round() -> None:
    from interviewers.personas import personas

    limits = {p.name: p.monologue_limit() for p in personas().values()}
    assert limits["sam"] > 180  # a behavioral story may take three minutes
    assert limits["priya"] < limits["maya"]  # the demanding design interviewer cuts in first


def test_a_specific_answer_after_every_probe_gets_no_unasked_hint(engine_for) -> None:  # type: ignore[no-untyped-def]
    # Everything has been asked and the rubric credits little: a vague line opens the problem up with a hint, but
    # a specific answer of some length is not someone floundering, whatever the rubric made of it.
    for text, hinted in (
        ("Hmm, I guess I'd look at the index again maybe.", True),
        (
            "For the fix, I'd point the alias back to the previous index snapshot right away, then re-embed the wiki "
            "with the same model the query side uses, or upgrade both sides together.",
            False,
        ),
    ):
        engine = engine_for("dbg-rag-reindex-regression")
        engine.state.probed = {m.id for m in engine.question.milestones}
        engine.state.follow_ups_used = set(range(len(engine.question.follow_ups)))
        reply = answer(engine, text, 3)
        assert (reply.decision.action == "hint") is hinted, (text, reply.decision)
