"""Names typed on the command line (question ids, loops, personas): exact, a unique prefix or suffix, or a
one-line error that offers the close matches."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher


class UnknownName(Exception):
    """A name that matches no known one, or several: a one-line message (server/cli.py prints it)."""


SHOWN = 5  # candidates named in an error; more would not fit on one line
CLOSE = 0.6  # difflib's own default cutoff for "close"


def resolve_name(typed: str, known: Iterable[str], what: str, unknown: str, tail: str = "") -> str:
    """The known name `typed` means: itself, else the one known name that starts or ends with it.

    When nothing matches, the error is `unknown` ("no loop named 'x'"), the close matches, then `tail`.
    Several matches are an error naming them, so a short word never picks one of many at random.
    """
    names = sorted(set(known))
    key = typed.strip().lower()
    exact = [n for n in names if n.lower() == key]
    if exact:
        return exact[0]
    matches = [n for n in names if key and (n.lower().startswith(key) or n.lower().endswith(key))]
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = ", ".join(matches[:SHOWN]) + (f" and {len(matches) - SHOWN} more" if len(matches) > SHOWN else "")
        raise UnknownName(f"'{typed}' matches {len(matches)} {what}s: {listed}; type more of it")
    close = close_matches(key, names)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise UnknownName(f"{unknown}{hint}{f' ({tail})' if tail else ''}")


def close_matches(typed: str, names: list[str], count: int = 3) -> list[str]:
    """Names like `typed`, best first. Each id is also compared without its round prefix ("code-", "sd-"),
    since that is the part people remember: "tow-sum" is close to "two-sum", less so to "code-two-sum"."""
    scored = []
    for name in names:
        whole = name.lower()
        bare = whole.split("-", 1)[-1]
        on_whole = SequenceMatcher(None, typed, whole).ratio()
        score = max(on_whole, SequenceMatcher(None, typed, bare).ratio())
        if score >= CLOSE:
            scored.append((-score, -on_whole, name))  # a tie goes to the name that is closer whole
    return [name for _, _, name in sorted(scored)[:count]]


def question_id(typed: str, known: Iterable[str]) -> str:
    unknown = f"bank: no question with id '{typed}'"  # BankError's words, as before there were suggestions
    return resolve_name(typed, known, "question", unknown, "mockloop bank list shows them")


def loop_id(typed: str, known: Iterable[str]) -> str:
    names = sorted(known)
    return resolve_name(typed, names, "loop", f"no loop named '{typed}'", f"known: {', '.join(names)}")


def persona_name(typed: str, known: Iterable[str]) -> str:
    names = sorted(known)
    return resolve_name(typed, names, "persona", f"no persona named '{typed}'", f"known: {', '.join(names)}")
