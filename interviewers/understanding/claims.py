"""Wrong beliefs a candidate states: each question's listed misconceptions, recognised by meaning.

A sentence states a misconception when it is on the belief's topic (close to its wordings: the claim and
the variants the bank lists) and either the belief's stance model (beliefs.py, learned from those wordings
against everything right the question holds) reads it as the belief, or it is nearer a wording than any
truth and uses a word only the wrong wordings use. Cosine alone cannot tell a claim from its negation; a
correct sentence on the same topic sits nearer a truth said in its own words, or on the other side of the
stance model's direction. Who-does-what swaps (L1/L2, precision/recall) are read clause by clause (swaps.py).
Sentences that attribute the belief to others ("a common mistake is to think …"), ask about it, or are
fragments are not claims. A later retraction, or a later sentence that states the truth, corrects it.
The interviewer challenges what this finds and the scorer fails the milestone for it, so both act on one
judgement.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from interviewers.scoring.embedding import MiniLM
from interviewers.scoring.text import Unit, content_stems
from interviewers.understanding.beliefs import negates, references, similarities
from interviewers.understanding.speech_acts import admits_stuck, inline_code, is_question
from interviewers.understanding.substitutions import corrects, substitution
from interviewers.understanding.swaps import contrasts, readings, swapped_belief
from question_bank.schema import Question

# Tuned on the benchmark's tuning half (benchmarks/interviewer_quality.py) with about 25 wordings, 11 truths and
# 4 premises per belief. A sentence states a belief when it is on the belief's topic (near a wording, and not much
# further from it than from the milestones on the same topic), and either
# - by meaning: the belief's stance model (beliefs.py) reads it as the belief with some confidence. The nearest
#   text cannot tell a claim from a correct sentence in the same words ("accuracy tells you nothing here" sits 0.75
#   from "let's evaluate on accuracy"); a direction learned from all the wordings against everything right can;
# - or by words: it is at least as near a wording as any truth, and uses a word only the wrong wordings use (or is
#   very close to one), and the stance model leans the belief's way. A near-copy of a claim ("with a big enough
#   lambda, ridge sets the weights exactly to zero") sits as near its minimal-pair truth ("...shrinks them but never
#   to exactly zero") as to the claim, where a linear direction is unsure.
# With 17 wordings the two together caught 0.92 of the misconceptions said in other words (0.81 by words alone,
# 0.91 by meaning alone with more correct sentences taken for claims), the rule by words vetoed only where the
# model clearly disagreed (-1). With 25 the stance model is surer, and the rule by words asks it to lean the
# belief's way a little: on the tuning half 0.938 caught either way, 31 correct sentences taken for claims at -1,
# 23 at 0.25 (0.5: 0.932 and 21, a tie within a sentence or two; the report half favoured 0.25). The premises
# (right, in the belief's words, without its conclusion) then took the 23 to 17 at the same recall.
CLAIM_THRESHOLD = 0.4
OWN_MILESTONE_MARGIN = 0.04  # clearly nearer than the milestone the belief gets wrong (a correct answer sits near it)
# and not much further than any other milestone: their short facets ("adds skew monitoring") sit near any
# sentence on the question's topic, right or wrong.
OTHER_MILESTONE_MARGIN = -0.02
CROSS_SENSE_DISCOUNT = 0.05
# By meaning: the stance model's log-odds, and how much nearer a truth than a wording the sentence may be.
STANCE = 1.0
STANCE_TRUTH_MARGIN = -0.05
# A linear model extrapolates: far from every wording it can be sure of a short sentence on another matter
# ("if wall clock, I'd keep an expiry" at 0.44 from the timestamp belief). No line of the tuning half needed less.
MEANING_THRESHOLD = 0.5
# By words: nearer a wording than any truth said in the same sense, and the stance model leaning the belief's way.
TRUTH_MARGIN = 0.0
STANCE_VETO = 0.25
# ...unless it is a near-copy of a wording: "with a large enough lambda, L2 also drives the weights exactly to
# zero, just like L1" is 0.96 from a wording and 0.92 from the truth "...L1 sets weights exactly to zero, while L2
# only shrinks them", and the stance model is unsure (-0.2). No line of the tuning half moves either way.
NEAR_COPY = 0.9
# A sentence this close to a wording needs no word of the belief's own. At 0.7 (before the LLM questions,
# whose wordings quote their scenario: "queries on embed-v2 against documents on embed-v3 are fine") the
# tuning half had 44 correct lines challenged; at 0.8, 29, for 0.73 of misconceptions caught instead of 0.75.
CLOSE_WORDING = 0.8
# Being that close is no sign of the belief when a truth is about as close: "L2 in Adam adds lambda*w to the
# gradient, which then gets divided by sqrt(v)" sits at 0.84 from a wording and 0.82 from a truth that share
# its terms, and states the truth (a review drill saw it challenged and listed).
CLOSE_WORDING_MARGIN = 0.05
# The interviewer challenges any claim found (a pointed question costs a correct candidate little); the
# scorer fails a milestone only for one this close to a wording, or a swap: below it, claims found in the
# scoring dev set and in strong scripted answers were mostly correct sentences that share a wrong wording's
# structure ("undersampling inflates the probabilities" against "upweighting leaves them accurate"). It was 0.8
# with 17 wordings per belief; with 25 any sentence has a nearer one, and on the scoring calibration set 0.85
# gives F1 0.899 (0.8: 0.894, 0.82 and 0.88: 0.897); with the premises, 0.894.
CONFIDENT_CLAIM = 0.85
# Nor does it credit a sentence this close to a wording: lower, and the correct sentences the interviewer
# asks about lose their credit too (chosen on the scoring calibration set: F1 0.886 there, 0.880 crediting
# every suspected sentence, and the same crediting none; with 25 wordings 0.899 against 0.887 at 0.6, 0.875
# crediting all; crediting back the sentences the stance model is unsure of did not help).
UNCREDITED_CLAIM = 0.5
# A fragment ("I push every opener.") is close to many claims and states none of them; four content words
# already make one ("Cranking C up widens the margin": at five it went unchallenged; 0.78 -> 0.79 caught).
MIN_CLAIM_WORDS = 4
# A later sentence this close to one of the belief's truths corrects it. At 0.55, "It does much the same job as
# resampling without changing the data" (0.60) and another wrong claim (0.61) corrected "rebalance the test set
# too" in a confidently wrong answer; 0.65 lifts the calibration set's F1 (0.918 -> 0.919), and
# benchmarks/interviewer_quality.py gives the same rates (with the refit of the same day, one more correct line
# challenged on the report half: 28, 27 before).
CORRECTION_SIMILARITY = 0.65
CORRECTION_BY_MILESTONE = 0.7
CORRECTION_MARGIN = 0.08  # how much nearer a correction must be to the truth than to the wrong wordings

_ATTRIBUTED = re.compile(
    r"\b(myth|misconception|common (mistake|error|trap|pitfall)|people (often |sometimes |usually )?"
    r"(think|assume|believe|say)|it'?s (not true|wrong|false) that|contrary to|naive(ly)? (you|one|people)|"
    r"a trap|(isn'?t|is not|not) (actually |really )?true|the mistake (is|would be))\b",
    re.I,
)
_RETRACTION = re.compile(
    r"\b(you'?re right|i was wrong|that was wrong|i take (that|it) back|i take back|scratch that|let me correct|"
    r"i (never|didn'?t|did not) (say|said|claim|claimed|mean|meant)|that'?s not what i (said|meant)|"
    r"^correction\b|on second thought|actually,? no|i misspoke|i got (that|it) (backwards|wrong)|that'?s not right|"
    r"wait,? (no|that'?s)|i stand corrected)\b",
    re.I,
)


_DEFENCE = re.compile(
    r"\b(i'?m (quite |pretty |fairly )?(sure|confident|certain)|i('?d| would| will|'?ll)? (still )?"
    r"(stand by|stick with|stick to)|i'?m (still )?sticking (with|to)|"
    r"i (still )?(think|believe) (that'?s|it'?s|i'?m) (right|correct|true)|"
    r"yes,? (it|that) (does|is|holds|will)|that'?s (still )?(right|correct|true)|i'?d defend|"
    # waving the counterexample away: "in a toy case like that sure, but in practice...", "that's an edge case"
    r"(in )?a (toy|contrived|corner|edge) (case|example)( like that)?,? sure|"
    r"(that|this|it)('?s| is) (just |only )?an? (edge|corner|toy|contrived) (case|example)|"
    r"i don'?t think (that|this|it) (edge case |case |example )?(really )?matters|"
    r"(doesn'?t|does not|don'?t|do not|won'?t|will not|wouldn'?t|would not) (really )?(matter|happen|come up) "
    r"(much )?in practice)\b",
    re.I,
)


def defends(text: str) -> bool:
    """Whether a reply insists on what was said before ("I'm sure about it", "I'd stick with drift")."""
    return bool(_DEFENCE.search(text)) and not retracts(text)


@dataclass(frozen=True)
class ClaimHit:
    index: int | None  # the misconception's position in the question; None for a milestone said reversed
    turn: int
    quote: str  # an exact substring of that turn
    score: float
    milestone: str | None = None  # with index None: the milestone whose contrasted subjects it swaps
    swapped: tuple[str, str] | None = None  # (the term said, the term meant) for a swap or a substitution
    substituted: bool = False  # names the wrong one of two alternatives ("MSE" where cross-entropy is right)


def claim_milestone(question: Question, hit: ClaimHit) -> str | None:
    """The milestone a claim gets wrong, if any."""
    return hit.milestone if hit.index is None else question.misconceptions[hit.index].milestone


def belief_of(hit: ClaimHit) -> str | None:
    """The belief a claim states, named as a challenge records it: "misconception:N", or the milestone it reverses."""
    return f"misconception:{hit.index}" if hit.index is not None else hit.milestone


def claim_text(question: Question, hit: ClaimHit) -> str:
    """The wrong belief in words: the bank's claim, or which subjects a reversed milestone swaps."""
    if hit.index is not None:
        return question.misconceptions[hit.index].claim
    said, meant = hit.swapped or ("", "")
    if hit.substituted:
        return f"names {said} where {meant} is right ({hit.milestone})"
    return f"says of {said} what holds for {meant} ({hit.milestone})"


