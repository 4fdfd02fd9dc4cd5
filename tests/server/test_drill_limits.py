"""The drill refuses what the server refuses (server/protocol.py, server/live.py), with the server's words."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from server import limits
from server.cli import main
from server.drill import refusal
from server.protocol import MAX_TEXT_CHARS, ProtocolError, parse_text_frame


def server_message(frame: dict[str, Any]) -> str:
    with pytest.raises(ProtocolError) as caught:
        parse_text_frame(json.dumps(frame))
    return caught.value.message


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lines: list[str]) -> tuple[dict, str]:  # type: ignore[type-arg]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["drill", "--question", "code-two-sum", "--json"]) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def test_an_answer_over_the_limit_is_refused_in_the_servers_words(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = "word " * 40_000  # 200 KB on one line
    message = server_message({"type": "answer", "text": huge})
    session, printed = run(monkeypatch, capsys, [huge, "Is the array sorted?", "/end"])
    assert printed.splitlines().count(message) == 1
    answers = [t["text"] for t in session["turns"] if t["speaker"] == "candidate"]
    assert answers == ["Is the array sorted?"]  # refused, not cut: the candidate resends a shorter one


def test_an_answer_at_the_limit_goes_through(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    exact = ("a" * 99 + " ") * (MAX_TEXT_CHARS // 100)
    session, printed = run(monkeypatch, capsys, [exact.strip(), "/end"])
    assert "limited to" not in printed
    assert [t["text"] for t in session["turns"] if t["speaker"] == "candidate"] == [exact.strip()]


def test_code_over_the_limit_is_refused_before_it_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = ["def two_sum(nums, target):"] + ["    x = 1  # padding" + " " * 80] * (MAX_TEXT_CHARS // 100 + 1)
    message = server_message({"type": "code", "text": "\n".join(code)})
    session, printed = run(monkeypatch, capsys, ["/code", *code, "/done", "I'd use a hash map.", "/end"])
    assert printed.splitlines().count(message) == 1 and "tests:" not in printed
    assert [t["text"] for t in session["turns"] if t["speaker"] == "candidate"] == ["I'd use a hash map."]


def test_the_same_limits_as_the_server() -> None:
    assert refusal("x" * MAX_TEXT_CHARS, 0) is None
    assert refusal("x" * (MAX_TEXT_CHARS + 1), 0) == server_message(
        {"type": "answer", "text": "x" * (MAX_TEXT_CHARS + 1)}
    )
    surrogate = "\ud83d"
    assert refusal(surrogate, 0) == server_message({"type": "answer", "text": surrogate})
    assert (
        refusal("fine", limits.MAX_CANDIDATE_TURNS) == f"a session holds at most {limits.MAX_CANDIDATE_TURNS} answers"
    )


def test_a_session_holds_as_many_answers_as_on_the_server(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(limits, "MAX_CANDIDATE_TURNS", 2)
    session, printed = run(monkeypatch, capsys, ["Is it sorted?", "Can values repeat?", "A third answer.", "/end"])
    assert printed.splitlines().count("a session holds at most 2 answers") == 1
    assert len([t for t in session["turns"] if t["speaker"] == "candidate"]) == 2
