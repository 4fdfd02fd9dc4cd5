"""One bounded queue in front of the shared Whisper model: finals first, partials when there is room.

Decodes run in worker threads, never on the event loop. Under load the queue sheds partials
(a session never has more than one waiting), while final transcripts are always decoded.
"""

from __future__ import annotations

import asyncio
import itertools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from server.speech.transcriber import Audio, Transcriber, Transcription

FINAL, SETTLE, PARTIAL = 0, 1, 2  # priorities: lower runs first


@dataclass(order=True)
class _Job:
    priority: int
    seq: int
    audio: Audio = field(compare=False)
    prompt: str | None = field(compare=False)
    future: asyncio.Future[Transcription] = field(compare=False)


class DecodeQueue:
    def __init__(self, transcriber: Transcriber, workers: int = 2, max_partials: int = 32) -> None:
        self.transcriber = transcriber
        self.workers = workers
        self.max_partials = max_partials
        self._queue: asyncio.PriorityQueue[_Job] = asyncio.PriorityQueue()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="whisper")
        self._seq = itertools.count()
        self._tasks: list[asyncio.Task[None]] = []
        self.partials_waiting = 0
        self.shed = 0

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._work()) for _ in range(self.workers)]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def submit(self, audio: Audio, prompt: str | None, priority: int) -> asyncio.Future[Transcription] | None:
        """Queue a decode; a partial is refused (None) when too many are already waiting."""
        if priority == PARTIAL:
            if self.partials_waiting >= self.max_partials:
                self.shed += 1
                return None
            self.partials_waiting += 1
        future: asyncio.Future[Transcription] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Job(priority, next(self._seq), audio, prompt, future))
        return future

    async def _work(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            job = await self._queue.get()
            if job.priority == PARTIAL:
                self.partials_waiting -= 1
            if job.future.cancelled():
                continue
            try:
                result = await loop.run_in_executor(self._pool, self.transcriber.transcribe, job.audio, job.prompt)
            except Exception as exc:
                if not job.future.done():
                    job.future.set_exception(exc)
                continue
            if not job.future.done():
                job.future.set_result(result)
