"""What speech recognition must offer the live path: one blocking call, 16 kHz audio in, text out.

The faster-whisper `Transcriber` satisfies it; tests hand the DecodeQueue a fake (deterministic text, a
chosen delay or failure), so chunking, partials and commits can be checked in milliseconds without a model.
A decoder that can also decode several sessions' chunks in one call is a `BatchDecoder`; the others
(the remote server, its fallback, test fakes) get one call per chunk.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from server.speech.transcriber import Audio, Transcription


class Decoder(Protocol):
    def transcribe(self, audio: Audio, hotwords: str | None = None) -> Transcription:
        """Decode mono float32 audio at 16 kHz. Blocking: the DecodeQueue calls it from a worker thread."""
        ...


@runtime_checkable
class BatchDecoder(Decoder, Protocol):
    def transcribe_batch(self, chunks: Sequence[tuple[Audio, str | None]]) -> list[Transcription]:
        """Decode (audio, hotwords) chunks together; one result per chunk, in order. Blocking, like `transcribe`."""
        ...
