"""What speech recognition must offer the live path: one blocking call, 16 kHz audio in, text out.

The faster-whisper `Transcriber` satisfies it; tests hand the DecodeQueue a fake (deterministic text, a
chosen delay or failure), so chunking, partials and commits can be checked in milliseconds without a model.
"""

from __future__ import annotations

from typing import Protocol

from server.speech.transcriber import Audio, Transcription


class Decoder(Protocol):
    def transcribe(self, audio: Audio, hotwords: str | None = None) -> Transcription:
        """Decode mono float32 audio at 16 kHz. Blocking: the DecodeQueue calls it from a worker thread."""
        ...
