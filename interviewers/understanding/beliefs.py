"""A question's misconceptions as vectors, and how close a candidate's sentences come to each.

Each belief has its wordings (the claim and its variants: wrong) and what is right on the same topic
(its truths, and the statement of the milestone it gets wrong); the question as a whole has everything
right it holds. claims.py decides from these similarities which sentences state a belief.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from interviewers.scoring.embedding import MiniLM
from interviewers.scoring.matching import milestone_facets, milestone_statement
from interviewers.scoring.text import content_stems, stem
from question_bank.schema import Question

# A sentence that negates where the claim affirms (or the reverse) may deny it: "the kernel trick avoids
# computing the feature map" is not "the kernel trick computes the feature map", however close the words.
NEGATION = re.compile(
    r"\b(not|no|never|none|nothing|cannot|without|neither|nor|avoid(s|ed|ing)?|rather than|instead of|"
    r"hardly|rarely|seldom|hard to)\b|n't\b",
    re.I,
)

Matrix = NDArray[np.float32]


def negates(text: str) -> bool:
    return bool(NEGATION.search(text))


@dataclass(frozen=True)
class Belief:
    """One misconception's vectors: its wordings (wrong) and what is right on the same topic."""

    wrong: Matrix
    wrong_negated: NDArray[np.bool_]  # per wording: whether it negates
    right: Matrix  # its truths and premises, and the statement and facets of the milestone it gets wrong
    right_milestone: NDArray[np.bool_]  # per row of `right`: a statement or facet of the milestone, not a truth
    right_premise: NDArray[np.bool_]  # per row of `right`: a premise (right, but no correction of the belief)
    right_negates: NDArray[np.bool_]  # per row of `right`: whether it negates
    # Content words its wordings use and no correct text of the question does (prompt, facts, milestones,
    # truths, and the interviewer's own probes and follow-ups): what makes it wrong ("always", "INT_MAX",
    # "optimal"), not what the problem is about ("tune", which the probe "what do you tune to control it?" uses).
    wrong_words: frozenset[str]
    # A linear stance model: positive where a sentence reads as this belief rather than as anything right the
    # question holds or as another belief (weights over the sentence vector, then the bias).
    stance: Matrix
    stance_bias: float


@dataclass(frozen=True)
class References:
    beliefs: list[Belief]
    correct: Matrix  # everything right the question holds: milestones, facets, every truth
    correct_milestone: NDArray[np.bool_]  # as `right_milestone`
    correct_negates: NDArray[np.bool_]  # as `right_negates`


# Per misconception: its wordings, its truths and the text of the milestone it gets wrong; then the texts
# of all milestones. A hashable key, so a question's vectors are computed once.
_Key = tuple[tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str], ...], tuple[str, ...], str]


def _key(question: Question) -> _Key:
    beliefs = tuple(
        (
            (m.claim, *m.variants),
            tuple(m.truths),
            tuple(m.premises),
            question.milestone(m.milestone).text if m.milestone else "",
        )
        for m in question.misconceptions
    )
    asked = [*(m.probe or "" for m in question.milestones), *(f.text for f in question.follow_ups)]
    topic = " ".join([question.prompt, *(f.answer for f in question.facts), *asked])
    return beliefs, tuple(ms.text for ms in question.milestones), topic


def _statements(milestone: str) -> list[str]:
    return [milestone_statement(milestone), *milestone_facets(milestone)] if milestone else []


def _stems(texts: Iterable[str]) -> frozenset[str]:
    return frozenset(stem for text in texts for stem in content_stems(text))


# Words that carry no claim however rarely the question's correct texts use them ("you know", "I mean").
_DISCOURSE = frozenset(
    stem(w)
    for w in (
        "know",
        "mean",
        "guess",
        "think",
        "honestly",
        "literally",
        "stuff",
        "anyway",
        "couple",
        "i'll",
        "there's",
        "we'll",
        "it'll",
    )
)


@lru_cache(maxsize=256)
def _vectors(encoder: MiniLM, key: _Key) -> References:
    beliefs, milestones, question_topic = key
    # Words any correct text of the question uses (prompt, facts, probes, follow-ups, milestones, every truth
    # and premise).
    all_truths = [t for _, truths, premises, _ in beliefs for t in (*truths, *premises)]
    right_words = _stems([question_topic, *milestones, *all_truths])
    statements = [x for text in milestones for x in _statements(text)]
    texts = statements + all_truths
    correct = encoder.encode(texts)
    wrong = [encoder.encode(list(wordings)) for wordings, _, _, _ in beliefs]
    out = []
    for k, (wordings, truths, premises, milestone) in enumerate(beliefs):
        right = [*truths, *premises, *_statements(milestone)]
        row = np.arange(len(right))
        others = [w for j, w in enumerate(wrong) if j != k]
        weights, bias = fit_stance(wrong[k], np.vstack([correct, *others]))
        out.append(
            Belief(
                wrong=wrong[k],
                wrong_negated=np.array([negates(w) for w in wordings]),
                right=encoder.encode(right) if right else np.zeros((0, 384), np.float32),
                right_milestone=row >= len(truths) + len(premises),
                right_premise=(row >= len(truths)) & (row < len(truths) + len(premises)),
                right_negates=np.array([negates(t) for t in right], dtype=bool),
                wrong_words=_stems(wordings) - right_words - _DISCOURSE,
                stance=weights,
                stance_bias=bias,
            )
        )
    return References(
        out,
        correct,
        np.arange(len(texts)) < len(statements),
        np.array([negates(t) for t in texts], dtype=bool),
    )


