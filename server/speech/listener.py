"""The candidate's voice, from audio frames to a finished turn.

A `Listener` owns one session's speech input: it buffers PCM, runs voice activity detection and chunking
(`SpokenTurn`), decodes each chunk as soon as a pause closes it, asks for a partial transcript about once a
second, and says when the turn is over (a pause, a monologue, the five-minute cap). The session gets only
what the interview needs: partial text as it improves, why a turn just ended, and the turn's final text.

Decodes go through the shared DecodeQueue to whatever `Decoder` it holds: faster-whisper in production,
a fake in tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from server.speech.queue import FINAL, PARTIAL, SETTLE, DecodeQueue
from server.speech.stream import MAX_TURN_SECONDS, Chunk, SpokenTurn, StreamingVAD, TurnAudio, VoiceDetector
from server.speech.transcriber import Transcription

log = logging.getLogger("mockloop")

EndOfTurn = Literal["pause", "monologue", "too_long"]
SILENCE_RESET_SECONDS = 10.0  # a turn of nothing but silence this long is dropped: keeps memory flat
NO_SPEECH = "no speech was heard"
UNDECODED = "the speech could not be transcribed; please say it again"


@dataclass(frozen=True)
class Utterance:
    """A finished spoken turn."""

    text: str
    started: float  # session seconds when the speech began
    duration: float  # seconds of speech in it


@dataclass(frozen=True)
class Discarded:
    """A turn that ends without text: nothing to store."""

    reason: str


class Listener:
    """One session's speech input. `feed` frames as they arrive; `finish` when the turn is over."""

    def __init__(
        self,
        queue: DecodeQueue | None,
        on_partial: Callable[[str], None],
        clock: Callable[[], float],
        *,
        owner: str = "",
        hotwords: str | None = None,
        end_of_turn_ms: float = 1500,
        monologue_seconds: float = MAX_TURN_SECONDS,
        max_turn_seconds: float = MAX_TURN_SECONDS,
        naive: bool = False,
        vad: Callable[[], VoiceDetector] = StreamingVAD,
    ) -> None:
        self.queue = queue
        self.on_partial = on_partial
        self.clock = clock  # session seconds, for when a turn began
        self.owner = owner  # the session, so the queue can share Whisper fairly between sessions
        self.hotwords = hotwords
        self.end_of_turn_ms = end_of_turn_ms
        self.monologue_seconds = monologue_seconds
        self.max_turn_seconds = max_turn_seconds
        self.naive = naive  # benchmarks: one decode of the whole turn at its end, no chunks, no partials
        self.spoken = SpokenTurn(vad)
        self._chunks: dict[int, tuple[Chunk, asyncio.Future[Transcription]]] = {}  # final decodes, by start
        # The latest decode of the open chunk (a partial or a settle) and the turn it belongs to.
        self._open: tuple[TurnAudio, int, int, asyncio.Future[Transcription]] | None = None
        self._busy = False  # that decode is still running: at most one per session at a time

    @property
    def has_speech(self) -> bool:
        return self.spoken.turn.has_speech

    def feed(self, pcm: bytes) -> EndOfTurn | None:
        """Add one frame of PCM16 audio; returns why the turn just ended, if it did (then call `finish`)."""
        audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        for chunk in self.spoken.feed(audio, now=self.clock()):
            if not self.naive:
                self._decode_chunk(chunk)
        due = None if self.naive else self.spoken.decode_due(busy=self._busy)
        if due is not None:
            self._decode_open(*due)
        turn = self.spoken.turn
        if turn.has_speech and turn.silence_ms() >= self.end_of_turn_ms:
            return "pause"
        if self.spoken.speech_seconds() >= self.monologue_seconds:
            return "monologue"
        if turn.seconds >= self.max_turn_seconds:
            return "too_long"
        if not turn.has_speech and turn.seconds > SILENCE_RESET_SECONDS:
            self.clear()
        return None

    async def finish(self) -> Utterance | Discarded:
        """The turn is over: decode what is left, wait for every chunk, and start the next turn."""
        spoken, turn = self.spoken, self.spoken.turn
        if self.naive:
            self._whole_turn_as_one_chunk()
        await self._await_open_decode()
        chunk = spoken.close_open()
        if chunk is not None:
            self._decode_chunk(chunk)
        missing = await self._wait_for_chunks()
        text = spoken.text()
        started = turn.started_at if turn.started_at is not None else self.clock()
        duration = round(spoken.speech_seconds(), 2)
        self.clear()
        if not turn.has_speech:
            return Discarded(NO_SPEECH)
        if not text:
            return Discarded(UNDECODED if missing else NO_SPEECH)
        return Utterance(text, round(started, 2), duration)

    def clear(self) -> None:
        """Drop the buffered audio and its pending decodes (input.clear, the end of a turn or session)."""
        for _chunk, future in self._chunks.values():
            future.cancel()
        self._chunks.clear()
        self.spoken.reset()  # a new TurnAudio: decodes of the old one that finish later are ignored

    # -- decodes ---------------------------------------------------------------------------------------

    def _decode_chunk(self, chunk: Chunk) -> None:
        if chunk.text is not None or self.queue is None:
            return
        audio = self.spoken.turn.audio(chunk.start, chunk.end)
        future = self.queue.submit(audio, self.hotwords, FINAL, self.owner)
        assert future is not None  # finals are never refused
        self._chunks[chunk.start] = (chunk, future)
        # Filled in as soon as it is ready, so the partials that follow include it.
        future.add_done_callback(lambda f: _fill(chunk, f))

    def _decode_open(self, start: int, end: int, settled: bool) -> None:
        if self.queue is None:
            return
        turn = self.spoken.turn
        priority = SETTLE if settled else PARTIAL
        future = self.queue.submit(turn.audio(start, end), self.hotwords, priority, self.owner)
        if future is None:
            return  # overloaded: this partial is skipped, the next one will come
        self._busy = True
        self._open = (turn, start, end, future)
        future.add_done_callback(lambda f: self._open_decoded(f, turn, start, end))

    def _open_decoded(self, future: asyncio.Future[Transcription], turn: TurnAudio, start: int, end: int) -> None:
        if self._open is not None and self._open[3] is future:
            self._busy = False
        text = _text_of(future)
        # A turn that has ended (committed or cleared) gets no partial: it would arrive after its final.
        if text is None or self.spoken.turn is not turn:
            return
        self.spoken.record_decode(start, end, text)
        partial = self.spoken.text(text if turn.chunk_start == start else "")
        if partial:
            self.on_partial(partial)

    async def _await_open_decode(self) -> None:
        """If the decode running now already covers everything said, wait for it rather than decode again."""
        turn = self.spoken.turn
        if self._open is None or turn.chunk_start is None:
            return
        owner, start, end, future = self._open
        if owner is turn and start == turn.chunk_start and end >= turn.last_voiced_end and not future.cancelled():
            with contextlib.suppress(Exception):  # it failed: the chunk is decoded afresh below
                self.spoken.record_decode(start, end, (await future).text)

    async def _wait_for_chunks(self) -> int:
        """Wait for every chunk's decode; one that failed is decoded once more. Returns how many still lack text."""
        missing: list[Chunk] = []
        for attempt in range(2):
            pending = [f for _chunk, f in self._chunks.values() if not f.done()]
            await asyncio.gather(*pending, return_exceptions=True)
            for chunk, future in self._chunks.values():
                _fill(chunk, future, quiet=True)  # its done-callback may not have run yet; it logged any failure
            missing = [c for c in self.spoken.turn.chunks if c.text is None]
            if not missing or attempt or self.queue is None:
                break
            for chunk in missing:  # a failed decode loses no words: it gets a second try, as a final
                self._decode_chunk(chunk)
        return len(missing)

    def _whole_turn_as_one_chunk(self) -> None:
        turn = self.spoken.turn
        if not turn.has_speech:
            return
        turn.chunks = [Chunk(0, turn.length)]
        turn.chunk_start = None
        self._decode_chunk(turn.chunks[0])


def _text_of(future: asyncio.Future[Transcription], quiet: bool = False) -> str | None:
    """The decoded text, or None if the decode was cancelled or failed (logged once, without a traceback)."""
    if future.cancelled():
        return None
    exc = future.exception()
    if exc is not None:
        if not quiet:
            log.warning("a speech decode failed: %s: %s", type(exc).__name__, str(exc)[:200])
        return None
    return future.result().text


def _fill(chunk: Chunk, future: asyncio.Future[Transcription], quiet: bool = False) -> None:
    if chunk.text is None and future.done():
        text = _text_of(future, quiet)
        if text is not None:
            chunk.text = text
