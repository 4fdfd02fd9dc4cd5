"""`mockloop drill`: a text interview in the terminal, stored turn by turn, ending with the scorecard."""

from __future__ import annotations

import random
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

from interviewers.code_results import last_code, turn_data
from interviewers.code_runner import RunResult, run_code, unavailable_reason
from interviewers.engine import InterviewEngine, Reply
from interviewers.personas import Persona, get_persona, persona_for_round
from question_bank.loader import Bank
from question_bank.schema import Question

if TYPE_CHECKING:
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
    from interviewers.personas import PersonaError

    try:
        return get_persona(name) if name else persona_for_round(question.round)
    except PersonaError as exc:
        raise DrillError(str(exc)) from None


class ScorerLoader:
    """Loads the sentence-embedding scorer in the background while the candidate reads the opening."""

    def __init__(self) -> None:
        self._scorer: OfflineScorer | None = None
        self._thread = threading.Thread(target=self._load, daemon=True)
        self._thread.start()

    def _load(self) -> None:
        from interviewers.scoring.offline import OfflineScorer

        self._scorer = OfflineScorer()

    def get(self) -> OfflineScorer:
        self._thread.join()
        assert self._scorer is not None
        return self._scorer


@dataclass
class Inputs:
    """Candidate turns from a terminal (multi-line, with a live clock) or from a pipe (one per line)."""

    interactive: bool
    clock: Callable[[], str] = lambda: ""
    _session: Any = field(default=None, repr=False)

    def lines(self) -> Iterator[str]:
        if not self.interactive:
            yield from _piped()
            return
        from prompt_toolkit import PromptSession
        from prompt_toolkit.key_binding import KeyBindings

        bindings = KeyBindings()

        @bindings.add("enter")
        def _send(event: Any) -> None:
            event.current_buffer.validate_and_handle()

        @bindings.add("escape", "enter")
        def _newline(event: Any) -> None:
            event.current_buffer.insert_text("\n")

        session: Any = PromptSession(
            multiline=True,
            key_bindings=bindings,
            refresh_interval=1.0,
            bottom_toolbar=lambda: f" {self.clock()}   Enter send · Alt+Enter new line · /hint /skip /code /run /end",
        )
        while True:
            try:
                yield session.prompt("you › ")
            except (EOFError, KeyboardInterrupt):
                return

    def code_block(self) -> str:
        """After /code: read code until a line '/done' (pasted in a terminal, or the next lines of a pipe)."""
        if self.interactive:
            print("Paste your code; finish with a line containing only /done.")
        lines = []
        for line in sys.stdin if self.interactive else _piped():
            if line.strip() == "/done":
                break
            lines.append(line.rstrip("\n"))
        return "\n".join(lines)


def _piped() -> Iterator[str]:
    """Lines of piped input; one that is not UTF-8 (binary garbage) is skipped with a note, not a traceback."""
    binary = getattr(sys.stdin, "buffer", None)
    if binary is None:  # already text (a test's StringIO)
        for line in sys.stdin:
            yield line.rstrip("\r\n")
        return
    for raw in binary:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            print("skipped a line of input that is not UTF-8 text", file=sys.stderr)
            continue
        yield text.rstrip("\r\n")


def _clock(start: float, question: Question) -> str:
    elapsed = int(time.monotonic() - start)
    return f"{elapsed // 60:02d}:{elapsed % 60:02d} / {question.time_box:02d}:00"


def run_drill(
    question: Question,
    persona: Persona,
    store: Store,
    *,
    llm: LLMClient | None,
    console: Console,
    show: bool,
    inputs: Inputs,
    meta: dict[str, Any] | None = None,
) -> tuple[str, InterviewEngine, bool]:
    """Run one question; returns (session id, engine, whether input ran out)."""
    loader = ScorerLoader()
    row, _token = store.create_session(question.id, question.round, persona.name, source="drill", meta=meta)
    engine = InterviewEngine(question, persona, scorer=None, llm=llm, seed=hash(row.id) & 0xFFFF)
    start = time.monotonic()
    inputs.clock = lambda: _clock(start, question)
    if show:
        console.print(
            f"\n[bold]{escape(question.title)}[/bold] [dim]· {question.round} · {question.time_box} min · "
            f"session {row.id}[/dim]"
        )
    _say(engine.opening(), engine, store, row.id, console, show, start)
    exhausted = True
    for raw in inputs.lines():
        text = raw.strip()
        if not text:
            continue
        command = COMMANDS.get(text.lower())
        if text.lower() in CODE_COMMANDS:
            submitted = _submission(text.lower(), engine, inputs, console)
            if submitted is None:
                continue
            text, data = submitted
        elif text.startswith("/") and command is None:
            console.print(
                f"[dim]unknown command {escape(text.split()[0])}: use /hint, /skip, /code, /run or /end[/dim]"
            )
            continue
        else:
            data = {}
        elapsed = time.monotonic() - start
        if command is None:
            store.add_turn(row.id, "candidate", text, t=round(elapsed, 2), data=data)
            engine.candidate_turn(text, t=round(elapsed, 2), **data)
        if engine.scorer is None:
            engine.scorer = loader.get()
        reply = engine.respond(elapsed, command=command)  # type: ignore[arg-type]
        _say(reply, engine, store, row.id, console, show, start)
        if reply.ended:
            exhausted = False
            break
    return row.id, engine, exhausted


def _submission(
    command: str, engine: InterviewEngine, inputs: Inputs, console: Console
) -> tuple[str, dict[str, Any]] | None:
    """/code reads new code, /run takes the last code again; either is run against the tests at once."""
    if command == "/code":
        code = inputs.code_block()
        if not code.strip():
            console.print("[dim]no code between /code and /done: nothing was submitted[/dim]")
            return None
    else:
        last = last_code(engine.turns)
        if last is None:
            console.print("[dim]no code to run yet: submit some with /code … /done[/dim]")
            return None
        code = last[1]
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


def _say(
    reply: Reply, engine: InterviewEngine, store: Store, session_id: str, console: Console, show: bool, start: float
) -> None:
    """Store the interviewer's turn, then show it."""
    data = reply.turn_data()
    store.add_turn(session_id, "interviewer", reply.text, t=round(time.monotonic() - start, 2), data=data)
    engine.turns[-1]["t"] = round(time.monotonic() - start, 2)
    if show:
        note = f" [dim]({reply.fallback})[/dim]" if reply.fallback else ""
        console.print(f"\n[bold cyan]{escape(engine.persona.name.title())}[/bold cyan]: {escape(reply.text)}{note}")
