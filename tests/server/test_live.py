"""The live API and WebSocket with a real Whisper model on real (synthesized and recorded) speech."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from interviewers.personas import personas
from question_bank.loader import load_bank
from server.settings import Settings
from tests.server.conftest import silence

SPOKEN = (
    "Before choosing a model, I would ask about the latency budget and the business objective. "
    "Then I would train a gradient boosted ranking model on click logs."
)
FRAME = 3200  # 100 ms of PCM16


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def start(client: TestClient, question_id: str = "sd-marketplace-recs") -> dict[str, Any]:
    response = client.post("/api/sessions", json={"question_id": question_id})
    assert response.status_code == 201
    return response.json()  # type: ignore[no-any-return]


def connect(client: TestClient, session: dict[str, Any]) -> WebSocketTestSession:
    return client.websocket_connect(f"/ws/sessions/{session['id']}?token={session['token']}")


def until(ws: WebSocketTestSession, kind: str, seen: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    while True:
        event = ws.receive_json()
        if seen is not None:
            seen.append(event)
        if event["type"] == kind:
            return event  # type: ignore[no-any-return]


def stream(ws: WebSocketTestSession, pcm: bytes, pace: float = 0.02) -> None:
    for i in range(0, len(pcm), FRAME):
        ws.send_bytes(pcm[i : i + FRAME])
        time.sleep(pace)


def test_new_session_reveals_no_grading_material(make_client: Callable[[], TestClient]) -> None:
    client = make_client()
    session = start(client)
    assert set(session) == {"id", "token", "question", "persona"}
    assert set(session["question"]) == {"id", "round", "title", "prompt", "minutes"}
    dumped = json.dumps(session)
    question = load_bank().get("sd-marketplace-recs")
    secrets = [m.text for m in question.milestones] + [m.probe or "" for m in question.milestones]
    secrets += question.hints + [f.answer for f in question.facts] + [m.id for m in question.milestones[1:]]
    for secret in filter(None, secrets):
        assert secret not in dumped


def test_token_guards_every_session_route(make_client: Callable[[], TestClient]) -> None:
    client = make_client()
    session = start(client)
    url = f"/api/sessions/{session['id']}"
    assert client.get(url).status_code == 401
    assert client.get(url, params={"token": "wrong"}).status_code == 401
    assert client.get("/api/sessions/nope", params={"token": session["token"]}).status_code == 401
    assert client.get(url, params={"token": session["token"]}).status_code == 200
    assert client.get(url, headers={"Authorization": f"Bearer {session['token']}"}).json()["status"] == "live"
    for bad in (f"/ws/sessions/{session['id']}", f"/ws/sessions/{session['id']}?token=wrong"):
        with pytest.raises(WebSocketDisconnect) as closed, client.websocket_connect(bad) as ws:
            ws.receive_json()
        assert closed.value.code == 4401


def test_typed_answer_is_stored_before_the_reply(make_client: Callable[[], TestClient]) -> None:
    client = make_client()
    session = start(client)
    with connect(client, session) as ws:
        ready = ws.receive_json()
        assert ready["type"] == "session.ready" and ready["turns"] == [] and ready["status"] == "live"
        opening = until(ws, "reply.done")
        assert opening["turn"] == 0 and opening["action"] == "opening"
        ws.send_json({"type": "answer", "text": "What is the p99 latency budget?"})
        reply = until(ws, "reply.done")
        assert reply["turn"] == 2 and reply["action"] == "answer_fact" and "120 ms" in reply["text"]
    stored = client.get(f"/api/sessions/{session['id']}", params={"token": session["token"]}).json()
    assert [t["speaker"] for t in stored["turns"]] == ["interviewer", "candidate", "interviewer"]
    assert all("decision" not in t for t in stored["turns"])  # hidden while live


def test_spoken_answer_gives_partials_then_the_final_words(
    make_client: Callable[[], TestClient], speech: Callable[[str], bytes]
) -> None:
    client = make_client()
    session = start(client)
    seen: list[dict[str, Any]] = []
    with connect(client, session) as ws:
        until(ws, "reply.done")
        stream(ws, silence(0.3) + speech(SPOKEN) + silence(0.3), pace=0.06)  # ~2x real time
        ws.send_json({"type": "input.commit"})
        final = until(ws, "transcript.final", seen)
        reply = until(ws, "reply.done", seen)
    partials = [e for e in seen if e["type"] == "transcript.partial"]
    assert partials, "no partial transcript while speaking"
    assert final["turn"] == 1 and reply["turn"] == 2
    assert len(words(SPOKEN) & words(final["text"])) >= 0.8 * len(words(SPOKEN)), final["text"]
    stored = client.get(f"/api/sessions/{session['id']}", params={"token": session["token"]}).json()
    candidate = stored["turns"][1]
    assert candidate["text"] == final["text"] and candidate["duration"] > 5 and candidate["source"] == "voice"


def test_hands_free_turn_ends_after_a_pause(
    make_client: Callable[[], TestClient], speech: Callable[[str], bytes]
) -> None:
    client = make_client()
    session = start(client, "beh-conflict")
    with connect(client, session) as ws:
        until(ws, "reply.done")
        stream(
            ws,
            speech("I led the migration of our ranking model and it cut latency by forty percent.") + silence(2.0),
            pace=0.005,
        )
        final = until(ws, "transcript.final")
        assert {"migration", "ranking", "model"} <= words(final["text"])
        assert "40" in final["text"] or "forty" in final["text"].lower()
        until(ws, "reply.done")


def test_real_human_voice(make_client: Callable[[], TestClient]) -> None:
    from pathlib import Path

    from server.speech.transcriber import load_audio_file
    from tests.server.conftest import pcm16

    jfk = pcm16(load_audio_file(Path(__file__).resolve().parents[1] / "data" / "jfk.flac"))
    client = make_client()
    session = start(client, "beh-failure")
    with connect(client, session) as ws:
        until(ws, "reply.done")
        stream(ws, jfk, pace=0.002)
        ws.send_json({"type": "input.commit"})
        final = until(ws, "transcript.final")
    spoken = " ".join(re.findall(r"[a-z]+", final["text"].lower()))
    assert "ask not what your country can do for you" in spoken
    said = words(
        "And so, my fellow Americans, ask not what your country can do for you, ask what you can do for your country."
    )
    assert len(said & set(spoken.split())) >= 0.9 * len(said), spoken


def test_silence_produces_no_turn(make_client: Callable[[], TestClient]) -> None:
    import numpy as np

    client = make_client()
    session = start(client)
    hiss = (np.random.default_rng(0).normal(0, 0.002, 16000 * 3) * 32767).astype("<i2").tobytes()
    with connect(client, session) as ws:
        until(ws, "reply.done")
        stream(ws, silence(2.0) + hiss, pace=0.001)
        ws.send_json({"type": "input.commit"})
        assert until(ws, "transcript.discarded")["reason"]
        ws.send_json({"type": "ping"})
        assert until(ws, "pong") == {"type": "pong"}
    stored = client.get(f"/api/sessions/{session['id']}", params={"token": session["token"]}).json()
    assert [t["speaker"] for t in stored["turns"]] == ["interviewer"]


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("this is not json", "bad_json"),
        ('["a", "list"]', "bad_json"),
        ('{"type": "dance"}', "unknown_type"),
        ('{"type": "answer"}', "bad_message"),
        (json.dumps({"type": "answer", "text": "x" * 20_001}), "text_too_long"),
        (b"\x01\x02\x03", "odd_length"),
        (bytes(40_000), "frame_too_long"),
        (bytes(1024 * 1024 + 2), "frame_too_large"),
        ("x" * (1024 * 1024 + 1), "frame_too_large"),
    ],
)
def test_bad_frame_gets_an_error_and_the_session_goes_on(
    make_client: Callable[[], TestClient], frame: str | bytes, code: str
) -> None:
    client = make_client()
    session = start(client)
    with connect(client, session) as ws:
        until(ws, "reply.done")
        if isinstance(frame, bytes):
            ws.send_bytes(frame)
        else:
            ws.send_text(frame)
        error = until(ws, "error")
        assert error["code"] == code and error["message"]
        ws.send_json({"type": "ping"})
        assert until(ws, "pong") == {"type": "pong"}


def test_long_turn_is_committed_for_the_candidate(
    make_client: Callable[[], TestClient], speech: Callable[[str], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("server.live.MAX_TURN_SECONDS", 3.0)  # five minutes in production
    client = make_client()
    session = start(client)
    with connect(client, session) as ws:
        until(ws, "reply.done")
        stream(ws, speech(SPOKEN), pace=0.001)
        assert until(ws, "error")["code"] == "turn_too_long"
        assert until(ws, "transcript.final")["text"]


def test_reconnect_and_restart_resume_the_session(make_client: Callable[[], TestClient]) -> None:
    client = make_client()
    session = start(client)
    with connect(client, session) as ws:
        until(ws, "reply.done")
        ws.send_json({"type": "answer", "text": "I'm not sure where to start."})
        first = until(ws, "reply.done")
    with connect(client, session) as ws:
        ready = ws.receive_json()
        assert [t["text"] for t in ready["turns"]][1:] == ["I'm not sure where to start.", first["text"]]
    restarted = make_client()  # a new app over the same database, as after a crash
    with connect(restarted, session) as ws:
        ready = ws.receive_json()
        assert len(ready["turns"]) == 3
        # The interview clock carries on from the last stored turn rather than restarting at zero.
        assert ready["elapsed"] == ready["turns"][-1]["t"] > 0
        ws.send_json({"type": "answer", "text": "Still not sure, honestly."})
        second = until(ws, "reply.done")
        assert second["turn"] == 4 and second["text"] != first["text"]
        ws.send_json({"type": "session.end"})
        card = until(ws, "scorecard")
        assert card["question_id"] == "sd-marketplace-recs"
        assert until(ws, "session.ended") == {"type": "session.ended"}
    ended = restarted.get(f"/api/sessions/{session['id']}", params={"token": session["token"]}).json()
    assert ended["status"] == "ended" and ended["scorecard"]["score"] == card["score"]
    assert "decision" in ended["turns"][0]  # decision notes are shown once the session has ended


def test_questions_listing(make_client: Callable[[], TestClient]) -> None:
    client = make_client()
    listed = client.get("/api/questions", params={"round": "debugging"}).json()
    assert listed and all(q["round"] == "debugging" for q in listed)
    assert set(listed[0]) == {"id", "round", "title", "difficulty", "minutes", "tags"}
    assert client.get("/api/questions", params={"round": "poetry"}).status_code == 422
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.post("/api/sessions", json={"question_id": "nope"}).status_code == 404
    assert client.post("/api/sessions", json={"persona": "zorro"}).status_code == 404


def test_flooding_is_rate_limited_and_the_session_recovers(make_client: Callable[[], TestClient]) -> None:
    client = make_client()
    session = start(client)
    with connect(client, session) as ws:
        until(ws, "reply.done")
        for _ in range(80):
            ws.send_json({"type": "ping"})
        codes = []
        for _ in range(80):
            event = ws.receive_json()
            codes.append(event.get("code", event["type"]))
        assert "rate_limited" in codes and "pong" in codes
        time.sleep(1.0)
        ws.send_json({"type": "ping"})
        assert until(ws, "pong") == {"type": "pong"}
        for _ in range(70):  # 70 s of silence in one go: more than a minute ahead of real time
            ws.send_bytes(silence(1.0))
        assert until(ws, "error")["code"] == "rate_limited"


def test_a_long_spoken_answer_is_cut_in_on(
    make_client: Callable[..., TestClient], speech: Callable[[str], bytes]
) -> None:
    client = make_client(Settings(monologue_seconds=6, end_of_turn_ms=60_000))
    session = start(client)  # Priya, system design
    long_answer = SPOKEN + " Then I would add a re-ranking stage for diversity and measure revenue per session."
    with connect(client, session) as ws:
        until(ws, "reply.done")
        stream(ws, speech(long_answer), pace=0.001)  # no pause, no commit: a monologue
        seen: list[dict[str, Any]] = []
        cut = until(ws, "interrupt", seen)
        final = until(ws, "transcript.final", seen)
        reply = until(ws, "reply.done", seen)
    assert cut["turn"] == final["turn"] == 1 and cut["after_seconds"] == 6
    assert {"latency", "budget"} <= words(final["text"])  # what was said before the cut is kept...
    assert "revenue" not in words(final["text"])  # ...and nothing after it
    priya = personas()["priya"]
    assert reply["turn"] == 2 and any(reply["text"].startswith(line) for line in priya.cut_in_lines)
    stored = client.get(f"/api/sessions/{session['id']}", params={"token": session["token"]}).json()
    assert stored["turns"][1]["text"] == final["text"]
