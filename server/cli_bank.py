"""`mockloop bank list | validate | show | loops`: browse and check question banks."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from question_bank.loader import Bank
    from question_bank.schema import Question

ROUND_CHOICE = click.Choice(["coding", "ml_fundamentals", "debugging", "system_design", "behavioral"])


def load_configured_bank(extra: tuple[str, ...] = (), cached: bool = False) -> Bank:
    """The shipped bank plus MOCKLOOP_BANK plus --bank folders; `cached`: from the data folder's parsed copy
    while the files are unchanged (server/cli_bank_cache.py), for a command that must start quickly."""
    from question_bank.loader import SHIPPED_DIR, load_bank
    from server.settings import get_settings

    settings = get_settings()
    folders = [*settings.bank_dirs, *(Path(p) for p in extra)]
    if not cached:
        return load_bank(folders)
    from server.cli_bank_cache import cached_bank

    return cached_bank([SHIPPED_DIR, *folders], settings.resolved_data_dir, lambda: load_bank(folders))


@click.group()
def bank() -> None:
    """The question bank: list, validate, show."""


@bank.command("list")
@click.option("--round", "round_", type=ROUND_CHOICE, help="Only this round.")
@click.option("--bank", "banks", multiple=True, type=click.Path(), help="Extra question folder (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the listing as JSON.")
def list_questions(round_: str | None, banks: tuple[str, ...], as_json: bool) -> None:
    """List questions (id, round, difficulty, minutes, title)."""
    questions = load_configured_bank(banks).by_round(round_)  # type: ignore[arg-type]
    if as_json:
        click.echo(json.dumps([q.summary() for q in questions], indent=2))
        return
    from rich.table import Table

    from server.cli_layout import print_table
    from server.render import table_console

    table = Table(title=f"{len(questions)} questions", title_justify="left", show_lines=False)
    for column in ("id", "round", "difficulty", "min", "title"):
        table.add_column(column, justify="right" if column == "min" else "left", no_wrap=column == "id")
    for q in questions:
        table.add_row(q.id, q.round, q.difficulty, str(q.time_box), q.title)
    print_table(table_console(), table, optional=("difficulty", "min", "round"))


@bank.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--strict", is_flag=True, help="Also apply the shipped bank's editorial bar (probes, hints, curveballs).")
def validate(paths: tuple[str, ...], strict: bool) -> None:
    """Check question files: the shipped bank and MOCKLOOP_BANK, or the given folders and files.

    Given paths are checked together with the shipped bank, so an id that clashes with a
    shipped question is reported too.
    """
    from question_bank.errors import BankError
    from question_bank.loader import SHIPPED_DIR, load_paths
    from question_bank.quality import quality_problems
    from server.settings import get_settings

    roots = [SHIPPED_DIR, *(Path(p) for p in paths)] if paths else [SHIPPED_DIR, *get_settings().bank_dirs]
    try:
        loaded = load_paths(roots)
    except BankError as exc:
        for problem in exc.problems:
            click.echo(f"mockloop: {problem}", err=True)
        raise click.exceptions.Exit(1) from None
    lint = [
        f"{loaded.sources[q.id].name}: {p}" for q in loaded.questions.values() if strict for p in quality_problems(q)
    ]
    if strict:
        lint += solution_problems(loaded.questions.values(), loaded.sources)
    for line in lint:
        click.echo(f"mockloop: {line}", err=True)
    if lint:
        raise click.exceptions.Exit(1)
    counts = Counter(q.round for q in loaded.questions.values())
    detail = ", ".join(f"{n} {r}" for r, n in sorted(counts.items()))
    click.echo(f"ok: {len(loaded)} questions valid ({detail})")


def solution_path(source: Path, question_id: str) -> Path | None:
    """A question's reference solution: `solutions/<id>.py` beside its file or up to two folders above."""
    for folder in (source.parent, source.parent.parent, source.parent.parent.parent):
        candidate = folder / "solutions" / f"{question_id}.py"
        if candidate.is_file():
            return candidate
    return None


