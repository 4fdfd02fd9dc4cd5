"""Interview loops (phone screen, onsite) as data: which rounds, in which order, for how long."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import Field, ValidationError

from question_bank.errors import BankError, Problem, key_path
from question_bank.schema import Question, QuestionId, Round, Text, _Strict

LOOPS_FILE = Path(__file__).resolve().parent / "loops.yaml"


class LoopPart(_Strict):
    title: Text
    round: Round
    minutes: int = Field(gt=0)
    count: int = Field(default=1, gt=0)
    tags: list[Text] = Field(default_factory=list)
    exclude_tags: list[Text] = Field(default_factory=list)

    def admits(self, question: Question) -> bool:
        """Whether a question may be drawn for this part of the loop."""
        tags = set(question.tags)
        return question.round == self.round and set(self.tags) <= tags and not tags.intersection(self.exclude_tags)


class Loop(_Strict):
    id: QuestionId
    title: Text
    description: Text
    parts: list[LoopPart] = Field(min_length=1)

    @property
    def minutes(self) -> int:
        return sum(part.minutes for part in self.parts)


def load_loops(path: Path = LOOPS_FILE) -> dict[str, Loop]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    loops: dict[str, Loop] = {}
    for i, item in enumerate(raw or []):
        try:
            loop = Loop.model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise BankError([Problem(path.name, key_path([i, *err["loc"]]), err["msg"].lower())]) from None
        loops[loop.id] = loop
    return loops
