"""Local speech-to-text with faster-whisper: one shared model, loaded and warmed once.

The default model is Whisper tiny.en; MOCKLOOP_WHISPER_MODEL=base loads the bundled Whisper base, and
any other value a faster-whisper size or a model folder (models.py; sizes need their weights already
in the local cache: nothing is downloaded at run time).
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from server.speech.batch import Padding, decode_batch
from server.speech.correction import correct_to_hotwords
from server.speech.models import ModelUnavailable, model_source

SAMPLE_RATE = 16_000
PROMPT_TERMS = 24
Audio = NDArray[np.float32]
# Whisper says these on silence or noise; they are never a candidate's whole turn.
HALLUCINATIONS = {
    "thank you",
    "thank you.",
    "thanks for watching",
    "thanks for watching!",
    "thank you for watching.",
    "you",
    "bye.",
    "bye",
    "so",
    ".",
    "thank you very much.",
    "i'm sorry.",
    "okay.",
}


class TranscriberError(Exception):
    """The Whisper model cannot be loaded or the audio cannot be read; one line for the user."""


@dataclass(frozen=True)
class Transcription:
    text: str
    seconds: float  # wall time the decode took
    audio_seconds: float


def resolve_device(setting: str) -> tuple[str, str]:
    """(device, compute type): CUDA float16 when CTranslate2 sees a GPU (or is told to), else CPU int8."""
    import ctranslate2

    if setting == "cpu":
        return "cpu", "int8"
    has_gpu = ctranslate2.get_cuda_device_count() > 0
    if setting == "cuda" and not has_gpu:
        raise TranscriberError("MOCKLOOP_WHISPER_DEVICE=cuda, but no CUDA device is visible")
    return ("cuda", "float16") if has_gpu else ("cpu", "int8")


class Transcriber:
    """A faster-whisper model shared by every session; calls are thread-safe and run off the event loop."""

    def __init__(
        self,
        model: str = "",
        device: str = "auto",
        cpu_threads: int = 0,
        workers: int = 1,
        correct: bool = True,
        pad: Padding = "window",
    ) -> None:
        from faster_whisper import WhisperModel

        self.device, self.compute_type = resolve_device(device)
        try:
            source = model_source(model)
        except ModelUnavailable as exc:
            raise TranscriberError(str(exc)) from None
        self.name = source.name
        start = time.perf_counter()
        try:
            self.model = WhisperModel(
                source.path,
                device=self.device,
                compute_type=self.compute_type,
                cpu_threads=cpu_threads,
                num_workers=workers,
                local_files_only=True,
                files=source.files,
            )
        except Exception as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise TranscriberError(f"cannot load the Whisper model '{source.path}': {reason}") from None
        self.load_seconds = time.perf_counter() - start
        self._lock = threading.Lock()
        self.calls = 0
        self.correct = correct  # the correction pass; benchmarks turn it off to measure it apart
        self.pad: Padding = pad  # how a decode pads its chunk for the encoder (server/speech/batch.py)

    def warm_up(self) -> float:
        """Run one decode so the first real one is not slow; returns its seconds."""
        t = np.linspace(0, 1, SAMPLE_RATE, dtype=np.float32)
        return self.transcribe((0.01 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)).seconds

    def transcribe(self, audio: Audio, hotwords: str | None = None) -> Transcription:
        """Decode 16 kHz mono float audio. Blocking: call it from a worker thread.

        `hotwords` (the question's jargon) biases decoding. It goes in as faster-whisper hotwords
        rather than an initial prompt: with a prompt, tiny.en often ends a chunk after its first sentence.
        The text is then snapped to those terms where a rare word is a near miss of one (correction.py).
        """
        if self.pad != "window":
            return self.transcribe_batch([(audio, hotwords)])[0]
        start = time.perf_counter()
        kept = self._respelled(audio, hotwords, self._decode(audio, hotwords, beam_size=1))
        return Transcription(self._clean(kept, hotwords), time.perf_counter() - start, len(audio) / SAMPLE_RATE)

    def _decode(self, audio: Audio, hotwords: str | None, beam_size: int) -> list[str]:
        # Timestamps stay on for the same reason: without them the decode also tends to stop early.
        segments, _info = self.model.transcribe(
            audio,
            language="en",
            beam_size=beam_size,
            temperature=0.0,
            condition_on_previous_text=False,
            vad_filter=False,
            without_timestamps=False,
            hotwords=hotwords or None,
            # Encode only as much as was said (Whisper pads to 30 s by default): short chunks decode much faster.
            chunk_length=min(30, math.ceil(len(audio) / SAMPLE_RATE) + 1),
        )
        kept = [s.text for s in segments if not _likely_noise(s)]  # the generator decodes as it is consumed
        with self._lock:
            self.calls += 1
        return kept

    def _respelled(self, audio: Audio, hotwords: str | None, kept: list[str]) -> list[str]:
        """The decode as it is, unless it spells out letters ("what is the P-I-T-I-NA-T-M-C-M-U-T" for "what is the
        p99 latency budget", from espeak speech one 32 ms frame later): then it is decoded once more with a beam
        search, which mostly hears the words (6 of 7 frame offsets against 1 of 7), kept if it spells less."""
        spelled = spelled_out(" ".join(kept))
        if not spelled:
            return kept
        again = self._decode(audio, hotwords, beam_size=RESPELL_BEAM)
        return again if spelled_out(" ".join(again)) < spelled else kept

    def transcribe_batch(self, chunks: Sequence[tuple[Audio, str | None]]) -> list[Transcription]:
        """Decode several (audio, hotwords) chunks in one batched model call, with `transcribe`'s settings.

        Blocking, like `transcribe`. Each result's `seconds` is the whole batch's wall time: what its
        caller waited. With `pad="window"` each text is the one `transcribe` gives alone.
        """
        start = time.perf_counter()
        segments = decode_batch(self.model, chunks, self.pad)
        with self._lock:
            self.calls += 1
        segments = [
            self._respelled(audio, hotwords, kept) for (audio, hotwords), kept in zip(chunks, segments, strict=True)
        ]
        seconds = time.perf_counter() - start
        return [
            Transcription(self._clean(kept, hotwords), seconds, len(audio) / SAMPLE_RATE)
            for (audio, hotwords), kept in zip(chunks, segments, strict=True)
        ]

    def _clean(self, segments: list[str], hotwords: str | None) -> str:
        text = " ".join(part.strip() for part in segments).strip()
        if text.lower() in HALLUCINATIONS:
            text = ""
        if self.correct:
            text = correct_to_hotwords(text, hotwords)
        return text


RESPELL_BEAM = 5
# Letters joined by hyphens, four or more ("P-I-T-I", "T-M-C-M-U-T"): Whisper spelling out what it did not hear.
_SPELLED = re.compile(r"\b[A-Za-z]{1,2}(?:-[A-Za-z]{1,2}){3,}\b")


def spelled_out(text: str) -> int:
    """How many letters the decode spells out one by one (0 when it spells nothing)."""
    return sum(len(run.replace("-", "")) for run in _SPELLED.findall(text))


def _likely_noise(segment: Any) -> bool:
    return bool(segment.no_speech_prob > 0.6 and segment.avg_logprob < -1.0)


def vocabulary_prompt(words: list[str]) -> str | None:
    """Hotwords that make Whisper expect the question's jargon (its vocabulary first, then milestone cues)."""
    unique = list(dict.fromkeys(w.strip() for w in words if w.strip()))
    if not unique:
        return None
    # Kept short: a long prompt makes tiny.en stop after the first sentence of a chunk.
    return ", ".join(unique[:PROMPT_TERMS])


def load_audio_file(path: Path) -> Audio:
    """Any file ffmpeg/PyAV can read, as 16 kHz mono float32."""
    if not path.is_file():
        raise TranscriberError(f"{path}: no such file")
    from faster_whisper.audio import decode_audio

    try:
        audio: Audio = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except Exception as exc:
        raise TranscriberError(f"{path.name}: cannot read audio ({str(exc).splitlines()[0][:120]})") from None
    return audio
