"""Scripted candidates against the real interviewer: does it listen?

The scripts (benchmarks/data/interviewer_quality/*.yaml, one per shipped question, written by people
who did not write the interviewer; see check_set.py) give per question: clarifying questions asked
in words that are not in the fact's `ask`, each misconception said in other words than its claim,
and strong, vague and buzzword answers. From them the harness plays eight kinds of candidate and
counts what a demanding candidate would notice:

- clarifying questions answered with the right fact, when a fact covers them;
- misconceptions challenged;
- covered milestones (or answered follow-ups) asked again, and any probe asked twice;
- false stuck or hostile readings of ordinary technical talk;
- a fact's specifics said before the fact was revealed;
- scores ordered strong above vague and buzzword.

benchmarks/interviewer_quality.py prints the figures; tests/interviewers/test_listening.py holds them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from interviewers.engine import InterviewEngine, Reply
from interviewers.llm import LLMClient
from interviewers.personas import persona_for_round
from interviewers.scoring.offline import OfflineScorer
from question_bank.leaks import line_leaks
from question_bank.loader import Bank
from question_bank.schema import Question

SCRIPTS = Path(__file__).resolve().parent / "data" / "interviewer_quality"
KINDS = ("strong", "vague", "rambling", "wrong", "hint_seeking", "buzzword", "thinker", "mistranscribed")

# Ordinary technical talk that a word-triggered interviewer mistakes for distress or hostility.
TRIGGER_WORDS = [
    "We make one pass over the input with a hash map, so it's linear.",
    "Accuracy is useless here because the positive class is so rare.",
    "If a worker hangs, I'd kill the job and restart it from the last checkpoint.",
    "Each record ends with a blank line, so I split the file on that.",
    "Then an LLM-judge pass scores every answer before the regression gate.",
    "Brute force is pointless at this size, so I'd build an index first.",
    "Skip connections keep the gradients flowing through the deep layers.",
    "I'm not sure the whole index fits in memory, so I'd shard it across machines.",
    "I don't know the exact traffic, so I'll assume about a thousand requests a second.",
    "The stupid baseline, predicting the majority class, already gets most of the way there.",
]
HINT_REQUESTS = [
    "Can you give me a hint?",
    "Could you point me in the right direction?",
    "Any pointers on where to start?",
    "I could use a nudge here.",
]
THINKING = ["Hmm, let me think about this for a moment.", "Okay, give me a second to think it through."]
_HOMOPHONES = {"their": "there", "two": "to", "sort": "sought", "weights": "waits", "model": "modal", "cache": "cash"}


def tuning_half(question_id: str) -> bool:
    """The half of the bank thresholds were tuned on; the other half is for reporting only."""
    return hashlib.sha1(question_id.encode()).digest()[0] % 2 == 0


@dataclass
class Script:
    question: str
    clarify: list[tuple[int, str]]
    misconceptions: list[tuple[int, str]]
    strong: list[str]
    vague: list[str]
    buzzword: list[str]


def load_scripts(folder: Path = SCRIPTS) -> dict[str, Script]:
    scripts = {}
    for path in sorted(folder.glob("*.yaml")):
        raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        scripts[raw["question"]] = Script(
            question=raw["question"],
            clarify=[(int(c["fact"]), str(c["text"])) for c in raw.get("clarify") or []],
            misconceptions=[(int(m["index"]), str(m["text"])) for m in raw.get("misconceptions") or []],
            strong=[str(t) for t in raw["strong"]],
            vague=[str(t) for t in raw["vague"]],
            buzzword=[str(t) for t in raw["buzzword"]],
        )
    return scripts


@dataclass
class Tally:
    hits: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, example: str) -> None:
        self.total += 1
        self.hits += ok
        if not ok:
            self.misses.append(example)

    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else 1.0


@dataclass
class Report:
    clarify: Tally = field(default_factory=Tally)
    wrong_fact: Tally = field(default_factory=Tally)  # hits: a clarifying question answered with another fact
    challenged: Tally = field(default_factory=Tally)
    hint_requests: Tally = field(default_factory=Tally)
    asked_again: list[str] = field(default_factory=list)
    false_triggers: list[str] = field(default_factory=list)
    false_challenges: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    scores: dict[str, dict[str, float]] = field(default_factory=dict)  # question -> kind -> score
    lines: int = 0  # interviewer lines checked

    def __add__(self, other: Report) -> Report:
        """Both reports' counts together (the questions of two parts of the bank)."""
        merged = Report(lines=self.lines + other.lines, scores={**self.scores, **other.scores})
        for name in ("clarify", "wrong_fact", "challenged", "hint_requests"):
            a, b = getattr(self, name), getattr(other, name)
            setattr(merged, name, Tally(a.hits + b.hits, a.total + b.total, a.misses + b.misses))
        for name in ("asked_again", "false_triggers", "false_challenges", "leaks"):
            setattr(merged, name, getattr(self, name) + getattr(other, name))
        return merged

    def ordered(self) -> Tally:
        tally = Tally()
        for qid, by_kind in self.scores.items():
            strong = by_kind["strong"]
            rest = {k: v for k, v in by_kind.items() if k in ("vague", "buzzword", "wrong")}
            tally.add(all(strong > v for v in rest.values()), f"{qid}: {by_kind}")
        return tally


