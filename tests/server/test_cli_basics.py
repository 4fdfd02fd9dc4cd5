"""The command line: every contract verb is listed, start-up stays light, mistakes are one line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from question_bank.loader import load_bank
from server.cli import main

VERBS = ["drill", "serve", "score", "review", "export", "bank", "transcribe"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "server.cli", *args], capture_output=True, text=True, timeout=60)


def test_help_lists_every_verb() -> None:
    result = run("--help")
    assert result.returncode == 0
    listed = {line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()}
    assert set(VERBS) <= listed


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys; from server.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('litellm', 'faster_whisper', 'sqlalchemy', 'fastapi', 'pydantic', 'rich', 'yaml')"
        " if m in sys.modules]\nprint('HEAVY', heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in result.stdout


def test_bank_list_json_matches_bank(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "list", "--json", "--round", "system_design"]) == 0
    listed = json.loads(capsys.readouterr().out)
    expected = {q.id for q in load_bank().by_round("system_design")}
    assert {item["id"] for item in listed} == expected
    assert set(listed[0]) == {"id", "round", "title", "difficulty", "minutes", "tags"}


def test_bank_list_piped_keeps_one_row_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    bank = load_bank()
    for question in bank.questions.values():  # each id and its whole title on the same line, for grep
        assert any(question.id in line and question.title in line for line in lines), question.id
    assert f"{len(bank.questions)} questions" in lines[0]


def test_bank_show_hides_answers_unless_asked(capsys: pytest.CaptureFixture[str]) -> None:
    question = load_bank().get("sd-marketplace-recs")
    assert main(["bank", "show", question.id]) == 0
    hidden = capsys.readouterr().out
    assert question.title in hidden
    assert question.milestones[0].text[:40] not in hidden
    assert main(["bank", "show", question.id, "--answers"]) == 0
    shown = capsys.readouterr().out
    assert question.milestones[0].id in shown
    assert (question.milestones[0].probe or "")[:30] in shown.replace("\n      ", " ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bank", "show", "no-such-question"], "mockloop: bank: no question with id 'no-such-question'"),
        (["bank", "list", "--round", "poetry"], "mockloop bank list: Invalid value for '--round'"),
        (["drill", "--no-such-flag"], "mockloop drill: No such option"),
        (["frobnicate"], "mockloop: No such command 'frobnicate'."),
    ],
)
def test_user_mistakes_are_one_line(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(message)


def test_transcribe_bad_file_is_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bogus = tmp_path / "notes.wav"
    bogus.write_text("this is not audio")
    for path in (str(tmp_path / "missing.wav"), str(bogus)):
        result = run("transcribe", path)
        assert result.returncode == 1
        errors = [line for line in result.stderr.splitlines() if line.startswith("mockloop:")]
        assert len(errors) == 1 and "Traceback" not in result.stderr


def test_bad_setting_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "bank", "validate"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "MOCKLOOP_END_OF_TURN_MS": "soon"},
    )
    assert result.returncode == 1
    assert result.stderr.strip().startswith("mockloop: MOCKLOOP_END_OF_TURN_MS:")
