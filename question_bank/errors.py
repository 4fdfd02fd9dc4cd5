"""Bank errors: each problem names its file and the key path inside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, printable on one line."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


class BankError(Exception):
    """Raised when the bank cannot be loaded; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self.one_line())

    def one_line(self) -> str:
        first = str(self.problems[0]) if self.problems else "invalid question bank"
        more = len(self.problems) - 1
        return f"{first} (and {more} more)" if more > 0 else first


def yaml_type_name(value: Any) -> str:
    """Name a parsed YAML value the way its author wrote it, not as Python sees it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'}; quote yes/no/on/off to keep them as text)"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def key_path(loc: Sequence[str | int]) -> str:
    """('milestones', 2, 'cues', 1) -> 'milestones[2].cues[1]'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not str(part).isidentifier():
            out += f"[{str(part)!r}]"  # a key with spaces or newlines stays on one line, quoted
        else:
            out += f".{part}" if out else str(part)
    return out
