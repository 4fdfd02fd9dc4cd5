"""`mockloop drill`: the command around server/drill.py (question choice, loops, the final report)."""

from __future__ import annotations

import json
import random
import sys
from typing import TYPE_CHECKING, Any

import click

from server.cli_bank import ROUND_CHOICE, load_configured_bank
from server.cli_sessions import models, open_store

if TYPE_CHECKING:
    from interviewers.models import Models


@click.command()
@click.option("--round", "round_", type=ROUND_CHOICE, help="Pick a question of this round.")
@click.option("--question", "question_id", help="Question id.")
@click.option("--persona", help="Interviewer persona name (maya, arjun, lena, priya, sam).")
@click.option("--model", help="litellm model string (default: MOCKLOOP_LLM_MODEL, else offline).")
@click.option("--loop", "loop_id", help="Run a whole loop instead: phone-screen or onsite.")
@click.option("--json", "as_json", is_flag=True, help="Print the session as JSON at the end.")
@click.option("--bank", "banks", multiple=True, type=click.Path(), help="Extra question folder (repeatable).")
def drill(
    round_: str | None,
    question_id: str | None,
    persona: str | None,
    model: str | None,
    loop_id: str | None,
    as_json: bool,
    banks: tuple[str, ...],
) -> None:
    """A text interview in the terminal; saves the session and ends with the scorecard.

    In a terminal: Enter sends, Alt+Enter starts a new line, and /hint, /skip, /code, /run, /end do what they
    say. With standard input from a pipe, each line is one answer, and /code … /done spans the lines between.
    """
    from rich.console import Console

    from server.drill import DrillError, Inputs, choose_persona, pick_question, run_drill

    bank = load_configured_bank(banks)
    interactive = sys.stdin.isatty()
    show = interactive or not as_json
    console = Console(stderr=as_json)
    chosen = models(model)
    llm = chosen.llm()
    store = open_store()
    recent = [row.question_id for row in store.list_sessions(limit=30)]
    rng = random.Random()  # noqa: S311 - picks practice questions, nothing secret
    try:
        plan: list[tuple[Any, str | None]] = (
            _loop_plan(loop_id, bank, recent, rng)
            if loop_id
            else [(bank.get(question_id) if question_id else pick_question(bank, round_, recent, rng), None)]
        )
        personas = [choose_persona(persona, q) for q, _ in plan]
    except DrillError as exc:
        raise click.ClickException(str(exc)) from None
    inputs = Inputs(interactive=interactive)
    sessions: list[dict[str, Any]] = []
    loop_run = f"{loop_id}-{rng.getrandbits(32):08x}" if loop_id else None
    for (question, part), who in zip(plan, personas, strict=True):
        meta = {"loop": loop_id, "loop_run": loop_run, "part": part} if loop_id else None
        session_id, engine, exhausted = run_drill(
            question, who, store, llm=llm, console=console, show=show, inputs=inputs, meta=meta
        )
        card = _final_scorecard(engine, chosen)
        store.finish(session_id, card)
        sessions.append({"session_id": session_id, "turns": engine.turns, "scorecard": card})
        if show:
            from server.render import print_scorecard

            print_scorecard(console, card, question)
        if exhausted and loop_id:
            break
    if loop_id and show:
        _print_loop_report(console, sessions, plan)
    if show:
        ids = ", ".join(s["session_id"] for s in sessions)
        console.print(
            f"[dim]Saved as {ids} (mockloop review ID) · progress: mockloop review --progress[/dim]", soft_wrap=True
        )
    if as_json:
        click.echo(json.dumps(sessions[0] if not loop_id else {"loop": loop_id, "sessions": sessions}, indent=2))


def _final_scorecard(engine: Any, chosen: Models) -> dict[str, Any]:
    from interviewers.scoring.offline import OfflineScorer

    card: dict[str, Any] = engine.scorecard(chosen.judge(engine.scorer or OfflineScorer())).to_json()
    return card


def _loop_plan(loop_id: str, bank: Any, recent: list[str], rng: random.Random) -> list[tuple[Any, str | None]]:
    from question_bank.loops import load_loops
    from server.drill import DrillError, pick_question

    loops = load_loops()
    if loop_id not in loops:
        raise DrillError(f"no loop named '{loop_id}' (known: {', '.join(loops)})")
    plan: list[tuple[Any, str | None]] = []
    taken: list[str] = list(recent)
    for part in loops[loop_id].parts:
        for _ in range(part.count):
            question = pick_question(bank, part.round, taken, rng, admits=part.admits)
            taken.insert(0, question.id)
            plan.append((question, part.title))
    return plan


def _print_loop_report(console: Any, sessions: list[dict[str, Any]], plan: list[tuple[Any, str | None]]) -> None:
    from rich.table import Table

    from interviewers.scorecard import verdict_for
    from server.reports import VERDICT_WORDS

    table = Table(title="Loop report", title_justify="left")
    for column in ("part", "question", "score", "verdict"):
        table.add_column(column)
    for session, (question, part) in zip(sessions, plan, strict=False):
        card = session["scorecard"]
        table.add_row(part or "", question.id, f"{card['score']:g}", VERDICT_WORDS[card["verdict"]])
    console.print(table)
    overall = sum(s["scorecard"]["score"] for s in sessions) / len(sessions)
    console.print(f"Overall {overall:.1f}/100 · {VERDICT_WORDS[verdict_for(overall)]} over {len(sessions)} question(s)")
