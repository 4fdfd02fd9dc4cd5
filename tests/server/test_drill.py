"""`mockloop drill` end to end: piped answers, every shipped question, the LLM path, loops and bad input."""

from __future__ import annotations

import io
import json
import random
from typing import Any

import pytest

from question_bank.loader import load_bank
from server.cli import main
from server.drill import DrillError, pick_question

ANSWERS = [
    "Can I ask a clarifying question: how big is the input and what are the constraints?",
    "I would start from a simple baseline, explain the trade-offs, and then improve it step by step.",
    "/hint",
    "I'm not sure.",
    "/skip",
    "I would test it on small examples and edge cases, and measure the result carefully.",
]


def drill_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lines: list[str], *args: str
) -> dict[str, Any]:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["drill", *args, "--json"]) == 0
    session: dict[str, Any] = json.loads(capsys.readouterr().out)
    return session


@pytest.mark.parametrize("question_id", sorted(load_bank().questions))
def test_drill_runs_every_shipped_question_offline(
    question_id: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    session = drill_json(monkeypatch, capsys, ANSWERS, "--question", question_id)
    turns = session["turns"]
    assert isinstance(turns, list)
    assert turns[0]["speaker"] == "interviewer"
    candidate = [t["text"] for t in turns if t["speaker"] == "candidate"]
    assert candidate == [a for a in ANSWERS if not a.startswith("/")]
    interviewer = [t["text"] for t in turns if t["speaker"] == "interviewer"]
    assert len(interviewer) == len(set(interviewer))
    card = session["scorecard"]
    assert isinstance(card, dict) and card["question_id"] == question_id
    question = load_bank().get(question_id)
    assert [m["id"] for m in card["milestones"]] == [m.id for m in question.milestones]
    stored = json.loads(run_review(capsys, str(session["session_id"])))
    assert [t["text"] for t in stored["turns"]] == [t["text"] for t in turns]
    assert stored["status"] == "ended" and stored["scorecard"] == card


def run_review(capsys: pytest.CaptureFixture[str], session_id: str) -> str:
    assert main(["review", session_id, "--json"]) == 0
    return capsys.readouterr().out


def test_drill_with_a_mocked_llm(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MOCKLOOP_LLM_MODEL", "openai/gpt-4o-mini")
    line = "Walk me through how you would measure success here."
    monkeypatch.setenv("MOCKLOOP_LLM_MOCK_RESPONSE", line)
    session = drill_json(monkeypatch, capsys, ANSWERS[:2], "--question", "sd-marketplace-recs")
    turns = session["turns"]
    assert isinstance(turns, list)
    interviewer = [t for t in turns if t["speaker"] == "interviewer"]
    assert interviewer[0]["text"] == line  # the LLM worded the opening
    # The mock answers the same words every time: the engine refuses to repeat them and words it offline.
    assert all(t["text"] != line for t in interviewer[1:])
    assert "repeated" in interviewer[1]["decision"]["fallback"]
    card = session["scorecard"]
    assert isinstance(card, dict) and "fallback from llm:openai/gpt-4o-mini" in card["scorer"]


def test_drill_random_question_of_a_round(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    seen = set()
    for _ in range(3):
        # An answer each time: an unanswered drill is not saved, so it would not count as practised.
        session = drill_json(
            monkeypatch, capsys, ["I led the migration and cut latency by 40%.", "/end"], "--round", "behavioral"
        )
        card = session["scorecard"]
        assert isinstance(card, dict)
        seen.add(card["question_id"])
    assert len(seen) == 3, "questions practised lately should not come back first"
    assert all(qid.startswith("beh-") for qid in seen)


def test_loop_runs_each_part(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ["I would clarify the constraints first.", "/end"] * 3
    result = drill_json(monkeypatch, capsys, lines, "--loop", "phone-screen")
    sessions = result["sessions"]
    assert isinstance(sessions, list) and len(sessions) == 3
    rounds = [load_bank().get(s["scorecard"]["question_id"]).round for s in sessions]
    assert rounds == ["coding", "ml_fundamentals", "ml_fundamentals"]


def test_pick_question_prefers_unpractised_and_reports_an_empty_round() -> None:
    bank = load_bank()
    rng = random.Random(0)
    ids = sorted(q.id for q in bank.by_round("debugging"))
    recent = ids[:-1]
    assert pick_question(bank, "debugging", recent, rng).id == ids[-1]
    assert pick_question(bank, "debugging", list(reversed(ids)), rng).id == ids[0]
    with pytest.raises(DrillError, match="no questions for the coding round"):
        pick_question(bank, "coding", [], rng, admits=lambda q: False)


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--question", "nope"], {}, "mockloop: bank: no question with id 'nope'"),
        (["--question", "code-two-sum", "--persona", "zorro"], {}, "mockloop: no persona named 'zorro'"),
        (["--loop", "marathon"], {}, "mockloop: no loop named 'marathon'"),
        (["--round", "trivia"], {}, "mockloop drill: Invalid value for '--round'"),
        (
            ["--question", "code-two-sum"],
            {"MOCKLOOP_DATABASE_URL": "sqlite:////proc/no/such/dir/db.sqlite"},
            "mockloop: cannot open the database",
        ),
    ],
)
def test_bad_input_is_one_line(
    args: list[str],
    env: dict[str, str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("sys.stdin", io.StringIO("hello\n"))
    assert main(["drill", *args]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(message), err


def test_piped_drill_prints_the_scorecard_and_where_it_was_saved(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("I would clarify the objective first.\n/end\n"))
    assert main(["drill", "--question", "mlf-l1-vs-l2"]) == 0
    out = capsys.readouterr().out
    session_id = out.split("Saved as ")[1].split()[0]
    assert main(["review", session_id, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "ended"
    assert "mockloop review --progress" in out


def test_drill_json_turns_carry_the_new_decisions(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        "Training-serving skew can't happen if you use the same model file.",
        "Is the error roughly uniform across the places you operate, or much worse in some of them?",
        "Can you give me a hint?",
    ]
    session = drill_json(monkeypatch, capsys, lines, "--question", "dbg-train-serve-skew")
    decisions = [t["decision"] for t in session["turns"] if t["speaker"] == "interviewer"]
    assert [d["action"] for d in decisions[1:4]] == ["challenge", "answer_fact", "hint"]
    assert decisions[1]["misconception"] == 0 and decisions[1]["understood"]["acts"] == ["answer"]
    assert decisions[2]["facts"] and decisions[2]["understood"]["facts_asked"] == decisions[2]["facts"]
