"""More than one process: sessions hold no state in memory that a turn needs, so any process can continue them."""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlmodel import SQLModel
from websockets.sync.client import connect

from server.launch import start_server
from server.storage import Store
from tests.server.test_restart import next_event
from tests.server.test_storage import postgres_url


def fresh_database() -> dict[str, str]:
    store = Store(postgres_url())
    SQLModel.metadata.drop_all(store.engine)
    store.close()
    return {**os.environ, "MOCKLOOP_DATABASE_URL": postgres_url()}


def answer(address: str, session: dict[str, str], text: str, expect_history: list[str]) -> int:
    with connect(f"ws://{address}/ws/sessions/{session['id']}?token={session['token']}") as ws:
        ready = next_event(ws, "session.ready")
        assert [t["text"] for t in ready["turns"] if t["speaker"] == "candidate"] == expect_history
        if not ready["turns"]:
            next_event(ws, "reply.done")
        ws.send(json.dumps({"type": "answer", "text": text}))
        next_event(ws, "reply.done")
        return int(ready["worker"])


def test_a_session_continues_on_another_process() -> None:
    env = fresh_database()
    (first, a), (second, b) = start_server(env), start_server(env)
    try:
        session = httpx.post(f"http://{a}/api/sessions", json={"question_id": "beh-failure"}).json()
        said = [f"Part {i}: I owned the rollout and cut errors by 12%." for i in range(3)]
        pids = [
            answer(a, session, said[0], []),
            answer(b, session, said[1], said[:1]),
            answer(a, session, said[2], said[:2]),
        ]
        assert pids[0] == pids[2] != pids[1]
    finally:
        for proc in (first, second):
            proc.terminate()
            proc.wait(timeout=30)


def test_serve_with_two_workers_runs_interviews() -> None:
    """`serve --workers 2` starts two processes that each serve sessions (which one takes a connection is the
    kernel's choice, so continuity across processes is shown deterministically by the test above)."""
    env = fresh_database()
    proc, address = start_server(env, ["--workers", "2"])
    try:
        sessions = [httpx.post(f"http://{address}/api/sessions", json={}).json() for _ in range(6)]
        with ThreadPoolExecutor(max_workers=6) as pool:
            pids = list(pool.map(lambda s: answer(address, s, "I would start by clarifying the goal.", []), sessions))
        assert all(pid != proc.pid for pid in pids)  # answered by worker processes, not the supervisor
        # The workers share the cores rather than each starting a BLAS thread per core.
        share = str(max(1, (os.cpu_count() or 1) // 2))
        for pid in set(pids):
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert f"OPENBLAS_NUM_THREADS={share}".encode() in environ
    finally:
        proc.terminate()
        proc.wait(timeout=30)
