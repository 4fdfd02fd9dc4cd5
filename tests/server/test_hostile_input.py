"""Hostile input and races against a real `mockloop serve` (one server for the module, its log checked).

Each test replays a finding of the security probe (issue #15): a lone surrogate that bricked a session,
racing sockets that duplicated the opening, bodies and fields without limits, secrets in stored text,
missing cache and origin checks.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from server.launch import start_server
from server.text import redact

QUESTION = "mlf-bias-variance"


class Server:
    def __init__(self, address: str, log: Path, database: Path) -> None:
        self.address = address
        self.log = log
        self.database = database

    def url(self, path: str) -> str:
        return f"http://{self.address}{path}"

    def new_session(self) -> dict[str, Any]:
        response = httpx.post(self.url("/api/sessions"), json={"question_id": QUESTION})
        assert response.status_code == 201, response.text
        session: dict[str, Any] = response.json()
        return session

    def socket(self, session: dict[str, Any], **kwargs: Any) -> ClientConnection:
        url = f"ws://{self.address}/ws/sessions/{session['id']}?token={session['token']}"
        ws: ClientConnection = connect(url, **kwargs)
        return ws

    def turns(self, session: dict[str, Any]) -> list[dict[str, Any]]:
        response = httpx.get(self.url(f"/api/sessions/{session['id']}"), params={"token": session["token"]})
        assert response.status_code == 200, response.text
        turns: list[dict[str, Any]] = response.json()["turns"]
        return turns


@contextlib.contextmanager
def logged_server(database: Path, log: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A real `mockloop serve` on `database`, its output in `log`; once stopped, the log holds no traceback."""
    with log.open("w") as sink:
        proc, address = start_server({"MOCKLOOP_DATABASE_URL": f"sqlite:///{database}"}, output=sink)
        try:
            yield proc, address
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    text = log.read_text()
    assert "Traceback" not in text and "Exception in ASGI application" not in text, text[-3000:]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("hostile")
    database, log = folder / "hostile.db", folder / "server.log"
    with logged_server(database, log) as (_, address):
        yield Server(address, log, database)


def events_until(ws: ClientConnection, kind: str) -> list[dict[str, Any]]:
    seen = []
    while True:
        event: dict[str, Any] = json.loads(ws.recv(timeout=60))
        seen.append(event)
        if event["type"] == kind:
            return seen


def test_a_lone_surrogate_is_refused_and_the_session_lives_on(server: Server) -> None:
    session = server.new_session()
    with server.socket(session) as ws:
        events_until(ws, "reply.done")  # the opening
        for frame in ('{"type": "code", "text": "x = 1 \\ud83d"}', '{"type": "answer", "text": "hello \\ud83d"}'):
            ws.send(frame)
            error = events_until(ws, "error")[-1]
            assert error["code"] == "bad_text"
        ws.send(json.dumps({"type": "answer", "text": "High bias means the model underfits. 😀"}))
        events_until(ws, "reply.done")
    turns = server.turns(session)
    assert [t["speaker"] for t in turns] == ["interviewer", "candidate", "interviewer"]
    with server.socket(session) as ws:  # it reconnects: nothing unreadable was stored
        assert events_until(ws, "session.ready")[-1]["turns"]


def test_rows_stored_with_a_lone_surrogate_by_older_versions_still_read(server: Server) -> None:
    session = server.new_session()
    with server.socket(session) as ws:
        events_until(ws, "reply.done")
    # What an older version let through: JSON escapes a lone surrogate as \ud83d, and loads it back unpaired.
    with sqlite3.connect(server.database) as db:
        db.execute(
            "UPDATE turns SET data_json = ? WHERE session_id = ? AND idx = 0",
            ('{"note": "Hello \\ud83d there"}', session["id"]),
        )
        db.execute(
            "UPDATE sessions SET meta_json = ? WHERE id = ?",
            ('{"code": {"language": "python", "code": "x = 1 \\ud83d"}}', session["id"]),
        )
    turns = server.turns(session)
    assert turns[0]["note"] == "Hello \ufffd there"
    with server.socket(session) as ws:
        assert events_until(ws, "session.ready")[-1]["turns"][0]["note"] == "Hello \ufffd there"
        ws.send(json.dumps({"type": "answer", "text": "High variance means it overfits."}))
        events_until(ws, "reply.done")