# "X, but Y" concedes X and asserts Y: "the vectors have the same size so nothing errors, but they live in
# different spaces" denies that same-size vectors are compatible, though its first half reads like the belief.
_CONCESSION = re.compile(r"[,;]\s*(?:but|however|yet)\s+", re.I)
_LEADING_CONCESSION = re.compile(r"^\s*(?:although|though|even though|even if)\b[^,]*,\s*", re.I)
MIN_ASSERTED_WORDS = 2


def asserted(text: str) -> str:
    """The part of a sentence that asserts: after its last "…, but", or after a leading "although …,"."""
    tail = _CONCESSION.split(text)[-1]
    tail = _LEADING_CONCESSION.sub("", tail)
    return tail if tail != text and len(content_stems(tail)) >= MIN_ASSERTED_WORDS else text


# "If it were wrong, I'd see the too-simple model with high training error too": what the candidate would expect
# under a supposition (the interviewer's second push asks exactly that), not what they hold.
_SUPPOSED = re.compile(
    r"\bif (it|that|this|i|we|my \w+) (were|was|is|are|turned out) (wrong|mistaken|false|not true)\b", re.I
)


# Saying what one wants to find out ("First I want to know how we even grade a loan.") asks; it claims nothing.
_WANTS_TO_KNOW = re.compile(
    r"^\W*(?:(?:first|so|and|but|okay|ok|well|now),?\s+)*(?:i|we)(?:'d| would| will|'ll)?\s+(?:really\s+)?"
    r"(?:want|like|need|have)\s+to\s+(?:know|find out|understand|check|ask|confirm|clarify|see)\b",
    re.I,
)


