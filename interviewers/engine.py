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
from interviewers.understanding.analysis import TurnAnalysis
from interviewers.understanding.llm import LLMUnderstander
from interviewers.understanding.offline import OfflineUnderstander
from interviewers.understanding.speech_acts import looks_like_code
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
        offline_understander = OfflineUnderstander(scorer)
        self.understander: OfflineUnderstander | LLMUnderstander = (
            LLMUnderstander(llm, offline_understander) if llm else offline_understander
        )
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
        self.state.latest_turn = len(self.turns) - 1
        self.state.latest_words = len(text.split())
        return turn

    def respond(self, elapsed: float, command: Command | None = None, on_delta: OnDelta | None = None) -> Reply:
        """The interviewer's reply to the latest candidate turn (or to a /hint, /skip, /end command;
        "resume" when the connection dropped while that turn was being spoken)."""
        text = self.turns[-1]["text"] if self.turns and self.turns[-1]["speaker"] == "candidate" else ""
        heard = command in (None, "resume", "interrupt")  # answers too, if cut short
        analysis = TurnAnalysis(acts=["silent"])
        fallback = None
        if heard and text.strip():
            analysis, fallback = self._understand()
            run = self.turns[-1].get("tests_detail")
            analysis.tests = run if isinstance(run, list) else None
        signals = TurnSignals(text=text if heard else "", elapsed=elapsed, command=command, analysis=analysis)
        decision = self.policy.next_action(self.state, signals)
        if heard and text.strip():
            decision.extra["understood"] = analysis.record()
            if fallback:
                decision.extra["understood"]["fallback"] = fallback
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

    def _understand(self) -> tuple[TurnAnalysis, str | None]:
        """This turn read in the light of the interview so far (by the LLM when configured, else offline)."""
        offline = self.understander.offline if isinstance(self.understander, LLMUnderstander) else self.understander
        if offline.scorer is not self.scorer:
            offline.use(self.scorer)
        if not self.state.hint_topics:
            self.state.hint_topics = offline.hint_topics(self.question)
        if isinstance(self.understander, LLMUnderstander):
            return self.understander.analyse(self.question, self.turns)
        return self.understander.analyse(self.question, self.turns), None

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
                engine.state.latest_turn = len(engine.turns) - 1
                engine.state.latest_words = len(str(turn.get("text", "")).split())
                engine.state.code_seen |= bool(turn.get("code")) or looks_like_code(str(turn.get("text", "")))
                # An answer after a change of requirements deals with it (approximately: any substantive turn).
                if len(str(turn.get("text", "")).split()) >= 4:
                    engine.state.curveball_pending = False
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
                for key in ("facts", "misconception", "closing", "early", "held", "run", "failing"):
                    if key in record:
                        decision.extra[key] = record[key]
                engine.state.apply(decision)
        if scorer is not None and any(t["speaker"] == "candidate" for t in turns):
            transcript = parse_transcript({"question_id": question.id, "turns": engine.turns})
            for result in scorer.score(question, transcript).milestones:
                engine.state.coverage[result.id] = result.status
        return engine
