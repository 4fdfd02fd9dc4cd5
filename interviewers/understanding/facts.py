"""Which of a question's facts a candidate's clarifying question asks for: by meaning, and by its ask words.

A candidate asks in their own words ("How often does fraud actually happen?"), so each fact is
represented by the sentences of its answer, its ask phrases joined to its answer, and the example
questions the bank lists for it (as an intent classifier learns from example utterances), and a
clarifying question is compared with all of them by sentence embedding. On the benchmark's held-out
scripts the examples lift the share of clarifying questions matched to their fact from 0.71 to 0.93
(tuning half) and 0.92 (report half); all-mpnet-base-v2 did no better than all-MiniLM-L6-v2 at five
times the cost. A two-part question ("What is the application, and how rare are positives?") is
split and each part matched on its own. A question that uses a fact's own ask phrase gets it outright.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from interviewers.scoring.embedding import MiniLM
from interviewers.scoring.text import content_stems
from question_bank.schema import Question

# Cosine at or above which a question part is taken to ask for a fact (tuned on the benchmark's tuning
# half, see benchmarks/interviewer_quality.py); a second fact is given too when it comes this close to
# the best, since neighbouring facts of one incident are often what the candidate meant.
FACT_THRESHOLD = 0.34
SECOND_FACT_MARGIN = 0.03
MAX_FACTS_PER_TURN = 3
_PART_SPLIT = re.compile(
    r"(?<=[?])\s+|\n+|,?\s+(?:and|also|plus|or)\s+(?=(?:\w+\s+)?(?:what|how|is|are|do|does|can|will|any)\b)", re.I
)


@dataclass(frozen=True)
class FactMatch:
    fact: int
    score: float  # 0..1: embedding cosine, or 1.0 for an ask phrase used outright
    part: str  # the words of the question that asked for it


def question_parts(sentence: str) -> list[str]:
    """A question split into the questions it packs together."""
    parts = [p.strip(" ,") for p in _PART_SPLIT.split(sentence) if p and p.strip(" ,")]
    return [p for p in parts if len(content_stems(p)) >= 1] or [sentence]


def _phrase_in(phrase: str, stems: list[str], text: str) -> bool:
    wanted = content_stems(phrase)
    if not wanted:  # a stopword or a one-letter ask such as "n": only as a whole word
        return re.search(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)", text.lower()) is not None
    n = len(wanted)
    return any(stems[i : i + n] == wanted for i in range(len(stems) - n + 1))


def lexical_matches(question: Question, part: str) -> dict[int, float]:
    """Facts whose ask phrases the part uses: a two-word phrase, two words, or one word of a short question.

    An ask phrase several facts share ("values") says less about which one is meant: it counts 1/k.
    """
    asks = [[(p, tuple(content_stems(p)) or (p.lower(),)) for p in set(fact.ask)] for fact in question.facts]
    sharing = Counter(key for phrases in asks for _, key in phrases)
    stems = content_stems(part)
    if not stems:
        return {}
    needed = 1 if len(stems) <= 3 else 2
    found = {}
    for i, phrases in enumerate(asks):
        weight = sum(len(key) / sharing[key] for p, key in phrases if _phrase_in(p, stems, part))
        if weight >= needed:
            found[i] = weight
    return found


@lru_cache(maxsize=256)
def _fact_vectors(
    encoder: MiniLM, facts: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]
) -> tuple[NDArray[np.int_], NDArray[np.float32]]:
    texts: list[str] = []
    owner: list[int] = []
    for i, (answer, ask, examples) in enumerate(facts):
        sentences = [part.strip() for part in re.split(r"(?<=[.;])\s+", answer) if part.strip()]
        mine = [*sentences, f"{', '.join(ask)}: {answer}", *examples]
        texts += mine
        owner += [i] * len(mine)
    return np.asarray(owner), encoder.encode(texts)


def semantic_scores(question: Question, parts: list[str], encoder: MiniLM) -> NDArray[np.float32]:
    """parts × facts: the best cosine between each part and any sentence that represents the fact."""
    key = tuple((f.answer, tuple(f.ask), tuple(f.examples)) for f in question.facts)
    owner, refs = _fact_vectors(encoder, key)
    sims = encoder.encode(parts) @ refs.T
    out = np.zeros((len(parts), len(question.facts)), dtype=np.float32)
    for j in range(len(question.facts)):
        out[:, j] = sims[:, owner == j].max(axis=1)
    return out


def match_facts(question: Question, questions: list[str], encoder: MiniLM | None) -> list[FactMatch]:
    """The facts a turn's clarifying questions ask for, best first (at most MAX_FACTS_PER_TURN)."""
    if not question.facts or not questions:
        return []
    parts = [part for sentence in questions for part in question_parts(sentence)]
    best: dict[int, FactMatch] = {}

    def offer(found: FactMatch) -> None:
        if found.fact not in best or found.score > best[found.fact].score:
            best[found.fact] = found

    for part in parts:
        for fact in lexical_matches(question, part):
            offer(FactMatch(fact, 1.0, part))
    if encoder is not None:
        scores = semantic_scores(question, parts, encoder)
        for row, part in enumerate(parts):
            top = float(scores[row].max())
            if top < FACT_THRESHOLD:
                continue
            for fact in np.argsort(-scores[row])[:2]:
                score = float(scores[row, fact])
                if score >= FACT_THRESHOLD and score >= top - SECOND_FACT_MARGIN:
                    offer(FactMatch(int(fact), score, part))
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.fact))
    return ranked[:MAX_FACTS_PER_TURN]
