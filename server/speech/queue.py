"""One bounded queue in front of the shared speech decoder (Whisper): finals first, partials when there is room.

Decodes run in worker threads, never on the event loop. Under load the queue sheds partials
(a session never has more than one waiting), while final transcripts are always decoded.
Within a priority, sessions take turns: a job's place counts the jobs its session already has
waiting, so one session streaming audio flat out queues behind itself, not in front of everyone.

With `batch` > 1 and a decoder that can batch (`BatchDecoder`), a worker takes up to `batch` waiting jobs
in that same order (finals, then settles, then partials; sessions taking turns) and decodes them in one
call. Idle workers share what is waiting rather than one taking it all, so every core stays busy.
"""

from __future__ import annotations

import asyncio
import itertools
import math
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from server.speech.decoder import BatchDecoder, Decoder
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
    def __init__(self, decoder: Decoder, workers: int = 2, max_partials: int = 32, batch: int = 1) -> None:
        self.decoder = decoder
        self.workers = workers
        self.max_partials = max_partials
        self._batcher = decoder if batch > 1 and isinstance(decoder, BatchDecoder) else None
        self.batch = batch if self._batcher is not None else 1  # a decoder that cannot batch gets one job a call
        self._queue: asyncio.PriorityQueue[_Job] = asyncio.PriorityQueue()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="whisper")
        self._seq = itertools.count()
        self._tasks: list[asyncio.Task[None]] = []
        self.partials_waiting = 0
        self.shed = 0
        self._waiting: dict[str, int] = {}  # per session, jobs queued and not started
        self._idle = 0  # workers waiting for a job
        self.batch_sizes: Counter[int] = Counter()  # decoder calls by how many jobs each decoded

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
        while True:
            self._idle += 1
            try:
                first = await self._queue.get()
            finally:
                self._idle -= 1
            jobs = self._take(first)
            if jobs:
                await self._decode(jobs)

    def _take(self, first: _Job) -> list[_Job]:
        """`first` and, up to the batch size and a fair share with the idle workers, the next jobs in line."""
        limit = min(self.batch, math.ceil((1 + self._queue.qsize()) / (1 + self._idle)))
        self._started(first)
        jobs = [] if first.future.cancelled() else [first]
        while len(jobs) < limit and not self._queue.empty():
            job = self._queue.get_nowait()
            self._started(job)
            if not job.future.cancelled():
                jobs.append(job)
        return jobs

    def _started(self, job: _Job) -> None:
        if job.priority == PARTIAL:
            self.partials_waiting -= 1
        left = self._waiting.get(job.owner, 1) - 1
        if left > 0:
            self._waiting[job.owner] = left
        else:
            self._waiting.pop(job.owner, None)

    async def _decode(self, jobs: list[_Job]) -> None:
        loop = asyncio.get_running_loop()
        self.batch_sizes[len(jobs)] += 1
        try:
            if self._batcher is not None and len(jobs) > 1:
                chunks = [(job.audio, job.prompt) for job in jobs]
                results = await loop.run_in_executor(self._pool, self._batcher.transcribe_batch, chunks)
            else:
                (job,) = jobs
                results = [await loop.run_in_executor(self._pool, self.decoder.transcribe, job.audio, job.prompt)]
        except Exception as exc:
            for job in jobs:
                if not job.future.done():
                    job.future.set_exception(exc)
            return
        for job, result in zip(jobs, results, strict=True):
            if not job.future.done():
                job.future.set_result(result)
