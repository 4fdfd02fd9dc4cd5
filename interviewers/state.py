"""What the interviewer knows mid-interview, and the decisions it takes (plain data, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from interviewers.personas import Persona
from interviewers.scorecard import Status
from question_bank.schema import Question

Action = Literal[
    "opening",  # the first line: greeting and the prompt
    "answer_fact",  # a clarifying question that a fact covers
    "ask_assumption",  # a clarifying question no fact covers: state an assumption
    "hint",  # the candidate is stuck, or asked for one
    "dig",  # a milestone is partly covered: go deeper on it
    "probe",  # a milestone is missing: ask its probe
    "deepen",  # prerequisites met: a harder follow-up
    "curveball",  # prerequisites met: change the requirements
    "challenge",  # a stated misconception: a pointed question, never the answer
    "ask_code",  # coding: the approach is clear, now the code
    "review_code",  # coding: what the last run of the code showed, and a question about a failing case
    "redirect",  # off topic or hostile: back to the question
    "answer_offscript",  # a question about the job or the interviewer: brief answer, then back
    "wrap_up",  # time is up or everything is covered: summary and the candidate's questions
    "answer_candidate_question",  # the candidate's own questions at the close
    "close",  # the interview ends
    "resume",  # the connection dropped mid-answer: say so, repeat the last words heard, let them go on
]
Phase = Literal["live", "closing", "ended"]


@dataclass
class Decision:
    """One turn's choice, recorded with the interviewer's turn and shown in review."""

    action: Action
    reason: str
    target: str | None = None  # a milestone id, or "fact:N", "follow_up:N", "hint:N"
    content: str = ""  # the substance to convey: a probe, a fact's answer, a hint, a follow-up
    time_note: str | None = None  # "N minutes left", when the clock is worth mentioning
    extra: dict[str, Any] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        data: dict[str, Any] = {"action": self.action, "reason": self.reason}
        if self.target:
            data["target"] = self.target
        if self.time_note:
            data["time_note"] = self.time_note
        if self.extra.get("facts"):
            data["facts"] = list(self.extra["facts"])
        if self.extra.get("cut_in"):
            data["cut_in"] = True
        if "misconception" in self.extra:
            data["misconception"] = self.extra["misconception"]
        if self.action == "challenge" and self.extra.get("quote"):
            data["quote"] = self.extra["quote"]  # what was challenged: the scorecard never takes it as evidence
        if self.extra.get("closing"):
            data["closing"] = True
        if self.extra.get("early"):
            data["early"] = True
        for key in (
            "held",
            "reminder",
            "question",
            "later",
            "deferred",
            "run",
            "failing",
            "again",
            "test",
        ):  # the review shows them, and a resumed interview rebuilds from them
            if self.extra.get(key):
                data[key] = self.extra[key]
        if self.extra.get("understood"):
            data["understood"] = self.extra["understood"]
        return data


FAILING_HINT = "hint:failing"  # a hint about the test the latest code fails, not a rung of the question's ladder


@dataclass
class InterviewState:
    question: Question
    persona: Persona
    coverage: dict[str, Status] = field(default_factory=dict)
    hints_given: int = 0
    hint_indexes: set[int] = field(default_factory=set)  # which rungs of the ladder were given
    hint_topics: dict[int, str] = field(default_factory=dict)  # hint index -> the milestone it is about
    probed: set[str] = field(default_factory=set)
    dug: set[str] = field(default_factory=set)
    skipped: set[str] = field(default_factory=set)
    follow_ups_used: set[int] = field(default_factory=set)
    facts_revealed: set[int] = field(default_factory=set)
    candidate_questions_answered: int = 0
    deferred_question: str | None = None  # a question about the job put off to the end, not yet answered
    warned: bool = False
    phase: Phase = "live"
    last_target: str | None = None
    candidate_turns: int = 0
    latest_turn: int = -1  # index of the latest candidate turn in the transcript
    latest_words: int = 0  # and how many words it had
    answered: set[str] = field(
        default_factory=set
    )  # probes ("milestone id") and "follow_up:N" the candidate answered unasked
    challenged: set[int] = field(default_factory=set)  # misconceptions pushed back on
    challenged_milestones: set[str] = field(default_factory=set)
    # The belief the latest reply pushed back on ("misconception:N" or a milestone id), awaiting the answer,
    open_challenge: str | None = None
    open_challenge_text: str = ""  # the question it was challenged with
    reminded: set[str] = field(default_factory=set)  # beliefs whose challenge was asked again after a reply ignored it
    held: set[str] = field(default_factory=set)  # and those the candidate kept after a second push
    failing_run: dict[str, int] | None = None  # the latest code run, while some of its tests fail
    failing_reminded: bool = False  # and whether the candidate was asked to fix it before moving on
    failing_test: str | None = None  # the first test it fails, by name (or, when hidden, the case it covers)
    failing_hinted: bool = False  # and whether a hint already pointed at it
    code_seen: bool = False
    asked_code: bool = False
    curveball_pending: bool = False  # requirements changed; the candidate has not dealt with it yet
    curveball_index: int | None = None  # the follow-up that changed them
    finished_early: bool = False  # the wrap-up came before the clock ran out

    def __post_init__(self) -> None:
        for milestone in self.question.milestones:
            self.coverage.setdefault(milestone.id, "missed")

    @property
    def time_box_seconds(self) -> float:
        return 60.0 * self.question.time_box

    def covered_share(self) -> float:
        """The weighted share of milestones met (partial counts half), 0..1."""
        total = sum(m.weight for m in self.question.milestones)
        credit = {"met": 1.0, "partial": 0.5, "missed": 0.0}
        return sum(m.weight * credit[self.coverage[m.id]] for m in self.question.milestones) / total

    def apply(self, decision: Decision) -> None:
        """Remember what a decision used up, so it is never offered again."""
        kind, _, index = (decision.target or "").partition(":")
        self.open_challenge = challenged_belief(decision)
        if self.open_challenge:
            pushed = decision.extra.get("challenge")
            asked = pushed.get("content") if isinstance(pushed, dict) else decision.content
            self.open_challenge_text = str(asked or "")
        if decision.extra.get("held") and self.open_challenge:
            self.held.add(self.open_challenge)
        if decision.extra.get("reminder") and self.open_challenge:
            self.reminded.add(self.open_challenge)
        run = decision.extra.get("run")
        if isinstance(run, dict) and "passed" in run and "total" in run:
            self.failing_run = dict(run) if run["passed"] < run["total"] else None
            self.failing_reminded = False
            self.failing_test = str(decision.extra["test"]) if self.failing_run and decision.extra.get("test") else None
            self.failing_hinted = False
        if decision.extra.get("failing"):
            self.failing_reminded = True
        if decision.action == "probe" and decision.target:
            self.probed.add(decision.target)
        elif decision.action == "dig" and decision.target:
            self.dug.add(decision.target)
        elif decision.action in ("deepen", "curveball") and kind == "follow_up":
            self.follow_ups_used.add(int(index))
            if decision.action == "curveball":  # a deeper question meanwhile leaves the change unanswered
                self.curveball_pending, self.curveball_index = True, int(index)
        elif decision.action == "hint" and kind == "hint" and index.isdigit():
            self.hints_given += 1
            self.hint_indexes.add(int(index))
        elif decision.action == "hint" and decision.target == FAILING_HINT:
            self.hints_given += 1
            self.failing_hinted = True
        elif decision.action == "answer_candidate_question":
            self.candidate_questions_answered += 1
        elif decision.action == "answer_offscript":
            self.deferred_question = str(decision.extra.get("question") or "") or self.deferred_question
        if decision.extra.get("later"):
            self.deferred_question = str(decision.extra["later"])
        elif decision.action == "challenge":
            self.challenged.add(int(decision.extra.get("misconception", -1)))
            if kind != "misconception" and decision.target:
                self.challenged_milestones.add(decision.target)
        elif decision.action == "answer_fact" and isinstance(pushed := decision.extra.get("challenge"), dict):
            self.challenged.add(int(pushed.get("misconception", -1)))
            target = str(pushed.get("target") or "")
            if target and not target.startswith("misconception:"):
                self.challenged_milestones.add(target)
        elif decision.action == "ask_code":
            self.asked_code = True
        self.facts_revealed.update(int(i) for i in decision.extra.get("facts", []))
        if decision.time_note:
            self.warned = True
        if decision.extra.get("deferred"):  # answered in the wrap-up
            self.deferred_question = None
            self.candidate_questions_answered += 1
        if decision.action == "wrap_up" or decision.extra.get("closing"):
            self.phase = "closing"
            self.finished_early = bool(decision.extra.get("early"))
        elif decision.action == "close":
            self.phase = "ended"
        if decision.target and kind not in ("fact", "hint"):
            self.last_target = decision.target


def challenged_belief(decision: Decision) -> str | None:
    """The belief a decision pushes back on: "misconception:N", or the milestone a swap or substitution gets wrong."""
    pushed = decision.extra.get("challenge")
    if decision.action == "challenge":
        extra, target = decision.extra, decision.target
    elif decision.action == "answer_fact" and isinstance(pushed, dict):
        extra, target = pushed, pushed.get("target")
    else:
        return None
    if "misconception" in extra:
        return f"misconception:{int(extra['misconception'])}"
    return str(target) if target else None
