"""Scorecards and session lists on a terminal, with rich (laid out by server/cli_layout.py: wrapped at word
boundaries to the terminal's width, one row per line when piped)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from question_bank.schema import Question
from server.cli_layout import print_row, print_table
from server.reports import VERDICT_WORDS

STATUS_STYLE = {"met": "[green]● met[/green]", "partial": "[yellow]◐ partial[/yellow]", "missed": "[red]○ missed[/red]"}
VERDICT_STYLE = {
    "strong_hire": "bold green",
    "hire": "green",
    "lean_hire": "yellow",
    "lean_no_hire": "red",
    "no_hire": "bold red",
}


def table_console() -> Console:
    """The console listings print to (standard output; its width when it is a terminal)."""
    return Console()


def print_scorecard(console: Console, card: dict[str, Any], question: Question | None) -> None:
    texts = {m.id: m.text for m in question.milestones} if question else {}
    style = VERDICT_STYLE.get(card["verdict"], "bold")
    verdict = VERDICT_WORDS.get(card["verdict"], card["verdict"])
    console.print()
    print_row(
        console,
        f"[bold]Score {card['score']:g}/100[/bold] · [{style}]{verdict}[/]  ",
        f"[dim](scored by {escape(card['scorer'])})[/dim]",
    )
    for m in card["milestones"]:
        print_row(
            console, f"  {STATUS_STYLE[m['status']]}  [bold]{escape(m['id'])}[/bold]  ", _dim(texts.get(m["id"], ""))
        )
        for ev in m.get("evidence", []):
            print_row(console, "      ", f"[italic]“{escape(ev['quote'])}”[/italic] [dim](turn {ev['turn']})[/dim]")
    facts = _delivery(card.get("delivery") or {})
    if facts:
        print_row(console, "  [bold]Delivery:[/bold] ", " · ".join(facts))
    for note in card.get("notes", []):
        print_row(console, "  [dim]note:[/dim] ", _dim(note))


def _dim(text: str) -> str:
    return f"[dim]{escape(text)}[/dim]" if text else ""


def _delivery(delivery: dict[str, Any]) -> list[str]:
    facts = []
    if "words_per_minute" in delivery:
        facts.append(f"{delivery['words_per_minute']:g} words/min ({delivery.get('pace')})")
    if "fillers_per_minute" in delivery:
        facts.append(f"{delivery['fillers_per_minute']:g} fillers/min")
    if "longest_pause_seconds" in delivery:
        facts.append(f"longest pause {delivery['longest_pause_seconds']:g} s")
    if "quantified" in delivery:
        facts.append("results quantified" if delivery["quantified"] else "[red]no numbers in your story[/red]")
    if "requirements_before_model" in delivery:
        facts.append(
            "requirements first" if delivery["requirements_before_model"] else "[red]model before requirements[/red]"
        )
    return facts


def print_session_list(console: Console, rows: list[dict[str, Any]]) -> None:
    if not rows:
        console.print("No sessions yet. Start one with [bold]mockloop drill[/bold].")
        return
    table = Table(title=f"{len(rows)} sessions", title_justify="left")
    for column in ("id", "when", "round", "question", "status", "score", "verdict"):
        # Ids are never split; the other cells wrap at word boundaries ("2025-01-31 14:02" at its space).
        table.add_column(column, justify="right" if column == "score" else "left", no_wrap=column in ("id", "question"))
    for r in rows:
        score = f"{r['score']:g}" if r.get("score") is not None else "–"
        table.add_row(
            r["id"],
            r["when"],
            r["round"],
            r["question_id"],
            r["status"],
            score,
            VERDICT_WORDS.get(r.get("verdict") or "", "–"),
        )
    print_table(console, table, optional=("round", "status", "when"))


def print_progress(console: Console, rounds: list[dict[str, Any]], checkpoints: list[dict[str, Any]]) -> None:
    if not rounds:
        console.print("No scored sessions yet. Start one with [bold]mockloop drill[/bold].")
    else:
        table = Table(title="Scores per round", title_justify="left")
        for column in ("round", "sessions", "best", "latest", "last 3 (mean)"):
            table.add_column(column, justify="left" if column == "round" else "right", no_wrap=True)
        for r in rounds:
            table.add_row(r["round"], str(r["sessions"]), f"{r['best']:g}", f"{r['latest']:g}", f"{r['recent_mean']:g}")
        print_table(console, table)
    table = Table(title="Readiness (the prep plan's checkpoints)", title_justify="left")
    table.add_column("checkpoint")
    table.add_column("done", justify="right", no_wrap=True)  # "✓ 10/10" stays whole
    for c in checkpoints:
        mark = "[green]✓[/green]" if c["ready"] else " "
        table.add_row(escape(c["checkpoint"]), f"{mark} {c['done']}/{c['goal']}")
    print_table(console, table)
