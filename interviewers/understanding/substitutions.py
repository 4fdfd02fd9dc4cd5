"""The wrong one of two alternatives: "the loss is mean squared error" where the milestone says cross-entropy.

Embeddings put a sentence that names the wrong alternative right next to the milestone that names the
right one (same topic, same structure), so the scorer credited it and the interviewer nodded along.
The check is symbolic: for pairs of alternatives that ML answers confuse (a regression loss for a
classifier, ROC-AUC where positives are rare, a random split for data that moves in time), a sentence
on a milestone's topic that names one side, when the milestone names only the other, says something
the milestone contradicts. A sentence that names both sides, or sets one against the other ("rather than MSE"),
is comparing them, not choosing the wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from interviewers.scoring.embedding import MiniLM
from interviewers.scoring.matching import milestone_facets, milestone_statement
from interviewers.understanding.beliefs import NEGATION
from question_bank.schema import Question

# (the side a wrong answer names, the side a milestone names); each side lists its synonyms.
ALTERNATIVES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("mean squared error", "squared error", "mse", "squared loss"),
        ("cross-entropy", "cross entropy", "log loss", "log-loss", "logistic loss", "negative log-likelihood"),
    ),
    (
        ("roc-auc", "roc auc", "auc-roc", "auroc", "area under the roc"),
        ("pr-auc", "pr auc", "auprc", "average precision", "precision-recall curve", "area under the precision"),
    ),
    (
        (
            "random split",
            "randomly split",
            "split randomly",
            "split the data randomly",
            "random train-test split",
            "random holdout",
            "shuffled split",
        ),
        (
            "time-based split",
            "split by time",
            "by time",
            "by date",
            "time-ordered",
            "temporal split",
            "chronological",
            "out-of-time",
            "time split",
            "forward in time",
        ),
    ),
)
# A sentence this far from the milestone's statement and facets is not about the question's subject at all.
SAME_TOPIC = 0.25
# Words that set the two sides against each other or judge the one named: a comparison, not a choice.
_CONTRAST = re.compile(
    r"\b(vs\.?|versus|unlike|compared|than|misleading|useless|hides?|wrong|bad|poor|instead)\b", re.I
)


def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternation})(?![\w-])", re.I)


_PATTERNS = [(_pattern(wrong), _pattern(right)) for wrong, right in ALTERNATIVES]


@dataclass(frozen=True)
class Substitution:
    milestone: int  # index into question.milestones
    said: str  # the alternative the sentence names
    meant: str  # the one the milestone names
    similarity: float


def _sides(text: str, pair: int) -> tuple[re.Match[str] | None, re.Match[str] | None]:
    wrong, right = _PATTERNS[pair]
    return wrong.search(text), right.search(text)


def substitution(encoder: MiniLM, question: Question, sentence: str) -> Substitution | None:
    """The milestone whose alternative the sentence swaps for the other one, if any."""
    # A story's results are not design choices: "median latency fell to 80 ms" contradicts nothing.
    if question.round == "behavioral" or NEGATION.search(sentence) or _CONTRAST.search(sentence):
        return None
    found: list[tuple[int, re.Match[str], str]] = []
    for pair in range(len(ALTERNATIVES)):
        said, other = _sides(sentence, pair)
        if said is None or other is not None:
            continue
        sides = [_sides(m.text, pair) for m in question.milestones]
        if any(wrong is not None and right is None for wrong, right in sides):
            continue  # the side named is right somewhere in this question (a regression loss for its ETA model)
        found += [(j, said, right.group(0)) for j, (wrong, right) in enumerate(sides) if right and not wrong]
    if not found:
        return None
    # The pair names the topic (a training loss, an offline metric, a split), so a sentence that names one
    # side is on it; of the milestones that name the other side, it contradicts the one it is nearest.
    vector = encoder.encode([sentence])[0]
    nearness = [_nearness(encoder, question.milestones[j].text, vector) for j, _, _ in found]
    best = int(np.argmax(nearness))
    if nearness[best] < SAME_TOPIC:
        return None
    j, said, meant = found[best]
    return Substitution(j, said.group(0), meant, nearness[best])


def _nearness(encoder: MiniLM, milestone: str, vector: NDArray[np.float32]) -> float:
    statements = [milestone_statement(milestone), *milestone_facets(milestone)]
    return float(np.max(encoder.encode(statements) @ vector))


def corrects(said: str, text: str) -> bool:
    """Whether a later sentence names the right alternative in place of `said` ("sorry, cross-entropy")."""
    return any(wrong.fullmatch(said) and right.search(text) and not wrong.search(text) for wrong, right in _PATTERNS)
