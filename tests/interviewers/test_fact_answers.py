"""A clarifying question gets the facts it asks for: no neighbour of them, nothing where no fact covers it.

Every wording here is new (not in the bank's examples nor in the benchmark's scripts); the cases follow the
drill review's findings: a second, unasked fact that gives the root cause away, a fact about something near
the question answered in its place, and a stuck candidate's thinking aloud answered with the method.
"""

from __future__ import annotations

import pytest

from interviewers.engine import InterviewEngine, Reply
from interviewers.personas import persona_for_round
from interviewers.scoring.offline import OfflineScorer
from interviewers.understanding.facts import match_facts, question_parts
from question_bank.loader import Bank
from question_bank.schema import Question


def fact_index(question: Question, ask: str) -> int:
    return next(i for i, f in enumerate(question.facts) if ask in f.ask)


def asked(bank: Bank, scorer: OfflineScorer, question_id: str, text: str) -> list[int]:
    return [m.fact for m in match_facts(bank.get(question_id), [text], scorer.encoder)]


def say(bank: Bank, scorer: OfflineScorer, question_id: str, text: str) -> Reply:
    question = bank.get(question_id)
    engine = InterviewEngine(question, persona_for_round(question.round), scorer=scorer, seed=5)
    engine.opening()
    engine.candidate_turn(text)
    return engine.respond(elapsed=60)


# -- one question, one fact: not its neighbours -------------------------------------------------------------


@pytest.mark.parametrize(
    ("question_id", "text", "ask"),
    [
        # The recall table beside the pipeline change gives the root cause away.
        (
            "dbg-rag-reindex-regression",
            "Was the rebuilt index made with a different embedding model or different chunk sizes?",
            "re-index",
        ),
        ("sd-tool-agent", "Which of the actions can't be taken back once done?", "irreversible"),
        ("mlcode-top-p-sampling", "Could I ever be handed a temperature of zero?", "temperature zero"),
    ],
)
def test_a_question_gets_its_fact_and_no_neighbour(
    bank: Bank, scorer: OfflineScorer, question_id: str, text: str, ask: str
) -> None:
    assert asked(bank, scorer, question_id, text) == [fact_index(bank.get(question_id), ask)]


def test_the_recall_table_is_not_given_with_the_pipeline_change(bank: Bank, scorer: OfflineScorer) -> None:
    question = bank.get("dbg-rag-reindex-regression")
    reply = say(
        bank, scorer, question.id, "So did the rebuild switch embedding models, or change how pages get chunked?"
    )
    assert reply.decision.action == "answer_fact"
    assert reply.decision.extra["facts"] == [fact_index(question, "re-index")]
    assert "Recall@10" not in reply.text and "0.04" not in reply.text


def test_an_alternative_is_one_question_not_two(bank: Bank, scorer: OfflineScorer) -> None:
    assert question_parts("Is the corpus already split into words, or do I get raw text?") == [
        "Is the corpus already split into words, or do I get raw text?"
    ]
    assert question_parts("How big is the corpus, and has it been split into words?") == [
        "How big is the corpus",
        "has it been split into words?",
    ]


# -- nothing covers it: no fact, an assumption ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("question_id", "text"),
    [
        (
            "sd-tool-agent",
            "Is there an existing content-filtering gateway that scans outgoing messages for confidential data?",
        ),
        ("sd-tool-agent", "Which programming language is the rest of the suite written in?"),
        ("dbg-rag-reindex-regression", "Does the export include page attachments like PDFs?"),
        ("mlcode-bpe-merge", "Should the merge table be saved to disk after each step?"),
        # "solution" is an ask word of the fact that a pair always exists: alone it does not make that fact cover this.
        ("code-two-sum", "Would you rather I write the solution in Go or in Kotlin?"),
    ],
)
def test_a_question_no_fact_covers_gets_no_fact(bank: Bank, scorer: OfflineScorer, question_id: str, text: str) -> None:
    assert asked(bank, scorer, question_id, text) == []


