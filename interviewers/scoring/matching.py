"""How strongly each sentence of an answer matches each milestone, by meaning and by words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from interviewers.scoring.embedding import MiniLM
from interviewers.scoring.text import Unit, content_stems
from interviewers.understanding.speech_acts import is_question
from question_bank.schema import Milestone, Question

Matrix = NDArray[np.float32]

CUE_BONUS = 0.06  # per distinct cue phrase found, up to two
OVERLAP_BONUS = 0.12  # times the share of the milestone's key words that the unit uses
# Past this many units, a cheap first pass picks which units get the full embedding: it bounds
# the cost of a 45-minute transcript while short sessions embed everything.
FULL_EMBED_UNITS = 120
SHORTLIST_PER_MILESTONE = 12

# Milestone texts describe the candidate ("Explains that ..."); candidates state the content.
_META_LEAD = re.compile(
    r"^(the candidate\s+)?(clearly\s+)?(explains|states|clarifies|describes|identifies|notes|mentions|proposes|"
    r"discusses|gives|names|covers|asks about|asks|says|argues|shows|uses|defines|derives|computes|walks through)"
    r"(\s+(that|how|why|what|whether))?\s+",
    re.IGNORECASE,
)
_FACET_SPLIT = re.compile(
    r",\s+|;\s+|\s+\(|\)\s*|\s+—\s+|\s+-\s+|:\s+|\.\s+|\s+(?:and then|then|while|whereas|so that)\s+"
)
MIN_FACET_WORDS = 3
# A question the candidate asks is evidence only of asking: "if two squares touch at a corner, are they
# connected?" earns the milestone about clarifying the problem, never the one about handling edge cases.
_ASKING = re.compile(r"\b(asks?|clarif\w*|pins? down|confirms?|checks? whether)\b", re.I)


def milestone_statement(milestone: Milestone | str) -> str:
    """The milestone's content as a candidate would state it, without the grader's framing verb."""
    raw = milestone if isinstance(milestone, str) else milestone.text
    text = _META_LEAD.sub("", raw.strip(), count=1)
    return text[:1].upper() + text[1:]


def milestone_facets(milestone: Milestone | str) -> list[str]:
    """The separate ideas packed into a milestone ("the objective, the metric, the p99 budget").

    One sentence of an answer matches one facet far better than the whole milestone.
    """
    pieces: list[str] = []
    for raw in _FACET_SPLIT.split(milestone_statement(milestone)):
        piece = re.sub(r"^(and|or|but)\s+", "", raw.strip(" ,.;:()"))
        if not piece:
            continue
        if pieces and len(content_stems(piece)) < MIN_FACET_WORDS:
            pieces[-1] = f"{pieces[-1]}, {piece}"
        else:
            pieces.append(piece)
    return pieces or [milestone_statement(milestone)]


def _cue_stems(milestone: Milestone) -> list[tuple[str, ...]]:
    return [tuple(content_stems(cue)) for cue in milestone.cues if content_stems(cue)]


def _contains(seq: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(seq[i : i + n]) == phrase for i in range(len(seq) - n + 1))


@dataclass
class Matches:
    """units × milestones matrices (facet_best holds, per milestone, the best unit for each facet)."""

    statement: Matrix  # similarity to the whole milestone statement
    probe: Matrix  # similarity to the milestone's probe question
    facet: Matrix  # best similarity to any one facet
    lexical: Matrix  # cue phrases and shared content words
    facet_best: list[NDArray[np.float32]]
    example: Matrix | None = None  # best similarity to any of the milestone's examples (candidates' own words)

    @property
    def strength(self) -> Matrix:
        out: Matrix = np.maximum(np.maximum(self.statement, self.facet), self.probe)
        if self.example is not None:
            out = np.maximum(out, self.example)
        return out + self.lexical


def lexical_matrix(question: Question, units: list[Unit]) -> Matrix:
    milestones = question.milestones
    lexical = np.zeros((len(units), len(milestones)), dtype=np.float32)
    unit_stems = [content_stems(u.text) for u in units]
    for j, milestone in enumerate(milestones):
        cues = _cue_stems(milestone)
        key = set(content_stems(milestone_statement(milestone))) | {s for cue in cues for s in cue}
        for i, stems in enumerate(unit_stems):
            hits = sum(1 for cue in cues if _contains(stems, cue))
            overlap = len(key.intersection(stems)) / max(1, min(len(key), 6))
            lexical[i, j] = CUE_BONUS * min(hits, 2) + OVERLAP_BONUS * min(overlap, 1.0)
    return lexical


def match(
    question: Question, units: list[Unit], encoder: MiniLM | None, excluded: NDArray[np.bool_] | None = None
) -> Matches:
    """How well each unit speaks to each milestone; `excluded` (units × milestones) marks pairs that earn nothing."""
    milestones = question.milestones
    n, m = len(units), len(milestones)
    lexical = lexical_matrix(question, units)
    zeros = np.zeros((n, m), dtype=np.float32)
    if encoder is None or n == 0:
        return Matches(zeros, zeros.copy(), zeros.copy(), lexical, [np.zeros(1, np.float32) for _ in milestones])
    owner, refs, example_owner = _references(
        encoder, tuple((ms.text, ms.probe or "", tuple(ms.examples)) for ms in milestones)
    )
    statements, probes = refs[:m], refs[m : 2 * m]
    facet_refs, example_refs = refs[2 * m : 2 * m + len(owner)], refs[2 * m + len(owner) :]
    chosen = _shortlist(
        encoder,
        units,
        np.vstack([statements, facet_refs, example_refs]),
        np.concatenate([np.arange(m), owner, example_owner]),
        lexical,
    )
    vectors = encoder.encode([units[i].text for i in chosen])
    statement, probe, facet = zeros.copy(), zeros.copy(), zeros.copy()
    statement[chosen] = vectors @ statements.T
    probe[chosen] = vectors @ probes.T
    by_facet = np.zeros((n, len(owner)), dtype=np.float32)
    by_facet[chosen] = vectors @ facet_refs.T
    by_example = np.zeros((n, len(example_owner)), dtype=np.float32)
    by_example[chosen] = vectors @ example_refs.T
    # Questions to the interviewer earn nothing but the milestones about asking (see _ASKING).
    blocked = np.array([is_question(u.text) for u in units])[:, None] & ~asks(question)[None, :]
    if excluded is not None:
        blocked = blocked | excluded
    for matrix in (statement, probe, lexical):
        matrix[blocked] = 0.0
    by_facet[blocked[:, owner]] = 0.0
    by_example[blocked[:, example_owner]] = 0.0
    facet_best, example = [], zeros.copy()
    for j in range(m):
        facet[:, j] = by_facet[:, owner == j].max(axis=1)
        facet_best.append(by_facet[:, owner == j].max(axis=0))
        # A milestone without examples (SemEval's references, a user's own bank) is its own example.
        example[:, j] = by_example[:, example_owner == j].max(axis=1) if (example_owner == j).any() else statement[:, j]
    return Matches(statement, probe, facet, lexical, facet_best, example)


def asks(question: Question) -> NDArray[np.bool_]:
    """Per milestone, whether it is about asking (clarifying the problem, pinning down requirements)."""
    return np.array([bool(_ASKING.search(ms.text)) for ms in question.milestones], dtype=bool)


@lru_cache(maxsize=256)
def _references(
    encoder: MiniLM, milestones: tuple[tuple[str, str, tuple[str, ...]], ...]
) -> tuple[NDArray[np.int_], Matrix, NDArray[np.int_]]:
    """Embeddings of each milestone's statement, probe, facets and examples, with the milestone owning each facet
    and each example; from (text, probe, examples), cached per question."""
    facets = [milestone_facets(text) for text, _, _ in milestones]
    owner = np.array([j for j, group in enumerate(facets) for _ in group])
    example_owner = np.array([j for j, (_, _, examples) in enumerate(milestones) for _ in examples], dtype=int)
    refs = encoder.encode(
        [milestone_statement(text) for text, _, _ in milestones]
        + [probe or milestone_statement(text) for text, probe, _ in milestones]
        + [f for group in facets for f in group]
        + [e for _, _, examples in milestones for e in examples]
    )
    return owner, refs, example_owner


def _shortlist(encoder: MiniLM, units: list[Unit], refs: Matrix, owner: NDArray[np.int_], lexical: Matrix) -> list[int]:
    if len(units) <= FULL_EMBED_UNITS:
        return list(range(len(units)))
    static = encoder.encode_static([u.text for u in units]) @ refs.T
    rough = np.stack([static[:, owner == j].max(axis=1) for j in range(lexical.shape[1])], axis=1) + lexical
    keep: set[int] = set()
    for j in range(rough.shape[1]):
        keep.update(int(i) for i in np.argsort(-rough[:, j])[:SHORTLIST_PER_MILESTONE])
    return sorted(keep)
