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
    from rich.console import Console

    from interviewers.models import Models
    from interviewers.personas import Persona
    from question_bank.loader import Bank
    from question_bank.schema import Question
    from server.cli_deferred import Deferred
    from server.storage import Store

Plan = list[tuple["Question", str | None]]  # each question of the drill, with its loop part's title


@click.command()
@click.option("--round", "round_", type=ROUND_CHOICE, help="Pick a question of this round.")
@click.option("--question", "question_id", help="Question id, or a unique start or end of one (two-sum).")
@click.option(
    "--persona", help="Interviewer by name (maya, arjun, lena, priya, sam), on any round; the question sets the round."
)
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
    An interview with no answer is not saved.
    """
    from rich.console import Console

    from server.cli_deferred import Deferred
    from server.cli_input import Inputs
    from server.drill import DrillError, DrillKit, run_drill

    bank = load_configured_bank(banks, cached=True)
    interactive = sys.stdin.isatty()
    show = interactive or not as_json
    chosen = models(model)
    store = Deferred(open_store)
    rng = random.Random()  # noqa: S311 - picks practice questions, nothing secret
    try:
        if loop_id:
            loop_id = _loop_id(loop_id)
            plan = _loop_plan(loop_id, bank, store, rng)
        else:
            plan = [(_question(question_id, round_, bank, store, rng), None)]
        personas = [_persona(persona, q) for q, _ in plan]
    except DrillError as exc:
        raise click.ClickException(str(exc)) from None
    kit = DrillKit(store, Deferred(_offline_scorer), chosen.llm(), Console(stderr=as_json), show, Inputs(interactive))
    sessions: list[dict[str, Any]] = []
    saved: Plan = []
    unsaved: dict[str, Any] = {"session_id": None, "turns": [], "scorecard": None}
    loop_run = f"{loop_id}-{rng.getrandbits(32):08x}" if loop_id else None
    for (question, part), who in zip(plan, personas, strict=True):
        meta = {"loop": loop_id, "loop_run": loop_run, "part": part} if loop_id else None
        result = run_drill(question, who, kit, meta=meta)
        if result.session_id is None:
            # Nothing to score: a 0-point session would count against the candidate in progress.
            kit.console.print(f"\nNo answer was given, so {question.id} was not saved.", highlight=False)
            unsaved["turns"] = result.engine.turns
        else:
            card = _final_scorecard(result.engine, chosen)
            store.get().finish(result.session_id, card)
            sessions.append({"session_id": result.session_id, "turns": result.engine.turns, "scorecard": card})
            saved.append((question, part))
            if show:
                from server.render import print_scorecard

                print_scorecard(kit.console, card, question)
        if result.exhausted and loop_id:
            break
    if show and sessions:
        _report(kit.console, sessions, saved, loop_id)
    if as_json:
        single = sessions[0] if sessions else unsaved
        click.echo(json.dumps({"loop": loop_id, "sessions": sessions} if loop_id else single, indent=2))


def _question(
    question_id: str | None, round_: str | None, bank: Bank, store: Deferred[Store], rng: random.Random
) -> Question:
    from server.cli_names import question_id as resolve
    from server.drill import pick_question

    if question_id is not None:
        return bank.get(resolve(question_id, bank.questions))
    return pick_question(bank, round_, _recent(store), rng)


def _persona(name: str | None, question: Question) -> Persona:
    from interviewers.personas import personas
    from server.cli_names import persona_name
    from server.drill import choose_persona

    return choose_persona(persona_name(name, personas()) if name else None, question)


def _recent(store: Deferred[Store]) -> list[str]:
    """The questions practised lately, to offer a fresh one; read without SQLAlchemy when the database allows."""
    from server.cli_deferred import recent_question_ids
    from server.drill import RECENT_SESSIONS
    from server.settings import get_settings

    fast = recent_question_ids(get_settings().resolved_database_url, RECENT_SESSIONS)
    if fast is not None:
        return fast
    return [row.question_id for row in store.get().list_sessions(limit=RECENT_SESSIONS)]


def _offline_scorer() -> Any:
    from interviewers.scoring.offline import OfflineScorer

    return OfflineScorer()


def _final_scorecard(engine: Any, chosen: Models) -> dict[str, Any]:
    from interviewers.scoring.offline import OfflineScorer

    card: dict[str, Any] = engine.scorecard(chosen.judge(engine.scorer or OfflineScorer())).to_json()
    return card


def _loop_id(typed: str) -> str:
    from question_bank.loops import load_loops
    from server.cli_names import loop_id

    return loop_id(typed, load_loops())


def _loop_plan(loop_id: str, bank: Bank, store: Deferred[Store], rng: random.Random) -> Plan:
    from question_bank.loops import load_loops
    from server.drill import pick_question

    loop = load_loops()[loop_id]
    plan: Plan = []
    taken = _recent(store)
    for part in loop.parts:
        for _ in range(part.count):
            question = pick_question(bank, part.round, taken, rng, admits=part.admits)
            taken.insert(0, question.id)
            plan.append((question, part.title))
    return plan


def _report(console: Console, sessions: list[dict[str, Any]], saved: Plan, loop_id: str | None) -> None:
    """After the scorecards: the loop's table, and where the sessions were saved."""
    if loop_id:
        _print_loop_report(console, sessions, saved)
    from server.cli_layout import print_row

    ids = ", ".join(s["session_id"] for s in sessions)
    print_row(console, "", f"[dim]Saved as {ids} (mockloop review ID) · progress: mockloop review --progress[/dim]")


def _print_loop_report(console: Console, sessions: list[dict[str, Any]], plan: Plan) -> None:
    from rich.table import Table

    from interviewers.scorecard import verdict_for
    from server.cli_layout import print_table
    from server.reports import VERDICT_WORDS

    table = Table(title="Loop report", title_justify="left")
    for column in ("part", "question", "score", "verdict"):
        table.add_column(column, no_wrap=column != "part")
    for session, (question, part) in zip(sessions, plan, strict=True):
        card = session["scorecard"]
        table.add_row(part or "", question.id, f"{card['score']:g}", VERDICT_WORDS[card["verdict"]])
    print_table(console, table)
    overall = sum(s["scorecard"]["score"] for s in sessions) / len(sessions)
    console.print(f"Overall {overall:.1f}/100 · {VERDICT_WORDS[verdict_for(overall)]} over {len(sessions)} question(s)")
