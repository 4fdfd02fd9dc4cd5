"""One interview: the state, the policy and a phraser, driven turn by turn by the CLI or the WebSocket.

The engine never stores anything: its caller commits each candidate turn before asking for the
reply, and commits the reply (with the decision behind it) before sending it. `resume` rebuilds
the engine from those stored turns, so a crash or a reconnect loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from interviewers.llm import LLMClient
from interviewers.personas import Persona
from interviewers.phrasing import LLMPhraser, OfflinePhraser, OnDelta
from interviewers.policy import Command, FollowUpPolicy, TurnSignals
from interviewers.scorecard import MilestoneResult, Scorecard, build_scorecard
from interviewers.scoring.base import Scorer
from interviewers.scoring.offline import OfflineScorer
from interviewers.state import Decision, InterviewState
from interviewers.transcript import parse_transcript
from question_bank.schema import Question


@dataclass
class Reply:
    text: str
    decision: Decision
    fallback: str | None = None  # why the LLM's wording was not used, when it was not

    @property
    def ended(self) -> bool:
        return self.decision.action == "close"

    def turn_data(self) -> dict[str, Any]:
        """What is stored with the interviewer's turn."""
        data: dict[str, Any] = {"decision": self.decision.record()}
        if self.fallback:
            data["decision"]["fallback"] = self.fallback
        return data


class InterviewEngine:
    def __init__(
        self,
        question: Question,
        persona: Persona,
        scorer: OfflineScorer | None = None,
        llm: LLMClient | None = None,
        seed: int = 0,
    ) -> None:
        self.question = question
        self.persona = persona
        self.state = InterviewState(question, persona)
        self.policy = FollowUpPolicy()
        self.scorer = scorer
        self.offline = OfflinePhraser(persona, seed)
        self.llm = LLMPhraser(llm, persona) if llm else None
        self.turns: list[dict[str, Any]] = []

    # -- driving the interview --------------------------------------------------------------------

    def opening(self, on_delta: OnDelta | None = None) -> Reply:
        decision = Decision("opening", "the interview starts", content=self.question.prompt.strip())
        return self._reply(decision, on_delta)

    def candidate_turn(self, text: str, **data: Any) -> dict[str, Any]:
        """Add a candidate turn to the transcript (the caller has stored it already)."""
        turn = {"speaker": "candidate", "text": text, **data}
        self.turns.append(turn)
        self.state.candidate_turns += 1
        return turn

    def respond(self, elapsed: float, command: Command | None = None, on_delta: OnDelta | None = None) -> Reply:
        """The interviewer's reply to the latest candidate turn (or to a /hint, /skip, /end command;
        "resume" when the connection dropped while that turn was being spoken)."""
        text = self.turns[-1]["text"] if self.turns and self.turns[-1]["speaker"] == "candidate" else ""
        heard = command in (None, "resume", "interrupt")  # answers too, if cut short
        signals = TurnSignals(text=text if heard else "", elapsed=elapsed, command=command)
        if heard:
            self._update_coverage(signals)
        decision = self.policy.next_action(self.state, signals)
        if decision.action == "dig" and decision.target:
            decision.extra["quote"] = self._evidence_quote(decision.target)
        return self._reply(decision, on_delta)

    def scorecard(self, judge: Scorer | None = None) -> Scorecard:
        """The session's scorecard, by `judge` (say, the LLM judge) or the offline scorer.

        With no answer at all, every milestone is missed and the card says why.
        """
        if not any(t["speaker"] == "candidate" and t["text"].strip() for t in self.turns):
            results = [MilestoneResult(id=m.id, status="missed") for m in self.question.milestones]
            return build_scorecard(self.question, results, "offline", notes=["no answer was given"])
        scorer = judge or self.scorer or OfflineScorer()
        return scorer.score(self.question, parse_transcript({"question_id": self.question.id, "turns": self.turns}))

    @property
    def ended(self) -> bool:
        return self.state.phase == "ended"

    # -- internals ------------------------------------------------------------------------------------

    def _reply(self, decision: Decision, on_delta: OnDelta | None) -> Reply:
        pending = self._pending_question()
        self.state.apply(decision)
        line = self.offline.phrase(decision, self.state, pending)
        fallback = None
        if self.llm is not None:
            offline_line = line
            line, fallback = self.llm.phrase(decision, self.state, self.turns, line, on_delta)
            if fallback is None and line != offline_line and self.offline.was_said(line):
                line, fallback = offline_line, "LLM repeated an earlier line; offline wording used"
            self.offline.remember(line)
        reply = Reply(line, decision, fallback)
        self.turns.append({"speaker": "interviewer", "text": line, **reply.turn_data()})
        return reply

    def _pending_question(self) -> str:
        """What the interviewer last asked for (to return to after a detour)."""
        target = self.state.last_target
        if not target:
            return ""
        if target.startswith("follow_up:"):
            return self.question.follow_ups[int(target.split(":")[1])].text
        milestone = next((m for m in self.question.milestones if m.id == target), None)
        return (milestone.probe or "") if milestone else ""

    def _update_coverage(self, signals: TurnSignals) -> None:
        if self.scorer is None or not signals.text.strip():
            return
        transcript = parse_transcript({"question_id": self.question.id, "turns": self.turns})
        analysis = self.scorer.analyse(self.question, transcript)
        results = self.scorer.decide(self.question, analysis)
        latest = len(self.turns) - 1
        rows = [i for i, unit in enumerate(analysis.screened.usable) if unit.turn == latest]
        strength = analysis.matches.strength
        signals.relevance = float(strength[rows].max()) if rows and strength.size else 0.0
        self._last_results = {r.id: r for r in results}
        for result in results:
            before = self.state.coverage[result.id]
            if result.status != before:
                if result.status == "partial" and before == "missed":
                    signals.newly_partial.append(result.id)
                elif result.status == "met":
                    signals.newly_met.append(result.id)
                # Coverage only grows: a later vague sentence does not undo an earlier clear one.
                if not (before == "met" and result.status != "met"):
                    self.state.coverage[result.id] = result.status

    def _evidence_quote(self, milestone_id: str) -> str:
        result = getattr(self, "_last_results", {}).get(milestone_id)
        return result.evidence[0].quote if result and result.evidence else ""

    # -- rebuilding ------------------------------------------------------------------------------------

    @classmethod
    def resume(
        cls,
        question: Question,
        persona: Persona,
        turns: list[dict[str, Any]],
        scorer: OfflineScorer | None = None,
        llm: LLMClient | None = None,
        seed: int = 0,
    ) -> InterviewEngine:
        """An engine in the state the stored turns left it: decisions replayed, coverage re-scored."""
        engine = cls(question, persona, scorer=scorer, llm=llm, seed=seed)
        for turn in turns:
            engine.turns.append(dict(turn))
            if turn["speaker"] == "candidate":
                engine.state.candidate_turns += 1
                continue
            engine.offline.remember(turn["text"])
            record = turn.get("decision")
            if isinstance(record, dict) and "action" in record:
                decision = Decision(
                    record["action"],
                    record.get("reason", ""),
                    target=record.get("target"),
                    time_note=record.get("time_note"),
                )
                if decision.action == "answer_fact":
                    decision.extra["facts"] = list(record.get("facts", []))
                engine.state.apply(decision)
        if scorer is not None and any(t["speaker"] == "candidate" for t in turns):
            transcript = parse_transcript({"question_id": question.id, "turns": engine.turns})
            for result in scorer.score(question, transcript).milestones:
                engine.state.coverage[result.id] = result.status
        return engine
