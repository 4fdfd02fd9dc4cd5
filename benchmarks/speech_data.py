"""Synthesized spoken answers for the speech benchmarks (espeak-ng + sox), cached under /tmp."""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from server.speech.transcriber import load_audio_file

CACHE = Path(tempfile.gettempdir()) / "mockloop-bench-speech"
SENTENCES = [
    "Before choosing a model, I would ask about the business objective and the latency budget.",
    "We have about fifty million users, so I would plan for twenty thousand requests per second at peak.",
    "For training data I would join impression logs with clicks and purchases, and use impressions as negatives.",
    "The first stage is a two tower retrieval model that returns a thousand candidates from a nearest neighbour index.",
    "Then a gradient boosted ranker orders those candidates using user, item and context features.",
    "I would serve features from an online store and train on point in time snapshots from the offline store.",
    "To launch safely I would run it in shadow mode, then a canary, then an A B test on revenue per session.",
    "Finally I would monitor feature drift, the score distribution and conversion, with alerts and a fallback.",
]


def speak(text: str, rate: int = 165) -> np.ndarray:
    """16 kHz mono float32 audio of `text`."""
    CACHE.mkdir(exist_ok=True)
    key = hashlib.sha1(f"{rate}:{text}".encode()).hexdigest()[:16]
    wav = CACHE / f"{key}.wav"
    if not wav.exists():
        raw = CACHE / f"{key}-raw.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", str(rate), "-w", str(raw), text], check=True)
        subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav)], check=True)
    return load_audio_file(wav)


def answer_of_length(seconds: float, offset: int = 0) -> tuple[np.ndarray, str]:
    """Sentences (rotated by `offset`) with short pauses until the audio lasts about `seconds`."""
    parts, texts, total = [], [], 0.0
    pause = np.zeros(int(0.25 * 16000), dtype=np.float32)
    i = offset
    while total < seconds:
        sentence = SENTENCES[i % len(SENTENCES)]
        audio = speak(sentence)
        parts += [audio, pause]
        texts.append(sentence)
        total += (len(audio) + len(pause)) / 16000
        i += 1
    return np.concatenate(parts), " ".join(texts)
