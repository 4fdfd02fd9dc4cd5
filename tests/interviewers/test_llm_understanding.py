"""With an LLM configured it reads each turn in one JSON call, checked like the judge's output (litellm mock)."""

from __future__ import annotations

import json

import pytest

from benchmarks.interviewer_harness import Harness, Script
from interviewers.engine import InterviewEngine
from interviewers.llm import LLMClient
from interviewers.personas import persona_for_round
from interviewers.scoring.offline import OfflineScorer
from question_bank.loader import Bank


def engine_with(bank: Bank, scorer: OfflineScorer, reply: object, question_id: str) -> InterviewEngine:
    question = bank.get(question_id)
    client = LLMClient("openai/gpt-4o-mini", timeout=5, extra={"mock_response": reply})
    engine = InterviewEngine(question, persona_for_round(question.round), scorer=scorer, llm=client, seed=3)
    engine.opening()
    return engine


def test_the_llm_finds_the_fact_a_question_asks_for_in_any_words(bank: Bank, scorer: OfflineScorer) -> None:
    question = bank.get("mlf-classification-metrics")
    rare = next(i for i, f in enumerate(question.facts) if "how rare" in f.ask)
    engine = engine_with(bank, scorer, json.dumps({"acts": ["clarify"], "facts": [rare]}), question.id)
    engine.candidate_turn("How often does the bad thing actually happen?")
    reply = engine.respond(elapsed=30)
    assert reply.decision.action == "answer_fact" and reply.decision.extra["facts"] == [rare]
    assert engine.turns[-1]["decision"]["understood"]["source"] == "llm"
    assert question.facts[rare].answer in reply.text  # the phrasing fell back offline (the mock is JSON)


def test_the_llm_names_a_misconception_with_a_real_quote(bank: Bank, scorer: OfflineScorer) -> None:
    question = bank.get("mlf-l1-vs-l2")
    said = "Honestly the lasso only zeroes things because it hits big weights harder."
    verdict = {"acts": ["answer"], "misconceptions": [{"index": 0, "quote": "it hits big weights harder"}]}
    engine = engine_with(bank, scorer, json.dumps(verdict), question.id)
    engine.candidate_turn(said)
    reply = engine.respond(elapsed=30)
    assert reply.decision.action == "challenge" and reply.decision.extra["misconception"] == 0
    assert (question.misconceptions[0].challenge or "") in reply.text


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("this is not json", "was not JSON"),
        (json.dumps({"acts": ["dance"]}), "names no known act"),
        (json.dumps({"facts": [0]}), "no 'acts' list"),
    ],
)
def test_an_unusable_reading_falls_back_to_the_offline_one(
    bank: Bank, scorer: OfflineScorer, raw: str, why: str
) -> None:
    engine = engine_with(bank, scorer, raw, "code-two-sum")
    engine.candidate_turn("Can you give me a hint?")
    reply = engine.respond(elapsed=30)
    understood = engine.turns[-1]["decision"]["understood"]
    assert understood["source"] == "offline" and why in understood["fallback"]
    assert reply.decision.action == "hint"  # the offline reading decided


def test_invented_ids_and_quotes_are_dropped(bank: Bank, scorer: OfflineScorer) -> None:
    question = bank.get("mlf-l1-vs-l2")
    verdict = {
        "acts": ["answer"],
        "facts": [99, "0", True],
        "milestones": [{"id": "penalties", "status": "met", "quote": "words the candidate never said"}],
        "misconceptions": [{"index": 42, "quote": "L1"}, {"index": 0, "quote": "never said this"}],
    }
    engine = engine_with(bank, scorer, json.dumps(verdict), question.id)
    engine.candidate_turn("L1 and L2 are both penalties.")
    reply = engine.respond(elapsed=30)
    assert reply.decision.action not in ("answer_fact", "challenge")
    assert engine.state.coverage["penalties"] != "met" or "never said" not in str(engine.turns)


def test_a_failing_provider_costs_one_reading_not_the_turn(bank: Bank, scorer: OfflineScorer) -> None:
    import litellm

    timeout = litellm.exceptions.Timeout(message="deadline exceeded", model="gpt-4o-mini", llm_provider="openai")
    engine = engine_with(bank, scorer, timeout, "sd-marketplace-recs")
    engine.candidate_turn("What's the p99 latency budget for the home page?")
    reply = engine.respond(elapsed=30)
    assert reply.decision.action == "answer_fact"
    fallback = engine.turns[-1]["decision"]["understood"]["fallback"]
    assert "Timeout" in fallback and "deadline exceeded" not in fallback  # the kind of error, not its text


def test_the_harness_runs_with_a_mocked_llm(bank: Bank, scorer: OfflineScorer) -> None:
    """The benchmark's own code path with an LLM: here every reading says 'the candidate asks for fact 1'."""
    question = bank.get("code-two-sum")
    client = LLMClient(
        "openai/gpt-4o-mini", timeout=5, extra={"mock_response": json.dumps({"acts": ["clarify"], "facts": [1]})}
    )
    script = Script(question.id, [(1, "Could the numbers be below zero?")], [], ["a"] * 3, ["b"] * 2, ["c"] * 2)
    report = Harness(bank, scorer, client).run({question.id: script})
    assert report.clarify.rate == 1.0
