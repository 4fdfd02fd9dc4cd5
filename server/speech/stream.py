"""A spoken turn as it arrives: streaming voice activity detection and chunking at pauses.

Audio is cut into chunks at the candidate's own pauses. A chunk is decoded once, as soon as the
pause that closes it is heard, so when the turn ends only the last few words (if any) are left to
decode: finalising a long answer never re-decodes it from the start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from server.speech.transcriber import SAMPLE_RATE, Audio

FRAME = 512  # Silero VAD's frame: 32 ms at 16 kHz
FRAME_MS = 1000 * FRAME / SAMPLE_RATE
CONTEXT_FRAMES = 16  # frames of earlier audio given to the VAD with each new batch
SPEECH_ON = 0.5
SPEECH_OFF = 0.35
MIN_SPEECH_FRAMES = 4  # ~130 ms of voice before a turn counts as speech
CHUNK_PAUSE_MS = 250  # a pause this long inside a turn closes a chunk (a sentence, roughly)
MAX_CHUNK_SECONDS = 20.0  # a chunk this long is closed at its quietest recent frame
MAX_TURN_SECONDS = 300.0  # five minutes: the turn is committed for the candidate
PARTIAL_EVERY_SECONDS = 1.0
SETTLE_FRAMES = 3  # ~100 ms of silence after speech: decode the open chunk now, it is probably complete


@lru_cache(maxsize=1)
def _vad_model() -> Any:
    from faster_whisper.vad import get_vad_model

    return get_vad_model()


class VoiceDetector(Protocol):
    def feed(self, audio: Audio) -> list[float]:
        """Speech probability of each 32 ms frame that `audio` completes (a partial frame waits for the rest)."""
        ...


class StreamingVAD:
    """Silero VAD: speech probability for every 32 ms frame, fed incrementally."""

    def __init__(self) -> None:
        self.model = _vad_model()
        self.pending = np.zeros(0, dtype=np.float32)
        self.context = np.zeros(0, dtype=np.float32)

    def feed(self, audio: Audio) -> list[float]:
        self.pending = np.concatenate([self.pending, audio])
        whole = len(self.pending) // FRAME * FRAME
        if whole == 0:
            return []
        new, self.pending = self.pending[:whole], self.pending[whole:]
        window = np.concatenate([self.context, new])
        probs = self.model(window).reshape(-1)[-(whole // FRAME) :]
        self.context = window[-CONTEXT_FRAMES * FRAME :]
        return [float(p) for p in probs]


@dataclass
class Chunk:
    start: int  # sample offsets within the turn
    end: int
    text: str | None = None  # None until decoded


@dataclass
class TurnAudio:
    """The current spoken turn: its samples, per-frame speech probabilities and chunks."""

    samples: list[Audio] = field(default_factory=list)
    length: int = 0
    probs: list[float] = field(default_factory=list)
    speech_frames: int = 0
    voiced_run: int = 0
    silent_run: int = 0
    chunk_start: int | None = None  # start of the open chunk (None: no open speech)
    chunks: list[Chunk] = field(default_factory=list)
    last_partial_at: int = 0
    last_voiced_end: int = 0  # sample offset where the latest voiced frame ends
    started_at: float | None = None  # session seconds when speech began
    best: Chunk | None = None  # the latest decode of the open chunk (start, end, text)

    @property
    def seconds(self) -> float:
        return self.length / SAMPLE_RATE

    @property
    def has_speech(self) -> bool:
        return self.speech_frames >= MIN_SPEECH_FRAMES

    def audio(self, start: int, end: int) -> Audio:
        return np.concatenate(self.samples)[start:end] if self.samples else np.zeros(0, np.float32)

    def silence_ms(self) -> float:
        return self.silent_run * FRAME_MS


class SpokenTurn:
    """Feeds audio through the VAD and reports what the session should do next."""

    def __init__(self, vad: Callable[[], VoiceDetector] = StreamingVAD) -> None:
        self.new_vad = vad  # tests pass a loudness detector, so a synthetic tone counts as speech
        self.vad = vad()
        self.turn = TurnAudio()

    def reset(self) -> None:
        self.vad = self.new_vad()
        self.turn = TurnAudio()

    def feed(self, audio: Audio, now: float) -> list[Chunk]:
        """Add audio; returns chunks that just closed (ready to decode)."""
        turn = self.turn
        turn.samples.append(audio)
        turn.length += len(audio)
        closed: list[Chunk] = []
        for prob in self.vad.feed(audio):
            frame_start = len(turn.probs) * FRAME
            turn.probs.append(prob)
            if prob >= SPEECH_ON:
                turn.last_voiced_end = frame_start + FRAME
                turn.voiced_run += 1
                turn.silent_run = 0
                turn.speech_frames += 1
                if turn.chunk_start is None and turn.voiced_run >= 2:
                    turn.chunk_start = max(0, frame_start - 6 * FRAME)  # keep the word's onset
                    if turn.started_at is None:
                        turn.started_at = max(0.0, now - (turn.length - frame_start) / SAMPLE_RATE)
            elif prob < SPEECH_OFF:
                turn.voiced_run = 0
                turn.silent_run += 1
            if turn.chunk_start is not None:
                if turn.silent_run * FRAME_MS >= CHUNK_PAUSE_MS:
                    closed.append(self._close(frame_start + FRAME))
                elif (frame_start - turn.chunk_start) / SAMPLE_RATE >= MAX_CHUNK_SECONDS:
                    closed.append(self._close(self._quietest_recent(frame_start)))
        return closed

    def _quietest_recent(self, frame_start: int) -> int:
        frames = self.turn.probs[-int(3000 / FRAME_MS) :]
        quiet = int(np.argmin(frames))
        return frame_start - (len(frames) - 1 - quiet) * FRAME

    def _close(self, end: int) -> Chunk:
        turn = self.turn
        assert turn.chunk_start is not None
        chunk = Chunk(turn.chunk_start, end)
        best = turn.best
        # A decode of this chunk that already covers its last voiced frame is its final text: no second decode.
        if best is not None and best.start == chunk.start and best.end >= min(end, turn.last_voiced_end):
            chunk.text = best.text
        turn.chunks.append(chunk)
        turn.chunk_start = end if turn.silent_run == 0 else None
        turn.last_partial_at = end
        turn.best = None
        return chunk

    def record_decode(self, start: int, end: int, text: str) -> None:
        """Remember a decode of the open chunk (a partial or a settle), so closing it can reuse it."""
        turn = self.turn
        if turn.chunk_start == start and (turn.best is None or end >= turn.best.end):
            turn.best = Chunk(start, end, text)

    def close_open(self) -> Chunk | None:
        """At the end of the turn: the open chunk (if it holds speech) closes too."""
        turn = self.turn
        if turn.chunk_start is None:
            return None
        return self._close(turn.length)

    def decode_due(self, busy: bool = False) -> tuple[int, int, bool] | None:
        """(start, end, settled) of the open chunk when decoding it now is worth it.

        `settled`: the candidate just paused, so this decode is probably the chunk's final text
        (decode it first); otherwise it is a routine partial, once a second while they speak.
        `busy`: a decode of this session is already running; nothing is due (or consumed) until it ends.
        """
        turn = self.turn
        if turn.chunk_start is None:
            return None
        settled = turn.silent_run >= SETTLE_FRAMES and turn.last_voiced_end > turn.last_partial_at
        routine = (turn.length - turn.last_partial_at) / SAMPLE_RATE >= PARTIAL_EVERY_SECONDS
        if busy or not (settled or routine):
            return None  # one decode of the open chunk at a time: a settle waits for the running one
        turn.last_partial_at = turn.length
        return turn.chunk_start, turn.length, settled

    def speech_seconds(self) -> float:
        return self.turn.speech_frames * FRAME_MS / 1000

    def text(self, open_text: str = "") -> str:
        parts = [c.text for c in self.turn.chunks if c.text]
        if open_text:
            parts.append(open_text)
        return " ".join(p.strip() for p in parts if p.strip())
