"""How rows and tables fit a terminal: broken only between words, to its width; piped, one row per line.

On a terminal, a row's continuation lines start under its text and a table's columns are each at least as
wide as their longest word. Piped (to grep, a file, a pager), every row stays one line however long, so it
can be searched and diffed.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, RenderableType
from rich.measure import Measurement
from rich.table import Column, Table
from rich.text import Text

MIN_WRAP = 24  # columns a row's text needs beside its prefix; with fewer it goes on the lines below it
UNDER = 4  # the indent of text put below its prefix
UNLIMITED = 100_000  # a width to measure things at their natural size


def print_row(console: Console, prefix: str, body: str, indent: int | None = None) -> None:
    """`prefix` then `body` (both rich markup). On a terminal the body wraps at word boundaries, its
    continuation lines starting under its first word (or at `indent`); piped, the row is one line."""
    if not console.is_terminal:
        console.print(prefix + body, soft_wrap=True)
        return
    head = Text.from_markup(prefix)
    hang = head.cell_len if indent is None else indent
    if console.width - max(head.cell_len, hang) < MIN_WRAP:
        console.print(head)
        head, hang = Text(" " * UNDER), UNDER
    lines = wrap(Text.from_markup(body), console.width, head.cell_len, hang)
    for i, line in enumerate(lines):
        console.print(Text.assemble(head if i == 0 else " " * hang, line), soft_wrap=True)


def wrap(text: Text, width: int, first_indent: int, indent: int) -> list[Text]:
    """`text` in lines that fit `width` after their indent (`first_indent` for the first), broken only
    between words, with their styles. textwrap measures characters, not cells: East Asian wide characters
    can make a line overrun, which the terminal then folds."""
    lines: list[Text] = []
    for paragraph in text.split("\n", allow_blank=True):
        start = first_indent if not lines else indent
        wrapper = textwrap.TextWrapper(
            width=max(width, max(start, indent) + 1),
            initial_indent=" " * start,
            subsequent_indent=" " * indent,
            break_on_hyphens=False,  # "code-two-sum" is one word
            expand_tabs=False,
            replace_whitespace=False,
        )
        plain, position = paragraph.plain, 0
        pieces = wrapper.wrap(plain) or [" " * start]
        for number, piece in enumerate(pieces):
            content = piece[start if number == 0 else indent :]
            # Each piece is a stretch of the paragraph: take that stretch of the styled text.
            found = plain.find(content, position)
            if found < 0:
                lines.append(Text(content))
                continue
            lines.append(paragraph[found : found + len(content)])
            position = found + len(content)
    return lines


def print_table(console: Console, table: Table, optional: Sequence[str] = ()) -> None:
    """Piped, the table at its natural width (each row one line). On a terminal, columns no narrower than
    their longest word; when they cannot all fit, the `optional` columns go first (by header, in order),
    then the rows are printed as wrapped records instead of a table."""
    if not console.is_terminal:
        natural = console.measure(table, options=console.options.update_width(UNLIMITED)).maximum
        Console(file=console.file, width=natural, no_color=console.no_color).print(table)
        return
    droppable = list(optional)
    while not _fit(console, table):
        if not droppable:
            _print_records(console, table)
            return
        header = droppable.pop(0)
        table.columns[:] = [c for c in table.columns if c.header != header]
    console.print(table)


def _fit(console: Console, table: Table) -> bool:
    """Fix each column's width between its longest word and its longest cell, sharing the terminal's width;
    False when the longest words alone do not fit side by side."""
    options = console.options.update_width(UNLIMITED)
    ranges = [_measure(console, options, column) for column in table.columns]
    _, right, _, left = table.padding
    borders = (2 if table.box and table.show_edge else 0) + (len(table.columns) - 1 if table.box else 0)
    room = console.width - borders - (left + right) * len(table.columns)
    least = sum(r.minimum for r in ranges)
    if least > room:
        return False
    spare, wanted = room - least, sum(r.maximum - r.minimum for r in ranges)
    for column, r in zip(table.columns, ranges, strict=True):
        share = r.maximum - r.minimum if wanted <= spare else (r.maximum - r.minimum) * spare // wanted
        column.width = r.minimum + share
    return True


def _measure(console: Console, options: ConsoleOptions, column: Column) -> Measurement:
    """The column's longest word (its longest cell when it never wraps) and its longest cell."""
    cells: list[RenderableType] = [column.header, *column.cells]
    found = [Measurement.get(console, options, cell) for cell in cells]
    longest = max(m.maximum for m in found)
    return Measurement(longest if column.no_wrap else max(m.minimum for m in found), longest)


def _print_records(console: Console, table: Table) -> None:
    """A table too wide for the terminal, one record per row: "id 94e2… · when 2025-01-31 14:02 · …"."""
    if table.title:
        console.print(table.title)
    headers = [str(column.header) for column in table.columns]
    for cells in zip(*(list(column.cells) for column in table.columns), strict=True):
        fields = [f"[bold]{header}[/bold] {cell}" for header, cell in zip(headers, cells, strict=True) if str(cell)]
        print_row(console, "• ", " · ".join(fields))