def _attributed(text: str) -> bool:
    return bool(_ATTRIBUTED.search(text))


def retracts(text: str) -> bool:
    return bool(_RETRACTION.search(text))


_SEMICOLON = re.compile(r";\s+")


def _with_semicolon_halves(units: list[Unit]) -> list[Unit]:
    """Each unit, then its semicolon-joined clauses on their own: "I'll seed the slots with INT_MAX; the min
    comparisons work out" states its belief in the first half, "forward-only nodes will do; we only evict
    from the tail" needs both (text.py keeps such a sentence whole)."""
    out = []
    for unit in units:
        out.append(unit)
        cursor = 0
        for match in [*_SEMICOLON.finditer(unit.text), None]:
            end = match.start() if match else len(unit.text)
            if match or cursor:
                piece = unit.text[cursor:end]
                out.append(Unit(unit.turn, unit.start + cursor, unit.start + end, piece))
            if match:
                cursor = match.end()
    return out


# Where a whole sentence ends: text.py also ends units at a semicolon between long clauses and at the clause
# joints of a long sentence, but a belief may need both halves ("I'd avoid the trick where a small model
# drafts the tokens; some of the reply then comes from the weaker model").
MAX_JOINED_WORDS = 40
_FULL_STOP = re.compile(r"(?<!\b[a-z]\.[a-z])(?<!\d)[.!?]+(?=\s|$)|\n+")


