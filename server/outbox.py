"""What one WebSocket has yet to send, with a cap: a client that stops reading is closed, not buffered for.

The session queues events here and never waits on the network; one writer task hands them to the socket
in order. Without a cap, a client that never reads makes the server hold everything meant for it (the probe
of issue #15 grew a server by 330 MB that way). The policy:

- `transcript.partial` is a preview that the next one replaces: a newer partial for a turn takes the place
  of one of that turn still waiting, so partials alone never fill the queue;
- nothing else (finals, replies, scorecards, errors) is ever dropped: once MAX_QUEUED_EVENTS events or
  MAX_QUEUED_BYTES bytes wait behind the one being written, the queue is freed and the socket is closed with
  1008 "client not reading". Nothing stored is lost: the page reconnects and `session.ready` replays it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from collections.abc import Coroutine, MutableMapping
from dataclasses import dataclass
from typing import Any, Protocol

from fastapi import WebSocketDisconnect

from server import protocol

log = logging.getLogger("mockloop")

Message = MutableMapping[str, Any]  # an ASGI message, as starlette's WebSocket.receive returns it

MAX_QUEUED_EVENTS = 1000  # a reader that keeps up has a handful waiting: a reply streams as ~100 deltas
MAX_QUEUED_BYTES = 1024 * 1024  # a long reply is ~10 KB of events; an answer's echo at most ~80 KB
NOT_READING = 1008  # policy violation; the page reconnects on any code but 4401 and 4409
# How long the last events and the close frame may take to go out before the socket is dropped without them:
# a client that does not read would otherwise hold this handler, and its session, open.
CLOSE_TIMEOUT = 10.0


class Socket(Protocol):
    """The part of starlette's WebSocket the outbox uses."""

    async def send_text(self, data: str) -> None: ...

    async def close(self, code: int = 1000, reason: str | None = None) -> None: ...

    async def receive(self) -> Message: ...


@dataclass(eq=False)  # compared by identity: two equal partials are still two queue entries
class _Item:
    text: str
    size: int
    partial_turn: int | None = None


@dataclass(frozen=True)
class _Close:
    code: int
    reason: str


class Outbox:
    def __init__(self, socket: Socket, max_events: int = MAX_QUEUED_EVENTS, max_bytes: int = MAX_QUEUED_BYTES) -> None:
        self.socket = socket
        self.max_events = max_events
        self.max_bytes = max_bytes
        self._queue: deque[_Item] = deque()
        self._bytes = 0
        self._partials: dict[int, _Item] = {}  # the partial still waiting, by turn
        self._close: _Close | None = None  # the close asked for; sent after what is queued
        self._wake = asyncio.Event()
        self._stuck = asyncio.Event()  # set on overflow: stop reading, skip what is queued, close
        self._stuck_waiter: asyncio.Task[Any] | None = None
        self._writer: asyncio.Task[None] | None = None

    # -- the session's side ------------------------------------------------------------------------------

    def put(self, event: protocol.ServerEvent) -> None:
        """Queue an event and return at once; once a close is asked for (or the client left), it is dropped."""
        if self._close is not None:
            return
        # Serialised now, as starlette's send_json would, so the cap counts what will really be sent.
        text = json.dumps(event.wire(), separators=(",", ":"), ensure_ascii=False)
        item = _Item(text, len(text.encode("utf-8", errors="replace")))
        if isinstance(event, protocol.TranscriptPartial):
            item.partial_turn = event.turn
            older = self._partials.pop(event.turn, None)
            if older is not None:
                self._queue.remove(older)
                self._bytes -= older.size
            self._partials[event.turn] = item
        # One large event alone (a long history in session.ready) is no sign of a client that does not read.
        if self._queue and (len(self._queue) >= self.max_events or self._bytes + item.size > self.max_bytes):
            self._overflow()
            return
        self._queue.append(item)
        self._bytes += item.size
        self._wake.set()

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Close once what is queued has gone out; the first close asked for wins."""
        if self._close is None:
            self._close = _Close(code, reason)
            self._wake.set()

    def _overflow(self) -> None:
        unsent, kib = len(self._queue), self._bytes >> 10
        log.warning("closing a socket that does not read: %d events (%d KiB) unsent", unsent, kib)
        self._queue.clear()  # the memory goes now; the client learns why from the close frame
        self._partials.clear()
        self._bytes = 0
        self._close = _Close(NOT_READING, f"client not reading: {unsent} events ({kib} KiB) unsent")
        self._stuck.set()
        # The writer is blocked on a socket buffer the client does not drain: start over, with only the close to send.
        stalled = self._writer
        self._writer = asyncio.get_running_loop().create_task(self._write(after=stalled))

    # -- the socket's side --------------------------------------------------------------------------------

    async def run(self, serve: Coroutine[Any, Any, None]) -> None:
        """Write events while `serve` (the socket's reading loop) runs; then flush and close, within CLOSE_TIMEOUT."""
        self._writer = asyncio.create_task(self._write())
        try:
            await serve
        finally:
            self.close()
            try:
                await asyncio.wait_for(self._writer, CLOSE_TIMEOUT)
            except TimeoutError:
                log.warning("a socket took neither its last events nor its close frame in %.0f s", CLOSE_TIMEOUT)
            if self._stuck_waiter is not None:
                self._stuck_waiter.cancel()

    async def receive(self) -> Message | None:
        """The client's next message; None once the queue has overflowed, so the reading loop ends even while
        the client sends nothing."""
        if not self._stuck.is_set():
            if self._stuck_waiter is None:
                self._stuck_waiter = asyncio.create_task(self._stuck.wait())
            receiving = asyncio.create_task(self.socket.receive())
            try:
                await asyncio.wait({receiving, self._stuck_waiter}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                if not receiving.done():
                    receiving.cancel()
            if not receiving.cancelled():
                return receiving.result()
        return None

    async def _write(self, after: asyncio.Task[None] | None = None) -> None:
        if after is not None:
            after.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await after
        try:
            while self._queue or self._close is None:
                if not self._queue:
                    self._wake.clear()
                    await self._wake.wait()
                    continue
                item = self._queue.popleft()
                self._bytes -= item.size
                if item.partial_turn is not None:
                    self._partials.pop(item.partial_turn, None)
                await self.socket.send_text(item.text)
            await self.socket.close(self._close.code, self._close.reason)
        except (WebSocketDisconnect, RuntimeError, OSError):
            # The client has gone: nothing more can reach it.
            self.close()
            self._queue.clear()
            self._partials.clear()
            self._bytes = 0
