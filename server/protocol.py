"""The WebSocket protocol of shared/CONTRACTS.md §5: client messages parsed once, at the socket, and
every server event a model, so nothing is sent that the contract does not describe."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from server.text import encodable

MAX_FRAME_BYTES = 1024 * 1024  # any frame, text or binary
MAX_AUDIO_FRAME_BYTES = 32_000  # one second of 16 kHz PCM16
MAX_TEXT_CHARS = 20_000
# The languages the editor offers; only Python runs. A free string here was copied into every later turn.
LANGUAGES = ("python", "pseudocode", "text")


class ProtocolError(Exception):
    """A bad frame: answered with an `error` event, and the session goes on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def event(self) -> ErrorEvent:
        return ErrorEvent(code=self.code, message=self.message)


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Answer(_Message):
    type: Literal["answer"]
    text: str


class Commit(_Message):
    type: Literal["input.commit"]


class Clear(_Message):
    type: Literal["input.clear"]


class Code(_Message):
    type: Literal["code"]
    language: str = "python"
    text: str


class CodeRun(_Message):
    type: Literal["code.run"]


class Hint(_Message):
    type: Literal["hint"]


class End(_Message):
    type: Literal["session.end"]


class Ping(_Message):
    type: Literal["ping"]


# Strict: a count sent as "12", 12.5 or true is a broken client, not a number to guess at.
_Count = Annotated[int, Field(strict=True, ge=0)]


class ReplyInterrupted(_Message):
    """The candidate talked over the spoken reply `turn`: its first `heard_chars` characters were read aloud."""

    type: Literal["reply.interrupted"]
    turn: _Count
    heard_chars: _Count


ClientMessage = Annotated[
    Answer | Commit | Clear | Code | CodeRun | Hint | End | Ping | ReplyInterrupted, Field(discriminator="type")
]
_ADAPTER: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)
KNOWN_TYPES = (
    "answer",
    "input.commit",
    "input.clear",
    "code",
    "code.run",
    "hint",
    "session.end",
    "ping",
    "reply.interrupted",
)


def parse_text_frame(raw: str) -> ClientMessage:
    if len(raw.encode("utf-8", errors="replace")) > MAX_FRAME_BYTES:
        raise ProtocolError("frame_too_large", "frames are limited to 1 MiB")
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, RecursionError):
        raise ProtocolError("bad_json", "text frames must be JSON objects") from None
    if not isinstance(data, dict):
        raise ProtocolError("bad_json", "text frames must be JSON objects")
    kind = data.get("type")
    if kind not in KNOWN_TYPES:
        raise ProtocolError("unknown_type", f"unknown message type {str(kind)[:40]!r}; known: {', '.join(KNOWN_TYPES)}")
    try:
        message = _ADAPTER.validate_python(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"][1:]) or "message"
        raise ProtocolError("bad_message", f"{kind}: {where}: {err['msg'].lower()}") from None
    if isinstance(message, Answer | Code) and len(message.text) > MAX_TEXT_CHARS:
        raise ProtocolError("text_too_long", f"text is limited to {MAX_TEXT_CHARS:,} characters")
    if isinstance(message, Code) and message.language not in LANGUAGES:
        raise ProtocolError("bad_message", f"code: language must be one of {', '.join(LANGUAGES)}")
    for value in message.model_dump().values():
        if isinstance(value, str) and not encodable(value):
            raise ProtocolError("bad_text", f"{kind}: text must be valid Unicode (it holds a lone surrogate)")
    return message


def check_audio_frame(frame: bytes) -> None:
    if len(frame) > MAX_FRAME_BYTES:
        raise ProtocolError("frame_too_large", "frames are limited to 1 MiB")
    if len(frame) > MAX_AUDIO_FRAME_BYTES:
        raise ProtocolError("frame_too_long", "audio frames carry at most 1 s (32,000 bytes of 16 kHz PCM16)")
    if len(frame) % 2:
        raise ProtocolError("odd_length", "PCM16 frames must have an even number of bytes")


# -- server -> client ------------------------------------------------------------------------------------


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def wire(self) -> dict[str, Any]:
        """The JSON object sent: optional fields that are unset (None) are left out."""
        optional = {name for name, f in type(self).model_fields.items() if f.default is None}
        return {k: v for k, v in self.model_dump().items() if not (v is None and k in optional)}


class SessionReady(_Event):
    """First event after connecting: the history (empty for a new session) and the interview clock."""

    type: Literal["session.ready"] = "session.ready"
    turns: list[dict[str, Any]]
    status: str
    worker: int  # the server process, which a test of several workers checks
    elapsed: float


class _TurnText(_Event):
    """An event about one turn of the transcript: its index and its text."""

    turn: int
    text: str


class ReplyDelta(_TurnText):
    type: Literal["reply.delta"] = "reply.delta"


class ReplyDone(_TurnText):
    type: Literal["reply.done"] = "reply.done"
    action: str


class TranscriptPartial(_TurnText):
    type: Literal["transcript.partial"] = "transcript.partial"


class TranscriptFinal(_TurnText):
    """A spoken candidate turn, stored."""

    type: Literal["transcript.final"] = "transcript.final"


class AnswerSaved(_TurnText):
    """A typed candidate turn, stored: the page stops offering to resend it."""

    type: Literal["answer.saved"] = "answer.saved"


class TranscriptDiscarded(_Event):
    """A spoken turn that held no speech (silence, noise): nothing was stored."""

    type: Literal["transcript.discarded"] = "transcript.discarded"
    reason: str


class Interrupt(_Event):
    """The interviewer cuts into a monologue; the speech so far becomes the turn."""

    type: Literal["interrupt"] = "interrupt"
    turn: int
    after_seconds: float


class Scorecard(_Event):
    """The scorecard of §3, its fields at the top level."""

    model_config = ConfigDict(extra="allow")
    type: Literal["scorecard"] = "scorecard"


class SessionEnded(_Event):
    type: Literal["session.ended"] = "session.ended"


class ErrorEvent(_Event):
    """A bad frame or a failure: the session goes on (or, for storage, the socket closes with 1013)."""

    type: Literal["error"] = "error"
    code: str
    message: str
    text: str | None = None  # an answer the server could not save, for the client to resend


class CodeResult(_Event):
    type: Literal["code.result"] = "code.result"
    passed: int
    total: int
    failures: list[dict[str, str]]
    error: str | None = None


class Pong(_Event):
    type: Literal["pong"] = "pong"


ServerEvent = (
    SessionReady
    | ReplyDelta
    | ReplyDone
    | TranscriptPartial
    | TranscriptFinal
    | AnswerSaved
    | TranscriptDiscarded
    | Interrupt
    | Scorecard
    | SessionEnded
    | ErrorEvent
    | CodeResult
    | Pong
)
