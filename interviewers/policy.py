"""The follow-up policy: after each candidate turn, choose one action and say why.

Deterministic and free of I/O: the engine updates milestone coverage with the scorer, then asks
`FollowUpPolicy.next_action`. Both the offline and the LLM interviewer act on its decisions; the
LLM only words them.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from interviewers.scoring.text import content_stems
from interviewers.state import Decision, InterviewState
from question_bank.schema import Milestone

Command = Literal["hint", "skip", "end", "resume", "interrupt"]

_QUESTION_START = re.compile(
    r"^\s*(what|how|can|could|do|does|did|is|are|should|will|would|which|who|when|where|may|am i|is it)\b", re.I
)
_CLARIFY = re.compile(
    r"\b(can i assume|do we (have|know|need)|is there|are there|what'?s the|how (many|much|fast|big))\b", re.I
)
_STUCK = re.compile(
    r"\b(i don'?t know|not sure|no idea|i'?m stuck|i am stuck|no clue|can you help|give me a hint|i'?m lost|"
    r"i can'?t think|blank(ed)?|pass)\b",
    re.I,
)
_HOSTILE = re.compile(
    r"\b(stupid|dumb|idiot|shut up|ridiculous|useless|hate (this|you)|fuck\w*|shit\w*|crap|pointless question)\b", re.I
)
_ABOUT_THE_JOB = re.compile(
    r"\b(you|your (team|company|work|role|day)|the team|the company|work here|working here|the role|this role|"
    r"culture|on-?call|remote|promotion)\b",
    re.I,
)
_SHORT_WORDS = 4
_QUESTION_SPLIT = re.compile(r"(?<=[?.!])\s+|\n+")  # one turn may ask several questions
MAX_FACTS_PER_TURN = 3
OFF_TOPIC_RELEVANCE = 0.3  # below this match with every milestone, a long answer is off topic
CURVEBALL_PROGRESS = 0.45  # weighted share covered before requirements change
MAX_CANDIDATE_QUESTIONS = 2


@dataclass
class TurnSignals:
    """What the engine measured about the candidate's latest turn."""

    text: str
    elapsed: float  # seconds since the question was asked
    command: Command | None = None
    relevance: float | None = None  # best match of the turn with any milestone (None: not measured)
    newly_partial: list[str] = field(default_factory=list)
    newly_met: list[str] = field(default_factory=list)


def is_question(text: str) -> bool:
    return "?" in text or bool(_QUESTION_START.search(text)) or bool(_CLARIFY.search(text))


def _phrase_in(phrase: str, stems: list[str], text: str) -> bool:
    wanted = content_stems(phrase)
    if not wanted:  # a stopword or a one-letter ask such as "n": only as a whole word
        return re.search(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)", text.lower()) is not None
    n = len(wanted)
    return any(stems[i : i + n] == wanted for i in range(len(stems) - n + 1))