def whole_sentences(units: list[Unit], turns: Mapping[int, str]) -> list[Unit]:
    """The sentences of `turns` that were split into two or more of `units`, whole."""
    out = []
    for turn, text in turns.items():
        parts = [u for u in units if u.turn == turn]
        cursor = 0
        for match in [*_FULL_STOP.finditer(text), None]:
            end = match.end() if match else len(text)
            inside = [u for u in parts if cursor <= u.start and u.end <= end]
            lo, hi = (inside[0].start, inside[-1].end) if inside else (0, 0)
            # A run-on with no full stops (a speech transcript) is no sentence: its clauses are judged alone.
            if len(inside) >= 2 and len(text[lo:hi].split()) <= MAX_JOINED_WORDS:
                out.append(Unit(turn, lo, hi, text[lo:hi]))
            cursor = end
    return out


def claim_statements(units: list[Unit], turns: Mapping[int, str] | None = None) -> list[Unit]:
    """The sentences that could state a belief: not fragments, questions, attributions or retractions."""
    joined = whole_sentences(units, turns) if turns else []
    return [
        u
        for u in [*_with_semicolon_halves(units), *joined]
        if len(content_stems(u.text)) >= MIN_CLAIM_WORDS
        and not is_question(u.text)
        and not admits_stuck(u.text)
        and not _attributed(u.text)
        and not _SUPPOSED.search(u.text)
        and not _WANTS_TO_KNOW.search(u.text)
        and not retracts(u.text)
        and not inline_code(u.text)  # program text said inline states no belief
    ]


def find_claims(
    question: Question, units: list[Unit], encoder: MiniLM | None, turns: Mapping[int, str] | None = None
) -> list[ClaimHit]:
    """Every (misconception, sentence) where a candidate states the wrong belief, first statement per belief.

    With `turns` (turn index -> text), a sentence split into several units is judged whole as well.
    """
    if encoder is None or not question.misconceptions or not units:
        return []
    statements = claim_statements(units, turns)
    if not statements:
        return []
    # A truth with its contrasted subjects exchanged ("L1 spreads it, L2 keeps one") is as close to the truth
    # as the truth itself by cosine; swaps.py checks which subject each clause speaks of, and what it finds
    # is surer than any similarity, so a sentence it reads is not judged again below. The milestones are
    # truths too: "L1 adds the squared weights, L2 the absolute values" reverses one whether or not a listed
    # misconception covers it; the truth the sentence is nearer to names what it gets wrong.
    hits: list[ClaimHit] = []
    truths = tuple((k, t) for k, m in enumerate(question.misconceptions) for t in m.truths)
    for unit in statements:
        belief = swapped_belief(encoder, truths, unit.text, cautious=True)
        reversal = swapped_belief(encoder, _milestone_truths(question), unit.text)
        if reversal is not None and (belief is None or reversal.similarity > belief.similarity):
            milestone = question.milestones[reversal.owner].id
            if milestone not in {claim_milestone(question, hit) for hit in hits}:
                hits.append(ClaimHit(None, unit.turn, unit.text, 1.0, milestone, (reversal.said, reversal.other)))
        elif belief is not None and belief.owner not in {hit.index for hit in hits}:
            hits.append(ClaimHit(belief.owner, unit.turn, unit.text, 1.0, swapped=(belief.said, belief.other)))
        elif (wrong := substitution(encoder, question, unit.text)) is not None:
            milestone = question.milestones[wrong.milestone].id
            if milestone not in {claim_milestone(question, hit) for hit in hits}:
                hits.append(ClaimHit(None, unit.turn, unit.text, 1.0, milestone, (wrong.said, wrong.meant), True))
    refs = references(encoder, question)
    texts = [asserted(u.text) for u in statements]
    near = similarities(texts, encoder.encode(texts), np.array([negates(t) for t in texts]), refs)
    # A wording of the opposite sense may still be the same belief ("the biggest coin that doesn't overshoot
    # what's left is optimal" negates only a clause), so it counts, at a discount.
    score = np.maximum(near.same_sense, near.wording - CROSS_SENSE_DISCOUNT)
    on_topic = (
        (score >= CLAIM_THRESHOLD)
        & (score >= near.own_milestone + OWN_MILESTONE_MARGIN)
        & (score >= near.milestone[:, None] + OTHER_MILESTONE_MARGIN)
    )
    truth = near.truth[:, None]
    # Which side does what is the swap reader's to judge (above): a sentence and its role swap are one vector to
    # the stance model too ("L1 would keep one and L2 would split the weight" read as its reversal at 1.6).
    paired = np.array([contrasts(t) for t in texts])[:, None]
    by_meaning = (
        (near.stance > STANCE) & (score >= truth + STANCE_TRUTH_MARGIN) & (score >= MEANING_THRESHOLD) & ~paired
    )
    # Unless it is close to a wording, a sentence that uses none of the words only the wrong wordings use
    # ("greedy", "INT_MAX", "never") is on the belief's topic without saying what makes it wrong.
    own_words = near.wrong_words | ((score >= CLOSE_WORDING) & (score >= truth + CLOSE_WORDING_MARGIN))
    by_words = (score >= truth + TRUTH_MARGIN) & own_words & ((near.stance > STANCE_VETO) | (score >= NEAR_COPY))
    states = on_topic & (by_meaning | by_words)
    # A clause read as the belief by meaning alone does not state it when its whole sentence does not: "for tuning
    # the forest I'd mostly grow more trees; more trees in a random forest don't overfit" (the first half alone
    # reads as "more trees overfit").
    alone, whole_states = states & ~by_words, states.copy()
    for i, unit in enumerate(statements):
        for j, whole in enumerate(statements):
            if whole.turn == unit.turn and len(whole.text) > len(unit.text) and unit.text in whole.text:
                states[i] &= ~(alone[i] & ~whole_states[j])
    # Each sentence states at most one belief, the nearest; each belief is reported at its first statement.
    for i, unit in enumerate(statements):
        k = int(np.where(states[i], score[i], -np.inf).argmax())
        if states[i, k] and k not in {hit.index for hit in hits} and not _claimed(hits, unit):
            hits.append(ClaimHit(k, unit.turn, unit.text, float(score[i, k])))
    order = {(u.turn, u.text): (u.turn, u.start) for u in statements}
    return sorted(hits, key=lambda hit: order[(hit.turn, hit.quote)])


