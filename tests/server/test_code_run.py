"""`code.run` over the WebSocket: the code runs in the sandbox, `code.result` comes back, the interviewer reacts."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.server.test_live import connect, start, until

WRONG = """def two_sum(nums, target):
    seen = {x: i for i, x in enumerate(nums)}
    for i, x in enumerate(nums):
        if target - x in seen:
            return [i, seen[target - x]]
    return []"""
RIGHT = """def two_sum(nums, target):
    seen = {}
    for i, x in enumerate(nums):
        if target - x in seen:
            return [seen[target - x], i]
        seen[x] = i"""


def test_run_sends_results_then_the_interviewer_asks_about_the_failing_case(
    make_client: Callable[[], TestClient],
) -> None:
    client = make_client()
    session = start(client, "code-two-sum")
    with connect(client, session) as ws:
        until(ws, "reply.done")  # the opening
        ws.send_json({"type": "code", "language": "python", "text": WRONG})
        ws.send_json({"type": "code.run"})
        result = until(ws, "code.result")
        assert 0 < result["passed"] < result["total"]
        assert all(set(f) == {"name", "message"} for f in result["failures"])
        hidden = [f for f in result["failures"] if f["name"].startswith("hidden test")]
        assert hidden and all(f["message"] == "hidden test failed" for f in hidden)  # never the test itself
        reply = until(ws, "reply.done")
        assert reply["action"] == "review_code" and "pass" in reply["text"]
        ws.send_json({"type": "code", "language": "python", "text": RIGHT})
        ws.send_json({"type": "code.run"})
        fixed = until(ws, "code.result")
        assert fixed["passed"] == fixed["total"] and fixed["failures"] == []
        assert "all" in until(ws, "reply.done")["text"].lower()
    # Hidden outcomes stay server-side while the session is live, and show in the review once it has ended.
    token = {"token": session["token"]}
    live = client.get(f"/api/sessions/{session['id']}", params=token).json()
    assert not any("tests_detail" in t for t in live["turns"])
    assert any("tests" in t for t in live["turns"])
    with connect(client, session) as ws:
        until(ws, "session.ready")
        ws.send_json({"type": "session.end"})
        card = until(ws, "scorecard")
        assert card["tests"]["passed"] == card["tests"]["total"]
    review = client.get(f"/sessions/{session['id']}", params=token).text
    assert "test-results" in review and "(hidden)" in review and "def two_sum" in review
    report = client.get(f"/api/sessions/{session['id']}/export", params={**token, "format": "md"}).text
    assert "## Tests" in report and "(hidden) fails" in report


def test_run_without_code_or_tests_is_a_one_line_error_and_the_session_goes_on(
    make_client: Callable[[], TestClient],
) -> None:
    client = make_client()
    session = start(client, "code-two-sum")
    with connect(client, session) as ws:
        until(ws, "reply.done")
        ws.send_json({"type": "code.run"})
        error = until(ws, "error")
        assert error["code"] == "no_code" and "\n" not in error["message"]
        ws.send_json({"type": "ping"})
        assert until(ws, "pong")["type"] == "pong"
    other = start(client, "mlf-l1-vs-l2")
    with connect(client, other) as ws:
        until(ws, "reply.done")
        ws.send_json({"type": "code.run"})
        assert until(ws, "error")["code"] == "no_tests"
