"""A misbehaving LLM provider, through the live WebSocket (litellm's mock_response and mock_timeout):
every turn still gets a reply, nothing ungated reaches the candidate, and the scorecard still comes."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from question_bank.loader import load_bank
from server.settings import Settings

MODEL = "openai/gpt-4o-mini"


def llm_settings(**values: Any) -> Settings:
    return Settings(llm_model=MODEL, **values)


def open_session(client: TestClient) -> tuple[dict[str, Any], WebSocketTestSession]:
    session = client.post("/api/sessions", json={"question_id": "sd-marketplace-recs"}).json()
    return session, client.websocket_connect(f"/ws/sessions/{session['id']}?token={session['token']}")


def events_until(ws: WebSocketTestSession, kind: str) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    while not seen or seen[-1]["type"] != kind:
        seen.append(ws.receive_json())
    return seen


def fallbacks(client: TestClient, session_id: str) -> list[str]:
    """Why each stored interviewer line is not the LLM's ('' where the LLM's line was used)."""
    turns = [t.to_turn() for t in client.app.state.services.store.turns(session_id)]  # type: ignore[attr-defined]
    return [t.get("decision", {}).get("fallback", "") for t in turns if t["speaker"] == "interviewer"]


def test_a_hanging_provider_is_waited_on_once_then_skipped(make_client: Callable[..., TestClient]) -> None:
    client = make_client(llm_settings(llm_mock_timeout=True, llm_turn_timeout=1.0))
    session, ws = open_session(client)
    with ws:
        opening = events_until(ws, "reply.done")[-1]
        assert "marketplace" in opening["text"].lower()  # the offline opening still asks the question
        ws.send_json({"type": "answer", "text": "What is the latency budget for the page?"})
        assert "120 ms" in events_until(ws, "reply.done")[-1]["text"]
    first, second = fallbacks(client, session["id"])
    assert "Timeout" in first
    # The provider is not waited on again for every turn while it is known to be down.
    assert "not called for another" in second


def test_garbage_from_the_provider_never_reaches_the_candidate(make_client: Callable[..., TestClient]) -> None:
    garbage = json.dumps({"error": {"message": "upstream overloaded", "code": 529}})
    client = make_client(llm_settings(llm_mock_response=garbage))
    session, ws = open_session(client)
    with ws:
        seen = events_until(ws, "reply.done")
        ws.send_json({"type": "answer", "text": "I would start from the business objective."})
        seen += events_until(ws, "reply.done")
    replies = [e for e in seen if e["type"] == "reply.done"]
    assert len(replies) == 2 and all("upstream" not in e["text"] and "{" not in e["text"] for e in replies)
    assert not any("upstream" in e["text"] for e in seen if e["type"] == "reply.delta")
    assert all("markup" in why for why in fallbacks(client, session["id"]))


def test_a_leak_halfway_through_a_streamed_line_is_never_shown(make_client: Callable[..., TestClient]) -> None:
    milestone = load_bank().get("sd-marketplace-recs").milestones[0].text
    line = f"Thanks for joining today. Here is what we look for: {milestone} Now, over to you."
    client = make_client(llm_settings(llm_mock_response=line))
    session, ws = open_session(client)
    with ws:
        seen = events_until(ws, "reply.done")
    streamed = "".join(e["text"] for e in seen if e["type"] == "reply.delta")
    assert streamed.startswith("Thanks for joining today.")  # sentences are released once checked
    assert milestone not in streamed and "what we look for" not in streamed
    assert milestone not in seen[-1]["text"]
    assert "revealed unasked milestone" in fallbacks(client, session["id"])[0]


def test_a_failing_provider_still_ends_in_a_scorecard(make_client: Callable[..., TestClient]) -> None:
    client = make_client(llm_settings(llm_mock_response="litellm.InternalServerError"))
    session, ws = open_session(client)
    with ws:
        events_until(ws, "reply.done")
        ws.send_json({"type": "answer", "text": "I'd ask for the p99 latency budget before any model."})
        events_until(ws, "reply.done")
        ws.send_json({"type": "session.end"})
        card = events_until(ws, "scorecard")[-1]
        assert events_until(ws, "session.ended")
    assert card["scorer"].startswith("offline") and f"fallback from llm:{MODEL}" in card["scorer"]
    assert any("InternalServerError" in why for why in fallbacks(client, session["id"]))
    stored = client.get(f"/api/sessions/{session['id']}", params={"token": session["token"]}).json()
    assert stored["status"] == "ended" and stored["scorecard"]["score"] == card["score"]
