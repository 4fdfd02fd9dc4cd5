"""Swapped roles: "L1 spreads the weight evenly, L2 keeps one" says the truth with its two subjects exchanged.

Sentence embeddings cannot see this: all-MiniLM-L6-v2 puts "L1 keeps one, L2 spreads it" and its
reversal at cosine 0.99 of each other, so a reversal reads as the truth. The check here is symbolic:
for a pair of contrasted terms (L1 and L2, precision and recall, ...), each clause of a candidate's
sentence that names exactly one side is compared, with the term masked out, to the clauses of the
question's truths that name one side. When the closest truth clause says the same thing about the
other side, the candidate has the roles swapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from interviewers.scoring.embedding import MiniLM

# Pairs of terms that ML answers contrast, and that are easy to swap. Each side lists its synonyms.
CONTRASTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("l1", "lasso"), ("l2", "ridge")),
    (("precision",), ("recall",)),
    (("bias",), ("variance",)),
    (("overfitting", "overfits", "overfit"), ("underfitting", "underfits", "underfit")),
    (("false positives", "false positive"), ("false negatives", "false negative")),
    (("bagging", "random forest", "random forests"), ("boosting", "gradient boosting", "boosted trees")),
    (("batch norm", "batchnorm", "batch normalization"), ("layer norm", "layernorm", "layer normalization")),
    (("encoder",), ("decoder",)),
)
# How close a masked clause must be to a truth clause to be saying the same thing about its subject.
SAME_CLAIM = 0.7
# And how much closer than to any truth clause about its own side.
SIDE_MARGIN = 0.05
_CLAUSE_SPLIT = re.compile(r",?\s+(?:while|whereas|but|and)\s+|;\s*", re.I)
MASK = "it"


@dataclass(frozen=True)
class Side:
    pair: int  # index into CONTRASTS
    side: int  # 0 or 1


def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")\b", re.I)


_PATTERNS = [(_pattern(a), _pattern(b)) for a, b in CONTRASTS]


def clauses(text: str) -> list[str]:
    return [c.strip(" ,.") for c in _CLAUSE_SPLIT.split(text) if c and c.strip(" ,.")]


def side_of(clause: str) -> tuple[Side, str] | None:
    """The one contrasted term a clause names, and the clause with it masked; None when none or both."""
    found = []
    for i, (a, b) in enumerate(_PATTERNS):
        in_a, in_b = bool(a.search(clause)), bool(b.search(clause))
        if in_a != in_b:
            found.append((Side(i, 0 if in_a else 1), (a if in_a else b).sub(MASK, clause)))
    return found[0] if len(found) == 1 else None


@lru_cache(maxsize=256)
def _truth_clauses(encoder: MiniLM, truths: tuple[tuple[int, str], ...]) -> tuple[list[tuple[int, Side]], np.ndarray]:
    """(belief index, side) and the masked vectors of every one-sided clause of the truths."""
    owners: list[tuple[int, Side]] = []
    masked: list[str] = []
    for belief, truth in truths:
        for clause in clauses(truth):
            sided = side_of(clause)
            if sided:
                owners.append((belief, sided[0]))
                masked.append(sided[1])
    return owners, encoder.encode(masked) if masked else np.zeros((0, 384), np.float32)


def swapped_belief(encoder: MiniLM, truths: tuple[tuple[int, str], ...], sentence: str) -> int | None:
    """The belief whose truth the sentence states with its contrasted subjects swapped, if any."""
    owners, vectors = _truth_clauses(encoder, truths)
    if not owners:
        return None
    for clause in clauses(sentence):
        sided = side_of(clause)
        if not sided:
            continue
        side, masked = sided
        sims = vectors @ encoder.encode([masked])[0]
        same = [j for j, (_, s) in enumerate(owners) if s.pair == side.pair and s.side == side.side]
        other = [j for j, (_, s) in enumerate(owners) if s.pair == side.pair and s.side != side.side]
        if not other:
            continue
        best_other = max(other, key=lambda j: sims[j])
        own = max((float(sims[j]) for j in same), default=0.0)
        if sims[best_other] >= SAME_CLAIM and sims[best_other] >= own + SIDE_MARGIN:
            return owners[best_other][0]
    return None
