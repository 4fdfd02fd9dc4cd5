"""The shared Whisper queue under a flood: one session's backlog does not hold up another's turn."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import numpy as np

from server.speech.queue import FINAL, DecodeQueue
from server.speech.transcriber import Transcriber, Transcription


def record(done: list[str], name: str) -> Callable[[asyncio.Future[Transcription]], None]:
    return lambda _: done.append(name)


def test_a_session_streaming_flat_out_does_not_starve_another(
    transcriber: Transcriber, speech: Callable[[str], bytes]
) -> None:
    audio = np.frombuffer(speech("Collect more data for the model."), dtype="<i2").astype(np.float32) / 32768.0

    async def flood() -> tuple[list[str], str]:
        queue = DecodeQueue(transcriber, workers=2)
        queue.start()
        done: list[str] = []
        try:
            futures = []
            for i in range(12):  # a client sending chunk after chunk, faster than two workers decode
                future = queue.submit(audio, None, FINAL, owner="flood")
                assert future is not None
                future.add_done_callback(record(done, f"flood {i}"))
                futures.append(future)
            healthy = queue.submit(audio, None, FINAL, owner="healthy")
            assert healthy is not None
            healthy.add_done_callback(record(done, "healthy"))
            futures.append(healthy)
            await asyncio.gather(*futures)
            return done, (await healthy).text
        finally:
            await queue.stop()

    done, text = asyncio.run(flood())
    # Two workers were busy with the flood's first jobs when the healthy turn arrived; it goes next,
    # not after the other ten.
    assert done.index("healthy") <= 3, done
    assert "more data" in text.lower()
