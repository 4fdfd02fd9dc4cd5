"""The send-buffer cap (server/outbox.py): a client that stops reading is closed with 1008, not buffered for.

The first test floods a real `mockloop serve` from a raw socket that stops reading; the others check the
queueing policy on a socket whose sends can be held back.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.types import Message
from websockets.client import ClientProtocol
from websockets.frames import Close, Frame, Opcode
from websockets.http11 import Response
from websockets.uri import parse_uri

from server import protocol
from server.outbox import NOT_READING, Outbox
from tests.server.test_hostile_input import logged_server

# -- against a real server ----------------------------------------------------------------------------------


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    address: str
    log: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("send-buffer")
    log = folder / "server.log"
    with logged_server(folder / "db.sqlite", log) as (proc, address):
        yield Server(proc, address, log)


def rss_mib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    raise AssertionError("no VmRSS")


class RawClient:
    """A WebSocket client on a plain socket (websockets' sans-I/O protocol), so the test decides exactly when,
    and whether, anything is read: library clients keep reading into their own memory in the background."""

    def __init__(self, address: str, path: str) -> None:
        host, port = address.split(":")
        self.ws = ClientProtocol(parse_uri(f"ws://{address}{path}"))
        self.sock = socket.socket()
        # Small buffers and segments: the kernels on both sides then hold little of what the server cannot send
        # (over loopback's 64 KB segments the server's send buffer grows to megabytes), so the server's own queue
        # fills after a few thousand frames rather than fifty thousand.
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 536)
        self.sock.connect((host, int(port)))
        self.ws.send_request(self.ws.connect())
        self._flush()
        self.events: list[dict[str, Any]] = []
        self.close: Close | None = None
        self.eof = False
        while not any(isinstance(e, Response) for e in self._read()):
            pass

    def _flush(self) -> None:
        self.sock.sendall(b"".join(self.ws.data_to_send()))

    def _read(self) -> list[Any]:
        data = self.sock.recv(65536)
        if not data:
            self.eof = True
            return []
        self.ws.receive_data(data)
        received = self.ws.events_received()
        for event in received:
            if isinstance(event, Frame) and event.opcode == Opcode.TEXT:
                self.events.append(json.loads(bytes(event.data)))
            elif isinstance(event, Frame) and event.opcode == Opcode.CLOSE:
                self.close = self.ws.close_rcvd
        return received

    def until(self, kind: str) -> None:
        while not any(e["type"] == kind for e in self.events):
            self._read()

    def flood(self, frame: str, until: Callable[[], bool], seconds: float = 30) -> int:
        """Send `frame` over and over, reading nothing, until `until()`; returns how many were handed to the kernel."""
        self.sock.settimeout(0.1)
        self.ws.send_text(frame.encode())
        framed = b"".join(self.ws.data_to_send())  # one frame, as it goes on the wire
        pending, sent, deadline = bytearray(framed * 200), 0, time.monotonic() + seconds
        while not until():
            assert time.monotonic() < deadline, f"{sent // len(framed)} frames sent and the server has not closed"
            with contextlib.suppress(TimeoutError):  # the server is busy, or has stopped reading
                done = self.sock.send(pending)
                del pending[:done]
                sent += done
            if len(pending) < 65536:
                for _ in range(200):
                    self.ws.send_text(frame.encode())
                pending += b"".join(self.ws.data_to_send())
        return sent // len(framed)

    def read_to_the_end(self, timeout: float = 20) -> None:
        self.sock.settimeout(timeout)
        while self.close is None and not self.eof:
            self._read()

    def __enter__(self) -> RawClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


def test_a_client_that_stops_reading_is_closed_and_the_server_stays_small(server: Server) -> None:
    session = httpx.post(f"http://{server.address}/api/sessions", json={"question_id": "mlf-bias-variance"}).json()
    path = f"/ws/sessions/{session['id']}?token={session['token']}"

    def overflowed() -> bool:
        return "closing a socket that does not read" in server.log.read_text()

    with RawClient(server.address, path) as client:
        client.until("reply.done")  # the opening; from here on nothing is read
        before = rss_mib(server.proc.pid)
        started = time.monotonic()
        sent = client.flood('{"type":"ping"}', until=overflowed)  # each gets a pong or a rate_limited error
        during = rss_mib(server.proc.pid)
        client.read_to_the_end()  # reading again: what the kernels held, then the close frame
    assert client.close is not None, f"no close frame after {sent} frames and {len(client.events)} events"
    assert client.close.code == NOT_READING and client.close.reason.startswith("client not reading"), client.close
    assert 0 < len(client.events) < sent  # what waited in the server's queue was dropped with the close
    assert during - before < 64, f"the server grew by {during - before} MiB"
    print(f"{sent} frames in {time.monotonic() - started:.1f} s; {len(client.events)} events; {before} -> {during} MiB")

    # The session itself is unharmed: a client that reads picks it up where it was.
    with RawClient(server.address, path) as again:
        again.until("session.ready")
    ready = next(e for e in again.events if e["type"] == "session.ready")
    assert [t["speaker"] for t in ready["turns"]] == ["interviewer"]


# -- the queueing policy ------------------------------------------------------------------------------------


class HeldSocket:
    """Sends wait until `release`, as on a socket whose buffer is full."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.closed: tuple[int, str | None] | None = None
        self.open = asyncio.Event()

    async def send_text(self, data: str) -> None:
        await self.open.wait()
        self.sent.append(json.loads(data))

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        await self.open.wait()
        self.closed = (code, reason)

    async def receive(self) -> Message:
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")


def partial(turn: int, text: str) -> protocol.TranscriptPartial:
    return protocol.TranscriptPartial(turn=turn, text=text)


def test_a_newer_partial_replaces_a_waiting_one_and_nothing_else_is_dropped() -> None:
    async def scenario() -> HeldSocket:
        socket = HeldSocket()
        outbox = Outbox(socket)

        async def serve() -> None:
            outbox.put(partial(1, "the"))  # taken by the writer at once, then held
            await asyncio.sleep(0)
            for text in ("the model", "the model is", "the model is fine"):
                outbox.put(partial(1, text))
            outbox.put(protocol.Pong())
            outbox.put(partial(1, "the model is fine now"))  # the waiting partial of turn 1 goes; this one is last
            outbox.put(protocol.TranscriptFinal(turn=1, text="the model is fine now."))
            outbox.put(protocol.ReplyDone(turn=2, text="Why?", action="dig"))
            for _ in range(5000):  # partials alone never fill the queue
                outbox.put(partial(3, "because"))
            socket.open.set()

        await outbox.run(serve())
        return socket

    socket = asyncio.run(scenario())
    assert [(e["type"], e.get("text")) for e in socket.sent] == [
        ("transcript.partial", "the"),
        ("pong", None),
        ("transcript.partial", "the model is fine now"),
        ("transcript.final", "the model is fine now."),
        ("reply.done", "Why?"),
        ("transcript.partial", "because"),
    ]
    assert socket.closed == (1000, "")


def test_a_full_queue_closes_the_socket_instead_of_dropping_a_reply() -> None:
    async def scenario() -> tuple[HeldSocket, Outbox]:
        socket = HeldSocket()
        outbox = Outbox(socket, max_events=10)

        async def serve() -> None:
            for turn in range(12):  # one in the writer's hands, ten waiting, then one too many
                outbox.put(protocol.ReplyDone(turn=turn, text="Go on.", action="dig"))
                await asyncio.sleep(0)
            assert await outbox.receive() is None  # the reading loop is told to stop at once
            socket.open.set()  # the client reads again: it gets the close frame, not the dropped replies

        await outbox.run(serve())
        outbox.put(protocol.Pong())  # after the close: dropped
        return socket, outbox

    socket, _ = asyncio.run(scenario())
    assert socket.sent == []
    assert socket.closed is not None and socket.closed[0] == NOT_READING
    assert socket.closed[1] == "client not reading: 10 events (0 KiB) unsent"


def test_one_large_event_is_sent_but_a_backlog_of_them_is_not() -> None:
    async def scenario(count: int) -> HeldSocket:
        socket = HeldSocket()
        outbox = Outbox(socket, max_bytes=100_000)
        history = [{"speaker": "candidate", "text": "x" * 20_000}] * 10  # 200 KB: a long session's resume

        async def serve() -> None:
            for _ in range(count):
                outbox.put(protocol.SessionReady(turns=history, status="live", worker=1, elapsed=0.0))
                await asyncio.sleep(0)
            socket.open.set()

        await outbox.run(serve())
        return socket

    one = asyncio.run(scenario(1))
    assert len(one.sent) == 1 and one.closed == (1000, "")
    three = asyncio.run(scenario(3))  # one in the writer's hands, and 400 KB waiting: over the cap
    assert three.closed is not None and three.closed[0] == NOT_READING
