"""What the interviewer answers when a candidate asks about the job: the answer on the topic they asked about.

The answers (team.yaml) describe one made-up employer shared by every persona, so two rounds never say
different things about the same team. A question uses all the stems of one of an answer's topic phrases
("what does mentoring look like on your team?" and "mentor"; "new hire" needs both words); one that uses
none gets the persona's own general line.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from interviewers.scoring.text import content_stems

TEAM_FILE = Path(__file__).resolve().parent / "team.yaml"
_FEEDBACK = re.compile(
    r"\bhow (did i do|am i doing|was i doing)\b|\b((should|could) i|i (should|could)) (work on|improve)\b", re.I
)


@lru_cache(maxsize=1)
def _answers() -> tuple[tuple[tuple[frozenset[str], ...], str], ...]:
    """Per answer: its topic phrases, each as the set of stems a question must all use, and the answer."""
    raw = yaml.safe_load(TEAM_FILE.read_text(encoding="utf-8"))
    return tuple(
        (tuple(frozenset(content_stems(str(p))) for p in item["about"] if content_stems(str(p))), str(item["answer"]))
        for item in raw
    )


def team_answer(question: str) -> str | None:
    """The answer about the topic the question asks about, or None when it names none of them."""
    if _FEEDBACK.search(question):  # "How did I do?" is all stopwords
        return next(answer for about, answer in _answers() if frozenset({"feedback"}) in about)
    asked = set(content_stems(question))
    # The answer whose phrases cover most of the question's words: "the path to staff engineer" is about
    # promotion (staff, engineer), not about how the team is staffed (staff); a tie goes to the earlier topic.
    hits = [(len(set().union(*(p for p in about if p <= asked))), answer) for about, answer in _answers()]
    count, best = max(hits, key=lambda hit: hit[0])
    return best if count else None
