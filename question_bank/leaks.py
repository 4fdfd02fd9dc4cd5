"""What an interviewer line may not say yet: a fact's specifics before the fact is revealed, or the whole solution.

A probe, hint or follow-up can be asked before the candidate has asked for any fact, so it must not
name what only a fact's answer says: a number, a name, an identifier. The prompt and title are public,
so what they say is fair. A hint ladder exists to let the candidate find the answer; its last rung
nudges and does not state the solution.
"""

from __future__ import annotations

import re

from question_bank.schema import Question

_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?:\s?%|\s?(?:ms|s|k|m|b|gb|mb|tb|x))?(?![\w])", re.I)
_IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")  # days_since_last_login
_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]{2,}(?:\s[A-Z][a-z]+)*")  # a capitalised word inside a sentence
# Small counts without a unit are too generic to give anything away ("the 3 nearest", "k = 5").
_SMALL = re.compile(r"^\d{1,2}$")
SOLUTION_CUES = 3  # a last hint naming this many of the milestones' cue phrases lays out the answer


_COUNTED = re.compile(
    r"\W*(?:(?:percent|per|of|the|a|an|all|its|their|our|more|most|new|about|roughly)\W+)*([a-z]+)", re.I
)


def _counted(text: str, end: int) -> str:
    """What a number counts: "1% of requests" -> "request", so "1% of traffic" is another specific."""
    found = _COUNTED.match(text, end)
    return found.group(1).lower().rstrip("s") if found else ""


def specifics(text: str) -> set[str]:
    """The specific content of a text: numbers (with what they count), identifiers and names, normalised."""
    found = set()
    for m in _NUMBER.finditer(text):
        number = re.sub(r"[\s,]", "", m.group(0)).lower()
        if not (_SMALL.match(number) and int(number) < 20):
            found.add(f"{number} {_counted(text, m.end())}".strip())
    found |= {m.group(0) for m in _IDENTIFIER.finditer(text)}
    found |= {m.group(0).lower() for m in _NAME.finditer(text)}
    return found


def spoken_lines(question: Question) -> list[tuple[str, str]]:
    """(where, text) for every line that can be said before any fact is revealed."""
    lines = [(f"milestones[{i}].probe", m.probe) for i, m in enumerate(question.milestones) if m.probe]
    lines += [(f"hints[{i}]", h) for i, h in enumerate(question.hints)]
    lines += [(f"follow_ups[{i}]", f.text) for i, f in enumerate(question.follow_ups)]
    lines += [
        (f"misconceptions[{i}].challenge", m.challenge) for i, m in enumerate(question.misconceptions) if m.challenge
    ]
    return lines


def line_leaks(
    question: Question, text: str, revealed: set[int] | frozenset[int] = frozenset(), heard: str = ""
) -> list[tuple[int, str]]:
    """(fact index, the specific) for each fact's specific that `text` names before that fact is revealed
    (what the candidate said themselves, `heard`, is theirs to hear back)."""
    # The title, the prompt, the function signature a coding round hands over (its interface: "None when no pair
    # is left" is part of it) and the question's own vocabulary (terms of the trade, like Adam or d_model) are public.
    shown = f"{question.title}\n{question.prompt}\n{question.signature or ''}\n{heard}"
    public = specifics(shown) | {v.lower() for v in question.vocabulary}
    for i in revealed:  # what a revealed fact says may be said again, whichever other fact also says it
        public |= specifics(question.facts[i].answer)
    public |= {v for v in question.vocabulary if _IDENTIFIER.fullmatch(v)}
    said = specifics(text) - public
    out = []
    for i, fact in enumerate(question.facts):
        if i in revealed:
            continue
        for token in sorted(said & specifics(fact.answer)):
            out.append((i, token))
    return out


def leak_problems(question: Question) -> list[str]:
    """Editorial problems: a fact's specifics in an early line, or a last hint that states the solution."""
    problems = [
        f"{where} names '{token}' from facts[{fact}] before it is revealed"
        for where, text in spoken_lines(question)
        for fact, token in line_leaks(question, text)
    ]
    if question.hints and question.round != "behavioral":  # a story's structure is not a solution
        last = question.hints[-1].lower()
        cues = {cue.lower() for m in question.milestones for cue in m.cues if len(cue) > 3}
        named = sorted(cue for cue in cues if re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", last))
        if len(named) >= SOLUTION_CUES:
            problems.append(f"the last hint states the solution (it names {', '.join(named)}); make it a nudge")
    return problems