def test_the_problems_own_company_is_not_a_question_about_the_job(bank: Bank, scorer: OfflineScorer) -> None:
    text = "Does the company already have a tool that blocks confidential attachments from going to outside domains?"
    reply = say(bank, scorer, "sd-tool-agent", text)
    assert reply.decision.action == "ask_assumption"
    assert say(bank, scorer, "sd-tool-agent", "What's the team I'd join like to work with?").decision.action == (
        "answer_offscript"
    )


# -- two questions, two facts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question_id", "text", "asks"),
    [
        ("sd-tool-agent", "How many tasks a day should it handle, and how much may one task cost?", ["volume", "cost"]),
        (
            "mlcode-top-p-sampling",
            "Can the temperature be zero, and can p equal one?",
            ["temperature zero", "range of p"],
        ),
        ("mlcode-bpe-merge", "How big is the corpus, and can I change the dict I'm given?", ["corpus size", "mutate"]),
        (
            "sd-tool-agent",
            "Whose permissions does the agent act with, and has anyone tried to attack it with a malicious email?",
            ["permissions", "prompt injection"],
        ),
    ],
)
def test_a_two_part_question_gets_both_facts(
    bank: Bank, scorer: OfflineScorer, question_id: str, text: str, asks: list[str]
) -> None:
    question = bank.get(question_id)
    assert sorted(asked(bank, scorer, question_id, text)) == sorted(fact_index(question, a) for a in asks)


def test_a_part_no_fact_covers_leaves_the_other_answered(bank: Bank, scorer: OfflineScorer) -> None:
    question = bank.get("sd-tool-agent")
    text = "Does the company already run a data-loss-prevention service, and what does one model step cost us?"
    assert asked(bank, scorer, question.id, text) == [fact_index(question, "cost")]


# -- stuck, thinking aloud: a hint, not the method -----------------------------------------------------------


def test_thinking_aloud_while_stuck_gets_a_hint_not_a_fact(bank: Bank, scorer: OfflineScorer) -> None:
    reply = say(bank, scorer, "mlcode-bpe-merge", "I'm lost. I guess I should tally the neighbouring symbols?")
    assert reply.decision.action == "hint"
    question = bank.get("mlcode-bpe-merge")
    assert question.facts[fact_index(question, "overlap")].answer not in reply.text
    # Not stuck, a statement-shaped question about the problem is still asked and answered.
    plain = say(bank, scorer, "mlcode-bpe-merge", "So with a a a, the pair counts at both positions?")
    assert plain.decision.action == "answer_fact" and plain.decision.extra["facts"] == [fact_index(question, "overlap")]


# -- every part answered, in the order asked (second drill review: dbg-drift-new-market) --------------------


def test_an_ask_phrase_does_not_override_the_fact_that_covers_the_question(bank: Bank, scorer: OfflineScorer) -> None:
    # "default rate" is the calibration fact's ask phrase; the question is about the deciles, which the
    # decile fact's answer covers (it gave "As I said:" and the calibration table, already served).
    question = bank.get("dbg-drift-new-market")
    text = "Per market, how does the default rate change from the lowest score decile to the highest?"
    assert asked(bank, scorer, question.id, text) == [fact_index(question, "default by decile")]


def test_a_part_that_points_back_is_asked_about_the_sentence_before_it(bank: Bank, scorer: OfflineScorer) -> None:
    question = bank.get("dbg-drift-new-market")
    reply = say(
        bank,
        scorer,
        question.id,
        "Okay, I'll check. If I'm wrong, bad-loan rates per score decile would differ between the two countries."
        " What does that look like, and which bureau supplies the scores for Mexican applicants?",
    )
    decile, bureau = fact_index(question, "default by decile"), fact_index(question, "bureau")
    assert reply.decision.action == "answer_fact"
    assert reply.decision.extra["facts"] == [decile, bureau]  # both parts, in the order asked
    assert reply.text.index("decile") < reply.text.index("different credit bureau")
