"""Batched decoding across sessions (server/speech/batch.py, the DecodeQueue's batches) with the real tiny.en.

Real synthesized speech: two answers with different hotwords decoded in one batch give the words each
gives alone. The queue takes several sessions' waiting jobs as one batch in its order (finals, settles,
partials; sessions taking turns), and a decoder that cannot batch still gets one call per job.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Callable, Sequence

import numpy as np
import pytest

from server.settings import Settings
from server.speech.batch import _loops, _prompt, _tokenizer
from server.speech.decoder import BatchDecoder, Decoder
from server.speech.fallback import FallbackDecoder
from server.speech.queue import FINAL, PARTIAL, SETTLE, DecodeQueue
from server.speech.remote import RemoteTranscriber
from server.speech.transcriber import Audio, Transcriber, Transcription
from tests.server.stt_server import free_port

RECS = "I would use a two tower model for retrieval and serve candidates from a FAISS index."
RECS_WORDS = "two-tower, FAISS, retrieval"
RLHF = "First we do supervised fine-tuning, then we train a reward model on preference pairs."
RLHF_WORDS = "supervised fine-tuning, reward model"
PLAIN = "Collect more data for the model."


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


@pytest.fixture(scope="module")
def say(speech: Callable[[str], bytes]) -> Callable[[str], Audio]:
    def audio(text: str) -> Audio:
        return np.frombuffer(speech(text), dtype="<i2").astype(np.float32) / 32768.0

    return audio


@pytest.fixture(scope="module")
def fitted() -> Transcriber:
    model = Transcriber(cpu_threads=1, workers=2, pad="fit")
    model.warm_up()
    return model


# -- the batched decode ---------------------------------------------------------------------------------------


def test_answers_with_different_hotwords_decoded_in_one_batch_give_the_words_they_give_alone(
    transcriber: Transcriber, say: Callable[[str], Audio]
) -> None:
    tokenizer = _tokenizer(transcriber.model)
    # Prompts of one length share a generate call; the third (no hotwords) goes in a call of its own.
    assert len(_prompt(transcriber.model, tokenizer, RECS_WORDS)) == len(
        _prompt(transcriber.model, tokenizer, RLHF_WORDS)
    )
    chunks = [(say(RECS), RECS_WORDS), (say(RLHF), RLHF_WORDS), (say(PLAIN), None)]
    alone = [transcriber.transcribe(audio, hotwords).text for audio, hotwords in chunks]
    together = transcriber.transcribe_batch(chunks)
    assert [t.text for t in together] == alone
    assert {"tower", "retrieval", "candidates", "faiss", "index"} <= words(together[0].text)
    assert {"supervised", "fine", "tuning", "reward", "preference"} <= words(together[1].text)
    assert {"more", "data", "model"} <= words(together[2].text)
    assert [round(t.audio_seconds, 2) for t in together] == [round(len(a) / 16000, 2) for a, _ in chunks]


def test_silence_in_a_batch_is_no_text_and_does_not_change_the_speech_beside_it(
    transcriber: Transcriber, say: Callable[[str], Audio]
) -> None:
    quiet = np.zeros(16000 * 2, dtype=np.float32)
    together = transcriber.transcribe_batch([(quiet, RECS_WORDS), (say(RECS), RECS_WORDS)])
    assert together[0].text == ""  # the no-speech rule (or the hallucination filter) holds in a batch
    assert together[1].text == transcriber.transcribe(say(RECS), RECS_WORDS).text


def test_fit_padding_hears_the_same_answers(fitted: Transcriber, say: Callable[[str], Audio]) -> None:
    chunks = [(say(RECS), RECS_WORDS), (say(RLHF), RLHF_WORDS), (say(PLAIN), None)]
    texts = [t.text for t in fitted.transcribe_batch(chunks)]
    assert {"tower", "retrieval", "candidates", "faiss", "index"} <= words(texts[0])
    assert {"supervised", "fine", "tuning", "reward", "preference"} <= words(texts[1])
    assert {"more", "data", "model"} <= words(texts[2])
    # No hotwords: a prompt of another length, so a generate call of its own, padded as when it is alone.
    assert fitted.transcribe(say(PLAIN)).text == texts[2]


def test_a_looping_text_is_recognised_and_a_sentence_is_not() -> None:
    # tiny.en's own output on a 1 s cut of the RLHF answer, with the fit padding, before the re-decode.
    assert _loops([" First we do soup, first we do soup, first we do soup, first we do soup, first we do soup,"])
    assert not _loops([" First we do supervised fine-tuning, then we train a reward model on preference pairs."])
    assert not _loops([])


# -- the queue -------------------------------------------------------------------------------------------------


def submit(queue: DecodeQueue, label: str, priority: int = FINAL) -> asyncio.Future[Transcription]:
    """A job of session `label.split()[0]` whose hotwords are its label, so a fake can tell the jobs apart."""
    future = queue.submit(np.zeros(1600, dtype=np.float32), label, priority, owner=label.split()[0])
    assert future is not None
    return future


class RecordingBatcher:
    """A `BatchDecoder` whose first call waits for `release`; records each call's jobs by their labels."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.release = threading.Event()
        self.started = threading.Event()

    def transcribe(self, audio: Audio, hotwords: str | None = None) -> Transcription:
        return self.transcribe_batch([(audio, hotwords)])[0]

    def transcribe_batch(self, chunks: Sequence[tuple[Audio, str | None]]) -> list[Transcription]:
        self.calls.append([hotwords or "" for _, hotwords in chunks])
        self.started.set()
        assert self.release.wait(10)
        return [Transcription(hotwords or "", 0.0, len(audio) / 16000) for audio, hotwords in chunks]


