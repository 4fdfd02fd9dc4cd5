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
from interviewers.scoring.text import content_stems
from interviewers.understanding.beliefs import negates

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
# Below that margin, a clause this close to a truth's clauses is about that truth, and its words decide the side.
SAME_TOPIC = 0.5
# And each side's clauses must have this many words of their own ("won't" alone is no statement about bias).
MIN_MARKERS = 2
_PARENTHESES = re.compile(r"\s*\([^)]*\)")  # "L1 (lasso) as adding ...": the aside would be masked as noise
MASK = "it"


@dataclass(frozen=True)
class Side:
    pair: int  # index into CONTRASTS
    side: int  # 0 or 1


def _alternation(terms: tuple[str, ...]) -> str:
    return "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))


def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"\b({_alternation(terms)})\b", re.I)


_PATTERNS = [(_pattern(a), _pattern(b)) for a, b in CONTRASTS]


# "precision and recall" names both sides in one phrase: not a joint between two clauses.
_BOTH = [
    re.compile(rf"\b({_alternation(x)})\s+(?:and|or)\s+({_alternation(y)})\b", re.I)
    for a, b in CONTRASTS
    for x, y in ((a, b), (b, a))
]


_ANY_TERM = _alternation(tuple(t for a, b in CONTRASTS for t in (*a, *b)))
# Joints between clauses; "and" only where the next clause names a contrasted term ("..., and L2 adds"),
# not inside a phrase ("the gap between the average prediction and the truth").
_CLAUSE_SPLIT = re.compile(rf",?\s+(?:while|whereas|but)\s+|,?\s+and\s+(?=(?:{_ANY_TERM})\b)|;\s*", re.I)


def clauses(text: str) -> list[str]:
    for both in _BOTH:
        text = both.sub(lambda m: f"{m.group(1)} & {m.group(2)}", text)
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
def _truth_clauses(
    encoder: MiniLM, truths: tuple[tuple[int, str], ...]
) -> tuple[list[tuple[int, Side]], np.ndarray, list[frozenset[str]], list[bool]]:
    """(owner, side), the masked vectors, content stems and sense (negates) of every one-sided clause of the truths."""
    owners: list[tuple[int, Side]] = []
    masked: list[str] = []
    for owner, truth in truths:
        for clause in clauses(_PARENTHESES.sub("", truth)):
            sided = side_of(clause)
            if sided:
                owners.append((owner, sided[0]))
                masked.append(sided[1])
    vectors = encoder.encode(masked) if masked else np.zeros((0, 384), np.float32)
    return owners, vectors, [frozenset(content_stems(m)) for m in masked], [negates(m) for m in masked]


def _markers(
    owners: list[tuple[int, Side]], stems: list[frozenset[str]], owner: int, side: Side
) -> tuple[frozenset[str], frozenset[str]]:
    """Words only one side's clauses of this truth use ("absolute" for L1, "squared" for L2)."""
    mine: set[str] = set()
    theirs: set[str] = set()
    for (o, s), words_ in zip(owners, stems, strict=True):
        if o == owner and s.pair == side.pair:
            (mine if s.side == side.side else theirs).update(words_)
    return frozenset(mine - theirs), frozenset(theirs - mine)


@dataclass(frozen=True)
class Reading:
    """What one clause of a sentence says of a truth: the truth's owner, and whether its subjects are swapped."""

    owner: int
    swapped: bool
    said: str  # the contrasted term the clause names
    other: str  # the term it should have named, when swapped
    similarity: float = 0.0  # of the masked clause to the truth clause it matches


