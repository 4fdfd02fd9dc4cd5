"""Wrong beliefs a candidate states: each question's listed misconceptions, recognised by meaning.

A sentence states a misconception when it is close to the misconception's claim, clearly closer to
it than to the milestone the claim gets wrong, and not clearly closer to any other correct statement
the question holds (its milestones and their facets):
cosine alone cannot tell a claim from its negation, but the milestone texts say the right things, so
a correct sentence on the same topic sits nearer to one of them. Sentences that attribute the belief
to others ("a common mistake is to think …") or ask about it are not claims. A later retraction, or
a later sentence that states the milestone, corrects it. The interviewer challenges what this finds
and the scorer fails the milestone for it, so both act on one judgement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from interviewers.scoring.embedding import MiniLM
from interviewers.scoring.matching import milestone_facets, milestone_statement
from interviewers.scoring.text import Unit
from interviewers.understanding.speech_acts import is_question
from question_bank.schema import Question

# Tuned on the benchmark's tuning half (benchmarks/interviewer_quality.py) for few challenges of correct
# answers: a claim said in near its own words is caught; one paraphrased away from them rarely is (cosine,
# and a pair classifier trained on SemEval's contradictory labels, both fail to separate those from correct
# sentences on the same topic), which is what the LLM understanding is for.
CLAIM_THRESHOLD = 0.5
CLAIM_MARGIN = 0.05  # over the statement of the milestone the claim gets wrong
OTHER_TOLERANCE = 0.02  # and no other correct statement may be clearly closer
# A sentence this close to the claim says it nearly word for word, even when the correct statement shares
# its words (a reversal: "L1 spreads the weight evenly" against "L1 keeps one, L2 spreads it evenly").
CLAIM_CERTAIN = 0.8
CORRECTION_SIMILARITY = 0.55

_ATTRIBUTED = re.compile(
    r"\b(myth|misconception|common (mistake|error|trap|pitfall)|people (often |sometimes |usually )?"
    r"(think|assume|believe|say)|it'?s (not true|wrong|false) that|contrary to|naive(ly)? (you|one|people)|"
    r"a trap|(isn'?t|is not|not) (actually |really )?true|the mistake (is|would be))\b",
    re.I,
)
# A sentence that negates where the claim affirms (or the reverse) denies it: "the kernel trick avoids
# computing the feature map" is not "the kernel trick computes the feature map", however close the words.
_NEGATION = re.compile(
    r"\b(not|no|never|none|nothing|cannot|without|neither|nor|avoid(s|ed|ing)?|rather than|instead of)\b|n't\b", re.I
)
_RETRACTION = re.compile(
    r"\b(you'?re right|i was wrong|that was wrong|i take (that|it) back|scratch that|let me correct|"
    r"correction|on second thought|actually,? no|i misspoke|i got (that|it) (backwards|wrong)|that'?s not right|"
    r"wait,? (no|that'?s)|i stand corrected)\b",
    re.I,
)


@dataclass(frozen=True)
class ClaimHit:
    index: int  # the misconception's position in the question
    turn: int
    quote: str  # an exact substring of that turn
    score: float


def _attributed(text: str) -> bool:
    return bool(_ATTRIBUTED.search(text))


def retracts(text: str) -> bool:
    return bool(_RETRACTION.search(text))


@lru_cache(maxsize=256)
def _references(
    encoder: MiniLM, items: tuple[tuple[str, str], ...]
) -> tuple[NDArray[np.float32], list[NDArray[np.float32]]]:
    """Per misconception: the claim's vector, and the vectors of the correct milestone's statement and facets."""
    claims = encoder.encode([claim for claim, _ in items])
    rights = [
        encoder.encode([milestone_statement(text), *milestone_facets(text)]) if text else np.zeros((0, 384), np.float32)
        for _, text in items
    ]
    return claims, rights


@lru_cache(maxsize=256)
def _correct_statements(encoder: MiniLM, milestones: tuple[str, ...]) -> NDArray[np.float32]:
    return encoder.encode([x for text in milestones for x in (milestone_statement(text), *milestone_facets(text))])


def find_claims(question: Question, units: list[Unit], encoder: MiniLM | None) -> list[ClaimHit]:
    """Every (misconception, sentence) where a candidate states the wrong belief, first statement per belief."""
    if encoder is None or not question.misconceptions or not units:
        return []
    statements = [u for u in units if not is_question(u.text) and not _attributed(u.text) and not retracts(u.text)]
    if not statements:
        return []
    items = tuple(
        (m.claim, question.milestone(m.milestone).text if m.milestone else "") for m in question.misconceptions
    )
    claims, rights = _references(encoder, items)
    vectors = encoder.encode([u.text for u in statements])
    to_claim = vectors @ claims.T
    correct = _correct_statements(encoder, tuple(m.text for m in question.milestones))
    anything_right = (vectors @ correct.T).max(axis=1)
    hits: list[ClaimHit] = []
    for k in range(len(items)):
        right = (vectors @ rights[k].T).max(axis=1) if len(rights[k]) else np.zeros(len(statements))
        negated = bool(_NEGATION.search(items[k][0]))
        for i, unit in enumerate(statements):
            score = float(to_claim[i, k])
            if bool(_NEGATION.search(unit.text)) != negated:
                continue
            if score >= CLAIM_CERTAIN or (
                score >= CLAIM_THRESHOLD
                and score >= float(right[i]) + CLAIM_MARGIN
                and score + OTHER_TOLERANCE >= float(anything_right[i])
            ):
                hits.append(ClaimHit(k, unit.turn, unit.text, score))
                break
    return hits


def corrected(question: Question, hit: ClaimHit, later: list[Unit], encoder: MiniLM | None) -> bool:
    """Whether a sentence after the claim takes it back, or states the milestone it got wrong."""
    after = [u for u in later if u.turn > hit.turn]
    if any(retracts(u.text) for u in after):
        return True
    milestone_id = question.misconceptions[hit.index].milestone
    if encoder is None or not milestone_id or not after:
        return False
    items = tuple(
        (m.claim, question.milestone(m.milestone).text if m.milestone else "") for m in question.misconceptions
    )
    claims, rights = _references(encoder, items)
    vectors = encoder.encode([u.text for u in after])
    right = (vectors @ rights[hit.index].T).max(axis=1)
    wrong = vectors @ claims[hit.index]
    return bool(np.any((right >= CORRECTION_SIMILARITY) & (right > wrong + CLAIM_MARGIN)))