# How hard the stance model is pulled toward zero weights (the inverse of scikit-learn's C): a belief has some
# 25 wordings against a few hundred right or other texts in 384 dimensions (0.03 and 0.1 tie on the tuning half
# with 25; 0.3 and 1 catch fewer).
STANCE_L2 = 0.1
STANCE_STEPS = 30


def fit_stance(wrong: Matrix, other: Matrix) -> tuple[Matrix, float]:
    """An L2-regularised logistic regression of `wrong` (1) against `other` (0), the two classes weighted equally.

    Cosine to the nearest wording cannot tell a belief from a correct sentence in the same words ("accuracy tells
    you nothing here" sits 0.75 from "let's evaluate on accuracy"); a direction learned from all the belief's
    wordings against everything right about the question can. Fitted by Newton's method (a few dozen rows, 385
    unknowns: each step is one small linear solve).
    """
    x = np.hstack([np.vstack([wrong, other]).astype(np.float64), np.ones((len(wrong) + len(other), 1))])
    y = np.r_[np.ones(len(wrong)), np.zeros(len(other))]
    weight = np.r_[np.full(len(wrong), 0.5 / max(len(wrong), 1)), np.full(len(other), 0.5 / max(len(other), 1))]
    penalty = np.full(x.shape[1], STANCE_L2 / len(y))
    penalty[-1] = 0.0  # the bias is not shrunk
    theta = np.zeros(x.shape[1])
    for _ in range(STANCE_STEPS):
        p = 1.0 / (1.0 + np.exp(-(x @ theta)))
        gradient = x.T @ (weight * (p - y)) + penalty * theta
        hessian = (x * (weight * p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < 1e-6:
            break
    return theta[:-1].astype(np.float32), float(theta[-1])


def references(encoder: MiniLM, question: Question) -> References:
    return _vectors(encoder, _key(question))


def _best(sims: Matrix, usable: NDArray[np.bool_] | None = None) -> NDArray[np.float64]:
    """Per row, the best similarity among usable columns; -1 where none is."""
    if not sims.shape[1]:
        return np.full(len(sims), -1.0)
    values = sims if usable is None else np.where(usable, sims, -1.0)
    out: NDArray[np.float64] = values.max(axis=1).astype(np.float64)
    return out


def _agreeing(sims: Matrix, negates_: NDArray[np.bool_], negated: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Per sentence, the best similarity to a truth it could be saying.

    A truth of the opposite sense ("there can still be skew" against "skew can't happen") is the sentence's
    negation however close its words, so it does not count.
    """
    return _best(sims, negates_[None, :] == negated[:, None])


@dataclass(frozen=True)
class Similarities:
    """How close each sentence comes to each belief, and to what is right (sentences, or sentences × beliefs)."""

    wording: NDArray[np.float64]  # × beliefs: the nearest of the belief's wordings
    same_sense: NDArray[np.float64]  # × beliefs: the nearest that negates where the sentence does (or neither does)
    own_milestone: NDArray[np.float64]  # × beliefs: the statement or a facet of the milestone the belief gets wrong
    truth: NDArray[np.float64]  # the nearest truth of any belief the sentence could be saying (same sense)
    milestone: NDArray[np.float64]  # the nearest statement or facet of any milestone
    wrong_words: NDArray[np.bool_]  # × beliefs: whether the sentence uses a word of the belief's own
    stance: NDArray[np.float64]  # × beliefs: the stance model's log-odds that the sentence states the belief


def similarities(texts: list[str], vectors: Matrix, negated: NDArray[np.bool_], refs: References) -> Similarities:
    shape = (len(vectors), len(refs.beliefs))
    stems = [frozenset(content_stems(t)) for t in texts]
    wrong_words = np.array([[bool(s & b.wrong_words) for b in refs.beliefs] for s in stems], dtype=bool)
    wording, same_sense, own = np.full(shape, -1.0), np.full(shape, -1.0), np.full(shape, -1.0)
    stance = np.zeros(shape)
    for k, belief in enumerate(refs.beliefs):
        wrong = vectors @ belief.wrong.T
        wording[:, k] = _best(wrong)
        same_sense[:, k] = _best(wrong, negated[:, None] == belief.wrong_negated[None, :])
        stance[:, k] = vectors @ belief.stance + belief.stance_bias
        own[:, k] = _best(vectors @ belief.right.T, _topic(belief.right_milestone, belief.right_negates, negated))
    correct = vectors @ refs.correct.T
    milestones = refs.correct_milestone
    truth = _agreeing(correct[:, ~milestones], refs.correct_negates[~milestones], negated)
    milestone = _best(correct, _topic(milestones, refs.correct_negates, negated))
    return Similarities(wording, same_sense, own, truth, milestone, wrong_words.reshape(shape), stance)


def _topic(milestone: NDArray[np.bool_], negates_: NDArray[np.bool_], negated: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Per sentence, the milestone rows it may be saying: a milestone's statement is mostly a topic ("explains
    the bias-variance trade-off") and counts whatever the sentence's sense, unless the statement itself
    negates ("taking the largest coin is not optimal"): then only a sentence that negates can be saying it."""
    usable = milestone[None, :] & (~negates_[None, :] | negated[:, None])
    out: NDArray[np.bool_] = usable
    return out
