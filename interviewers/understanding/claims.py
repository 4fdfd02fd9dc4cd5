"""Wrong beliefs a candidate states: each question's listed misconceptions, recognised by meaning.

A sentence states a misconception when it is close to one of the belief's wordings (its claim and
the variants the bank lists), clearly closer to it than to the belief's truths (the correct version
in the same terms) and to the milestone it gets wrong, and no correct statement of the question is
closer: cosine alone cannot tell a claim from its negation, but a correct sentence on the same topic
sits nearer to a truth said in its own words. Sentences that attribute the belief to others ("a
common mistake is to think …"), ask about it, or are fragments are not claims. A later retraction,
or a later sentence that states the truth, corrects it. The interviewer challenges what this finds
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
from interviewers.scoring.text import Unit, content_stems
from interviewers.understanding.speech_acts import is_question
from interviewers.understanding.swaps import readings, swapped_belief
from question_bank.schema import Question

# Tuned on the benchmark's tuning half (benchmarks/interviewer_quality.py): with each belief's variant
# wordings and truths from the bank, about half of the misconceptions said in other words are caught
# (0.13 with the claim alone); lower thresholds buy recall only with more false challenges of correct answers.
CLAIM_THRESHOLD = 0.5
CLAIM_MARGIN = 0.08  # over the nearest truth, or statement of the milestone, the claim gets wrong
OTHER_TOLERANCE = 0.02  # and no correct statement of the question may be closer
# The interviewer challenges any claim found (a pointed question costs a correct candidate little); the
# scorer fails a milestone only for one this close to a wording, or a swap: below it, claims found in the
# scoring dev set and in strong scripted answers were mostly correct sentences that share a wrong wording's
# structure ("undersampling inflates the probabilities" against "upweighting leaves them accurate").
CONFIDENT_CLAIM = 0.8
# A fragment ("I push every opener.") is close to many claims and states none of them.
MIN_CLAIM_WORDS = 5
CORRECTION_SIMILARITY = 0.55
CORRECTION_BY_MILESTONE = 0.7

_ATTRIBUTED = re.compile(
    r"\b(myth|misconception|common (mistake|error|trap|pitfall)|people (often |sometimes |usually )?"
    r"(think|assume|believe|say)|it'?s (not true|wrong|false) that|contrary to|naive(ly)? (you|one|people)|"
    r"a trap|(isn'?t|is not|not) (actually |really )?true|the mistake (is|would be))\b",
    re.I,
)
# A sentence that negates where the claim affirms (or the reverse) denies it: "the kernel trick avoids
# computing the feature map" is not "the kernel trick computes the feature map", however close the words.
_NEGATION = re.compile(
    r"\b(not|no|never|none|nothing|cannot|without|neither|nor|avoid(s|ed|ing)?|rather than|instead of|"
    r"hardly|rarely|seldom|hard to)\b|n't\b",
    re.I,
)
_RETRACTION = re.compile(
    r"\b(you'?re right|i was wrong|that was wrong|i take (that|it) back|scratch that|let me correct|"
    r"^correction\b|on second thought|actually,? no|i misspoke|i got (that|it) (backwards|wrong)|that'?s not right|"
    r"wait,? (no|that'?s)|i stand corrected)\b",
    re.I,
)


@dataclass(frozen=True)
class ClaimHit:
    index: int | None  # the misconception's position in the question; None for a milestone said reversed
    turn: int
    quote: str  # an exact substring of that turn
    score: float
    milestone: str | None = None  # with index None: the milestone whose contrasted subjects it swaps
    swapped: tuple[str, str] | None = None  # (the term said, the term meant) for a swap


def claim_milestone(question: Question, hit: ClaimHit) -> str | None:
    """The milestone a claim gets wrong, if any."""
    return hit.milestone if hit.index is None else question.misconceptions[hit.index].milestone


def claim_text(question: Question, hit: ClaimHit) -> str:
    """The wrong belief in words: the bank's claim, or which subjects a reversed milestone swaps."""
    if hit.index is not None:
        return question.misconceptions[hit.index].claim
    said, meant = hit.swapped or ("", "")
    return f"says of {said} what holds for {meant} ({hit.milestone})"