def _claimed(hits: list[ClaimHit], unit: Unit) -> bool:
    """Whether a hit already quotes this sentence, a part of it, or a sentence it is part of."""
    return any(hit.turn == unit.turn and (hit.quote in unit.text or unit.text in hit.quote) for hit in hits)


def _milestone_truths(question: Question) -> tuple[tuple[int, str], ...]:
    return tuple((j, m.text) for j, m in enumerate(question.milestones))


def corrected(question: Question, hit: ClaimHit, later: list[Unit], encoder: MiniLM | None) -> bool:
    """Whether a sentence after the claim takes it back, or states the truth it got wrong."""
    after = [u for u in later if u.turn > hit.turn]
    if any(retracts(u.text) for u in after):
        return True
    if encoder is None or not after:
        return False
    if hit.substituted and hit.swapped:  # naming the right alternative instead corrects a substitution
        return any(corrects(hit.swapped[0], u.text) for u in after)
    if hit.index is None:  # a reversed milestone is corrected by saying it the right way round
        truths = _milestone_truths(question)
        return any(
            not r.swapped and question.milestones[r.owner].id == hit.milestone
            for u in after
            for r in readings(encoder, truths, u.text)
        )
    belief = references(encoder, question).beliefs[hit.index]
    if not len(belief.right):
        return False
    vectors = encoder.encode([u.text for u in after])
    # A truth states the correction itself; the milestone's statement covers the whole topic, so a later
    # sentence merely on the topic ("I'd oversample fraud with SMOTE") must be much closer to count.
    # A premise ("greedy takes the likeliest token at each step") is right without correcting anything.
    bar = np.where(belief.right_milestone, CORRECTION_BY_MILESTONE, CORRECTION_SIMILARITY)
    bar = np.where(belief.right_premise, np.inf, bar)
    sims = vectors @ belief.right.T
    right = sims.max(axis=1)
    wrong = (vectors @ belief.wrong.T).max(axis=1)
    # Nor is a sentence that the stance model reads as the belief ("a large enough ridge penalty zeroes the
    # weights" is near the truth "a large ridge penalty shrinks weights toward zero" in words only).
    disowns = vectors @ belief.stance + belief.stance_bias < 0
    return bool(np.any((sims >= bar[None, :]).any(axis=1) & (right > wrong + CORRECTION_MARGIN) & disowns))
