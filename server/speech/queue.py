"""One bounded queue in front of the shared speech decoder (Whisper): finals first, partials when there is room.

Decodes run in worker threads, never on the event loop. Under load the queue sheds partials
(a session never has more than one waiting), while final transcripts are always decoded.
Within a priority, sessions take turns: a job's place counts the jobs its session already has
waiting, so one session streaming audio flat out queues behind itself, not in front of everyone.
"""

from __future__ import annotations

import asyncio
import itertools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from server.speech.decoder import Decoder
from server.speech.transcriber import Audio, Transcription

FINAL, SETTLE, PARTIAL = 0, 1, 2  # priorities: lower runs first


@dataclass(order=True)
class _Job:
    priority: int
    turn: int  # how many of its session's jobs were waiting when it was queued
    seq: int
    audio: Audio = field(compare=False)
    prompt: str | None = field(compare=False)
    future: asyncio.Future[Transcription] = field(compare=False)
    owner: str = field(compare=False, default="")


class DecodeQueue:
    def __init__(self, decoder: Decoder, workers: int = 2, max_partials: int = 32) -> None:
        self.decoder = decoder
        self.workers = workers
        self.max_partials = max_partials
        self._queue: asyncio.PriorityQueue[_Job] = asyncio.PriorityQueue()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="whisper")
        self._seq = itertools.count()
        self._tasks: list[asyncio.Task[None]] = []
        self.partials_waiting = 0
        self.shed = 0
        self._waiting: dict[str, int] = {}  # per session, jobs queued and not started

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._work()) for _ in range(self.workers)]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def submit(
        self, audio: Audio, prompt: str | None, priority: int, owner: str = ""
    ) -> asyncio.Future[Transcription] | None:
        """Queue a decode for session `owner`; a partial is refused (None) when too many are already waiting."""
        if priority == PARTIAL:
            if self.partials_waiting >= self.max_partials:
                self.shed += 1
                return None
            self.partials_waiting += 1
        future: asyncio.Future[Transcription] = asyncio.get_running_loop().create_future()
        turn = self._waiting.get(owner, 0)
        self._waiting[owner] = turn + 1
        self._queue.put_nowait(_Job(priority, turn, next(self._seq), audio, prompt, future, owner))
        return future

    async def _work(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            job = await self._queue.get()
            if job.priority == PARTIAL:
                self.partials_waiting -= 1
            left = self._waiting.get(job.owner, 1) - 1
            if left > 0:
                self._waiting[job.owner] = left
            else:
                self._waiting.pop(job.owner, None)
            if job.future.cancelled():
                continue
            try:
                result = await loop.run_in_executor(self._pool, self.decoder.transcribe, job.audio, job.prompt)
            except Exception as exc:
                if not job.future.done():
                    job.future.set_exception(exc)
                continue
            if not job.future.done():
                job.future.set_result(result)
