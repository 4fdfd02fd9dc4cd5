"""kill -9 the real server mid-interview, start it again: every committed turn is there and the session resumes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

from server.launch import free_port
from server.launch import start_server as launch


def start_server(port: int, env: dict[str, str], extra: list[str] | None = None) -> subprocess.Popen[bytes]:
    proc, _ = launch(env, extra, port=port)
    return proc


def next_event(ws: ClientConnection, kind: str) -> dict[str, Any]:
    while True:
        event: dict[str, Any] = json.loads(ws.recv(timeout=60))
        if event["type"] == kind:
            return event


def test_kill_dash_nine_loses_no_committed_turn(tmp_path: Path) -> None:
    env = {**os.environ, "MOCKLOOP_DATABASE_URL": f"sqlite:///{tmp_path / 'crash.db'}"}
    port = free_port()
    server = start_server(port, env)
    base = f"http://127.0.0.1:{port}"
    try:
        session = httpx.post(f"{base}/api/sessions", json={"question_id": "mlf-l1-vs-l2"}).json()
        url = f"ws://127.0.0.1:{port}/ws/sessions/{session['id']}?token={session['token']}"
        with connect(url) as ws:
            next_event(ws, "reply.done")
            ws.send(json.dumps({"type": "answer", "text": "L1 adds the absolute values of the weights."}))
            reply = next_event(ws, "reply.done")
            # A second answer whose reply we never wait for: it is committed before the reply is produced.
            ws.send(json.dumps({"type": "answer", "text": "L2 adds the squares and shrinks weights smoothly."}))
            time.sleep(0.5)
            server.send_signal(signal.SIGKILL)
            server.wait(timeout=10)
    finally:
        if server.poll() is None:
            server.kill()
    server = start_server(port, env)
    try:
        stored = httpx.get(f"{base}/api/sessions/{session['id']}", params={"token": session["token"]}).json()
        texts = [t["text"] for t in stored["turns"]]
        assert texts[1:4] == [
            "L1 adds the absolute values of the weights.",
            reply["text"],
            "L2 adds the squares and shrinks weights smoothly.",
        ]
        with connect(url) as ws:
            ready = next_event(ws, "session.ready")
            assert [t["text"] for t in ready["turns"]] == texts
            if len(texts) == 4:  # the answer left without a reply by the crash gets one now
                assert next_event(ws, "reply.done")["turn"] == 4
            ws.send(json.dumps({"type": "answer", "text": "With correlated features lasso keeps one of them."}))
            assert next_event(ws, "reply.done")["text"]
    finally:
        server.kill()
        server.wait(timeout=10)


def test_unreachable_database_fails_once_in_one_line() -> None:
    env = {**os.environ, "MOCKLOOP_DATABASE_URL": "postgresql+psycopg://u:secret@127.0.0.1:1/x?connect_timeout=2"}
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("mockloop: cannot open the database postgresql+psycopg://***@127.0.0.1:1/")
    assert "secret" not in result.stderr and "Traceback" not in result.stderr


def test_tokens_never_reach_the_logs(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with log.open("w") as sink:
        proc, address = launch({"MOCKLOOP_DATABASE_URL": f"sqlite:///{tmp_path / 'log.db'}"}, output=sink)
        try:
            base = f"http://{address}"
            session = httpx.post(f"{base}/api/sessions", json={}).json()
            httpx.get(f"{base}/api/sessions/{session['id']}", params={"token": session["token"]})
            httpx.get(f"{base}/sessions/{session['id']}", params={"token": session["token"]})
            httpx.get(f"{base}/api/sessions/{session['id']}", headers={"Authorization": f"Bearer {session['token']}"})
            with connect(f"ws://{address}/ws/sessions/{session['id']}?token={session['token']}") as ws:
                next_event(ws, "reply.done")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    text = log.read_text()
    assert "serving on http://127.0.0.1:" in text  # loopback unless asked otherwise
    assert "warning: binding" not in text
    assert session["token"] not in text


def test_a_public_bind_is_warned_about(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with log.open("w") as sink:
        proc, _ = launch({"MOCKLOOP_DATABASE_URL": f"sqlite:///{tmp_path / 'bind.db'}"}, ["--host", "0.0.0.0"], sink)
        proc.terminate()
        proc.wait(timeout=30)
    assert "warning: binding 0.0.0.0 exposes interviews to your network" in log.read_text()