@pytest.mark.parametrize("field", ["persona", "question_id"])
def test_rest_fields_with_a_lone_surrogate_are_422_in_one_line(server: Server, field: str) -> None:
    body = '{"' + field + '": "ab\\ud83d"}'
    response = httpx.post(server.url("/api/sessions"), content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert field in detail and ("surrogate" in detail or "unicode" in detail) and "\n" not in detail


def test_bodies_and_fields_have_limits_and_errors_do_not_echo_them(server: Server) -> None:
    huge = httpx.post(server.url("/api/sessions"), json={"persona": "x" * (5 * 1024 * 1024)})
    assert huge.status_code == 413
    assert len(huge.content) < 500
    long_field = httpx.post(server.url("/api/sessions"), json={"persona": "y" * 5000})
    assert long_field.status_code == 422 and len(long_field.content) < 500

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"persona": "'
        for _ in range(100):
            yield b"z" * 10_000
        yield b'"}'

    chunked = httpx.post(server.url("/api/sessions"), content=chunks(), headers={"content-type": "application/json"})
    assert chunked.status_code == 413


def test_code_language_is_an_allow_list(server: Server) -> None:
    session = server.new_session()
    with server.socket(session) as ws:
        events_until(ws, "reply.done")
        ws.send(json.dumps({"type": "code", "language": "x" * 100_000, "text": "pass"}))
        error = events_until(ws, "error")[-1]
        assert error["code"] == "bad_message" and "language" in error["message"]


def test_post_needs_json_and_the_same_origin(server: Server) -> None:
    plain = httpx.post(server.url("/api/sessions"), content="{}", headers={"content-type": "text/plain"})
    assert plain.status_code == 415
    foreign = httpx.post(server.url("/api/sessions"), json={}, headers={"origin": "https://evil.example"})
    assert foreign.status_code == 403
    own = httpx.post(server.url("/api/sessions"), json={}, headers={"origin": f"http://{server.address}"})
    assert own.status_code == 201
    session = own.json()
    with pytest.raises(InvalidStatus) as refused:  # closed before it is accepted: the handshake fails
        server.socket(session, origin="https://evil.example")
    assert refused.value.response.status_code == 403
    with server.socket(session, origin=f"http://{server.address}") as ws:
        assert events_until(ws, "session.ready")


def test_anything_that_can_carry_a_token_is_not_cached(server: Server) -> None:
    session = server.new_session()
    for path in (f"/api/sessions/{session['id']}", f"/sessions/{session['id']}", "/api/questions"):
        response = httpx.get(server.url(path), params={"token": session["token"]})
        assert response.headers.get("cache-control") == "no-store", path


def test_racing_sockets_store_one_opening_and_no_outage(server: Server) -> None:
    session = server.new_session()
    codes: list[int | None] = []
    openings: list[str] = []

    def open_one() -> None:
        try:
            with server.socket(session) as ws:
                for event in events_until(ws, "session.ready"):
                    if event["type"] == "error":
                        openings.append(event["code"])
                ws.recv(timeout=5)
        except ConnectionClosed as exc:
            codes.append(exc.rcvd.code if exc.rcvd else None)
        except TimeoutError:
            codes.append(None)

    threads = [threading.Thread(target=open_one) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    turns = server.turns(session)
    assert [t["speaker"] for t in turns].count("interviewer") == 1, turns
    assert 1013 not in codes and "storage_unavailable" not in openings
    assert set(codes) <= {4409, None, 1000}


def test_two_answers_sent_together_are_both_stored_in_order(server: Server) -> None:
    session = server.new_session()
    with server.socket(session) as first:
        events_until(first, "reply.done")
        with server.socket(session) as second:  # takes the session over; the first is told why
            events_until(second, "session.ready")
            second.send(json.dumps({"type": "answer", "text": "High bias is underfitting: both errors are high."}))
            second.send(json.dumps({"type": "answer", "text": "High variance is overfitting: a large gap."}))
            events_until(second, "reply.done")
            events_until(second, "reply.done")
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                first.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4409
    said = [t["text"] for t in server.turns(session) if t["speaker"] == "candidate"]
    assert said == [
        "High bias is underfitting: both errors are high.",
        "High variance is overfitting: a large gap.",
    ]


def test_secrets_are_redacted() -> None:
    cases = {
        "postgresql+psycopg://app:p@ss@db.internal:5432/mockloop": "p@ss",
        "postgresql://app@db/mockloop?sslmode=require&password=hunter2": "hunter2",
        "Authorization: Bearer abc.def-ghi": "abc.def-ghi",
        "invalid key sk-proj-ABCDEFGH12345678 given": "sk-proj-ABCDEFGH12345678",
    }
    for text, secret in cases.items():
        assert secret not in redact(text), text


def test_a_provider_error_is_stored_as_its_type_only() -> None:
    from interviewers.llm import LLMClient, LLMError

    class Leaky(Exception):
        status_code = 401

    client = LLMClient("openai/gpt-4o-mini")
    error = client._failed(Leaky("Incorrect API key provided: sk-live-SECRET123456"))
    assert isinstance(error, LLMError)
    assert str(error) == "Leaky (HTTP 401)"


def test_a_drill_fed_binary_garbage_skips_it_and_ends_the_session(tmp_path: Path) -> None:
    import os
    import random
    import sys

    garbage = bytes(random.Random(7).randrange(256) for _ in range(4000))
    piped = garbage + b"\nHigh bias means the model underfits the training data.\n/end\n"
    env = {**os.environ, "MOCKLOOP_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "server.cli", "drill", "--question", QUESTION, "--json"]
    result = subprocess.run(command, input=piped, capture_output=True, env=env, timeout=120)
    err = result.stderr.decode()
    assert result.returncode == 0, err
    assert "Traceback" not in err and "not UTF-8" in err
    turns = json.loads(result.stdout.decode())["turns"]
    assert any(t["text"] == "High bias means the model underfits the training data." for t in turns)
    listed = subprocess.run(
        [sys.executable, "-m", "server.cli", "review", "--json"], capture_output=True, env=env, timeout=60
    )
    assert [s["status"] for s in json.loads(listed.stdout.decode())] == ["ended"]


def test_new_sessions_and_progress_queries_are_rate_limited(tmp_path: Path) -> None:
    env = {
        "MOCKLOOP_DATABASE_URL": f"sqlite:///{tmp_path / 'limits.db'}",
        "MOCKLOOP_NEW_SESSIONS_PER_MINUTE": "5",
        "MOCKLOOP_PROGRESS_PER_MINUTE": "3",
    }
    proc, address = start_server(env)
    try:
        created = [httpx.post(f"http://{address}/api/sessions", json={}).status_code for _ in range(8)]
        assert created[:5] == [201] * 5 and created[5:] == [429] * 3
        keys = [{"id": f"{i:012x}", "token": "x" * 32} for i in range(500)]
        queried = [httpx.post(f"http://{address}/api/progress", json={"sessions": keys}) for _ in range(5)]
        assert [r.status_code for r in queried] == [200, 200, 200, 429, 429]
        assert queried[-1].headers["retry-after"] == "5"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_the_api_docs_load_their_assets_from_this_server(server: Server) -> None:
    page = httpx.get(server.url("/docs"))
    assert page.status_code == 200 and "cdn" not in page.text.lower()
    assert "unsafe-inline" in page.headers["content-security-policy"]
    for asset in ("/static/swagger-ui/swagger-ui-bundle.js", "/static/swagger-ui/swagger-ui.css"):
        assert asset in page.text
        assert httpx.get(server.url(asset)).status_code == 200
