"""`mockloop drill`: a text interview in the terminal, stored turn by turn, ending with the scorecard."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

from interviewers.engine import InterviewEngine, Reply
from interviewers.personas import Persona, get_persona, persona_for_round
from question_bank.loader import Bank
from question_bank.schema import Question
from server import limits
from server.cli_deferred import Deferred, preload
from server.cli_input import Inputs

if TYPE_CHECKING:
    from interviewers.code_runner import RunResult
    from interviewers.llm import LLMClient
    from interviewers.scoring.offline import OfflineScorer
    from server.storage import Store

COMMANDS = {"/hint": "hint", "/skip": "skip", "/end": "end"}
CODE_COMMANDS = ("/code", "/run")
RECENT_SESSIONS = 30


class DrillError(Exception):
    """A drill that cannot start: an unknown persona, an empty round."""


def pick_question(
    bank: Bank,
    round_: str | None,
    recent: list[str],
    rng: random.Random,
    admits: Callable[[Question], bool] | None = None,
) -> Question:
    """A random question of the round, preferring ones not practised lately (least recent first)."""
    pool = [
        q for q in bank.questions.values() if (round_ is None or q.round == round_) and (admits is None or admits(q))
    ]
    if not pool:
        raise DrillError(f"no questions for the {round_} round in the bank" if round_ else "the bank is empty")
    fresh = [q for q in pool if q.id not in recent]
    if fresh:
        return rng.choice(sorted(fresh, key=lambda q: q.id))
    # Everything was practised: take the one practised longest ago.
    return max(pool, key=lambda q: recent.index(q.id))


def choose_persona(name: str | None, question: Question) -> Persona:
    """The named interviewer (any round's), or the round's own; the question's round frames what they say."""
    from interviewers.personas import PersonaError

    try:
        persona = get_persona(name) if name else persona_for_round(question.round)
        return persona.for_round(question.round)
    except PersonaError as exc:
        raise DrillError(str(exc)) from None


class PendingSession:
    """The drill's session in the store, created with the first candidate turn.

    An interview nobody answered is not saved: it would count as a 0-point session in the history and in
    progress. The interviewer's turns before the first answer wait here, then are stored in order with it.
    """

    def __init__(self, store: Deferred[Store], question: Question, persona: Persona, meta: dict[str, Any] | None):
        self._store = store
        self._new = (question.id, question.round, persona.name, meta)
        self._waiting: list[tuple[str, str, float, dict[str, Any]]] = []
        self.session_id: str | None = None

    def add(self, speaker: str, text: str, t: float, data: dict[str, Any]) -> None:
        if self.session_id is None and speaker != "candidate":
            self._waiting.append((speaker, text, t, data))
            return
        store = self._store.get()
        if self.session_id is None:
            question_id, round_, persona, meta = self._new
            row, _token = store.create_session(question_id, round_, persona, source="drill", meta=meta)
            self.session_id = row.id
            for turn in self._waiting:
                store.add_turn(row.id, turn[0], turn[1], t=turn[2], data=turn[3])
            self._waiting.clear()
        store.add_turn(self.session_id, speaker, text, t=t, data=data)


def refusal(text: str, answers: int, kind: str = "answer") -> str | None:
    """Why the server would refuse this answer or code (server/protocol.py, server/live.py: the same limits,
    in the same words), or None. A drill is the same interview as a web session, so it takes what one takes."""
    from server.protocol import MAX_TEXT_CHARS  # a pydantic model set up at import: not before the opening
    from server.text import encodable

    if len(text) > MAX_TEXT_CHARS:
        return f"text is limited to {MAX_TEXT_CHARS:,} characters"
    if not encodable(text):
        return f"{kind}: text must be valid Unicode (it holds a lone surrogate)"
    if answers >= limits.MAX_CANDIDATE_TURNS:
        return f"a session holds at most {limits.MAX_CANDIDATE_TURNS} answers"
    return None


def _clock(start: float, question: Question) -> str:
    elapsed = int(time.monotonic() - start)
    return f"{elapsed // 60:02d}:{elapsed % 60:02d} / {question.time_box:02d}:00"


@dataclass
class DrillKit:
    """What every question of a drill (or of a loop) shares: where turns go, how they are read and shown."""

    store: Deferred[Store]
    scorer: Deferred[OfflineScorer]
    llm: LLMClient | None
    console: Console
    show: bool
    inputs: Inputs

    preloading: bool = field(default=False, init=False)

    def load_in_background(self) -> None:
        if not self.preloading:
            self.preloading = True
            preload(self.store, self.scorer)


@dataclass
class DrillResult:
    session_id: str | None  # None: nothing was answered, so nothing was saved
    engine: InterviewEngine
    exhausted: bool  # input ran out before the interviewer closed


def run_drill(question: Question, persona: Persona, kit: DrillKit, meta: dict[str, Any] | None = None) -> DrillResult:
    """Run one question: the opening is shown before the store and the scorer are loaded (they are not needed
    for it); in a terminal they load while the candidate reads, from a pipe when the first line comes."""
    engine = InterviewEngine(question, persona, scorer=None, llm=kit.llm, seed=random.getrandbits(16))
    session = PendingSession(kit.store, question, persona, meta)
    start = time.monotonic()
    kit.inputs.clock = lambda: _clock(start, question)
    if kit.show:
        kit.console.print(
            f"\n[bold]{escape(question.title)}[/bold] [dim]· {question.round} · {question.time_box} min[/dim]"
        )
    _say(engine.opening(), engine, session, kit, start)
    if kit.inputs.interactive:
        kit.load_in_background()
        kit.inputs.before_prompt = kit.store.get
    exhausted = True
    for raw in kit.inputs.lines():
        text = raw.strip()
        if not text:
            continue
        command = COMMANDS.get(text.lower())
        if text.lower() in CODE_COMMANDS:
            submitted = _submission(text.lower(), engine, kit)
            if submitted is None:
                continue
            text, data = submitted
        elif text.startswith("/") and command is None:
            kit.console.print(
                f"[dim]unknown command {escape(text.split()[0])}: use /hint, /skip, /code, /run or /end[/dim]"
            )
            continue
        else:
            data = {}
            if command is None and (problem := refusal(text, engine.state.candidate_turns)):
                kit.console.print(f"[yellow]{escape(problem)}[/yellow]")
                continue
        elapsed = time.monotonic() - start
        if command is None:
            kit.load_in_background()  # the store, then the scorer: this answer is saved while the scorer loads
            session.add("candidate", text, round(elapsed, 2), data)
            engine.candidate_turn(text, t=round(elapsed, 2), **data)
            if engine.scorer is None:  # only an answer is understood; /hint, /skip and /end need no scorer
                engine.scorer = kit.scorer.get()
        reply = engine.respond(elapsed, command=command)  # type: ignore[arg-type]
        _say(reply, engine, session, kit, start)
        if reply.ended:
            exhausted = False
            break
    return DrillResult(session.session_id, engine, exhausted)


def _submission(command: str, engine: InterviewEngine, kit: DrillKit) -> tuple[str, dict[str, Any]] | None:
    """/code reads new code, /run takes the last code again; either is run against the tests at once."""
    from interviewers.code_results import last_code, turn_data
    from interviewers.code_runner import run_code, unavailable_reason

    console = kit.console
    if command == "/code":
        code = kit.inputs.code_block()
        if not code.strip():
            console.print("[dim]no code between /code and /done: nothing was submitted[/dim]")
            return None
    else:
        last = last_code(engine.turns)
        if last is None:
            console.print("[dim]no code to run yet: submit some with /code … /done[/dim]")
            return None
        code = last[1]
    if problem := refusal(code, engine.state.candidate_turns, kind="code"):
        console.print(f"[yellow]{escape(problem)}[/yellow]")
        return None
    data: dict[str, Any] = {"code": code}
    if engine.question.tests:
        reason = unavailable_reason()
        if reason is not None:
            console.print(f"[dim]{escape(reason)}; the interviewer reads your code without running it[/dim]")
        else:
            result = run_code(code, engine.question.tests)
            data |= turn_data(result)
            print_run(console, result)
    return f"(code)\n{code}", data


def print_run(console: Console, result: RunResult) -> None:
    """Visible tests by name with their messages; hidden ones only as counts."""
    colour = "green" if result.passed == result.total else "yellow"
    console.print(f"[{colour}]tests: {result.passed} of {result.total} pass[/{colour}]")
    hidden = [o for o in result.outcomes if o.hidden]
    for outcome in result.outcomes:
        if not outcome.hidden:
            mark = "[green]✓[/green]" if outcome.passed else "[red]✗[/red]"
            message = "" if outcome.passed else f": {escape(outcome.message)}"
            console.print(f"  {mark} {escape(outcome.name)}{message}")
    if hidden:
        console.print(f"  hidden tests: {sum(o.passed for o in hidden)} of {len(hidden)} pass")
    if result.output.strip():
        console.print(f"[dim]your code printed:\n{escape(result.output[:800])}[/dim]")


def _say(reply: Reply, engine: InterviewEngine, session: PendingSession, kit: DrillKit, start: float) -> None:
    """Store the interviewer's turn, then show it."""
    session.add("interviewer", reply.text, round(time.monotonic() - start, 2), reply.turn_data())
    engine.turns[-1]["t"] = round(time.monotonic() - start, 2)
    if kit.show:
        note = f" [dim]({reply.fallback})[/dim]" if reply.fallback else ""
        name = escape(engine.persona.name.title())
        kit.console.print(f"\n[bold cyan]{name}[/bold cyan]: {escape(reply.text)}{note}")
