"""Scorecards and session lists on a terminal, with rich."""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from question_bank.schema import Question
from server.reports import VERDICT_WORDS

STATUS_STYLE = {"met": "[green]● met[/green]", "partial": "[yellow]◐ partial[/yellow]", "missed": "[red]○ missed[/red]"}
VERDICT_STYLE = {
    "strong_hire": "bold green",
    "hire": "green",
    "lean_hire": "yellow",
    "lean_no_hire": "red",
    "no_hire": "bold red",
}


def print_scorecard(console: Console, card: dict[str, Any], question: Question | None) -> None:
    texts = {m.id: m.text for m in question.milestones} if question else {}
    style = VERDICT_STYLE.get(card["verdict"], "bold")
    verdict = VERDICT_WORDS.get(card["verdict"], card["verdict"])
    console.print(
        f"\n[bold]Score {card['score']:g}/100[/bold] · [{style}]{verdict}[/]"
        f"  [dim](scored by {escape(card['scorer'])})[/dim]"
    )
    for m in card["milestones"]:
        console.print(
            f"  {STATUS_STYLE[m['status']]}  [bold]{m['id']}[/bold]  [dim]{escape(texts.get(m['id'], ''))[:110]}[/dim]"
        )
        for ev in m.get("evidence", []):
            console.print(f"      [italic]“{escape(ev['quote'])}”[/italic] [dim](turn {ev['turn']})[/dim]")
    delivery = card.get("delivery") or {}
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
    if facts:
        console.print("  [bold]Delivery:[/bold] " + " · ".join(facts))
    for note in card.get("notes", []):
        console.print(f"  [dim]note: {escape(note)}[/dim]")


def table_console() -> Console:
    """A console for listings: the terminal's width, or when piped to a file or a pager, wide enough
    that one row stays one line (rich would otherwise wrap every cell at 80 columns)."""
    return Console() if sys.stdout.isatty() else Console(width=160)


def print_session_list(console: Console, rows: list[dict[str, Any]]) -> None:
    if not rows:
        console.print("No sessions yet. Start one with [bold]mockloop drill[/bold].")
        return
    table = Table(title=f"{len(rows)} sessions", title_justify="left")
    for column in ("id", "when", "round", "question", "status", "score", "verdict"):
        table.add_column(column, justify="right" if column == "score" else "left")
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
    console.print(table)


def print_progress(console: Console, rounds: list[dict[str, Any]], checkpoints: list[dict[str, Any]]) -> None:
    if not rounds:
        console.print("No scored sessions yet. Start one with [bold]mockloop drill[/bold].")
    else:
        table = Table(title="Scores per round", title_justify="left")
        for column in ("round", "sessions", "best", "latest", "last 3 (mean)"):
            table.add_column(column, justify="left" if column == "round" else "right")
        for r in rounds:
            table.add_row(r["round"], str(r["sessions"]), f"{r['best']:g}", f"{r['latest']:g}", f"{r['recent_mean']:g}")
        console.print(table)
    table = Table(title="Readiness (the prep plan's checkpoints)", title_justify="left")
    table.add_column("checkpoint")
    table.add_column("done", justify="right")
    for c in checkpoints:
        mark = "[green]✓[/green]" if c["ready"] else " "
        table.add_row(escape(c["checkpoint"]), f"{mark} {c['done']}/{c['goal']}")
    console.print(table)
