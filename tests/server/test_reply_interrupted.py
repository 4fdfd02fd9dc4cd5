"""Barge-in, the server's half: `reply.interrupted` stores on the interviewer's turn what was read aloud
before the candidate cut in; a bad one gets a one-line `error` and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from server.live import heard_prefix
from tests.server.test_live import connect, start, until


def stored_turns(client: TestClient, session: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.get(f"/api/sessions/{session['id']}", params={"token": session["token"]})
    assert response.status_code == 200
    turns: list[dict[str, Any]] = response.json()["turns"]
    return turns


def settle(ws: WebSocketTestSession) -> list[dict[str, Any]]:
    """Every event up to the answer to a ping: frames are handled in order, so what came before is done."""
    ws.send_json({"type": "ping"})
    seen: list[dict[str, Any]] = []
    until(ws, "pong", seen)
    return seen


@pytest.mark.parametrize(
    ("chars", "heard"),
    [
        (0, ""),
        (5, "Hello"),  # at the end of a word
        (8, "Hello"),  # inside "there": not heard whole
        (12, "Hello there,"),
        (13, "Hello there,"),
        (19, "Hello there, what's"),
        (18, "Hello there,"),  # inside "what's", after the apostrophe
        (27, "Hello there, what's the p99"),
        (28, "Hello there, what's the p99?"),
    ],
)
def test_what_was_heard_ends_at_a_word_boundary(chars: int, heard: str) -> None:
    assert heard_prefix("Hello there, what's the p99?", chars) == heard


def test_an_interrupted_reply_keeps_what_was_heard(make_client: Callable[[], TestClient]) -> None:
    client = make_client()
    session = start(client)
    with connect(client, session) as ws:
        opening = until(ws, "reply.done")
        text = opening["text"]
        cut = text.index(" ", 20) + 3  # three letters into a word
        ws.send_json({"type": "reply.interrupted", "turn": opening["turn"], "heard_chars": cut})
        assert not [e for e in settle(ws) if e["type"] == "error"]
        first = stored_turns(client, session)[0]
        assert first["interrupted"] is True
        assert first["heard"] == text[: text.index(" ", 20)].rstrip()
        assert text.startswith(first["heard"]) and first["text"] == text  # the reply itself is kept whole
        ws.send_json({"type": "answer", "text": "What is the p99 latency budget?"})
        until(ws, "reply.done")  # the interview goes on
    with connect(client, session) as ws:  # and a reconnect replays it
        ready = until(ws, "session.ready")
        assert ready["turns"][0]["heard"] == first["heard"] and ready["turns"][0]["interrupted"] is True
        ws.send_json({"type": "session.end"})
        until(ws, "session.ended")
    review = client.get(f"/sessions/{session['id']}", params={"token": session["token"]})
    assert "you cut in; heard aloud" in review.text and review.text.count("you cut in") == 1


def test_a_bad_interruption_gets_an_error_and_changes_nothing(make_client: Callable[[], TestClient]) -> None:
    client = make_client()
    session = start(client)
    with connect(client, session) as ws:
        opening = until(ws, "reply.done")
        ws.send_json({"type": "answer", "text": "What is the p99 latency budget?"})
        until(ws, "reply.done")
        before = stored_turns(client, session)
        length = len(opening["text"])
        bad: list[tuple[dict[str, Any], str]] = [
            ({"turn": 0, "heard_chars": -1}, "bad_message"),
            ({"turn": 0, "heard_chars": length + 1}, "bad_message"),
            ({"turn": 0, "heard_chars": "12"}, "bad_message"),
            ({"turn": 0, "heard_chars": True}, "bad_message"),
            ({"turn": 0}, "bad_message"),
            ({"turn": -1, "heard_chars": 0}, "bad_message"),
            ({"turn": 1, "heard_chars": 0}, "unknown_turn"),  # the candidate's own turn
            ({"turn": 3, "heard_chars": 0}, "unknown_turn"),  # not said yet
            ({"turn": 10**30, "heard_chars": 0}, "unknown_turn"),
        ]
        for fields, code in bad:
            ws.send_json({"type": "reply.interrupted", **fields})
            error = until(ws, "error")
            assert error["code"] == code, (fields, error)
            assert "\n" not in error["message"] and len(error["message"]) < 200
        assert stored_turns(client, session) == before
        ws.send_json({"type": "reply.interrupted", "turn": 2, "heard_chars": 0})  # heard nothing: still stored
        assert not [e for e in settle(ws) if e["type"] == "error"]
    after = stored_turns(client, session)
    assert after[2]["interrupted"] is True and after[2]["heard"] == ""
    assert after[:2] == before[:2]
