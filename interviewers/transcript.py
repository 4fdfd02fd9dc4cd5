"""Transcripts (shared/CONTRACTS.md §2): what sessions export and what scorers read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from question_bank.errors import key_path

Speaker = Literal["interviewer", "candidate"]


class TranscriptError(Exception):
    """A transcript that cannot be read or scored; the message is one line for the user."""


class Turn(BaseModel):
    model_config = ConfigDict(extra="allow")

    speaker: Speaker
    text: str
    t: float | None = Field(default=None, ge=0)
    duration: float | None = Field(default=None, ge=0)


class Transcript(BaseModel):
    model_config = ConfigDict(extra="allow")

    question_id: str
    round: str | None = None
    turns: list[Turn]

    def candidate_turns(self) -> list[tuple[int, Turn]]:
        """(index in `turns`, turn) for every candidate turn; scorecard evidence indexes these turns."""
        return [(i, turn) for i, turn in enumerate(self.turns) if turn.speaker == "candidate"]


def parse_transcript(data: object, source: str = "transcript") -> Transcript:
    try:
        transcript = Transcript.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = key_path(err["loc"])
        raise TranscriptError(f"{source}: {where + ': ' if where else ''}{err['msg'].lower()}") from None
    if not any(turn.text.strip() for _, turn in transcript.candidate_turns()):
        raise TranscriptError(f"{source}: the transcript has no candidate turns to score")
    return transcript


def load_transcript(path: Path) -> Transcript:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TranscriptError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise TranscriptError(f"{path}: is a folder, not a transcript file") from None
    except UnicodeDecodeError:
        raise TranscriptError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise TranscriptError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptError(
            f"{path.name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    return parse_transcript(data, path.name)