def readings(
    encoder: MiniLM, truths: tuple[tuple[int, str], ...], sentence: str, sensed: bool = False
) -> list[Reading]:
    """Per one-sided clause that says the same thing as a truth clause: whose truth, and about which side.

    `truths` pairs an owner (a misconception's index, a milestone's) with a correct sentence. With `sensed`, a truth
    clause of the opposite sense is the clause's negation, however close its words: "L1 does not share the weight
    evenly" says nothing of which side "L1 keeps them all with equal weights" is about. (Only for the short truths
    of misconceptions: a milestone's clause negates in a trailing aside, "the intercept usually not penalized".)
    """
    owners, vectors, stems, negated = _truth_clauses(encoder, truths)
    out: list[Reading] = []
    if not owners:
        return out
    for clause in clauses(sentence):
        sided = side_of(clause)
        if not sided:
            continue
        side, masked = sided
        sims = vectors @ encoder.encode([masked])[0]
        sense = negates(masked)
        alike = [s.pair == side.pair and (n == sense or not sensed) for (_, s), n in zip(owners, negated, strict=True)]
        same = [j for j, (_, s) in enumerate(owners) if alike[j] and s.side == side.side]
        other = [j for j, (_, s) in enumerate(owners) if alike[j] and s.side != side.side]
        best_same = max(same, key=lambda j: sims[j], default=None)
        best_other = max(other, key=lambda j: sims[j], default=None)
        own = float(sims[best_same]) if best_same is not None else 0.0
        theirs = float(sims[best_other]) if best_other is not None else 0.0
        said = _PATTERNS[side.pair][side.side].search(clause)
        term, meant = (said.group(0) if said else ""), CONTRASTS[side.pair][1 - side.side][0]
        if best_other is not None and theirs >= SAME_CLAIM and theirs >= own + SIDE_MARGIN:
            out.append(Reading(owners[best_other][0], True, term, meant, theirs))
        elif best_same is not None and own >= SAME_CLAIM and own >= theirs + SIDE_MARGIN:
            out.append(Reading(owners[best_same][0], False, term, "", own))
        elif best_other is not None and theirs >= SAME_TOPIC and theirs > own:
            # Leaning to the other side but too close to call by meaning ("adds the squared weights" against
            # "adds the absolute weights"): the words only one side's clauses use decide, when the clause
            # uses the other side's and none of its own.
            owner = owners[best_other][0]
            mine, theirs_words = _markers(owners, stems, owner, side)
            used = set(content_stems(masked))
            if min(len(mine), len(theirs_words)) < MIN_MARKERS:
                continue  # the truth does not say something of each side, so there is nothing to swap
            # Only a swap is read from words: agreeing by a shared word or two is too weak to correct a claim.
            if used & theirs_words and not used & mine:
                out.append(Reading(owner, True, term, meant, theirs))
    return out


def swapped_belief(
    encoder: MiniLM, truths: tuple[tuple[int, str], ...], sentence: str, cautious: bool = False
) -> Reading | None:
    """The first truth the sentence states with its contrasted subjects swapped, if any.

    A sentence whose other clause states the same truth the right way round is not read as a swap. With `cautious`
    (against the misconceptions' many truths, whose words a correct sentence shares by chance), nor is one that
    contrasts both sides where only a weak reading says swapped: "moving weight between the copies costs L2 more
    when it's uneven, while L1 pays the same however it's split" only shares words with an L1 truth ("any split
    costs the same L1 penalty") in its L2 clause.
    """
    found = readings(encoder, truths, sentence, sensed=cautious)
    right = {r.owner for r in found if not r.swapped}
    sided = [side_of(clause) for clause in clauses(sentence)]
    named = {(x[0].pair, x[0].side) for x in sided if x}
    swapped = [r for r in found if r.swapped and r.owner not in right]
    return next((r for r in swapped if not cautious or _sure(r, named, len(swapped))), None)


def contrasts(text: str) -> bool:
    """Whether the sentence names both sides of a contrasted pair ("L1 keeps one and L2 splits the weight")."""
    return any(a.search(text) and b.search(text) for a, b in _PATTERNS)


def _sure(reading: Reading, named: set[tuple[int, int]], swapped: int) -> bool:
    """A swap read from shared words alone (below SAME_CLAIM) in a sentence that contrasts both sides is trusted only
    when both its clauses read swapped ("L1 adds the squared weights, and L2 their absolute values"): one such
    reading, with the other side's clause read as nothing, is more likely shared words than a swap."""
    if reading.similarity >= SAME_CLAIM or swapped >= 2:
        return True
    pairs = [pair for pair, _ in named]
    return len(pairs) == len(set(pairs))