def _attributed(text: str) -> bool:
    return bool(_ATTRIBUTED.search(text))


def retracts(text: str) -> bool:
    return bool(_RETRACTION.search(text))


@dataclass(frozen=True)
class _Belief:
    """One misconception's vectors: its wordings (wrong) and what is right on the same topic."""

    wrong: NDArray[np.float32]
    wrong_negated: NDArray[np.bool_]  # per wording: whether it negates
    right: NDArray[np.float32]  # its truths, and the statement and facets of the milestone it gets wrong
    right_sense: NDArray[np.int8]  # per row of `right`: 1 a truth that negates, 0 one that affirms, -1 a milestone


@dataclass(frozen=True)
class _References:
    beliefs: list[_Belief]
    correct: NDArray[np.float32]  # everything right the question holds: milestones, facets, every truth
    correct_sense: NDArray[np.int8]  # as `right_sense`


# Per misconception: its wordings, its truths and the text of the milestone it gets wrong; then the texts
# of all milestones. A hashable key, so a question's vectors are computed once.
_Key = tuple[tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...], tuple[str, ...]]


def _key(question: Question) -> _Key:
    beliefs = tuple(
        (
            (m.claim, *m.variants),
            tuple(m.truths),
            question.milestone(m.milestone).text if m.milestone else "",
        )
        for m in question.misconceptions
    )
    return beliefs, tuple(ms.text for ms in question.milestones)


def _statements(milestone: str) -> list[str]:
    return [milestone_statement(milestone), *milestone_facets(milestone)] if milestone else []


@lru_cache(maxsize=256)
def _vectors(encoder: MiniLM, key: _Key) -> _References:
    beliefs, milestones = key
    out = []
    for wordings, truths, milestone in beliefs:
        right = [*truths, *_statements(milestone)]
        sense = [_sense(t) for t in truths] + [-1] * (len(right) - len(truths))
        out.append(
            _Belief(
                wrong=encoder.encode(list(wordings)),
                wrong_negated=np.array([bool(_NEGATION.search(w)) for w in wordings]),
                right=encoder.encode(right) if right else np.zeros((0, 384), np.float32),
                right_sense=np.asarray(sense, dtype=np.int8),
            )
        )
    statements = [x for text in milestones for x in _statements(text)]
    all_truths = [t for _, truths, _ in beliefs for t in truths]
    sense = [-1] * len(statements) + [_sense(t) for t in all_truths]
    return _References(out, encoder.encode(statements + all_truths), np.asarray(sense, dtype=np.int8))


def _sense(text: str) -> int:
    return int(bool(_NEGATION.search(text)))


def _agreeing(sims: NDArray[np.float32], sense: NDArray[np.int8], negates: NDArray[np.bool_]) -> NDArray[np.float32]:
    """Per sentence, the best similarity to a correct statement it could be saying.

    A truth of the opposite sense ("there can still be skew" against "skew can't happen") is the sentence's
    negation however close its words, so it does not count; milestone texts count whatever their sense.
    """
    usable = (sense[None, :] == -1) | (sense[None, :] == negates[:, None].astype(np.int8))
    if not sims.shape[1]:
        return np.zeros(len(sims), dtype=np.float32)
    out: NDArray[np.float32] = np.where(usable, sims, np.float32(-1.0)).max(axis=1).astype(np.float32)
    return out


def _references(encoder: MiniLM, question: Question) -> _References:
    return _vectors(encoder, _key(question))


