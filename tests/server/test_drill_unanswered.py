"""A drill with no answer is not saved, says so in one line, and never counts in progress."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from server.cli import main
from server.cli_sessions import open_store
from server.progress import NO_ANSWER

NOT_SAVED = "No answer was given, so code-two-sum was not saved."


def drill(monkeypatch: pytest.MonkeyPatch, stdin: str, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["drill", "--question", "code-two-sum", *args])


def review(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    assert main(["review", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("stdin", ["", "\n\n", "/hint\n/end\n", "/skip\n", "/nonsense\n"])
def test_a_drill_with_no_answer_is_not_saved(
    stdin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert drill(monkeypatch, stdin) == 0
    out = capsys.readouterr().out
    assert out.count(NOT_SAVED) == 1
    assert "Saved as" not in out and "Score " not in out  # no scorecard for an interview that did not happen
    assert review(capsys) == []
    assert review(capsys, "--progress")["rounds"] == []


def test_json_says_nothing_was_saved(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert drill(monkeypatch, "", "--json") == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert doc["session_id"] is None and doc["scorecard"] is None
    assert [t["speaker"] for t in doc["turns"]] == ["interviewer"]  # the opening was still said
    assert captured.err.strip().splitlines() == [NOT_SAVED]


def test_the_first_answer_saves_the_opening_with_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert drill(monkeypatch, "/hint\nIs the array sorted?\n/end\n", "--json") == 0
    session = json.loads(capsys.readouterr().out)
    stored = review(capsys, session["session_id"])
    assert [t["text"] for t in stored["turns"]] == [t["text"] for t in session["turns"]]
    assert [t["speaker"] for t in stored["turns"]][:3] == ["interviewer", "interviewer", "candidate"]
    assert stored["status"] == "ended" and stored["scorecard"] == session["scorecard"]


def test_a_loop_saves_only_the_parts_answered(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("/end\nI would clarify the constraints first.\n/end\n/end\n"))
    assert main(["drill", "--loop", "phone-screen", "--json"]) == 0
    captured = capsys.readouterr()
    sessions = json.loads(captured.out)["sessions"]
    assert len(sessions) == 1 and sessions[0]["scorecard"]["score"] >= 0
    assert captured.err.count("was not saved") == 2
    assert [row["id"] for row in review(capsys)] == [sessions[0]["session_id"]]


def test_sessions_saved_unanswered_before_are_listed_but_never_counted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Rows from before this rule (and web sessions ended unanswered) hold a 0-point card: not a score."""
    store = open_store()
    empty, _ = store.create_session("code-two-sum", "coding", "maya")
    store.finish(empty.id, {"question_id": "code-two-sum", "score": 0.0, "verdict": "no_hire", "notes": [NO_ANSWER]})
    answered, _ = store.create_session("code-two-sum", "coding", "maya")
    store.finish(answered.id, {"question_id": "code-two-sum", "score": 70.0, "verdict": "hire", "notes": []})
    progress = review(capsys, "--progress")
    assert progress["rounds"] == [{"round": "coding", "sessions": 1, "best": 70.0, "latest": 70.0, "recent_mean": 70.0}]
    listed = {row["id"]: row for row in review(capsys)}
    assert listed[empty.id]["score"] is None and listed[empty.id]["verdict"] is None
    assert listed[answered.id]["score"] == 70.0
