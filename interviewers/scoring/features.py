"""Per-milestone features of an answer, which a small logistic model turns into a verdict.

Similarity alone cannot tell "covers the idea" from "talks about the same topic": every sentence
of an on-topic answer resembles every milestone a little. What separates them is whether a
sentence matches this milestone better than any other (ownership), how many of the milestone's
facets are covered somewhere, and, for behavioral stories, the shape of the story itself: a dated
situation, first-person actions, numbers in the result, a lesson drawn.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from interviewers.scoring.matching import Matches, milestone_facets
from interviewers.scoring.text import Unit, content_stems
from question_bank.schema import Milestone, Question

FACET_LEVELS = (0.45, 0.55, 0.65)
FEATURES = [
    "best_owned",
    "second_owned",
    "lexical_max",
    "strength_max",
    *(f"facets_covered_{t}" for t in FACET_LEVELS),
    "statement_max",
    "story_context",
    "story_first_person",
    "story_numbers",
    "story_lesson",
    "dismissed_max",
    "rare_words_best",
    "rare_words_second",
    "rare_words_all",
    # Added with the SemEval-2013 calibration (benchmarks/scoring_quality.py --semeval): what human graders
    # of short answers reward beyond similarity.
    "owned_words",  # how much the candidate said about this milestone (log content words of its units)
    "prompt_free_overlap",  # milestone words used that the question itself did not already say
    "negation_flip",  # the closest sentence negates where the milestone's nearest facet affirms, or the reverse
    "example_owned",  # the best match to one of the milestone's examples (candidates' own words), among units it owns
]

# Whether a sentence negates: "are not connected" against "are connected" is the commonest contradiction
# in graded short answers, and similarity cannot see it.
_NEGATION = re.compile(r"\b(not|no|never|none|nothing|cannot|neither|nor|without)\b|n't\b", re.IGNORECASE)


_CONTEXT = re.compile(
    r"\b(ago|last (year|quarter|month|summer|spring|fall|autumn|winter)|in (19|20)\d\d|at my (last|previous|current|"
    r"first)|when i (was|joined|started)|i was (working|leading|the|on|a)|we had|we were|our team|"
    r"(a|my) (startup|company|team|manager|colleague|teammate)|back (then|at))\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"\d|%|\$|€|£|\b(percent|million|billion|thousand|hundred|half|double[ds]?|tripled?|twice)\b", re.IGNORECASE
)
_LESSON = re.compile(
    r"\b(learn(ed|t|ing)?|lessons?|differently|in hindsight|looking back|next time|would have|should have|"
    r"taught me|reali[sz]ed|takeaways?|since then|now i (always|make sure)|changed how i)\b",
    re.IGNORECASE,
)
_I = re.compile(r"\bI\b(?!'d| would| think| guess| believe| feel| don't| do not)")
_WE = re.compile(r"\bwe\b", re.IGNORECASE)

# Which story shape a behavioral milestone asks for, by its id.
_STORY_KINDS = {
    "story_context": re.compile(r"situation|context|stakes"),
    "story_first_person": re.compile(r"own|action|ownership|role|decision|contribution"),
    "story_numbers": re.compile(r"quantif|result|impact|measure|outcome"),
    "story_lesson": re.compile(r"reflect|lesson|learn|prevent"),
}


def _story_features(milestone_id: str, units: list[Unit], strength: NDArray[np.float32], j: int) -> list[float]:
    """For a behavioral milestone of a known kind: the best match among units that have its shape."""
    values = []
    for kind, pattern in _STORY_KINDS.items():
        if not pattern.search(milestone_id):
            values.append(0.0)
            continue
        if kind == "story_first_person":
            text = " ".join(u.text for u in units)
            mine, ours = len(_I.findall(text)), len(_WE.findall(text))
            values.append(mine / (mine + ours) if mine + ours else 0.0)
            continue
        shape = {"story_context": _CONTEXT, "story_numbers": _NUMBER, "story_lesson": _LESSON}[kind]
        fits = [strength[i, j] for i, u in enumerate(units) if shape.search(u.text)]
        values.append(float(max(fits)) if fits else 0.0)
    return values


RARE_WORDS_FILE = Path(__file__).with_name("rare_words.json")


@lru_cache(maxsize=1)
def _document_frequency() -> tuple[Counter[str], int]:
    """How many milestones use each word stem: the corpus for inverse document frequency.

    Frozen in rare_words.json when the weights are fitted: the fitted model expects these exact
    weights, and a question added to the bank later must not shift every other question's scores.
    """
    data = json.loads(RARE_WORDS_FILE.read_text(encoding="utf-8"))
    return Counter(data["stems"]), int(data["milestones"])


def count_milestone_stems(folders: list[Path]) -> dict[str, Any]:
    """The document frequencies of the milestones in these question folders (written by the fit script)."""
    from question_bank.loader import load_paths

    docs = [set(milestone_stems(m)) for q in load_paths(folders).questions.values() for m in q.milestones]
    counts = Counter(stem for doc in docs for stem in doc)
    return {"milestones": len(docs), "stems": dict(sorted(counts.items()))}


def milestone_stems(milestone: Milestone) -> list[str]:
    return content_stems(milestone.text + " " + " ".join(milestone.cues))


def _rare_word_features(milestone: Milestone, unit_stems: list[set[str]]) -> list[float]:
    """Shares of the milestone's rare words (IDF-weighted) used by its best unit, its second, and the answer.

    Generic topic words ("model", "data") are in every milestone; the words that make this milestone
    specific ("soft-thresholding", "attribution window") are rare across the bank, and saying them (or
    the same stems) is strong evidence of covering it.
    """
    counts, total_docs = _document_frequency()
    stems = set(milestone_stems(milestone))
    weight = {s: math.log((total_docs + 1) / (counts.get(s, 0) + 1)) + 1 for s in stems}
    whole = sum(weight.values()) or 1.0
    per_unit = sorted((sum(weight[s] for s in stems & unit) / whole for unit in unit_stems), reverse=True)
    everything = set().union(*unit_stems) if unit_stems else set()
    return [
        per_unit[0] if per_unit else 0.0,
        per_unit[1] if len(per_unit) > 1 else 0.0,
        sum(weight[s] for s in stems & everything) / whole,
    ]


def _answer_features(
    question: Question, milestone: Milestone, units: list[Unit], unit_stems: list[set[str]], mine: list[int]
) -> list[float]:
    """The three SemEval-calibrated features, over the units this milestone owns (or its closest unit).

    (A fourth, the words a sentence adds beyond the question and the milestone, helped on SemEval and
    cost paraphrased interview answers their credit: a paraphrase is made of other words.)
    """
    prompt = set(content_stems(question.prompt))
    wanted = set(milestone_stems(milestone))
    fresh = wanted - prompt or wanted
    everything = set().union(*unit_stems) if unit_stems else set()
    words = sum(len(unit_stems[i]) for i in mine)
    return [
        math.log1p(words),
        len(fresh & everything) / len(fresh) if fresh else 0.0,
        float(_negation_flip(milestone, units[mine[0]].text, unit_stems[mine[0]])) if mine else 0.0,
    ]


def _negation_flip(milestone: Milestone, sentence: str, stems: set[str]) -> bool:
    """Whether the sentence's sense differs from the milestone facet it shares most words with.

    A long milestone often says "not" somewhere ("the intercept is usually not penalized"); only the
    facet the sentence speaks to tells whether "L2 never reaches zero" agrees or contradicts.
    """
    facets = milestone_facets(milestone)
    nearest = max(facets, key=lambda f: len(stems & set(content_stems(f))))
    return bool(_NEGATION.search(sentence)) != bool(_NEGATION.search(nearest))


def milestone_features(
    question: Question, units: list[Unit], matches: Matches, dismissed: NDArray[np.float32] | None = None
) -> NDArray[np.float64]:
    """One row of FEATURES per milestone, in question order.

    `dismissed` (dismissive units × milestones) is negative evidence: a topic the candidate waved away.
    """
    m = len(question.milestones)
    waved = np.zeros(m)
    if dismissed is not None and len(dismissed):
        # A dismissal waves away the topic it is about, its nearest milestone: "prompt injection isn't a concern
        # here" resembles every security and monitoring milestone a little, and counted against all of them.
        about = dismissed >= dismissed.max(axis=1, keepdims=True)
        waved = np.where(about, dismissed, 0.0).max(axis=0)
    if not units:
        empty = np.zeros((m, len(FEATURES)))
        empty[:, FEATURES.index("dismissed_max")] = waved
        return empty
    unit_stems = [set(content_stems(u.text)) for u in units]
    strength = matches.strength
    owned = strength >= strength.max(axis=1, keepdims=True)
    rows = []
    for j, milestone in enumerate(question.milestones):
        own = np.sort(np.where(owned[:, j], strength[:, j], 0.0))[::-1]
        ranked = sorted(np.flatnonzero(owned[:, j]).tolist(), key=lambda i: -float(strength[i, j]))
        mine: list[int] = ranked or [int(np.argmax(strength[:, j]))]
        covered = [float((matches.facet_best[j] >= level).mean()) for level in FACET_LEVELS]
        story = _story_features(milestone.id, units, strength, j) if question.round == "behavioral" else [0.0] * 4
        rows.append(
            [
                float(own[0]),
                float(own[1]) if len(own) > 1 else 0.0,
                float(matches.lexical[:, j].max()),
                float(strength[:, j].max()),
                *covered,
                float(matches.statement[:, j].max()),
                *story,
                float(waved[j]),
                *_rare_word_features(milestone, unit_stems),
                *_answer_features(question, milestone, units, unit_stems, mine),
                float(matches.example[mine, j].max()) if matches.example is not None else 0.0,
            ]
        )
    return np.asarray(rows, dtype=np.float64)
