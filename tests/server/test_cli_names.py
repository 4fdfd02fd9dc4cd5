"""Names on the command line: a unique start or end of an id is enough; a wrong one gets "did you mean"."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from question_bank.loader import load_bank
from server.cli import main
from server.cli_names import UnknownName, question_id, resolve_name

IDS = ["code-two-sum", "code-3sum", "code-two-pointers", "sd-marketplace-recs", "mlf-l1-vs-l2"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("code-two-sum", "code-two-sum"),
        ("CODE-TWO-SUM", "code-two-sum"),
        ("two-sum", "code-two-sum"),  # a unique end
        ("sd-market", "sd-marketplace-recs"),  # a unique start
        ("l1-vs-l2", "mlf-l1-vs-l2"),
    ],
)
def test_an_id_a_unique_start_or_end_of_one(typed: str, meant: str) -> None:
    assert question_id(typed, IDS) == meant


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("two-sun", "bank: no question with id 'two-sun'; did you mean code-two-sum?"),
        ("sum", "'sum' matches 2 questions: code-3sum, code-two-sum; type more of it"),
        ("code-", "'code-' matches 3 questions: code-3sum, code-two-pointers, code-two-sum; type more of it"),
        ("zzz", "bank: no question with id 'zzz' (mockloop bank list shows them)"),
        ("", "bank: no question with id ''"),
    ],
)
def test_no_match_or_several_is_one_line_naming_them(typed: str, message: str) -> None:
    with pytest.raises(UnknownName) as caught:
        question_id(typed, IDS)
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


def test_a_long_list_of_candidates_is_cut() -> None:
    names = [f"code-{i}" for i in range(9)]
    with pytest.raises(UnknownName, match=r"matches 9 questions: code-0, .*code-4 and 4 more; type more"):
        resolve_name("code", names, "question", "no question")


def test_drill_accepts_the_end_of_an_id(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Is the array sorted?\n/end\n"))
    assert main(["drill", "--question", "two-sum", "--persona", "may", "--json"]) == 0
    card = json.loads(capsys.readouterr().out)["scorecard"]
    assert card["question_id"] == "code-two-sum"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--question", "two-sun"], "mockloop: bank: no question with id 'two-sun'; did you mean code-two-sum"),
        (["--question", "code-"], "mockloop: 'code-' matches "),
        (["--loop", "onsight"], "mockloop: no loop named 'onsight'; did you mean onsite"),
        (["--question", "code-two-sum", "--persona", "mya"], "mockloop: no persona named 'mya'; did you mean maya?"),
        (["--question", "code-two-sum", "--persona", "a"], "mockloop: 'a' matches "),
    ],
)
def test_drill_names_close_matches_in_one_line(
    args: list[str], message: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("hello\n"))
    assert main(["drill", *args]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""  # refused before the interview starts
    assert captured.err.splitlines() == [captured.err.strip()] and captured.err.startswith(message), captured.err


def test_a_loop_by_its_start(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("I would clarify the constraints first.\n"))
    assert main(["drill", "--loop", "phone", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["loop"] == "phone-screen"


def test_bank_show_and_score_take_the_same_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "show", "two-sum"]) == 0
    assert load_bank().get("code-two-sum").title in capsys.readouterr().out
    transcript = tmp_path / "t.json"
    turns = [{"speaker": "candidate", "text": "I'd keep a hash map from value to index."}]
    transcript.write_text(json.dumps({"question_id": "code-two-sum", "turns": turns}))
    assert main(["score", str(transcript), "--question", "two-sum", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["question_id"] == "code-two-sum"


def test_as_a_program_the_error_is_one_line_without_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "bank", "show", "two-sun"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "mockloop: bank: no question with id 'two-sun'; did you mean code-two-sum? (mockloop bank list shows them)"
    ]
