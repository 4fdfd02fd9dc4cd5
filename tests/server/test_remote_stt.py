"""The remote speech backend against a real OpenAI-compatible server (faster-whisper-server from PyPI).

Real synthesized speech streams through the Listener to the server and back as partials and a final; a
server killed mid-answer hands the rest of the turn to the local model without losing the words already
heard, and the remote is used again once it answers. The first run installs the server (cached).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from server.errors import ConfigError
from server.settings import Settings, get_settings
from server.speech.decoder import Decoder
from server.speech.fallback import FallbackDecoder
from server.speech.listener import Listener, Utterance
from server.speech.queue import DecodeQueue
from server.speech.remote import RemoteSTTError, RemoteTranscriber, transcriptions_url
from server.speech.transcriber import Audio, Transcriber
from server.startup import remote_decoder
from tests.server.conftest import silence
from tests.server.stt_server import ServerUnavailable, SpeechServer, free_port, installed_server

FIRST = "Gradient descent updates the weights to reduce the loss."
SECOND = "Dropout randomly turns off neurons during training."
HOTWORDS = "gradient descent, weights, loss, dropout, neurons, training"
FRAME = 3200  # 100 ms of PCM16, as the page sends it


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def as_float(pcm: bytes) -> Audio:
    audio: Audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    return audio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def server_script() -> Path:
    try:
        return installed_server()
    except ServerUnavailable as exc:  # no registry here and nothing cached: nothing to test against
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def stt(server_script: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpeechServer]:
    server = SpeechServer(server_script, tmp_path_factory.mktemp("stt")).start()
    yield server
    server.stop()


@pytest.fixture
def remotes() -> Iterator[Callable[..., RemoteTranscriber]]:
    made: list[RemoteTranscriber] = []

    def make(url: str, timeout: float = 10.0) -> RemoteTranscriber:
        made.append(RemoteTranscriber(url, timeout=timeout))
        return made[-1]

    yield make
    for remote in made:
        remote.close()


class Mic:
    """A Listener over one DecodeQueue, fed 100 ms frames twice as fast as real time."""

    def __init__(self, decoder: Decoder) -> None:
        self.queue = DecodeQueue(decoder, workers=2)
        self.partials: list[str] = []
        self.listener = Listener(self.queue, self.partials.append, lambda: 0.0, owner="s1", hotwords=HOTWORDS)

    async def say(self, pcm: bytes) -> str | None:
        for start in range(0, len(pcm), FRAME):
            end = self.listener.feed(pcm[start : start + FRAME])
            await asyncio.sleep(0.05)
            if end is not None:
                return end
        return None

    async def answer(self, pcm: bytes) -> Utterance:
        self.queue.start()
        try:
            assert await self.say(pcm + silence(2.0)) == "pause"
            result = await self.listener.finish()
        finally:
            await self.queue.stop()
        assert isinstance(result, Utterance), result
        return result


# -- one chunk ----------------------------------------------------------------------------------------------


def test_the_remote_transcribes_speech_as_the_local_model_does(
    stt: SpeechServer,
    transcriber: Transcriber,
    speech: Callable[[str], bytes],
    remotes: Callable[..., RemoteTranscriber],
) -> None:
    audio = as_float(speech(FIRST))
    remote = remotes(stt.url)
    heard = remote.transcribe(audio, HOTWORDS)
    local = transcriber.transcribe(audio, HOTWORDS)
    assert {"gradient", "descent", "weights", "loss"} <= words(heard.text), heard.text
    assert {"gradient", "descent", "weights", "loss"} <= words(local.text), local.text
    assert heard.audio_seconds == pytest.approx(local.audio_seconds)
    assert remote.transcribe(np.zeros(16_000, dtype=np.float32)).text == ""  # silence is no words


def test_a_slow_server_is_an_error_after_the_timeout(
    stt: SpeechServer, speech: Callable[[str], bytes], remotes: Callable[..., RemoteTranscriber]
) -> None:
    remote = remotes(stt.url, timeout=0.02)  # tiny.en on a CPU needs far longer for three seconds of speech
    started = time.perf_counter()
    with pytest.raises(RemoteSTTError, match="Timeout"):
        remote.transcribe(as_float(speech(FIRST)))
    assert time.perf_counter() - started < 1.0


# -- the stream ---------------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_a_streamed_answer_gives_the_same_events_through_the_remote(
    stt: SpeechServer,
    transcriber: Transcriber,
    speech: Callable[[str], bytes],
    remotes: Callable[..., RemoteTranscriber],
) -> None:
    answer = speech(FIRST) + silence(0.6) + speech(SECOND)
    decoder = FallbackDecoder(remotes(stt.url), transcriber)
    through_remote, local_only = Mic(decoder), Mic(transcriber)
    remote_final = await through_remote.answer(answer)
    local_final = await local_only.answer(answer)

    expected = {"gradient", "descent", "loss", "dropout", "training"}
    assert expected <= words(remote_final.text), remote_final.text
    assert expected <= words(local_final.text), local_final.text
    assert through_remote.partials, remote_final.text  # partials while speaking, both ways
    assert local_only.partials, local_final.text
    assert decoder.remote_chunks >= 2 and decoder.local_chunks == 0 and decoder.outages == 0


@pytest.mark.anyio
async def test_a_server_killed_mid_answer_falls_back_without_losing_words(
    server_script: Path,
    tmp_path: Path,
    transcriber: Transcriber,
    speech: Callable[[str], bytes],
    remotes: Callable[..., RemoteTranscriber],
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = SpeechServer(server_script, tmp_path).start()
    decoder = FallbackDecoder(remotes(server.url), transcriber, cooldown=0.5)
    mic = Mic(decoder)
    mic.queue.start()
    try:
        with caplog.at_level(logging.WARNING, logger="mockloop"):
            assert await mic.say(speech(FIRST) + silence(0.6)) is None
            for _ in range(200):  # the first sentence's chunk is decoded by the server
                if decoder.remote_chunks and not mic.listener._busy and mic.queue._queue.empty():
                    break
                await asyncio.sleep(0.05)
            assert decoder.remote_chunks >= 1 and decoder.local_chunks == 0
            server.kill()
            assert await mic.say(speech(SECOND) + silence(2.0)) == "pause"
            result = await mic.listener.finish()
    finally:
        await mic.queue.stop()
        server.stop()

    assert isinstance(result, Utterance), result
    assert {"gradient", "descent", "loss", "dropout", "training"} <= words(result.text), result.text
    assert decoder.outages == 1 and decoder.local_chunks >= 1
    notices = [r.getMessage() for r in caplog.records if "speech server" in r.getMessage()]
    assert len(notices) == 1 and "using the local model" in notices[0], notices
    assert all(r.exc_info is None for r in caplog.records)  # one line, never a traceback

    # The pool comes back: after the cool-down, chunks go to it again.
    back = SpeechServer(server_script, tmp_path, port=server.port).start()
    try:
        time.sleep(0.6)
        before = decoder.remote_chunks
        decoder.transcribe(as_float(speech(FIRST)), HOTWORDS)
        assert decoder.remote_chunks == before + 1 and decoder.remote_up
    finally:
        back.stop()


# -- configuration ------------------------------------------------------------------------------------------


def test_endpoint_urls() -> None:
    full = "http://stt:8000/v1/audio/transcriptions"
    assert transcriptions_url("http://stt:8000") == full
    assert transcriptions_url("http://stt:8000/v1/") == full
    assert transcriptions_url(full) == full
    with pytest.raises(ValueError, match="not an http"):
        transcriptions_url("stt:8000")


def test_a_bad_url_is_one_line_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCKLOOP_STT_URL", "whisper-pool:8000")
    with pytest.raises(ConfigError) as caught:
        get_settings()
    message = str(caught.value)
    assert message.startswith("MOCKLOOP_STT_URL:") and "not an http(s) url" in message and "\n" not in message


def test_a_server_down_at_start_leaves_the_local_model_deciding(
    transcriber: Transcriber, speech: Callable[[str], bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(stt_url=f"http://127.0.0.1:{free_port()}", stt_timeout=1.0)
    decoder = remote_decoder(settings, transcriber)
    err = capsys.readouterr().err
    assert "not answering" in err and "Traceback" not in err
    assert isinstance(decoder, FallbackDecoder) and not decoder.remote_up
    assert {"gradient", "descent"} <= words(decoder.transcribe(as_float(speech(FIRST)), HOTWORDS).text)
