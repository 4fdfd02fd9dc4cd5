"""`mockloop serve --workers 2` on PostgreSQL: a session started on one worker continues on the other."""

from __future__ import annotations

import json
import os

import httpx
from sqlmodel import SQLModel
from websockets.sync.client import connect

from server.launch import free_port
from server.storage import Store
from tests.server.test_restart import next_event, start_server
from tests.server.test_storage import postgres_url


def test_a_session_moves_between_workers() -> None:
    fresh = Store(postgres_url())
    SQLModel.metadata.drop_all(fresh.engine)
    fresh.close()
    port = free_port()
    env = {**os.environ, "MOCKLOOP_DATABASE_URL": postgres_url()}
    server = start_server(port, env, extra=["--workers", "2"])
    try:
        base = f"http://127.0.0.1:{port}"
        session = httpx.post(f"{base}/api/sessions", json={"question_id": "beh-failure"}).json()
        url = f"ws://127.0.0.1:{port}/ws/sessions/{session['id']}?token={session['token']}"
        workers: list[int] = []
        answers: list[str] = []
        for attempt in range(30):
            with connect(url) as ws:
                ready = next_event(ws, "session.ready")
                workers.append(int(ready["worker"]))  # type: ignore[arg-type]
                assert [t["text"] for t in ready["turns"] if t["speaker"] == "candidate"] == answers  # type: ignore[union-attr]
                if attempt == 0:
                    next_event(ws, "reply.done")
                text = f"Story part {attempt}: I owned the rollout and measured a 12% drop in errors."
                ws.send(json.dumps({"type": "answer", "text": text}))
                next_event(ws, "reply.done")
                answers.append(text)
            if len(set(workers)) > 1 and len(answers) >= 2:
                break
        assert len(set(workers)) == 2, f"every connection landed on one worker: {workers}"
    finally:
        server.terminate()
        server.wait(timeout=30)
