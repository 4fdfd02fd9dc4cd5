"""Candidate turns for `mockloop drill`: from a terminal (multi-line, with a live clock) or a pipe (one per line)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


def _nothing() -> None:
    return None


@dataclass
class Inputs:
    """Where the drill reads answers. `before_prompt` runs once before a terminal's first prompt: the drill
    waits there for what it loads after its opening, so a broken database is reported before anything is typed.
    """

    interactive: bool
    clock: Callable[[], str] = lambda: ""
    before_prompt: Callable[[], object] = _nothing

    def lines(self) -> Iterator[str]:
        if not self.interactive:
            yield from piped()
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
        self.before_prompt()
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
        for line in sys.stdin if self.interactive else piped():
            if line.strip() == "/done":
                break
            lines.append(line.rstrip("\n"))
        return "\n".join(lines)


def piped() -> Iterator[str]:
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
