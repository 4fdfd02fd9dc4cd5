"""`mockloop score | review | export`: scorecards for transcripts and saved sessions."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from server.cli_bank import load_configured_bank

if TYPE_CHECKING:
    from interviewers.models import Models
    from question_bank.loader import Bank
    from question_bank.schema import Question
    from server.storage import SessionRow, Store


def open_store() -> Store:
    from server.settings import get_settings
    from server.storage import Store

    return Store(get_settings().resolved_database_url)


def resolve_question(ref: str | None, fallback_id: str, bank: Callable[[], Bank]) -> Question:
    """--question as an id or a YAML file; else the transcript's own question id."""
    if ref and (ref.endswith((".yaml", ".yml")) or Path(ref).is_file()):
        from question_bank.loader import parse_question

        return parse_question(Path(ref))
    if ref is None:
        return bank().get(fallback_id)  # the transcript's own id: exact, as it was written by a program
    from server.cli_names import question_id

    return bank().get(question_id(ref, bank().questions))


def _model(option: str | None) -> str | None:
    from server.settings import get_settings

    return option if option is not None else (get_settings().llm_model or None)


def models(option: str | None = None) -> Models:
    """The LLM client and judge for a command: `--model` over MOCKLOOP_LLM_MODEL, with the settings' extras."""
    from interviewers.models import Models
    from server.settings import get_settings

    settings = get_settings()
    return Models(_model(option), dict(settings.llm_extra), settings.llm_turn_timeout)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--question", "question_ref", help="Question id, or a question YAML file.")
@click.option("--model", help="litellm model string for the LLM judge (default: MOCKLOOP_LLM_MODEL, else offline).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON; with several files, one scorecard per line.")
@click.option("--save", is_flag=True, help="Store each transcript and its scorecard as a session.")
@click.option("--bank", "banks", multiple=True, type=click.Path(), help="Extra question folder (repeatable).")
def score(
    files: tuple[str, ...],
    question_ref: str | None,
    model: str | None,
    as_json: bool,
    save: bool,
    banks: tuple[str, ...],
) -> None:
    """Score transcript files against their questions' milestones (one process for them all)."""
    from interviewers.transcript import TranscriptError, load_transcript
    from question_bank.errors import BankError

    scorer = models(model).scorer()
    bank = functools.cache(lambda: load_configured_bank(banks))  # parsed once for the whole batch (~0.2 s)
    store = open_store() if save else None
    failed = 0
    for file in files:
        try:
            transcript = load_transcript(Path(file))
            question = resolve_question(question_ref, transcript.question_id, bank)
        except (TranscriptError, BankError) as exc:
            if len(files) == 1:
                raise
            # One bad file in a batch is reported and skipped; the others are still scored.
            click.echo(f"mockloop: {exc}", err=True)
            failed += 1
            continue
        card = scorer.score(question, transcript).to_json()
        session_id = _save(store, question, transcript, card, file) if store is not None else None
        if as_json:
            click.echo(json.dumps(card, indent=None if len(files) > 1 else 2))
        else:
            _print_card(question, card, session_id)
    if failed:
        raise click.exceptions.Exit(1)


def _save(store: Store, question: Question, transcript: Any, card: dict[str, Any], file: str) -> str:
    row, _ = store.create_session(question.id, question.round, source="import", meta={"file": Path(file).name})
    for turn in transcript.turns:
        extra = dict((turn.model_extra or {}).items())
        store.add_turn(row.id, turn.speaker, turn.text, turn.t, turn.duration, data=extra)
    store.finish(row.id, card)
    return row.id


def _print_card(question: Question, card: dict[str, Any], session_id: str | None) -> None:
    from rich.console import Console

    from server.render import print_scorecard

    console = Console()
    console.print(f"[bold]{question.title}[/bold] [dim]({question.id})[/dim]")
    print_scorecard(console, card, question)
    if session_id:
        console.print(f"\nSaved as session [bold]{session_id}[/bold] (mockloop review {session_id}).")


