"""Which of a question's facts a candidate's clarifying question asks for: by meaning, and by the words asked.

A candidate asks in their own words ("How often does fraud actually happen?"), so each fact is
represented by the sentences of its answer, its ask phrases joined to its answer, and the example
questions the bank lists for it (as an intent classifier learns from example utterances), and a
clarifying question is compared with all of them by sentence embedding. A two-part question ("What is
the application, and how rare are positives?") is split and each part matched on its own; "X, or Y?"
offers alternatives to one question and stays whole.

Each part gets at most the one fact it is closest to, never its neighbours too: giving every fact near
the best answered "did the re-index change the embedding model?" with the recall table as well, which
gives the root cause away. Closeness is the cosine plus how much of the part's wording the fact's texts
use, each word counted by how few facts share it: in the part that asks for it, that ranks the fact first
for 0.95 of the benchmark's tuning-half questions and 0.92 of its report half, against 0.90 by cosine alone.
A part that uses a fact's ask phrase (two words of it) gets that fact outright; one word of it decides
between facts that cover the part ("latency" over "typical task" in "what's the latency expectation for a
typical request?") but does not make a fact cover it ("solution" in "should the solution be in Rust?"), and
a phrase that only names the problem ("probability" in top-p sampling) counts for nothing.

A question about something near a fact but not covered by it ("Does the company have a data-loss-prevention
service?" beside a fact on OAuth scopes) is close to it in meaning through the setting they share. So the
best fact is given only when the meaning alone is close, or it leads its runner-up clearly, or its texts
use the part's own words: those the problem statement does not use, less the words that frame any question.
Otherwise no fact covers the part, and the interviewer asks for an assumption. That catches most near
misses in their own words ("do we include the token that crosses p?" beside ties at the cutoff), but not
one the runner-up trails clearly, nor one that shares words with the fact ("does the new export API return
tables and code blocks?" beside the new export's fields).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from interviewers.scoring.embedding import MiniLM
from interviewers.scoring.text import content_stems
from question_bank.schema import Question

# Tuned on the benchmark's tuning half (benchmarks/interviewer_quality.py). How well a fact covers a part:
# its best cosine with the fact's texts plus WORD_WEIGHT times the share of the part's words the fact's texts
# use; ranked with ASK_BONUS more when the part uses the fact's ask phrase. The best fact needs to cover the
# part by FACT_THRESHOLD, and one of: a cosine of SURE_COSINE, a lead of CLEAR_LEAD over the runner-up, or
# OWN_WORDS of the part's own words in its texts.
FACT_THRESHOLD = 0.36
WORD_WEIGHT = 0.3
ASK_BONUS = 0.2
SURE_COSINE = 0.5
CLEAR_LEAD = 0.1
OWN_WORDS = 0.15
MAX_FACTS_PER_TURN = 3
_PART_SPLIT = re.compile(
    r"(?<=[?])\s+|\n+|,?\s+(?:and|also|plus)\s+(?=(?:\w+\s+)?(?:what|how|who|which|where|when|why|is|are|was|were|do|"
    r"does|did|can|could|will|would|should|has|have|any)\b)",
    re.I,
)
# Stems that frame a question rather than name what it is about ("Quick question: what's ...").
_FRAMING = frozenset(
    {"what's", "how's", "where's", "who's", "question", "quick", "exampl", "instance", "exact", "think", "need"}
    | {"want", "know", "mean", "tell", "wonder", "assum", "ask", "clarify", "sure", "somehow"}
)


@dataclass(frozen=True)
class FactMatch:
    fact: int
    score: float  # 0..1: closeness by meaning and words, or 1.0 for an ask phrase used outright
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


def ask_words(question: Question, part: str, setting: frozenset[str] = frozenset()) -> dict[int, float]:
    """Per fact, how many words of its ask phrases the part uses (each phrase's words in a row).

    An ask phrase several facts share ("values") says less about which one is meant: it counts 1/k. A phrase
    made only of words of `setting` (the problem statement's) names the problem, not the fact.
    """
    asks = [[(p, tuple(content_stems(p)) or (p.lower(),)) for p in set(fact.ask)] for fact in question.facts]
    sharing = Counter(key for phrases in asks for _, key in phrases)
    stems = content_stems(part)
    found = {}
    for i, phrases in enumerate(asks):
        used = [key for p, key in phrases if not set(key) <= setting and _phrase_in(p, stems, part)]
        if used:
            found[i] = sum(len(key) / sharing[key] for key in used)
    return found


def lexical_matches(question: Question, part: str) -> dict[int, float]:
    """Facts whose ask phrases the part uses: a two-word phrase, two words, or one word of a short question."""
    stems = content_stems(part)
    needed = 1 if len(stems) <= 3 else 2
    return {i: weight for i, weight in ask_words(question, part).items() if stems and weight >= needed}


FactTexts = tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]  # (answer, ask, examples) per fact


def _fact_texts(question: Question) -> FactTexts:
    return tuple((f.answer, tuple(f.ask), tuple(f.examples)) for f in question.facts)


@lru_cache(maxsize=256)
def _fact_vectors(encoder: MiniLM, facts: FactTexts) -> tuple[NDArray[np.int_], NDArray[np.float32]]:
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
    owner, refs = _fact_vectors(encoder, _fact_texts(question))
    sims = encoder.encode(parts) @ refs.T
    out = np.zeros((len(parts), len(question.facts)), dtype=np.float32)
    for j in range(len(question.facts)):
        out[:, j] = sims[:, owner == j].max(axis=1)
    return out


@lru_cache(maxsize=256)
def _fact_words(prompt: str, facts: FactTexts) -> tuple[tuple[dict[str, float], ...], frozenset[str]]:
    """Per fact, each word its texts use with weight 1/(facts that use it); and the problem statement's words."""
    used = [{s for text in (answer, *ask, *examples) for s in content_stems(text)} for answer, ask, examples in facts]
    sharing = Counter(s for stems in used for s in stems)
    return tuple({s: 1 / sharing[s] for s in stems} for stems in used), frozenset(content_stems(prompt))


def word_support(question: Question, part: str) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Per fact: the weighted share of the part's words its texts use, and the same over the part's own words.

    The part's own words are those the problem statement does not use, apart from the ones that frame any
    question: what the candidate asks about beyond the setting they share with every fact.
    """
    weights, setting = _fact_words(question.prompt, _fact_texts(question))
    stems = set(content_stems(part))
    own = stems - setting - _FRAMING
    share = np.zeros(len(weights), dtype=np.float32)
    own_share = np.zeros(len(weights), dtype=np.float32)
    for j, fact in enumerate(weights):
        if stems:
            share[j] = sum(fact.get(s, 0.0) for s in stems) / len(stems)
        if own:
            own_share[j] = sum(fact.get(s, 0.0) for s in own) / len(own)
    return share, own_share


def _best_fact(
    question: Question,
    part: str,
    cosines: NDArray[np.float32],
    covers: NDArray[np.float32],
    own_share: NDArray[np.float32],
) -> FactMatch | None:
    """The one fact this part asks for, if any fact covers it (see the module docstring).

    `covers`: per fact, the cosine plus WORD_WEIGHT times the share of the part's words its texts use;
    `own_share`: the same share over the part's own words (word_support)."""
    scores = covers.copy()
    setting = _fact_words(question.prompt, _fact_texts(question))[1]
    for fact, weight in ask_words(question, part, setting).items():
        scores[fact] += ASK_BONUS * min(weight, 2.0) / 2
    # The ask bonus ranks only the facts that cover the part about as well as the best; it still counts
    # against the leader's lead.
    top = int(np.where([_close_to_best(covers, j) for j in range(len(covers))], scores, -np.inf).argmax())
    lead = float(scores[top] - np.delete(scores, top).max()) if len(scores) > 1 else 1.0
    # An ask word decides between facts that cover the part; alone it does not make one cover it.
    if covers[top] < FACT_THRESHOLD:
        return None
    if cosines[top] < SURE_COSINE and lead < CLEAR_LEAD and own_share[top] < OWN_WORDS:
        return None  # close only through the setting it shares with other facts
    return FactMatch(top, min(1.0, float(covers[top])), part)


def _close_to_best(covers: NDArray[np.float32], fact: int) -> bool:
    """Whether a fact covers a part about as well as the best does: an ask phrase decides only among those.

    "How does the default rate move across score deciles?" uses the calibration fact's ask phrase "default
    rate", but the decile fact, whose answer speaks of default rates by decile too, covers it far better.
    """
    return bool(covers[fact] >= covers.max() - CLEAR_LEAD)


# A part that points back at what was just said ("What does that look like?", or after a described check,
# "What comes back?") names nothing by itself.
_REFERS_BACK = re.compile(
    r"\b(that|this|it|those|these|they|them|comes? back|turns? up|shows? up|results?|"
    r"(do|would|did) (you|we|i) (see|find|get))\b",
    re.I,
)
MAX_POINTING_WORDS = 2


def _in_context(part: str, before: str | None) -> str:
    """The part, with the sentence before it when the part only points back at that sentence."""
    if before and _REFERS_BACK.search(part) and len(content_stems(part)) <= MAX_POINTING_WORDS:
        return f"{before} {part}"
    return part


def match_facts(
    question: Question, questions: list[str], encoder: MiniLM | None, before: Mapping[str, str] | None = None
) -> list[FactMatch]:
    """The facts a turn's clarifying questions ask for, in the order asked (the best MAX_FACTS_PER_TURN).

    `before`: per question, the statement the candidate made just before it, which a question that only
    points back ("If I'm right, the deciles differ. What does that look like?") is about.
    """
    if not question.facts or not questions:
        return []
    parts = [
        _in_context(part, (before or {}).get(sentence) if i == 0 else None)
        for sentence in questions
        for i, part in enumerate(question_parts(sentence))
    ]
    best: dict[int, FactMatch] = {}

    def offer(found: FactMatch) -> None:
        if found.fact not in best or found.score > best[found.fact].score:
            best[found.fact] = found

    cosines = semantic_scores(question, parts, encoder) if encoder is not None else None
    for row, part in enumerate(parts):
        lexical = lexical_matches(question, part)
        if cosines is None:  # without embeddings, any ask phrase the part uses
            for fact in lexical:
                offer(FactMatch(fact, 1.0, part))
            continue
        share, own_share = word_support(question, part)
        covers = cosines[row] + WORD_WEIGHT * share
        for fact, weight in lexical.items():
            if weight >= 2 and _close_to_best(covers, fact):  # an ask phrase used outright
                offer(FactMatch(fact, 1.0, part))
        if (found := _best_fact(question, part, cosines[row], covers, own_share)) is not None:
            offer(found)
    kept = sorted(best.values(), key=lambda m: (-m.score, m.fact))[:MAX_FACTS_PER_TURN]
    return sorted(kept, key=lambda m: parts.index(m.part))  # answered in the order they were asked