def solution_problems(questions: Iterable[Question], sources: Mapping[str, Path]) -> list[str]:
    """Each question's tests run in the sandbox against its reference solution; every test must pass."""
    from interviewers.code_runner import run_code, unavailable_reason

    with_tests = [q for q in questions if q.tests]
    if not with_tests:
        return []
    reason = unavailable_reason()
    if reason is not None:
        return [f"the tests of {len(with_tests)} question(s) were not checked: {reason}"]
    problems = []
    for question in with_tests:
        name = sources[question.id].name
        path = solution_path(sources[question.id], question.id)
        if path is None:
            problems.append(f"{name}: tests need a reference solution in solutions/{question.id}.py")
            continue
        result = run_code(path.read_text(encoding="utf-8"), question.tests)
        for outcome in result.outcomes:
            if not outcome.passed:
                problems.append(f"{name}: test '{outcome.name}' fails on the reference solution: {outcome.message}")
    return problems


@bank.command()
@click.argument("question_id")
@click.option("--answers", is_flag=True, help="Also show milestones, probes, facts, hints and follow-ups.")
@click.option("--bank", "banks", multiple=True, type=click.Path(), help="Extra question folder (repeatable).")
def show(question_id: str, answers: bool, banks: tuple[str, ...]) -> None:
    """Show one question; the grading material stays hidden unless --answers."""
    from server.cli_names import question_id as resolve

    loaded = load_configured_bank(banks)
    question = loaded.get(resolve(question_id, loaded.questions))
    from rich.console import Console

    console = Console()
    console.print(f"[bold]{question.title}[/bold]  [dim]{question.id}[/dim]")
    tags = f" · {', '.join(question.tags)}" if question.tags else ""
    console.print(f"[dim]{question.round} · {question.difficulty} · {question.time_box} min{tags}[/dim]\n")
    console.print(question.prompt.strip(), markup=False, highlight=False)
    if not answers:
        console.print(
            f"\n[dim]{len(question.milestones)} milestones, {len(question.facts)} facts and "
            f"{len(question.hints)} hints hidden; add --answers to see them.[/dim]"
        )
        return
    _print_answers(console, question)


def _print_answers(console: object, question: Question) -> None:
    from rich.console import Console
    from rich.markup import escape

    assert isinstance(console, Console)
    console.print("\n[bold]Milestones[/bold]")
    for m in question.milestones:
        console.print(f"  • [cyan]{m.id}[/cyan] (weight {m.weight:g}): {escape(m.text)}")
        if m.probe:
            console.print(f"      probe: [italic]{escape(m.probe)}[/italic]")
        if m.cues:
            console.print(f"      cues: [dim]{escape(', '.join(m.cues))}[/dim]")
    if question.facts:
        console.print("\n[bold]Facts[/bold] (revealed when asked)")
        for f in question.facts:
            console.print(f"  • [dim]{escape(', '.join(f.ask))}[/dim] → {escape(f.answer)}")
    if question.follow_ups:
        console.print("\n[bold]Follow-ups[/bold]")
        for fu in question.follow_ups:
            after = f" after {', '.join(fu.after)}" if fu.after else ""
            console.print(f"  • [magenta]{fu.kind}[/magenta]{after}: {escape(fu.text)}")
    if question.hints:
        console.print("\n[bold]Hints[/bold]")
        for i, hint in enumerate(question.hints, 1):
            console.print(f"  {i}. {escape(hint)}")


@bank.command()
def loops() -> None:
    """The interview loops (phone screen, onsite) and their rounds."""
    from question_bank.loops import load_loops

    for loop in load_loops().values():
        click.echo(f"{loop.id}: {loop.title} ({loop.minutes} min) — {loop.description}")
        for part in loop.parts:
            count = f" ×{part.count}" if part.count > 1 else ""
            click.echo(f"    {part.minutes:>3} min  {part.title} [{part.round}{count}]")