class FollowUpPolicy:
    def next_action(self, state: InterviewState, signals: TurnSignals) -> Decision:
        if signals.command == "interrupt":
            # Cutting in on a long spoken answer: the same move as for any answer, said as an interruption.
            decision = self._choose(state, dataclasses.replace(signals, command=None))
            decision.extra["cut_in"] = True
            decision.reason = f"cut in on a long answer; {decision.reason}"
        else:
            decision = self._choose(state, signals)
        if decision.action not in ("wrap_up", "close", "answer_candidate_question", "resume") and not state.warned:
            decision.time_note = self._time_note(state, signals.elapsed)
        return decision

    def _choose(self, state: InterviewState, signals: TurnSignals) -> Decision:
        if signals.command == "end":
            return Decision("close", "the candidate ended the interview")
        if signals.command == "resume":
            tail = " ".join(signals.text.split()[-8:])
            return Decision("resume", "the connection dropped while the candidate was speaking", extra={"quote": tail})
        if state.phase == "closing":
            return self._closing(state, signals)
        if signals.elapsed >= state.time_box_seconds:
            return self._wrap_up(state, f"the {state.question.time_box}-minute time box is over")
        if signals.command == "hint":
            return self._hint(state, "the candidate asked for a hint")
        if signals.command == "skip":
            if state.last_target:
                state.skipped.add(state.last_target)
            return self._advance(state, "the candidate skipped ahead")
        text = signals.text.strip()
        if _HOSTILE.search(text):
            return Decision(
                "redirect", "hostile or frustrated reply: stay calm, back to the question", extra={"hostile": True}
            )
        if is_question(text):
            facts = self._matching_facts(state, text)
            if facts:
                return self._answer_facts(state, facts)
            if _ABOUT_THE_JOB.search(text) and signals.relevance is not None and signals.relevance < 0.45:
                return Decision("answer_offscript", "an off-script question about the job: answer briefly, return")
            if signals.relevance is None or signals.relevance < 0.55:
                return Decision("ask_assumption", "a clarifying question no fact covers: ask for an assumption")
        if _STUCK.search(text) or len(text.split()) < _SHORT_WORDS:
            return self._hint(state, "the candidate seems stuck" if text else "no answer")
        if signals.relevance is not None and signals.relevance < OFF_TOPIC_RELEVANCE and len(text.split()) >= 8:
            return Decision("redirect", "the answer does not address the question")
        for milestone_id in signals.newly_partial:
            if milestone_id not in state.dug:
                milestone = state.question.milestone(milestone_id)
                return Decision(
                    "dig",
                    f"'{milestone_id}' is only partly covered",
                    target=milestone_id,
                    content=milestone.probe or milestone.text,
                )
        return self._advance(state, "")

    # -- the main line: follow-ups when earned, else probes, else wrap up -----------------------------

    def _advance(self, state: InterviewState, why: str) -> Decision:
        prefix = f"{why}; " if why else ""
        follow_up = self._ready_follow_up(state)
        missing = self._missing(state)
        if follow_up is not None and (state.covered_share() >= CURVEBALL_PROGRESS or not missing):
            index, kind = follow_up
            fu = state.question.follow_ups[index]
            after = ", ".join(fu.after) or "the basics"
            return Decision(kind, f"{prefix}prerequisites met ({after})", target=f"follow_up:{index}", content=fu.text)
        if missing:
            milestone = missing[0]
            return Decision(
                "probe",
                f"{prefix}'{milestone.id}' not covered yet (weight {milestone.weight:g})",
                target=milestone.id,
                content=milestone.probe or milestone.text,
            )
        if follow_up is not None:
            index, kind = follow_up
            return Decision(
                kind,
                f"{prefix}nothing left to probe",
                target=f"follow_up:{index}",
                content=state.question.follow_ups[index].text,
            )
        return self._wrap_up(state, f"{prefix}every milestone and follow-up has been covered or asked")

    def _missing(self, state: InterviewState) -> list[Milestone]:
        """Missing milestones not yet probed, in the order an interviewer would raise them."""
        question = state.question
        left = [
            m
            for m in question.milestones
            if state.coverage[m.id] == "missed"
            and m.id not in state.probed
            and m.id not in state.skipped
            and (m.probe or m.text)
        ]
        if question.round in ("system_design", "debugging"):
            return left  # these rounds follow a framework: requirements before models, symptoms before fixes
        order = {m.id: i for i, m in enumerate(question.milestones)}
        return sorted(left, key=lambda m: (-m.weight, order[m.id]))

    def _ready_follow_up(self, state: InterviewState) -> tuple[int, Literal["deepen", "curveball"]] | None:
        ready = [
            (i, fu.kind)
            for i, fu in enumerate(state.question.follow_ups)
            if i not in state.follow_ups_used and all(state.coverage.get(a) == "met" for a in fu.after)
        ]
        if not ready:
            return None
        # A persona with an appetite for curveballs changes the requirements first.
        curveballs_first = state.persona.curveball >= 0.5
        ready.sort(key=lambda item: (item[1] != "curveball") if curveballs_first else (item[1] == "curveball"))
        return ready[0]

    # -- clarifying questions, hints, the close ---------------------------------------------------------

    def _matching_facts(self, state: InterviewState, text: str) -> list[int]:
        """Facts whose `ask` phrases a question uses: a two-word phrase, two words, or one word of a short question.

        Each question of a turn counts on its own ("Is it sorted? Can values repeat?" asks two short
        questions), but a single generic word ("solution", "data") in a long question is not enough to
        give a fact away.
        """
        # Per fact: each ask phrase with the same phrase's key (its stems, or the word itself) and length.
        asks = [[(p, tuple(content_stems(p)) or (p.lower(),)) for p in set(fact.ask)] for fact in state.question.facts]
        # An ask phrase several facts share ("values") says less about which one is meant: it counts 1/k.
        sharing = Counter(key for phrases in asks for _, key in phrases)
        best: dict[int, float] = {}
        for part in _QUESTION_SPLIT.split(text):
            stems = content_stems(part)
            if not stems:
                continue
            needed = 1 if len(stems) <= 3 else 2
            for i, phrases in enumerate(asks):
                weight = sum(len(key) / sharing[key] for p, key in phrases if _phrase_in(p, stems, part))
                if weight >= needed:
                    best[i] = max(best.get(i, 0.0), weight)
        ranked = sorted(best, key=lambda i: (-best[i], i))
        return ranked[:MAX_FACTS_PER_TURN]

    def _answer_facts(self, state: InterviewState, facts: list[int]) -> Decision:
        answers = [state.question.facts[i].answer for i in facts]
        repeat = all(i in state.facts_revealed for i in facts)
        return Decision(
            "answer_fact",
            "a clarifying question a fact covers" + (" (asked again)" if repeat else ""),
            target=f"fact:{facts[0]}",
            content=" ".join(answers),
            extra={"facts": facts, "repeat": repeat},
        )

    def _hint(self, state: InterviewState, why: str) -> Decision:
        hints = state.question.hints
        limit = min(len(hints), state.persona.hint_limit)
        if state.hints_given < limit:
            index = state.hints_given
            return Decision("hint", f"{why}: hint {index + 1} of {limit}", target=f"hint:{index}", content=hints[index])
        return Decision("hint", f"{why}: no hints left", target="hint:none", extra={"exhausted": True})

    def _wrap_up(self, state: InterviewState, why: str) -> Decision:
        return Decision("wrap_up", why)

    def _closing(self, state: InterviewState, signals: TurnSignals) -> Decision:
        asked = is_question(signals.text)
        if asked and state.candidate_questions_answered < MAX_CANDIDATE_QUESTIONS:
            return Decision("answer_candidate_question", "the candidate's own question at the close")
        return Decision("close", "the wrap-up is done")

    @staticmethod
    def _time_note(state: InterviewState, elapsed: float) -> str | None:
        # A strict interviewer mentions the clock earlier (at 75 % of the box) than a relaxed one (at 85 %).
        threshold = state.time_box_seconds * (0.85 - 0.1 * state.persona.time_strictness)
        if elapsed < threshold:
            return None
        minutes = max(1, round((state.time_box_seconds - elapsed) / 60))
        return f"{minutes} minute{'s' if minutes > 1 else ''} left"