def _summary(row: SessionRow) -> dict[str, Any]:
    from server.progress import session_summary

    summary = session_summary(row)
    del summary["milestones"]
    return summary | {"persona": row.persona, "when": f"{row.created_at:%Y-%m-%d %H:%M}"}


def _document(store: Store, row: SessionRow) -> dict[str, Any]:
    from server.reports import session_document

    turns = [t.to_turn() for t in store.turns(row.id)]
    return session_document(row.id, row.question_id, row.round, row.persona, turns, row.scorecard, row.status)


@click.command()
@click.argument("session_id", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--progress", is_flag=True, help="Scores per round and readiness against the prep plan's checkpoints.")
def review(session_id: str | None, as_json: bool, progress: bool) -> None:
    """List saved sessions, or show one with its scorecard."""
    store = open_store()
    if progress:
        if session_id is not None:
            raise click.UsageError("--progress covers every session; leave out the session id")
        _print_progress(store, as_json)
        return
    if session_id is None:
        rows = [_summary(r) for r in store.list_sessions()]
        if as_json:
            click.echo(json.dumps(rows, indent=2))
            return
        from server.render import print_session_list, table_console

        print_session_list(table_console(), rows)
        return
    row = store.get(session_id)
    doc = _document(store, row)
    if as_json:
        click.echo(json.dumps(doc, indent=2))
        return
    from rich.console import Console
    from rich.markup import escape

    from server.cli_layout import print_row
    from server.render import print_scorecard

    console = Console()
    question = _question_or_none(row.question_id)
    print_row(
        console,
        f"[bold]{escape(question.title if question else row.question_id)}[/bold] ",
        f"[dim]session {row.id} · {row.round} · {row.status}[/dim]",
        indent=0,
    )
    console.print()
    for i, turn in enumerate(doc["turns"]):
        who = "[cyan]Interviewer[/cyan]" if turn["speaker"] == "interviewer" else "[magenta]You[/magenta]"
        note = f"  [dim]({turn['decision']['action']})[/dim]" if isinstance(turn.get("decision"), dict) else ""
        # Continuation lines under the speaker's name: a narrow terminal still leaves room for the words.
        print_row(console, f"[dim]{i:>2}[/dim] {who}{note}: ", escape(turn["text"]), indent=3)
    if doc["scorecard"]:
        print_scorecard(console, doc["scorecard"], question)
    else:
        console.print("\n[dim]Not scored yet.[/dim]")


def _print_progress(store: Store, as_json: bool) -> None:
    from server.progress import readiness, round_stats, session_summary

    sessions = sorted((session_summary(r) for r in store.list_sessions(limit=10_000)), key=lambda s: s["created_at"])
    report = {"rounds": round_stats(sessions), "readiness": readiness(sessions)}
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    from server.render import print_progress, table_console

    print_progress(table_console(), report["rounds"], report["readiness"])


def _question_or_none(question_id: str) -> Question | None:
    from question_bank.errors import BankError

    try:
        return load_configured_bank().get(question_id)
    except BankError:
        return None


@click.command()
@click.argument("session_id")
@click.option("--format", "fmt", type=click.Choice(["json", "md"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
def export(session_id: str, fmt: str, output: str | None) -> None:
    """Write a session's transcript and scorecard (JSON that `mockloop score` reads, or a Markdown report)."""
    store = open_store()
    row = store.get(session_id)
    doc = _document(store, row)
    if fmt == "json":
        text = json.dumps(doc, indent=2) + "\n"
    else:
        from server.reports import markdown_report

        question = _question_or_none(row.question_id)
        texts = {m.id: m.text for m in question.milestones} if question else {}
        text = markdown_report(doc, question.title if question else row.question_id, texts)
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write {output}: {exc.strerror}") from None
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)