def test_the_queue_batches_waiting_jobs_finals_first_and_sessions_in_turn() -> None:
    async def run() -> list[list[str]]:
        decoder = RecordingBatcher()
        queue = DecodeQueue(decoder, workers=1, batch=4)
        queue.start()
        try:
            first = submit(queue, "s0 busy", PARTIAL)
            while not decoder.started.is_set():  # the worker is decoding: the rest wait in the queue
                await asyncio.sleep(0.005)
            futures = [
                submit(queue, label, priority)
                for label, priority in [
                    ("s1 partial", PARTIAL),
                    ("s2 partial", PARTIAL),
                    ("s1 final", FINAL),
                    ("s2 settle", SETTLE),
                    ("s3 final", FINAL),
                    ("s1 final again", FINAL),
                    ("s3 partial", PARTIAL),
                ]
            ]
            decoder.release.set()
            results = await asyncio.gather(first, *futures)
            assert [r.text for r in results[1:]] == [
                "s1 partial",
                "s2 partial",
                "s1 final",
                "s2 settle",
                "s3 final",
                "s1 final again",
                "s3 partial",
            ]  # every job gets its own result back
            return decoder.calls
        finally:
            await queue.stop()

    calls = asyncio.run(run())
    assert calls == [
        ["s0 busy"],
        # Finals first; s1 already had a job waiting when its first final came, so s3's final goes ahead of it.
        ["s3 final", "s1 final", "s1 final again", "s2 settle"],
        ["s1 partial", "s2 partial", "s3 partial"],
    ]


def test_idle_workers_share_the_waiting_jobs_rather_than_one_taking_them_all() -> None:
    class Instant(RecordingBatcher):
        def __init__(self) -> None:
            super().__init__()
            self.release.set()

    async def run() -> list[list[str]]:
        decoder = Instant()
        queue = DecodeQueue(decoder, workers=2, batch=8)
        queue.start()
        await asyncio.sleep(0.01)  # both workers are waiting
        try:
            await asyncio.gather(*(submit(queue, f"s{i}") for i in range(8)))
            return decoder.calls
        finally:
            await queue.stop()

    calls = asyncio.run(run())
    assert sorted(len(c) for c in calls) == [4, 4], calls


def _finals_of_sessions(
    decoder: Decoder, chunks: list[tuple[Audio, str | None]], workers: int, batch: int
) -> tuple[list[str], DecodeQueue]:
    """Each chunk queued as one session's final at once; their texts, and the queue that decoded them."""

    async def run() -> tuple[list[str], DecodeQueue]:
        queue = DecodeQueue(decoder, workers=workers, batch=batch)
        queue.start()
        try:
            futures = [queue.submit(a, h, FINAL, owner=f"session {i}") for i, (a, h) in enumerate(chunks)]
            return [(await f).text for f in futures if f is not None], queue
        finally:
            await queue.stop()

    return asyncio.run(run())


def test_sessions_waiting_together_are_decoded_in_one_batch_by_the_real_model(
    transcriber: Transcriber, say: Callable[[str], Audio]
) -> None:
    chunks = [(say(RECS), RECS_WORDS), (say(RLHF), RLHF_WORDS), (say(PLAIN), None), (say(PLAIN), RECS_WORDS)]

    texts, queue = _finals_of_sessions(transcriber, chunks, workers=1, batch=4)
    assert isinstance(transcriber, BatchDecoder)
    assert queue.batch_sizes == {4: 1}  # one call for the four sessions
    assert texts == [transcriber.transcribe(a, h).text for a, h in chunks]


def test_a_decoder_that_cannot_batch_gets_one_call_per_job(
    transcriber: Transcriber, say: Callable[[str], Audio]
) -> None:
    # The remote speech server is down (nothing listens on its port): its fallback decodes locally, per job.
    remote = RemoteTranscriber(f"http://127.0.0.1:{free_port()}", timeout=1.0)
    decoder = FallbackDecoder(remote, transcriber)
    chunks = [(say(RECS), RECS_WORDS), (say(PLAIN), None), (say(RLHF), RLHF_WORDS)]

    try:
        texts, queue = _finals_of_sessions(decoder, chunks, workers=2, batch=8)
    finally:
        remote.close()
    assert not isinstance(decoder, BatchDecoder) and queue.batch == 1
    assert queue.batch_sizes == {1: 3}
    assert {"tower", "retrieval"} <= words(texts[0]) and {"more", "data"} <= words(texts[1])
    assert decoder.local_chunks == 3


def test_batching_and_padding_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCKLOOP_WHISPER_BATCH", "8")
    monkeypatch.setenv("MOCKLOOP_WHISPER_PAD", "fit")
    assert (Settings().whisper_batch, Settings().whisper_pad) == (8, "fit")
    monkeypatch.setenv("MOCKLOOP_WHISPER_BATCH", "0")
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        Settings()
