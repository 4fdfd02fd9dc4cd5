"""The offline understanding of a candidate turn: sentence embeddings for meaning, sentence shapes for speech acts."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray

from interviewers.scoring.embedding import MiniLM
from interviewers.scoring.offline import OfflineScorer
from interviewers.scoring.text import Unit, content_stems, split_units, words
from interviewers.transcript import parse_transcript
from interviewers.understanding.analysis import Act, TurnAnalysis
from interviewers.understanding.claims import defends, find_claims
from interviewers.understanding.facts import match_facts
from interviewers.understanding.speech_acts import (
    about_the_job,
    admits_stuck,
    asks_for_hint,
    checks_in,
    hostile,
    is_question,
    looks_like_code,
    plans_work,
    pleads,
    says_pass,
    says_stuck,
    substantive,
)
from question_bank.schema import Question

# Shares no words with any question, so it reaches every reference text and brings no candidate text of note.
WARM_UP = (
    "Which colour is the sky above the harbour tonight? "
    "I would paint the old garden fence bright purple before my neighbours arrive tomorrow."
)
# A long turn that matches neither a milestone nor anything in the problem this well is off topic.
OFF_TOPIC = 0.3
OFF_TOPIC_MIN_WORDS = 8
# A statement this close to a probe or follow-up has answered it already: asking it would repeat.
ANSWERED = 0.62
# A sentence this close to a milestone (matching strength: cosine plus cue words) speaks to it directly:
# even when the scorer gives it only partial credit, asking for it again ("Be precise: what is the
# complexity?" after "That's O(n) time and O(n) space") is asking for what was just said.
SPOKEN_TO = 0.8
# A hint this close to a milestone's statement is about that milestone.
HINT_TOPIC = 0.3
# Share of a sentence's content words that the problem's own words cover for it to count as on topic.
TOPICAL_WORDS = 0.3


@lru_cache(maxsize=256)
def _topic_vectors(encoder: MiniLM, texts: tuple[str, ...]) -> NDArray[np.float32]:
    return encoder.encode(list(texts))


def _topic_texts(question: Question) -> tuple[str, ...]:
    prompt = [u.text for u in split_units(0, question.prompt)]
    return tuple(prompt + [f.answer for f in question.facts] + [f.text for f in question.follow_ups] + question.hints)


def _topic_words(question: Question) -> frozenset[str]:
    texts = [question.prompt, question.title, *question.vocabulary, *(m.text for m in question.milestones)]
    texts += [f.answer for f in question.facts] + [f.text for f in question.follow_ups]
    return _stems_of(tuple(texts))


@lru_cache(maxsize=256)
def _stems_of(texts: tuple[str, ...]) -> frozenset[str]:
    return frozenset(s for t in texts for s in content_stems(t))


# "I think I need to count pairs somehow?": statement word order about the candidate's own next step, said
# with a question mark. In a turn that says it is stuck it is thinking aloud, not a question for the
# interviewer: answering it with a fact hands over the method without counting a hint.
_OWN_NEXT_STEP = re.compile(
    r"^\W*(?:(?:um+|uh+|hmm+|so|well|okay|ok|and|then)\W+)*(?:i (?:think|guess|suppose) |maybe |perhaps |probably )?"
    r"(?:i|we)\b",
    re.I,
)
# "The company" is the problem's own company when the problem is set in one ("our company's suite").
_THE_COMPANY = re.compile(r"\b(?:the|our|this) company\b", re.I)


def _thinks_aloud(sentence: str) -> bool:
    text = sentence.strip()
    return text.endswith("?") and bool(_OWN_NEXT_STEP.match(text)) and not is_question(text.rstrip(" ?"))


def _about_the_job(question: Question, sentence: str) -> bool:
    """A question about the job; "Does the company already have a DLP service?" is about a problem set in one."""
    if not about_the_job(sentence):
        return False
    if re.search(r"\bcompany\b", question.prompt, re.I) and _THE_COMPANY.search(sentence):
        return about_the_job(_THE_COMPANY.sub(" ", sentence))
    return True


_YOUR_SIDE = re.compile(r"\byour (team|company|org|organi[sz]ation|group|manager)\b", re.I)


def _your_side(question: Question, sentence: str) -> bool:
    """A question about the interviewer's own team ("what does mentoring look like on your team?"): in a
    behavioral round, or where the problem has no team or company of its own for "your team" to mean."""
    said = _YOUR_SIDE.search(sentence)
    if said is None:
        return False
    own = re.search(rf"\b{said.group(1)}\b", question.prompt, re.I)
    return question.round == "behavioral" or own is None


def _askable(question: Question) -> list[tuple[str, str]]:
    """(target, the question it asks) for every probe and follow-up, to tell when one was answered already."""
    out = [(m.id, m.probe) for m in question.milestones if m.probe]
    return out + [(f"follow_up:{i}", f.text) for i, f in enumerate(question.follow_ups)]


# At most this many words in all, and a turn that says it is stuck is a plea for help.
STUCK_WITH_WORDS = 25


class OfflineUnderstander:
    """Reads a turn with the offline scorer's embeddings and judgements; works on words alone without them."""

    def __init__(self, scorer: OfflineScorer | None) -> None:
        self.scorer: OfflineScorer | None = None
        self.encoder: MiniLM | None = None
        self.use(scorer)

    def use(self, scorer: OfflineScorer | None) -> None:
        """Read with this scorer from now on (the drill loads it while the candidate reads the opening)."""
        self.scorer = scorer
        self.encoder = scorer.encoder if scorer is not None else None

    def analyse(self, question: Question, turns: list[dict[str, Any]]) -> TurnAnalysis:
        latest = len(turns) - 1
        turn = turns[latest] if turns else {"text": ""}
        text = str(turn.get("text", ""))
        if not words(text):  # "", "...", "—"
            return TurnAnalysis(acts=["silent"])
        units = split_units(latest, text)
        acts: list[Act] = []
        if turn.get("code") or looks_like_code(text):
            acts.append("code")
        if any(hostile(u.text) for u in units):
            acts.append("hostile")
        if any(asks_for_hint(u.text) for u in units):
            acts.append("hint_request")
        # "I'm lost, what even matters here?" is a plea in a questioning voice, not a clarifying question.
        pleas = [u for u in units if is_question(u.text) and admits_stuck(u.text)]
        questions = [u.text for u in units if is_question(u.text) and not asks_for_hint(u.text) and u not in pleas]
        if any(says_stuck(u.text) for u in units if not is_question(u.text)):
            questions = [q for q in questions if not _thinks_aloud(q)]
        if any(checks_in(q) for q in questions):
            acts.append("check_in")
        # "How many cases can the review team handle?" is about the problem when a fact answers it; in a
        # behavioral round, whose facts frame the candidate's own story, "your team" is always the job.
        job = [
            q
            for q in questions
            if _about_the_job(question, q) and (_your_side(question, q) or not match_facts(question, [q], self.encoder))
        ]
        problem = [q for q in questions if q not in job and not checks_in(q)]
        facts = match_facts(question, problem, self.encoder, _said_before(units))
        if job:
            acts.append("about_job")
        if problem:
            acts.append("clarify")

        analysis = TurnAnalysis(acts=acts, questions=questions, facts=facts, job_question=job[0] if job else None)
        statements = [u for u in units if not is_question(u.text) and not asks_for_hint(u.text)]
        stuck = [u for u in statements if says_stuck(u.text)] + [u for u in pleas if not asks_for_hint(u.text)]
        said = [u for u in statements if not says_stuck(u.text) and substantive(u.text)]
        # "I'm stuck, I don't see why keep would be empty. searchsorted should give me the count." says where they
        # are stuck, in a few words: still a plea. A long answer that mentions being stuck on one part is not.
        opens_stuck = [u for u in statements if pleads(u.text) and u not in stuck]
        brief = sum(len(words(u.text)) for u in said) <= STUCK_WITH_WORDS
        if (stuck or opens_stuck) and (not said or brief) and "code" not in acts:
            stuck = stuck or opens_stuck
            acts.append("pass" if any(says_pass(u.text) for u in stuck) else "stuck")
        self._judge(question, turns, latest, analysis)
        if said and "code" not in acts:
            topical = self._topical(question, said)
            analysis.relevance = max(analysis.relevance, topical)
            planning = any(plans_work(u.text) for u in said)
            if analysis.relevance < OFF_TOPIC and len(words(text)) >= OFF_TOPIC_MIN_WORDS and not planning:
                acts.append("drift")
            else:
                acts.append("answer")
        elif statements and not stuck and "code" not in acts and not questions:
            acts.append("answer")  # a short answer ("O(n log n).") is still an answer
        return analysis

    def prepare(self, question: Question) -> None:
        """Embed everything of the question a turn is compared with, so the first real turn does not wait.

        One made-up turn (a question for the interviewer and an off-topic statement) takes every path
        that reads the question's reference texts; scripts/bank_vectors.py records them the same way.
        """
        if self.encoder is None:
            return
        turns = [{"speaker": "interviewer", "text": question.prompt}, {"speaker": "candidate", "text": WARM_UP}]
        self.analyse(question, turns)
        self.hint_topics(question)

    def hint_topics(self, question: Question) -> dict[int, str]:
        """The milestone each hint is about, by meaning: a hint on ground already covered can be skipped."""
        if self.encoder is None or not question.hints:
            return {}
        statements = tuple(m.text for m in question.milestones)
        refs = _topic_vectors(self.encoder, statements)
        sims = self.encoder.encode(list(question.hints)) @ refs.T
        return {i: question.milestones[int(row.argmax())].id for i, row in enumerate(sims) if row.max() >= HINT_TOPIC}

    def _judge(self, question: Question, turns: list[dict[str, Any]], latest: int, analysis: TurnAnalysis) -> None:
        """Milestone results over the whole interview, this turn's misconceptions, what was answered already."""
        if self.scorer is None:
            return
        transcript = parse_transcript({"question_id": question.id, "turns": turns})
        judged = self.scorer.analyse(question, transcript)
        analysis.results = {r.id: r for r in self.scorer.decide(question, judged)}
        analysis.claims = [c for c in judged.suspected if c.turn == latest]
        analysis.standing = list(judged.suspected)
        latest_text = str(turns[latest].get("text", ""))
        analysis.restated = find_claims(
            question, split_units(latest, latest_text), self.scorer.encoder, {latest: latest_text}
        )
        analysis.defends = defends(latest_text)
        analysis.dismissals = [(milestone, unit.text) for unit, milestone in judged.dismissals if unit.turn == latest]
        rows = [i for i, unit in enumerate(judged.screened.usable) if unit.turn == latest]
        strength = judged.matches.strength
        analysis.relevance = float(strength[rows].max()) if rows and strength.size else 0.0
        analysis.answered = self._answered(question, judged.screened.usable)
        if strength.size:
            best = strength.max(axis=0)
            analysis.answered |= {m.id for j, m in enumerate(question.milestones) if best[j] >= SPOKEN_TO}

    def _topical(self, question: Question, said: list[Unit]) -> float:
        """How much the turn is about this problem at all (a hand trace of the DP table is, a weekend plan is not)."""
        vocabulary = _topic_words(question)
        best = 0.0
        for unit in said:
            stems = content_stems(unit.text)
            if stems and sum(1 for s in stems if s in vocabulary) / len(stems) >= TOPICAL_WORDS:
                best = max(best, 1.0)
        if self.encoder is None or best >= 1.0:
            return best
        refs = _topic_vectors(self.encoder, _topic_texts(question))
        sims = self.encoder.encode([u.text for u in said]) @ refs.T
        return max(best, float(sims.max()))

    def _answered(self, question: Question, usable: list[Unit]) -> set[str]:
        statements = [u for u in usable if not is_question(u.text)]
        askable = _askable(question)
        if self.encoder is None or not statements or not askable:
            return set()
        refs = _topic_vectors(self.encoder, tuple(text for _, text in askable))
        sims = (self.encoder.encode([u.text for u in statements]) @ refs.T).max(axis=0)
        return {target for (target, _), sim in zip(askable, sims, strict=True) if sim >= ANSWERED}


def _said_before(units: list[Unit]) -> dict[str, str]:
    """Per question of the turn, the statement just before it, if the turn made one there."""
    return {
        unit.text: previous.text
        for previous, unit in pairwise(units)
        if is_question(unit.text) and not is_question(previous.text)
    }
