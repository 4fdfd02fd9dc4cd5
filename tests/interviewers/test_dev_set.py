"""The scorer on the labelled dev set (benchmarks/data/scoring_dev): ordering, guards and the contract.

The dev set measures; the scorer's weights are fitted on the separate calibration set.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from benchmarks.labelled_sets import LabelledAnswer, load_set
from interviewers.scorecard import Scorecard
from interviewers.scoring.offline import OfflineScorer
from tests.interviewers.test_scorecard_contract import check_contract

F1_GOAL = 0.85  # the goal; measured 0.858 by benchmarks/scoring_quality.py


@pytest.fixture(scope="module")
def scored(scorer: OfflineScorer) -> list[tuple[LabelledAnswer, Scorecard]]:
    return [(a, scorer.score(a.question, a.transcript)) for a in load_set("scoring_dev")]


def test_every_dev_scorecard_obeys_the_contract(scored: list[tuple[LabelledAnswer, Scorecard]]) -> None:
    assert len(scored) >= 60
    for answer, card in scored:
        check_contract(card, answer.question, answer.transcript)


def test_strong_beats_medium_beats_weak_on_every_question(scored: list[tuple[LabelledAnswer, Scorecard]]) -> None:
    by_question: dict[str, dict[str, float]] = defaultdict(dict)
    for answer, card in scored:
        by_question[answer.question.id][answer.answer_id] = card.score
    assert len(by_question) >= 10
    for qid, scores in by_question.items():
        assert scores["strong"] > scores["medium"] > scores["weak"], (qid, scores)


def test_keyword_lists_and_injections_stay_low(scored: list[tuple[LabelledAnswer, Scorecard]]) -> None:
    keywords = [card.score for a, card in scored if a.kind == "keywords"]
    injections = [card.score for a, card in scored if a.kind == "injection"]
    assert keywords and max(keywords) <= 35
    assert injections and max(injections) <= 20


def test_paraphrases_earn_credit(scored: list[tuple[LabelledAnswer, Scorecard]]) -> None:
    weak = {a.question.id: card.score for a, card in scored if a.kind == "weak"}
    paraphrases = [(a, card) for a, card in scored if a.kind == "paraphrase"]
    assert len(paraphrases) >= 5
    for answer, card in paraphrases:
        credited = {m.id for m in card.milestones if m.status != "missed"}
        labelled = {mid for mid, met in answer.labels.items() if met}
        assert credited & labelled, answer.question.id
        assert card.score > weak[answer.question.id], answer.question.id
    assert sum(card.score for _, card in paraphrases) / len(paraphrases) >= 30


def test_agreement_with_the_human_grader(scored: list[tuple[LabelledAnswer, Scorecard]]) -> None:
    credit = {"met": 1.0, "partial": 0.5, "missed": 0.0}
    tp = fp = fn = 0.0
    for answer, card in scored:
        for result in card.milestones:
            p, y = credit[result.status], answer.labels[result.id]
            tp, fp, fn = tp + p * y, fp + p * (not y), fn + (1 - p) * y
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= F1_GOAL
