"""A coding drill, piped: code between /code and /done is one submission, run at once against the tests."""

from __future__ import annotations

import io
import json

import pytest

from server.cli import main

APPROACH = [
    "Can the same element be used twice, and is there always exactly one answer?",
    "I'd make one pass with a hash map from each value to its index, and for each element look up target minus it.",
    "That's O(n) time and O(n) extra space, since every lookup and insert is constant time on average.",
]
CORRECT = """def two_sum(nums, target):
    seen = {}
    for i, x in enumerate(nums):
        if target - x in seen:
            return [seen[target - x], i]
        seen[x] = i
    return []"""
# The classic slip: the whole array goes into the map first, so an element pairs with itself.
WRONG = """def two_sum(nums, target):
    seen = {x: i for i, x in enumerate(nums)}
    for i, x in enumerate(nums):
        if target - x in seen:
            return [i, seen[target - x]]
    return []"""


def _drill(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lines: list[str]) -> dict:  # type: ignore[type-arg]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["drill", "--question", "code-two-sum", "--json"]) == 0
    captured = capsys.readouterr()
    session = json.loads(captured.out)
    session["_printed"] = captured.err
    return session  # type: ignore[no-any-return]


def _with_code(code: str) -> list[str]:
    return [*APPROACH, "/code", *code.splitlines(), "/done", "/end"]


def test_code_between_code_and_done_is_one_submission_run_at_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    session = _drill(monkeypatch, capsys, _with_code(CORRECT))
    candidate = [t for t in session["turns"] if t["speaker"] == "candidate"]
    assert len(candidate) == len(APPROACH) + 1  # every line of code in one turn, not a turn each
    submitted = candidate[-1]
    assert submitted["code"] == CORRECT
    assert submitted["tests"]["passed"] == submitted["tests"]["total"] >= 4
    assert "tests:" in session["_printed"] and "hidden tests:" in session["_printed"]
    card = session["scorecard"]
    assert card["tests"] == submitted["tests"]
    assert next(m for m in card["milestones"] if m["id"] == "edge_cases")["status"] == "met"


def test_a_correct_solution_outscores_a_wrong_one_and_the_interviewer_asks_about_the_failure(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    right = _drill(monkeypatch, capsys, _with_code(CORRECT))
    wrong = _drill(monkeypatch, capsys, _with_code(WRONG))
    assert wrong["scorecard"]["tests"]["passed"] < wrong["scorecard"]["tests"]["total"]
    assert right["scorecard"]["score"] > wrong["scorecard"]["score"]
    reply = [t for t in wrong["turns"] if t["speaker"] == "interviewer"][-2]  # the one after the run
    assert reply["decision"]["action"] == "review_code"
    assert "hidden" in reply["text"] and "seen" not in reply["text"]  # about the case, never the test's code


def test_run_reruns_the_last_code(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    session = _drill(monkeypatch, capsys, [*_with_code(CORRECT)[:-1], "/run", "/end"])
    runs = [t for t in session["turns"] if t["speaker"] == "candidate" and "tests" in t]
    assert len(runs) == 2 and runs[0]["code"] == runs[1]["code"]


def test_run_without_code_and_an_empty_submission_are_one_line_notes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    session = _drill(monkeypatch, capsys, ["/run", "/code", "/done", "/end"])
    assert "no code to run yet" in session["_printed"] and "nothing was submitted" in session["_printed"]
    assert not [t for t in session["turns"] if t["speaker"] == "candidate"]


def test_the_interviewer_asks_for_code_when_none_comes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        *APPROACH,
        "For [3, 3] with target 6 the map is empty when I see the first 3, so I store it and pair the second one.",
        "I'd test with the example from the prompt, a negative number, and a pair of equal values.",
        "/end",
    ]
    session = _drill(monkeypatch, capsys, lines)
    actions = [t["decision"]["action"] for t in session["turns"] if t["speaker"] == "interviewer"]
    assert "ask_code" in actions
    asked = next(t for t in session["turns"] if t.get("decision", {}).get("action") == "ask_code")
    assert "def two_sum(" in asked["text"]  # the signature the tests call
    card = session["scorecard"]
    assert card["tests"]["passed"] == 0 and card["score"] <= 64
