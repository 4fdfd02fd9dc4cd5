"""Every shipped question loads, meets the editorial bar, and the bank covers each round."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from question_bank.leaks import line_leaks
from question_bank.loader import SHIPPED_DIR, load_bank, parse_question
from question_bank.loops import load_loops
from question_bank.quality import quality_problems
from question_bank.schema import Round

SHIPPED_FILES = sorted(SHIPPED_DIR.rglob("*.yaml"))
MINIMUM_PER_ROUND: dict[Round, int] = {
    "coding": 12,
    "ml_fundamentals": 15,
    "debugging": 8,
    "system_design": 8,
    "behavioral": 10,
}


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: p.stem)
def test_shipped_file_loads_and_meets_the_bar(path: Path) -> None:
    question = parse_question(path)
    assert path.stem == question.id, "file name must be the question id"
    assert path.parent.name == question.round, "file must sit in its round's folder"
    assert quality_problems(question) == []


def test_every_round_has_enough_questions() -> None:
    counts = Counter(q.round for q in load_bank().questions.values())
    for round_, minimum in MINIMUM_PER_ROUND.items():
        assert counts[round_] >= minimum, f"{round_}: {counts[round_]} < {minimum}"


def test_ml_from_scratch_coding_questions_exist() -> None:
    scratch = [q for q in load_bank().questions.values() if "ml-from-scratch" in q.tags]
    assert len(scratch) >= 4
    assert all(q.round == "coding" for q in scratch)


def test_system_design_milestones_start_with_requirements() -> None:
    for question in load_bank().by_round("system_design"):
        assert question.milestones[0].id.startswith("requirements"), question.id
        cues = " ".join([*question.milestones[0].cues, question.milestones[0].text]).lower()
        assert "latency" in cues, f"{question.id}: requirements must ask for the latency budget"


def test_every_loop_part_can_be_filled_from_the_bank() -> None:
    questions = list(load_bank().questions.values())
    loops = load_loops()
    assert {"phone-screen", "onsite", "llm-onsite"} <= set(loops)
    for loop in loops.values():
        for part in loop.parts:
            fitting = [q for q in questions if part.admits(q)]
            assert len(fitting) >= part.count, f"{loop.id}/{part.title}: {len(fitting)} < {part.count}"


def test_the_llm_onsite_draws_its_ml_rounds_from_the_llm_questions() -> None:
    questions = list(load_bank().questions.values())
    llm = load_loops()["llm-onsite"]
    rounds = {part.round for part in llm.parts}
    assert rounds == {"coding", "ml_fundamentals", "debugging", "system_design", "behavioral"}
    for part in llm.parts:
        fitting = {q.id for q in questions if part.admits(q)}
        if part.round in ("ml_fundamentals", "debugging", "system_design"):
            assert fitting and all("llm" in load_bank().get(q).tags for q in fitting), part.title
    from_scratch = next(p for p in llm.parts if "ml-from-scratch" in p.tags)
    assert {"mlcode-kv-cache-attention", "mlcode-top-p-sampling", "mlcode-bpe-merge"} <= {
        q.id for q in questions if from_scratch.admits(q)
    }


def test_a_coding_question_s_signature_is_its_public_interface_not_a_leak() -> None:
    # "ask_code" hands the signature over, and it names what the interface needs ("None when no pair is left").
    for question in load_bank().by_round("coding"):
        if question.signature:
            assert line_leaks(question, f"Use this signature: {question.signature}") == [], question.id


def test_a_milestone_without_examples_falls_short_of_the_bar() -> None:
    question = load_bank().get("mlf-l1-vs-l2")
    first = question.milestones[0].model_copy(update={"examples": question.milestones[0].examples[:2]})
    thin = question.model_copy(update={"milestones": [first, *question.milestones[1:]]})
    assert quality_problems(question) == []
    assert quality_problems(thin) == [f"milestones with fewer than 3 examples: {first.id}"]
