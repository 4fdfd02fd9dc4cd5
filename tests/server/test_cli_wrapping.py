"""Piped, scorecards and listings keep one row per line, whole: nothing is cut ("and w"), for grep and diff.

The terminal side (wrapping at word boundaries to its width) is in test_drill_tty.py, in a real terminal.
"""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console
from rich.table import Table
from rich.text import Text

from question_bank.loader import load_bank
from server.cli import main
from server.cli_layout import print_row, print_table, wrap

ANSWER = "I'd keep a hash map from each value to its index, and look up target minus x before inserting x."


def saved_session(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{ANSWER}\n/end\n"))
    assert main(["drill", "--question", "code-two-sum", "--json"]) == 0
    session_id: str = json.loads(capsys.readouterr().out)["session_id"]
    return session_id


def test_a_piped_scorecard_has_each_milestone_whole_on_its_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id = saved_session(monkeypatch, capsys)
    assert main(["review", session_id]) == 0
    lines = capsys.readouterr().out.splitlines()
    question = load_bank().get("code-two-sum")
    assert any(len(m.text) > 110 for m in question.milestones)  # longer than the old cut
    for m in question.milestones:
        assert any(m.id in line and line.endswith(m.text) for line in lines), m.id
    assert any(line.endswith(ANSWER) for line in lines)  # the transcript's turns too


def test_piped_listings_keep_one_row_per_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id = saved_session(monkeypatch, capsys)
    assert main(["review"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if session_id in line]
    assert len(rows) == 1 and "code-two-sum" in rows[0] and "ended" in rows[0]
    assert main(["review", "--progress"]) == 0
    out = capsys.readouterr().out.splitlines()
    for checkpoint in ("Design a recommendation or ranking system covering all six framework steps",):
        assert any(checkpoint in line for line in out)


def terminal(width: int) -> Console:
    return Console(file=io.StringIO(), width=width, force_terminal=True, color_system=None)


WORDS = "Makes one pass keeping a hash map from value to index of the elements already seen"
PREFIX = "  ○ missed  hash_map  "


def printed(console: Console) -> list[str]:
    assert isinstance(console.file, io.StringIO)
    return console.file.getvalue().splitlines()


def test_print_row_wraps_at_words_with_a_hanging_indent() -> None:
    console = terminal(50)
    print_row(console, PREFIX, WORDS)
    lines = printed(console)
    assert all(len(line) <= 50 for line in lines) and len(lines) > 2
    assert lines[0].startswith(f"{PREFIX}Makes")
    assert all(line.startswith(" " * len(PREFIX)) and line[len(PREFIX)] != " " for line in lines[1:])
    assert " ".join(line.strip() for line in lines).endswith(WORDS)  # every word whole, in order


def test_print_row_too_narrow_beside_the_prefix_goes_below_it() -> None:
    console = terminal(36)
    print_row(console, PREFIX, WORDS)
    lines = printed(console)
    assert lines[0].rstrip() == PREFIX.rstrip()
    assert all(len(line) <= 36 and line.startswith("    ") for line in lines[1:])
    assert " ".join(line.strip() for line in lines[1:]) == WORDS


def test_print_row_piped_is_one_line() -> None:
    piped = Console(file=io.StringIO(), width=40)
    print_row(piped, PREFIX, WORDS)
    assert printed(piped) == [f"{PREFIX}{WORDS}"]


def sessions_table() -> Table:
    table = Table(title="2 sessions", title_justify="left")
    for column in ("id", "when", "round", "question", "verdict"):
        table.add_column(column, no_wrap=column in ("id", "question"))
    table.add_row("94e246065ae0", "2025-01-31 14:02", "ml_fundamentals", "mlf-l1-vs-l2", "Lean no hire")
    table.add_row("803d35d30c65", "2025-01-31 14:05", "coding", "code-two-sum", "Strong hire")
    return table


@pytest.mark.parametrize(
    ("width", "shown", "dropped"),
    [(100, ["round", "ml_fundamentals"], []), (72, ["2025-01-31"], ["round"]), (60, [], ["round", "when"])],
)
def test_a_table_drops_optional_columns_before_it_cuts_a_word(width: int, shown: list[str], dropped: list[str]) -> None:
    console = terminal(width)
    print_table(console, sessions_table(), optional=("round", "when"))
    lines = printed(console)
    text = "\n".join(lines)
    assert all(len(line) <= width for line in lines) and "…" not in text
    assert all(word in text for word in ["94e246065ae0", "code-two-sum", "Strong", *shown])
    assert all(f" {header} " not in lines[1] for header in dropped)


def test_a_table_narrower_than_its_words_becomes_records() -> None:
    console = terminal(30)
    print_table(console, sessions_table())
    lines = printed(console)
    assert lines[0] == "2 sessions" and lines[1].startswith("• id 94e246065ae0")
    assert all(len(line) <= 30 for line in lines) and "…" not in "".join(lines)
    assert " ".join(" ".join(lines).split()).count("question code-two-sum") == 1


def test_wrap_keeps_styles_and_paragraphs() -> None:
    text = Text.from_markup("[red]alpha beta[/red] gamma delta\nsecond paragraph here")
    lines = wrap(text, 16, 4, 2)
    assert [line.plain for line in lines] == ["alpha beta", "gamma delta", "second", "paragraph here"]
    assert lines[0].spans and lines[0].spans[0].style == "red"
