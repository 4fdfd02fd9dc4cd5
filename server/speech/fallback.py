"""A remote speech server first, the local Whisper model when it is slow or down.

An outage is logged once, as one line; while it lasts, chunks go straight to the local model, and the
remote gets one probe per cool-down, so a pool that is down costs each chunk nothing but the first.
A chunk whose remote decode fails is decoded locally at once: no words that were heard are lost.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from server.speech.decoder import Decoder
from server.speech.transcriber import Audio, Transcription

log = logging.getLogger("mockloop")
COOLDOWN_SECONDS = 30.0


class FallbackDecoder:
    """A `Decoder`: `remote` while it answers, `local` during an outage and for the chunk that found it."""

    def __init__(
        self,
        remote: Decoder,
        local: Decoder,
        *,
        remote_name: str = "the speech server",
        cooldown: float = COOLDOWN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.remote = remote
        self.local = local
        self.remote_name = remote_name
        self.cooldown = cooldown
        self.clock = clock
        self._lock = threading.Lock()
        self._retry_at: float | None = None  # set while the remote is out: when to probe it again
        self.outages = 0
        self.remote_chunks = 0
        self.local_chunks = 0

    @property
    def remote_up(self) -> bool:
        return self._retry_at is None

    def mark_down(self, reason: str, announce: bool = True) -> None:
        """The remote failed: log the outage (once, unless the caller has said it), skip it for a cool-down."""
        with self._lock:
            first = self._retry_at is None
            self._retry_at = self.clock() + self.cooldown
            if first:
                self.outages += 1
        if first and announce:
            log.warning(
                "speech server %s failed (%s); using the local model, retrying every %.0f s",
                self.remote_name,
                reason,
                self.cooldown,
            )

    def transcribe(self, audio: Audio, hotwords: str | None = None) -> Transcription:
        if self._should_try_remote():
            try:
                result = self.remote.transcribe(audio, hotwords)
            except Exception as exc:  # any failure of the remote is an outage, never the session's problem
                self.mark_down(str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__)
            else:
                self._mark_up()
                return result
        result = self.local.transcribe(audio, hotwords)
        with self._lock:
            self.local_chunks += 1
        return result

    def _should_try_remote(self) -> bool:
        with self._lock:
            if self._retry_at is None:
                return True
            if self.clock() < self._retry_at:
                return False
            # One probe per cool-down: the other workers stay local until it answers.
            self._retry_at = self.clock() + self.cooldown
            return True

    def _mark_up(self) -> None:
        with self._lock:
            was_down = self._retry_at is not None
            self._retry_at = None
            self.remote_chunks += 1
        if was_down:
            log.warning("speech server %s answers again; chunks go to it", self.remote_name)
