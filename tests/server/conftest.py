"""A real Whisper model, real synthesized speech (espeak-ng + sox), and the app over a real SQLite file."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from question_bank.loader import load_bank
from server.app import create_app
from server.services import Services
from server.settings import Settings, get_settings
from server.speech.queue import DecodeQueue
from server.speech.transcriber import Transcriber, load_audio_file
from server.storage import Store


@pytest.fixture(scope="session")
def transcriber() -> Transcriber:
    model = Transcriber(cpu_threads=1, workers=2)
    model.warm_up()
    return model


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], bytes]:
    """PCM16 mono 16 kHz bytes of `text` spoken by espeak-ng (cached per text)."""
    folder = tmp_path_factory.mktemp("speech")
    cache: dict[str, bytes] = {}

    def speak(text: str) -> bytes:
        if text not in cache:
            raw, wav = folder / f"{len(cache)}-raw.wav", folder / f"{len(cache)}.wav"
            subprocess.run(["espeak-ng", "-v", "en-us", "-s", "165", "-w", str(raw), text], check=True)
            subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(wav)], check=True)
            cache[text] = pcm16(load_audio_file(wav))
        return cache[text]

    return speak


def pcm16(audio: np.ndarray) -> bytes:
    return bytes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())


def silence(seconds: float) -> bytes:
    return bytes(int(seconds * 16000) * 2)


@pytest.fixture
def make_client(transcriber: Transcriber, tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    """A fresh app (as after a restart) over this test's SQLite file, sharing the loaded model.

    Its services are at `client.app.state.services`; `settings` replaces the environment's."""
    clients: list[TestClient] = []
    url = f"sqlite:///{tmp_path / 'live.db'}"

    def make(settings: Settings | None = None) -> TestClient:
        services = Services(
            settings=settings or get_settings(),
            store=Store(url),
            bank=load_bank(),
            decoder=DecodeQueue(transcriber, workers=2),
        )
        client = TestClient(create_app(services))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)
