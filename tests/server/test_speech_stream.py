"""The speech stream (server/speech/listener.py) on synthetic audio with a fake decoder: no Whisper.

Tone bursts stand for words. A loudness detector stands in for Silero where the test is about the stream's
timing rules (chunks, partial cadence, commits), since Silero rightly hears a pure tone as no speech; the
discard rules run with the real Silero VAD. The fake decoder names each burst in the audio it is given by
its length, in tenths of a second ("b7" for 0.7 s), so every word of a turn can be accounted for.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import numpy as np
import pytest

from server.speech.listener import NO_SPEECH, UNDECODED, Discarded, EndOfTurn, Listener, Utterance
from server.speech.queue import DecodeQueue
from server.speech.stream import FRAME, MIN_SPEECH_FRAMES, StreamingVAD, VoiceDetector
from server.speech.transcriber import SAMPLE_RATE, Audio, Transcription

pytestmark = pytest.mark.anyio
STEP = SAMPLE_RATE // 10  # frames of 100 ms, as the page sends them
LOUD = 0.02  # RMS above which a 32 ms frame is a "voiced" one, for the loudness detector and the fake decoder


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# -- synthetic audio ----------------------------------------------------------------------------------------


def silence(seconds: float) -> Audio:
    return np.zeros(round(seconds * SAMPLE_RATE), dtype=np.float32)


def tone(seconds: float, hz: float = 220.0) -> Audio:
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def noise(seconds: float, level: float = 0.05, seed: int = 0) -> Audio:
    return np.random.default_rng(seed).normal(0, level, round(seconds * SAMPLE_RATE)).astype(np.float32)


def words(*bursts: float, gap: float = 0.4) -> Audio:
    """Tone bursts of these lengths, each followed by a pause that closes a chunk but not the turn."""
    return np.concatenate([np.concatenate([tone(b), silence(gap)]) for b in bursts])


def frame_levels(audio: Audio) -> Audio:
    whole = len(audio) // FRAME * FRAME
    levels: Audio = np.sqrt((audio[:whole].reshape(-1, FRAME) ** 2).mean(axis=1))
    return levels


class LoudnessVAD:
    """A voice detector for tones: a 32 ms frame is speech when it is loud."""

    def __init__(self) -> None:
        self.pending = np.zeros(0, dtype=np.float32)

    def feed(self, audio: Audio) -> list[float]:
        self.pending = np.concatenate([self.pending, audio])
        whole = len(self.pending) // FRAME * FRAME
        frames, self.pending = self.pending[:whole], self.pending[whole:]
        return [0.9 if level > LOUD else 0.0 for level in frame_levels(frames)]


# -- the fake decoder ---------------------------------------------------------------------------------------


def burst_names(audio: Audio) -> str:
    runs, run = [], 0
    for loud in [*(frame_levels(audio) > LOUD), False]:
        if loud:
            run += 1
        elif run:
            runs.append(run)
            run = 0
    return " ".join(f"b{round(r * FRAME / SAMPLE_RATE * 10)}" for r in runs)


class FakeDecoder:
    """Satisfies `Decoder`: deterministic text, an optional delay per call, failures where told."""

    def __init__(
        self, delay: Callable[[int], float] = lambda call: 0.0, fail: Callable[[str], bool] = lambda text: False
    ) -> None:
        self.delay = delay  # seconds, by call number (from 1)
        self.fail = fail  # by the text the call would return
        self.calls: list[float] = []  # seconds of audio in each call, in order
        self.running = 0
        self.most_at_once = 0
        self.lock = threading.Lock()

    def transcribe(self, audio: Audio, hotwords: str | None = None) -> Transcription:
        with self.lock:
            self.calls.append(len(audio) / SAMPLE_RATE)
            call = len(self.calls)
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            time.sleep(self.delay(call))
            text = burst_names(audio)
            if self.fail(text):
                raise RuntimeError(f"decoder failure on call {call}")
            return Transcription(text, 0.0, len(audio) / SAMPLE_RATE)
        finally:
            with self.lock:
                self.running -= 1


# -- a microphone: a Listener fed 100 ms at a time ----------------------------------------------------------


class Mic:
    def __init__(self, decoder: FakeDecoder, vad: Callable[[], VoiceDetector] = LoudnessVAD, **settings: Any) -> None:
        self.decoder = decoder
        self.fed = 0  # samples so far: the session clock
        self.partials: list[str] = []
        self.queue = DecodeQueue(decoder, workers=2)
        self.listener = Listener(
            self.queue, self.partials.append, lambda: self.fed / SAMPLE_RATE, owner="s1", vad=vad, **settings
        )

    @property
    def seconds(self) -> float:
        return self.fed / SAMPLE_RATE

    async def say(self, audio: Audio, pace: float = 0.005) -> EndOfTurn | None:
        """Feed `audio` 100 ms at a time, `pace` seconds apart; stop where the turn ends, as the session does."""
        for start in range(0, len(audio), STEP):
            frame = audio[start : start + STEP]
            self.fed += len(frame)
            end = self.listener.feed((np.clip(frame, -1, 1) * 32767).astype("<i2").tobytes())
            await asyncio.sleep(pace)
            if end is not None:
                return end
        return None

    async def idle(self) -> None:
        """Until no decode is running or waiting."""
        for _ in range(400):
            await asyncio.sleep(0.005)
            if self.decoder.running == 0 and self.queue._queue.empty() and not self.listener._busy:
                return
        raise AssertionError("the decoder never went idle")

    async def heard(self) -> Utterance:
        result = await self.listener.finish()
        assert isinstance(result, Utterance), result
        return result


@pytest.fixture
async def mic_with() -> AsyncIterator[Callable[..., Mic]]:
    mics: list[Mic] = []

    def make(decoder: FakeDecoder | None = None, **settings: Any) -> Mic:
        mic = Mic(decoder or FakeDecoder(), **settings)
        mic.queue.start()
        mics.append(mic)
        return mic

    yield make
    for mic in mics:
        await mic.queue.stop()


# -- partials ----------------------------------------------------------------------------------------------


async def test_partials_come_about_once_a_second_and_one_at_a_time(mic_with: Callable[..., Mic]) -> None:
    mic = mic_with(FakeDecoder(delay=lambda call: 0.03))
    assert await mic.say(np.concatenate([silence(0.3), tone(4.5)])) is None
    await mic.idle()
    # One partial per second of speech, each covering the open chunk from its start to where the audio was.
    assert 3 <= len(mic.decoder.calls) <= 4, mic.decoder.calls
    assert all(b - a >= 1.0 - 1e-6 for a, b in itertools.pairwise(mic.decoder.calls))
    assert mic.decoder.most_at_once == 1  # never two decodes of one session's open chunk at once
    assert len(mic.partials) == len(mic.decoder.calls)
    assert all(p.startswith("b") for p in mic.partials) and mic.partials[-1] != mic.partials[0]  # growing


async def test_silence_and_noise_are_never_decoded(mic_with: Callable[..., Mic]) -> None:
    mic = mic_with(vad=StreamingVAD)  # Silero: hiss and a steady hum are not speech
    await mic.say(np.concatenate([silence(0.5), noise(1.2), tone(1.2, hz=100)]), pace=0)
    await mic.idle()
    assert mic.decoder.calls == [] and mic.partials == []
    assert await mic.listener.finish() == Discarded(NO_SPEECH)


async def test_a_slow_decoder_delays_partials_rather_than_piling_them_up(mic_with: Callable[..., Mic]) -> None:
    mic = mic_with(FakeDecoder(delay=lambda call: 0.15))
    await mic.say(tone(4.0), pace=0.005)  # 4 s of audio in about 0.2 s: the decoder cannot keep up
    await mic.idle()
    assert mic.decoder.most_at_once == 1
    assert 1 <= len(mic.decoder.calls) <= 3, mic.decoder.calls


# -- the end of a turn ---------------------------------------------------------------------------------------


async def test_a_pause_commits_the_turn(mic_with: Callable[..., Mic]) -> None:
    mic = mic_with(end_of_turn_ms=1500)
    assert await mic.say(np.concatenate([silence(0.3), tone(1.0), silence(3.0)])) == "pause"
    assert 1.3 + 1.5 <= mic.seconds <= 1.3 + 1.7  # 1.5 s after the last voiced frame, to within a frame or two
    heard = await mic.heard()
    assert heard.text == "b10"
    assert heard.started == pytest.approx(0.3, abs=0.1) and heard.duration == pytest.approx(1.0, abs=0.1)


async def test_pauses_inside_a_turn_close_chunks_that_are_decoded_while_speaking(
    mic_with: Callable[..., Mic],
) -> None:
    mic = mic_with()
    assert await mic.say(words(0.7, 1.2, 0.5)) is None  # 0.4 s pauses: chunks, not the end of the turn
    await mic.idle()
    before = len(mic.decoder.calls)
    heard = await mic.heard()
    assert heard.text == "b7 b12 b5"
    # Every chunk was decoded at its pause (a settle decode reused as its final): nothing is left for the commit.
    assert len(mic.decoder.calls) == before
    assert mic.partials[-1] == "b7 b12 b5"


async def test_finals_come_after_partials_and_no_partial_follows_its_final(mic_with: Callable[..., Mic]) -> None:
    # The first decode (the partial at 1 s) is slow; the turn is committed while it runs, mid-word.
    mic = mic_with(FakeDecoder(delay=lambda call: 0.2 if call == 1 else 0.0))
    await mic.say(tone(1.3), pace=0)
    heard = await mic.heard()
    assert heard.text == "b13"  # decoded afresh: the slow partial covered only the first second
    assert mic.decoder.running == 1  # the slow partial is still going...
    await mic.idle()
    assert mic.partials == []  # ...and ends after the final, so it is not sent

    # And in a normal turn, the partials all arrive before the final is returned.
    await mic.say(np.concatenate([tone(2.2), silence(0.2)]))
    await mic.idle()
    seen = list(mic.partials)
    assert seen and (await mic.heard()).text == "b22"
    await mic.idle()
    assert mic.partials == seen


async def test_a_monologue_and_a_five_minute_turn_end_by_themselves(mic_with: Callable[..., Mic]) -> None:
    mic = mic_with(monologue_seconds=2.0)
    assert await mic.say(tone(3.0), pace=0) == "monologue"
    assert mic.seconds == pytest.approx(2.1, abs=0.15)
    assert (await mic.heard()).text.startswith("b2")

    capped = mic_with(end_of_turn_ms=60_000, max_turn_seconds=3.0)
    assert await capped.say(words(0.5, 0.5, 0.5, 0.5, gap=0.5), pace=0) == "too_long"
    assert capped.seconds == pytest.approx(3.0, abs=0.01)
    assert (await capped.heard()).text == "b5 b5 b5"


# -- failures -------------------------------------------------------------------------------------------------


def first_tries(count: int) -> Callable[[str], bool]:
    """Fail the first `count` decodes of each text."""
    tries: dict[str, int] = {}

    def fail(text: str) -> bool:
        tries[text] = tries.get(text, 0) + 1
        return tries[text] <= count

    return fail


async def test_a_failed_decode_loses_no_words(mic_with: Callable[..., Mic]) -> None:
    # Each word's settle decode fails, then its final decode: the commit decodes it once more.
    mic = mic_with(FakeDecoder(fail=first_tries(2)))
    await mic.say(words(0.4, 0.6, 0.8))
    await mic.idle()
    assert mic.partials == []  # no decode succeeded while speaking
    assert (await mic.heard()).text == "b4 b6 b8"


async def test_a_decoder_that_always_fails_discards_the_turn_with_a_reason(mic_with: Callable[..., Mic]) -> None:
    mic = mic_with(FakeDecoder(fail=lambda text: True))
    await mic.say(words(0.6, 0.9))
    assert await mic.listener.finish() == Discarded(UNDECODED)
    assert not mic.listener.has_speech  # and the next turn starts clean


# -- what is discarded ----------------------------------------------------------------------------------------


async def test_a_click_is_not_a_turn(mic_with: Callable[..., Mic]) -> None:
    mic = mic_with()
    await mic.say(np.concatenate([tone((MIN_SPEECH_FRAMES - 1) * FRAME / SAMPLE_RATE), silence(0.5)]))
    assert await mic.listener.finish() == Discarded(NO_SPEECH)


async def test_long_silence_is_dropped_as_it_comes(mic_with: Callable[..., Mic]) -> None:
    mic = mic_with()
    await mic.say(silence(25.0), pace=0)
    assert mic.listener.spoken.turn.seconds <= 10.1  # memory stays flat while nobody speaks
    assert await mic.say(np.concatenate([tone(0.8), silence(2.0)]), pace=0) == "pause"
    assert (await mic.heard()).started == pytest.approx(25.0, abs=0.1)  # on the session clock, not the dropped audio's


async def test_clear_drops_the_audio_and_its_pending_decodes(mic_with: Callable[..., Mic]) -> None:
    mic = mic_with(FakeDecoder(delay=lambda call: 0.1))
    await mic.say(words(0.6, 1.4), pace=0)
    assert mic.decoder.running or not mic.queue._queue.empty()
    mic.listener.clear()
    await mic.idle()
    assert mic.partials == []  # decodes that were running are ignored when they finish
    assert await mic.listener.finish() == Discarded(NO_SPEECH)


async def test_naive_mode_decodes_the_whole_turn_once_at_the_end(mic_with: Callable[..., Mic]) -> None:
    mic = mic_with(naive=True)
    await mic.say(words(0.5, 1.5, 0.7))
    await mic.idle()
    assert mic.decoder.calls == []
    assert (await mic.heard()).text == "b5 b15 b7"
    assert len(mic.decoder.calls) == 1 and mic.partials == []