class Harness:
    def __init__(self, bank: Bank, scorer: OfflineScorer, llm: LLMClient | None = None) -> None:
        self.bank, self.scorer, self.llm = bank, scorer, llm

    def engine(self, question: Question) -> InterviewEngine:
        engine = InterviewEngine(question, persona_for_round(question.round), scorer=self.scorer, llm=self.llm, seed=3)
        engine.opening()
        return engine

    def run(self, scripts: dict[str, Script], ids: list[str] | None = None) -> Report:
        report = Report()
        for qid in ids or sorted(scripts):
            self.run_question(self.bank.get(qid), scripts[qid], report)
        return report

    def run_question(self, question: Question, script: Script, report: Report) -> None:
        for fact, text in script.clarify:
            reply = self._one(question, text)
            facts = reply.decision.extra.get("facts", []) if reply.decision.action == "answer_fact" else []
            report.clarify.add(fact in facts, f"{question.id} fact {fact}: {text!r} -> {reply.decision.action} {facts}")
            report.wrong_fact.add(bool(facts) and fact not in facts, f"{question.id}: {text!r} -> facts {facts}")
        for index, text in script.misconceptions:
            reply = self._one(question, text)
            ok = reply.decision.action == "challenge" and reply.decision.extra.get("misconception") == index
            report.challenged.add(ok, f"{question.id} #{index}: {text!r} -> {reply.decision.action}")
        for text in HINT_REQUESTS[:2]:
            reply = self._one(question, text)
            report.hint_requests.add(
                reply.decision.action == "hint", f"{question.id}: {text!r} -> {reply.decision.action}"
            )
        for text in TRIGGER_WORDS:
            self._no_false_trigger(question, self._one(question, text), text, report)
        report.scores[question.id] = {}
        for kind in KINDS:
            engine = self.engine(question)
            turns = self._turns(kind, question, script)
            played: list[tuple[str, Mapping[str, str], Reply]] = []
            for i, text in enumerate(turns):
                before = dict(engine.state.coverage)
                played.append((text, before, self._answer(engine, text, minute=2.0 * (i + 1))))
            self._check_run(question, kind, played, report)
            if kind in ("strong", "vague", "buzzword", "wrong"):
                report.scores[question.id][kind] = engine.scorecard().score

    # -- the candidates ------------------------------------------------------------------------------

    def _turns(self, kind: str, question: Question, script: Script) -> list[str]:
        strong = script.strong
        if kind == "vague":
            return script.vague
        if kind == "buzzword":
            return script.buzzword
        if kind == "wrong":  # confident and wrong: every misconception, said as part of an answer
            return [text for _, text in script.misconceptions] or script.vague
        if kind == "rambling":  # the same content, in two long turns padded with filler
            half = (len(strong) + 1) // 2
            pad = " You know, basically, so yeah, I mean, that's kind of how I see it. "
            return [pad.join(strong[:half]), pad.join(strong[half:])]
        if kind == "hint_seeking":
            return [HINT_REQUESTS[0], strong[0], HINT_REQUESTS[2], *strong[1:3]]
        if kind == "thinker":
            return [THINKING[0], strong[0], THINKING[1], *strong[1:]]
        if kind == "mistranscribed":
            return [_mistranscribe(t) for t in strong]
        return strong

    def _one(self, question: Question, text: str) -> Reply:
        engine = self.engine(question)
        return self._answer(engine, text, minute=1.0)

    @staticmethod
    def _answer(engine: InterviewEngine, text: str, minute: float) -> Reply:
        engine.candidate_turn(text)
        return engine.respond(elapsed=60 * minute)

    # -- what a demanding candidate notices ---------------------------------------------------------------

    def _no_false_trigger(self, question: Question, reply: Reply, text: str, report: Report) -> None:
        d = reply.decision
        if (d.action == "hint" and "asked for a hint" not in d.reason) or d.extra.get("hostile"):
            report.false_triggers.append(f"{question.id}: {text!r} -> {d.action} ({d.reason})")

    def _check_run(
        self, question: Question, kind: str, played: list[tuple[str, Mapping[str, str], Reply]], report: Report
    ) -> None:
        """`played`: (the candidate's turn, what the interviewer believed covered before it, the reply)."""
        asked: set[str] = set()
        revealed: set[int] = set()
        heard = ""
        for text, coverage_before, reply in played:
            heard += "\n" + text
            d = reply.decision
            report.lines += 1
            allowed = set(d.extra.get("facts", [])) | revealed
            for fact, token in line_leaks(question, reply.text, allowed, heard):
                report.leaks.append(f"{question.id} ({kind}): '{token}' of fact {fact} in {reply.text!r}")
            revealed |= set(d.extra.get("facts", []))
            target = d.target or ""
            if d.action in ("probe", "dig", "deepen", "curveball") and target:
                if target in asked:
                    report.asked_again.append(f"{question.id} ({kind}): {target} asked twice")
                elif d.action in ("probe", "dig") and coverage_before.get(target) == "met":
                    report.asked_again.append(f"{question.id} ({kind}): {target} was covered; {reply.text!r}")
                asked.add(target)
            hint_asked = any(h.lower() in text.lower() for h in HINT_REQUESTS)
            if kind != "wrong" and not hint_asked:
                self._no_false_trigger(question, reply, text[:80], report)
            if kind in ("strong", "rambling", "mistranscribed") and d.action == "challenge":
                report.false_challenges.append(f"{question.id} ({kind}): {d.reason} <- {d.extra.get('quote')!r}")


def _mistranscribe(text: str) -> str:
    """What a small speech model makes of a spoken answer: no punctuation or capitals, some words misheard."""
    words = re.sub(r"[^\w\s%'-]", " ", text).lower().split()
    return " ".join(_HOMOPHONES.get(w, w) for w in words)