def find_claims(question: Question, units: list[Unit], encoder: MiniLM | None) -> list[ClaimHit]:
    """Every (misconception, sentence) where a candidate states the wrong belief, first statement per belief."""
    if encoder is None or not question.misconceptions or not units:
        return []
    statements = [
        u
        for u in units
        if len(content_stems(u.text)) >= MIN_CLAIM_WORDS
        and not is_question(u.text)
        and not _attributed(u.text)
        and not retracts(u.text)
    ]
    if not statements:
        return []
    refs = _references(encoder, question)
    vectors = encoder.encode([u.text for u in statements])
    negates = np.array([bool(_NEGATION.search(u.text)) for u in statements])
    anything_right = _agreeing(vectors @ refs.correct.T, refs.correct_sense, negates)
    hits: list[ClaimHit] = []
    for k, belief in enumerate(refs.beliefs):
        # A wording that negates where the sentence affirms (or the reverse) says the opposite, however close.
        same_sense = negates[:, None] == belief.wrong_negated[None, :]
        to_wrong = np.where(same_sense, vectors @ belief.wrong.T, -1.0).max(axis=1)
        right = _agreeing(vectors @ belief.right.T, belief.right_sense, negates)
        for i, unit in enumerate(statements):
            score = float(to_wrong[i])
            if (
                score >= CLAIM_THRESHOLD
                and score >= float(right[i]) + CLAIM_MARGIN
                and score + OTHER_TOLERANCE >= float(anything_right[i])
            ):
                hits.append(ClaimHit(k, unit.turn, unit.text, score))
                break
    # A truth with its contrasted subjects exchanged ("L1 spreads it, L2 keeps one") is as close to the truth
    # as the truth itself by cosine; swaps.py checks which subject each clause speaks of.
    # The milestones are truths too: "L1 adds the squared weights, L2 the absolute values" reverses one that
    # no listed misconception covers.
    truths = tuple((k, t) for k, m in enumerate(question.misconceptions) for t in m.truths)
    found = {hit.index for hit in hits}
    for unit in statements:
        swap = swapped_belief(encoder, truths, unit.text)
        if swap is not None and swap.owner not in found:
            hits.append(ClaimHit(swap.owner, unit.turn, unit.text, 1.0, swapped=(swap.said, swap.other)))
            found.add(swap.owner)
    # A milestone reversal is reported only where no listed belief already speaks for it.
    wrong_milestones = {claim_milestone(question, hit) for hit in hits}
    claimed = {(hit.turn, hit.quote) for hit in hits}
    for unit in statements:
        swap = swapped_belief(encoder, _milestone_truths(question), unit.text)
        milestone = question.milestones[swap.owner].id if swap is not None else None
        if swap is not None and milestone not in wrong_milestones and (unit.turn, unit.text) not in claimed:
            hits.append(ClaimHit(None, unit.turn, unit.text, 1.0, milestone, (swap.said, swap.other)))
            wrong_milestones.add(milestone)
    return hits


def _milestone_truths(question: Question) -> tuple[tuple[int, str], ...]:
    return tuple((j, m.text) for j, m in enumerate(question.milestones))


def corrected(question: Question, hit: ClaimHit, later: list[Unit], encoder: MiniLM | None) -> bool:
    """Whether a sentence after the claim takes it back, or states the truth it got wrong."""
    after = [u for u in later if u.turn > hit.turn]
    if any(retracts(u.text) for u in after):
        return True
    if encoder is None or not after:
        return False
    if hit.index is None:  # a reversed milestone is corrected by saying it the right way round
        truths = _milestone_truths(question)
        return any(
            not r.swapped and question.milestones[r.owner].id == hit.milestone
            for u in after
            for r in readings(encoder, truths, u.text)
        )
    belief = _references(encoder, question).beliefs[hit.index]
    if not len(belief.right):
        return False
    vectors = encoder.encode([u.text for u in after])
    # A truth states the correction itself; the milestone's statement covers the whole topic, so a later
    # sentence merely on the topic ("I'd oversample fraud with SMOTE") must be much closer to count.
    bar = np.where(belief.right_sense == -1, CORRECTION_BY_MILESTONE, CORRECTION_SIMILARITY)
    sims = vectors @ belief.right.T
    right = sims.max(axis=1)
    wrong = (vectors @ belief.wrong.T).max(axis=1)
    return bool(np.any((sims >= bar[None, :]).any(axis=1) & (right > wrong + CLAIM_MARGIN)))
