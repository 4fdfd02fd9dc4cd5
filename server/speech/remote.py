"""Speech-to-text on a remote OpenAI-compatible server (`POST /v1/audio/transcriptions`).

A deployment can put Whisper on a GPU pool behind a load balancer (faster-whisper-server, speaches,
vLLM, ...) while the app servers only stream audio. Each chunk goes as a small WAV with the question's
jargon as the `prompt`; the listener's chunking, partials and silence handling do not change.
"""

from __future__ import annotations

import io
import threading
import time
import wave
from urllib.parse import urlsplit

import httpx
import numpy as np

from server.speech.transcriber import HALLUCINATIONS, SAMPLE_RATE, Audio, Transcription

TRANSCRIPTIONS_PATH = "/v1/audio/transcriptions"


class RemoteSTTError(Exception):
    """The speech server did not answer with a transcript (down, slow, refused); one line for the log."""


def transcriptions_url(base: str) -> str:
    """The endpoint for a base URL: `http://stt:8000`, `http://stt:8000/v1` and the full path all work."""
    url = base.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"'{base}' is not an http(s) URL")
    if url.endswith(TRANSCRIPTIONS_PATH):
        return url
    if url.endswith("/v1"):
        return url + TRANSCRIPTIONS_PATH.removeprefix("/v1")
    return url + TRANSCRIPTIONS_PATH


def wav_bytes(audio: Audio) -> bytes:
    """16 kHz mono PCM16 WAV: every server reads it, and it is half the size of float32."""
    pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2").tobytes()
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(pcm)
    return out.getvalue()


class RemoteTranscriber:
    """A `Decoder` that posts each chunk to the speech server. Thread-safe: httpx pools the connections."""

    def __init__(self, url: str, model: str = "whisper-1", api_key: str = "", timeout: float = 2.0) -> None:
        self.url = transcriptions_url(url)
        self.model = model
        self.name = f"{model} at {self.url}"
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        # A short connect timeout: a pool that is down should cost a chunk little before the fallback runs.
        self._client = httpx.Client(headers=headers, timeout=httpx.Timeout(timeout, connect=min(timeout, 1.0)))
        self._lock = threading.Lock()
        self.calls = 0

    def transcribe(self, audio: Audio, hotwords: str | None = None) -> Transcription:
        start = time.perf_counter()
        # The API has no hotwords: the question's jargon goes as the prompt, which Whisper reads as prior text.
        # temperature 0: one greedy pass, no fallback re-decodes that would blow the latency budget.
        form = {"model": self.model, "language": "en", "response_format": "json", "temperature": "0"}
        if hotwords:
            form["prompt"] = hotwords
        files = {"file": ("chunk.wav", wav_bytes(audio), "audio/wav")}
        try:
            response = self._client.post(self.url, data=form, files=files)
        except httpx.HTTPError as exc:
            raise RemoteSTTError(f"{type(exc).__name__}: {str(exc)[:160] or 'no answer'}") from None
        if response.status_code != 200:
            raise RemoteSTTError(f"HTTP {response.status_code}: {response.text[:160]}")
        try:
            text = str(response.json()["text"]).strip()
        except (ValueError, KeyError, TypeError):
            raise RemoteSTTError(f"not a transcription: {response.text[:160]}") from None
        with self._lock:
            self.calls += 1
        if text.lower() in HALLUCINATIONS:
            text = ""
        return Transcription(text, time.perf_counter() - start, len(audio) / SAMPLE_RATE)

    def close(self) -> None:
        self._client.close()
