"""The offline scorer: judges each milestone by meaning, with exact quotes as evidence.

For every candidate sentence (or clause of a long one) and every milestone, the match is
the cosine similarity of their MiniLM sentence embeddings, lifted a little by the milestone's
cue phrases and shared content words. Sentences addressed to the grader, sentences that only
dismiss a topic, and bare lists of terms are never evidence. Without the embedding model the
scorer still works on the lexical signal alone, and says so in its notes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from interviewers.scorecard import Evidence, MilestoneResult, Scorecard, build_scorecard
from interviewers.scoring import guards
from interviewers.scoring.delivery import delivery_metrics
from interviewers.scoring.text import Unit, content_stems, split_units
from interviewers.transcript import Transcript
from question_bank.schema import Milestone, Question

MET = 0.52  # combined match at or above which a milestone is met
PARTIAL = 0.42  # ... and at or above which it is partly covered
CUE_BONUS = 0.06  # per distinct cue phrase found, up to two
OVERLAP_BONUS = 0.12  # times the share of the milestone's key words that the unit uses
MAX_EVIDENCE = 2
# Past this many units, a cheap first pass picks which units get the full embedding: it bounds
# the cost of a 45-minute transcript to well under a second while short sessions embed everything.
FULL_EMBED_UNITS = 120
SHORTLIST_PER_MILESTONE = 12

# Milestone texts describe the candidate ("Explains that ..."); candidates state the content.
_META_LEAD = re.compile(
    r"^(the candidate\s+)?(clearly\s+)?(explains|states|clarifies|describes|identifies|notes|mentions|proposes|"
    r"discusses|gives|names|covers|asks about|asks|says|argues|shows|uses|defines|derives|computes|walks through)"
    r"(\s+(that|how|why|what|whether))?\s+",
    re.IGNORECASE,
)


def milestone_statement(milestone: Milestone) -> str:
    """The milestone's content as a candidate would state it, without the grader's framing verb."""
    text = _META_LEAD.sub("", milestone.text.strip(), count=1)
    return text[:1].upper() + text[1:]


def _cue_stems(milestone: Milestone) -> list[tuple[str, ...]]:
    return [tuple(content_stems(cue)) for cue in milestone.cues if content_stems(cue)]


def _contains(seq: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(seq[i : i + n]) == phrase for i in range(len(seq) - n + 1))


@dataclass
class _Screened:
    """Candidate units split by what the guards said about them."""

    usable: list[Unit] = field(default_factory=list)
    to_grader: int = 0
    term_lists: int = 0
    dismissals: int = 0


def screen(transcript: Transcript) -> _Screened:
    screened = _Screened()
    for index, turn in transcript.candidate_turns():
        for unit in split_units(index, turn.text):
            if guards.addressed_to_grader(unit.text):
                screened.to_grader += 1
            elif guards.bare_term_list(unit.text):
                screened.term_lists += 1
            elif guards.too_short(unit.text):
                continue
            elif guards.dismissive(unit.text):
                screened.dismissals += 1
            else:
                screened.usable.append(unit)
    return screened


class OfflineScorer:
    """Scores without any network: MiniLM embeddings plus cue and word overlap."""

    def __init__(self, use_embeddings: bool = True) -> None:
        self.encoder = None
        self.notes: list[str] = []
        if use_embeddings:
            from interviewers.scoring.embedding import EmbeddingUnavailable, get_encoder

            try:
                self.encoder = get_encoder()
            except EmbeddingUnavailable as exc:
                self.notes.append(f"semantic matching off ({exc}); judged on cue and word overlap only")
        self.name = "offline" if self.encoder is not None else "offline:lexical"

    def score(self, question: Question, transcript: Transcript) -> Scorecard:
        screened = screen(transcript)
        units = screened.usable
        matrix = self.match_matrix(question, units)
        results = [self._judge(m, units, matrix[:, j]) for j, m in enumerate(question.milestones)]
        return build_scorecard(
            question,
            results,
            scorer="offline",
            notes=[*self.notes, *_screening_notes(screened)],
            delivery=delivery_metrics(question, transcript, results),
        )

    def match_matrix(self, question: Question, units: list[Unit]) -> NDArray[np.float32]:
        """units × milestones: semantic similarity plus the lexical lift."""
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
        if self.encoder is None or not units:
            # Without embeddings the lexical lift is the whole signal; rescale it onto the same thresholds.
            return lexical * (MET / (2 * CUE_BONUS + 0.5 * OVERLAP_BONUS))
        return self._semantic(milestones, units, lexical) + lexical

    def _semantic(self, milestones: list[Milestone], units: list[Unit], lexical: NDArray[np.float32]) -> NDArray[np.float32]:
        assert self.encoder is not None
        statements = self.encoder.encode([milestone_statement(m) for m in milestones])
        chosen = self._shortlist(statements, units, lexical)
        semantic = np.zeros_like(lexical)
        vectors = self.encoder.encode([units[i].text for i in chosen])
        semantic[chosen] = vectors @ statements.T
        return semantic

    def _shortlist(self, statements: NDArray[np.float32], units: list[Unit], lexical: NDArray[np.float32]) -> list[int]:
        if len(units) <= FULL_EMBED_UNITS:
            return list(range(len(units)))
        assert self.encoder is not None
        rough = self.encoder.encode_static([u.text for u in units]) @ statements.T + lexical
        keep: set[int] = set()
        for j in range(rough.shape[1]):
            keep.update(int(i) for i in np.argsort(-rough[:, j])[:SHORTLIST_PER_MILESTONE])
        return sorted(keep)

    def _judge(self, milestone: Milestone, units: list[Unit], column: NDArray[np.float32]) -> MilestoneResult:
        if not units:
            return MilestoneResult(id=milestone.id, status="missed", why="no usable candidate sentences")
        order = np.argsort(-column)
        best = float(column[order[0]])
        runner_up = float(column[order[1]]) if len(order) > 1 else 0.0
        # Two separate sentences that each touch the milestone add up to covering it.
        if best >= MET or (best >= PARTIAL + 0.04 and runner_up >= PARTIAL + 0.04):
            status = "met"
        elif best >= PARTIAL:
            status = "partial"
        else:
            return MilestoneResult(id=milestone.id, status="missed", why=f"closest sentence matched {best:.2f}")
        evidence = [
            Evidence(turn=units[i].turn, quote=units[i].text) for i in order[:MAX_EVIDENCE] if column[i] >= PARTIAL
        ]
        return MilestoneResult(id=milestone.id, status=status, evidence=evidence, why=f"best match {best:.2f}")


def _screening_notes(screened: _Screened) -> list[str]:
    counts = Counter(
        {
            "sentence(s) addressed to the grader were ignored": screened.to_grader,
            "list(s) of terms without explanation earned nothing": screened.term_lists,
            "dismissive sentence(s) were not counted as covering their topic": screened.dismissals,
        }
    )
    return [f"{n} {what}" for what, n in counts.items() if n]
