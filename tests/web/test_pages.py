"""The pages and their data endpoints, rendered by the real app (no browser)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from question_bank.loader import load_bank
from server.app import create_app
from server.pages import CSP
from server.services import Services
from server.settings import get_settings
from server.storage import Store
from tests.interviewers.test_offline_scorer import STRONG_L1_L2

MARKUP = '<img src=x onerror="alert(1)"><b>bold</b>'


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    services = Services(settings=get_settings(), store=Store(f"sqlite:///{tmp_path / 'pages.db'}"), bank=load_bank())
    with TestClient(create_app(services)) as test_client:
        yield test_client


def play(client: TestClient, question_id: str, answers: list[str]) -> dict[str, str]:
    session = client.post("/api/sessions", json={"question_id": question_id}).json()
    with client.websocket_connect(f"/ws/sessions/{session['id']}?token={session['token']}") as ws:
        while ws.receive_json()["type"] != "reply.done":
            pass
        for text in answers:
            ws.send_json({"type": "answer", "text": text})
            while ws.receive_json()["type"] != "reply.done":
                pass
        ws.send_json({"type": "session.end"})
        while ws.receive_json()["type"] != "session.ended":
            pass
    return session  # type: ignore[no-any-return]


def test_start_page_lists_rounds_questions_and_loops(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CSP
    loops = ("Onsite loop", "Phone screen", "LLM-focused onsite")
    for text in ("ML system design", "Behavioral", *loops, "Start interview"):
        assert text in page.text
    assert load_bank().get("sd-marketplace-recs").title in page.text
    assert 'data-loop="llm-onsite"' in page.text
    assert "https://" not in page.text and "http://" not in page.text  # no external network


def test_live_page_and_denied_page(client: TestClient) -> None:
    session = client.post("/api/sessions", json={"question_id": "code-two-sum"}).json()
    live = client.get(f"/sessions/{session['id']}", params={"token": session["token"]})
    assert live.status_code == 200
    assert 'id="talk"' in live.text and "codemirror.js" in live.text
    question = load_bank().get("code-two-sum")
    for secret in [m.text for m in question.milestones] + question.hints + [f.answer for f in question.facts]:
        assert secret not in live.text
    denied = client.get(f"/sessions/{session['id']}", params={"token": "wrong"})
    assert denied.status_code == 401 and question.title not in denied.text


def test_review_page_escapes_markup_and_highlights_evidence(client: TestClient) -> None:
    answers = [STRONG_L1_L2[0] + " " + MARKUP, STRONG_L1_L2[1]]
    session = play(client, "mlf-l1-vs-l2", answers)
    review = client.get(f"/sessions/{session['id']}", params={"token": session["token"]})
    assert review.status_code == 200
    assert MARKUP not in review.text and "&lt;img src=x" in review.text
    assert "<mark" in review.text and 'id="milestones"' in review.text
    exported = client.get(f"/api/sessions/{session['id']}/export", params={"token": session["token"], "format": "md"})
    assert exported.status_code == 200 and exported.text.startswith("# L1 vs L2")
    as_json = client.get(f"/api/sessions/{session['id']}/export", params={"token": session["token"]}).json()
    assert as_json["scorecard"]["question_id"] == "mlf-l1-vs-l2"
    assert client.get(f"/api/sessions/{session['id']}/export", params={"token": "bad"}).status_code == 401


def test_progress_reports_only_sessions_whose_tokens_are_known(client: TestClient) -> None:
    mine = play(client, "beh-conflict", ["We disagreed about the model; I ran an A/B test and it won by 3%."])
    other = client.post("/api/sessions", json={"question_id": "code-two-sum"}).json()
    data = client.post(
        "/api/progress",
        json={"sessions": [{"id": mine["id"], "token": mine["token"]}, {"id": other["id"], "token": "guess"}]},
    ).json()
    assert [s["id"] for s in data["sessions"]] == [mine["id"]]
    assert "behavioral" in data["series"]
    assert any("STAR" in item["checkpoint"] for item in data["readiness"])
    assert client.get("/history").status_code == 200
