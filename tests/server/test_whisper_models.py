"""The Whisper models that ship in packages: each loads by name, offline, and hears real (synthesized) speech."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest

from server.speech.models import BASE, model_source
from server.speech.transcriber import Transcriber, TranscriberError

SENTENCE = "We shipped the ranking model after the A/B test showed a two percent lift in clicks."


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def test_base_loads_from_its_two_packages_in_memory() -> None:
    source = model_source(BASE)
    assert source.files is not None
    assert set(source.files) == {"config.json", "vocabulary.txt", "tokenizer.json", "model.bin"}
    assert len(source.files["model.bin"]) > 140_000_000  # both halves, joined
    assert model_source("").name == model_source("tiny.en").name == "tiny.en (bundled)"


def test_base_transcribes_speech(speech: Callable[[str], bytes]) -> None:
    model = Transcriber(BASE, cpu_threads=1)
    assert model.name == "base (bundled)"
    audio = np.frombuffer(speech(SENTENCE), dtype="<i2").astype(np.float32) / 32768.0
    heard = _words(model.transcribe(audio).text)
    expected = _words(SENTENCE)
    assert len(set(heard) & set(expected)) >= 0.8 * len(set(expected)), heard


def test_an_unknown_model_is_a_one_line_error() -> None:
    with pytest.raises(TranscriberError) as error:
        Transcriber("/no/such/whisper-folder")
    assert "\n" not in str(error.value)
    assert "/no/such/whisper-folder" in str(error.value)
