"""The offline scorer: judges each milestone by meaning, with exact quotes as evidence.

Each candidate sentence (a clause, when long) is matched against each milestone by MiniLM
sentence embeddings and by cue phrases and shared words (matching.py). Per milestone, a few
features of those matches (features.py) go through a logistic model fitted on the labelled
calibration set in benchmarks/data/scoring_calibration (benchmarks/fit_offline_scorer.py) and
give the probability that a fair grader would credit it. Sentences addressed to the grader,
sentences that only dismiss a topic, and bare lists of terms are screened out first and are never
evidence. Without the embedding model the scorer runs on words alone, with its own fitted weights.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from interviewers.code_results import code_verdict
from interviewers.scorecard import (
    Challenged,
    Evidence,
    MilestoneResult,
    Misconception,
    Scorecard,
    build_scorecard,
    carries_code,
    challenged_quotes,
    code_written,
    held_beliefs,
    hints_given,
    turn_extra,
)
from interviewers.scoring import guards
from interviewers.scoring.delivery import delivery_metrics
from interviewers.scoring.features import FEATURES, milestone_features
from interviewers.scoring.matching import Matches, match
from interviewers.scoring.text import Unit, split_units
from interviewers.transcript import Transcript
from interviewers.understanding.claims import (
    CONFIDENT_CLAIM,
    UNCREDITED_CLAIM,
    ClaimHit,
    belief_of,
    claim_milestone,
    claim_text,
    corrected,
    find_claims,
)
from interviewers.understanding.speech_acts import about_the_job, asks_for_hint, says_stuck
from question_bank.schema import Question

WEIGHTS_FILE = Path(__file__).with_name("offline_weights.json")
MAX_EVIDENCE = 2
SECOND_EVIDENCE_FLOOR = 0.4  # a second quote must itself match the milestone at least this well
# A dismissive sentence this close to a milestone waves that topic away ("prompt injection isn't really a concern
# here" sits at 0.8 from the injection milestone); the interviewer asks what makes the candidate sure.
DISMISSED_TOPIC = 0.6
# Only a plain dismissal is pushed back on: one that goes on to what the candidate would do instead ("tree models
# don't care about monotonic transforms, but for a linear model I'd standardize") or a long run-on that merely
# contains "no need to store it" is an answer; the scripted candidates' correct lines were challenged 14 times.
_CONTRAST = re.compile(r"\b(but|however|though|although|instead|rather|while|whereas|except|unless)\b", re.I)
MAX_DISMISSAL_WORDS = 30


@dataclass
class Screened:
    """Candidate units split by what the guards said about them."""

    usable: list[Unit] = field(default_factory=list)
    dismissed: list[Unit] = field(default_factory=list)  # never evidence, but they tell what was waved away
    to_grader: int = 0
    term_lists: int = 0


def _says_nothing(text: str) -> bool:
    """Too short, a non-answer or pleasantry, a remark about the interview, a bare line of code, or a plea."""
    checks = (guards.too_short, guards.non_answer, guards.pleasantry, guards.meta_remark, guards.code_alone, says_stuck)
    return any(check(text) for check in checks)


def _states(unit: Unit, quotes: set[tuple[int, str]]) -> bool:
    """Whether the unit is, holds or lies within one of the quoted sentences."""
    return any(unit.turn == turn and (unit.text in quote or quote in unit.text) for turn, quote in quotes)


def _challenged(question: Question, units: list[Unit], challenged: list[Challenged]) -> NDArray[np.bool_]:
    """units × milestones: the challenged sentences, against the milestone each challenge was about."""
    ids = [m.id for m in question.milestones]
    out = np.zeros((len(units), len(ids)), dtype=bool)
    for c in challenged:
        # A reply that kept a challenged belief defends it in every sentence ("Daily retraining is exactly the
        # feedback we want; I still think the loop corrects itself."), not only in the one quoted back, and is
        # evidence of nothing else either.
        rows = [i for i, u in enumerate(units) if (c.held and u.turn == c.turn) or _states(u, {(c.turn, c.quote)})]
        columns = [ids.index(c.milestone)] if c.milestone in ids and not c.held else list(range(len(ids)))
        out[np.ix_(rows, columns)] = True
    return out


def screen(transcript: Transcript) -> Screened:
    screened = Screened()
    for index, turn in transcript.candidate_turns():
        if turn_extra(turn).get("code"):
            # Code sent as code is judged by its tests (code_results.py), never read as talk: "for i, x in
            # enumerate(nums):" would otherwise sit among the sentences and sway the milestones they compete for.
            continue
        code = carries_code(turn)
        for unit in split_units(index, turn.text):
            if guards.addressed_to_grader(unit.text):
                screened.to_grader += 1
            elif about_the_job(unit.text) or asks_for_hint(unit.text):
                # "How does the team handle on-call?", "Could you give me a nudge on the geometry?": questions
                # for the interviewer, never evidence
                continue
            elif guards.bare_term_list(unit.text):
                screened.term_lists += not code  # a line of code is no list of buzzwords, just not evidence
            elif _says_nothing(unit.text):
                continue
            elif guards.dismissive(unit.text):
                screened.dismissed.append(unit)
            else:
                screened.usable.append(unit)
    return screened


@dataclass
class Model:
    """A logistic model over FEATURES, with the probability cut-offs for met and partial."""

    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    coef: NDArray[np.float64]
    bias: float
    met: float
    partial: float

    def probability(self, features: NDArray[np.float64]) -> NDArray[np.float64]:
        # Clipped so that an answer unlike anything in the calibration set cannot swing the verdict alone.
        z = np.clip((features - self.mean) / self.scale, -3.0, 3.0) @ self.coef + self.bias
        out: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-z))
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        if data.get("features") != FEATURES:
            raise ValueError(
                "offline_weights.json was fitted on other features; rerun benchmarks/fit_offline_scorer.py"
            )
        return cls(
            np.asarray(data["mean"]),
            np.asarray(data["scale"]),
            np.asarray(data["coef"]),
            float(data["bias"]),
            float(data["met"]),
            float(data["partial"]),
        )


@lru_cache(maxsize=1)
def fitted_models() -> dict[str, Model]:
    raw = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    return {mode: Model.from_json(raw[mode]) for mode in ("semantic", "lexical")}


@dataclass
class Analysis:
    screened: Screened
    matches: Matches
    features: NDArray[np.float64]  # milestones × FEATURES, from the credited units
    credited: list[Unit]  # the usable units less those stating a suspected claim: evidence comes from these
    credit: Matches  # and their matches
    claims: list[ClaimHit] = field(default_factory=list)  # misconceptions stated and not corrected later
    suspected: list[ClaimHit] = field(default_factory=list)  # and those less certain, which the interviewer asks about
    given_up: list[str] = field(default_factory=list)  # beliefs kept through a challenge, corrected later
    dismissals: list[tuple[Unit, str]] = field(default_factory=list)  # a sentence waving a milestone's topic away


class OfflineScorer:
    """Scores without any network: MiniLM embeddings plus cue and word overlap."""

    def __init__(self, use_embeddings: bool = True) -> None:
        from interviewers.scoring.embedding import EmbeddingUnavailable, MiniLM, get_encoder

        self.encoder: MiniLM | None = None
        self.notes: list[str] = []
        if use_embeddings:
            try:
                self.encoder = get_encoder()
            except EmbeddingUnavailable as exc:
                self.notes.append(f"semantic matching off ({exc}); judged on cue and word overlap only")
        self.name = "offline" if self.encoder is not None else "offline:lexical"

    @property
    def model(self) -> Model:
        # Read on first use, not at construction: the fit script analyses answers before any weights match.
        return fitted_models()["semantic" if self.encoder is not None else "lexical"]

    def analyse(self, question: Question, transcript: Transcript) -> Analysis:
        """The expensive part: screen the transcript and match every usable unit against every milestone."""
        screened = screen(transcript)
        said = sorted([*screened.usable, *screened.dismissed], key=lambda u: (u.turn, u.start))
        texts = {index: turn.text for index, turn in transcript.candidate_turns()}
        stated = find_claims(question, said, self.encoder, texts)
        fixed = [hit for hit in stated if corrected(question, hit, said, self.encoder)]
        suspected = [hit for hit in stated if hit not in fixed]
        # The scorecard fails a milestone for a near-certain claim, or for one the candidate kept through the
        # interviewer's second push: what the interviewer held against them, the card holds too.
        held = held_beliefs(transcript.turns)
        claims = [hit for hit in suspected if hit.score >= CONFIDENT_CLAIM or belief_of(hit) in held]
        matches = match(question, screened.usable, self.encoder)
        # A sentence that states a wrong belief is evidence of nothing: it shares the milestone's words
        # ("0.99 AUC is normal for a good churn model") while saying the opposite of what earns it.
        wrong = {(hit.turn, hit.quote) for hit in suspected if hit.score >= UNCREDITED_CLAIM}
        credited = [u for u in screened.usable if not _states(u, wrong)]
        # Nor is a sentence the interviewer challenged, while its belief stands (kept, never corrected), for the
        # milestone the belief gets wrong (every one when it names none): a challenge that missed a correct
        # sentence, which the candidate then explained, costs it nothing, and its other credit stays either way.
        standing = {belief_of(hit) for hit in suspected} | held  # held: kept through a push, even if given up later
        challenged = [c for c in challenged_quotes(transcript.turns) if c.belief in standing]
        excluded = _challenged(question, credited, challenged)
        same = len(credited) == len(screened.usable) and not excluded.any()
        credit = matches if same else match(question, credited, self.encoder, excluded)
        waved_away = match(question, screened.dismissed, self.encoder).strength if screened.dismissed else None
        features = milestone_features(question, credited, credit, waved_away)
        # A belief kept through a challenge and corrected only later is no failed milestone, but it is a signal
        # a senior interviewer writes down: held under one push, given up only on evidence.
        given_up = sorted({b for b in map(belief_of, fixed) if b in held} - {belief_of(hit) for hit in suspected})
        dismissals = [
            (unit, question.milestones[int(row.argmax())].id)
            for unit, row in zip(screened.dismissed, waved_away if waved_away is not None else [], strict=True)
            if row.max() >= DISMISSED_TOPIC
            and len(unit.text.split()) <= MAX_DISMISSAL_WORDS
            and not _CONTRAST.search(unit.text)
        ]
        return Analysis(screened, matches, features, credited, credit, claims, suspected, given_up, dismissals)

    def decide(self, question: Question, analysis: Analysis) -> list[MilestoneResult]:
        """The cheap part: the fitted model turns features into statuses, with the best sentences as evidence."""
        units = analysis.credited
        if not units:
            return [
                MilestoneResult(id=m.id, status="missed", why="no usable candidate sentences")
                for m in question.milestones
            ]
        probability = self.model.probability(analysis.features)
        strength = analysis.credit.strength
        # A sentence that matches nothing (all zeros: a question to the interviewer) owns nothing either.
        owned = (strength >= strength.max(axis=1, keepdims=True)) & (strength > 0)
        wrong = {claim_milestone(question, hit): hit for hit in analysis.claims if claim_milestone(question, hit)}
        results = []
        for j, milestone in enumerate(question.milestones):
            p = float(probability[j])
            why = f"credit probability {p:.2f}"
            if milestone.id in wrong:
                why = f"states a misconception and never corrects it: {claim_text(question, wrong[milestone.id])}"
                results.append(MilestoneResult(id=milestone.id, status="missed", why=why))
                continue
            if p < self.model.partial:
                results.append(MilestoneResult(id=milestone.id, status="missed", why=why))
                continue
            # Prefer sentences that match this milestone best of all; else the closest sentence.
            order = sorted(range(len(units)), key=lambda i: (not owned[i, j], -strength[i, j]))
            evidence = [
                Evidence(turn=units[i].turn, quote=units[i].text)
                for i in order[:MAX_EVIDENCE]
                if strength[i, j] > 0 and (owned[i, j] or i == order[0])
            ]
            status = "met" if p >= self.model.met else "partial"
            results.append(MilestoneResult(id=milestone.id, status=status, evidence=evidence, why=why))
        return results

    def score(self, question: Question, transcript: Transcript) -> Scorecard:
        analysis = self.analyse(question, transcript)
        results = self.decide(question, analysis)
        code = code_verdict(question, results, transcript.turns)
        return build_scorecard(
            question,
            code.results,
            scorer=self.name,
            notes=[
                *self.notes,
                *_screening_notes(analysis.screened),
                *code.notes,
                *(_held_note(question, belief) for belief in analysis.given_up),
            ],
            delivery=delivery_metrics(question, transcript, results),
            misconceptions=[
                Misconception(claim=claim_text(question, hit), turn=hit.turn, quote=hit.quote)
                for hit in analysis.claims
            ],
            hints_used=hints_given(transcript.turns),
            code_written=code_written(transcript.turns),
            tests=code.tests,
        )


def _held_note(question: Question, belief: str) -> str:
    kind, _, index = belief.partition(":")
    wrong = question.misconceptions[int(index)].claim if kind == "misconception" else f"a reversed '{belief}'"
    return f"kept a wrong belief after being challenged, and corrected it only later: {wrong}"


def _screening_notes(screened: Screened) -> list[str]:
    counts = Counter(
        {
            "sentence(s) addressed to the grader were ignored": screened.to_grader,
            "list(s) of terms without explanation earned nothing": screened.term_lists,
            "dismissive sentence(s) were not counted as covering their topic": len(screened.dismissed),
        }
    )
    return [f"{n} {what}" for what, n in counts.items() if n]
