"""Each way a question file can be wrong gives one line naming the file and the key."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from question_bank.errors import BankError
from question_bank.loader import load_paths, parse_question
from server.cli import main

VALID = """\
id: {id}
round: ml_fundamentals
title: Bias and variance
prompt: Explain the bias-variance trade-off.
milestones:
  - id: definition
    text: Defines bias and variance as error sources.
    cues: [bias, variance]
    probe: What do bias and variance mean?
  - id: tradeoff
    text: Explains that model complexity trades one against the other.
follow_ups:
  - text: How do learning curves show it?
    after: [tradeoff]
hints: [Think about model complexity.]
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problem_lines(tmp_path: Path) -> list[str]:
    with pytest.raises(BankError) as caught:
        load_paths([tmp_path / "bank"])
    return [str(p) for p in caught.value.problems]


def test_valid_folder_loads(tmp_path: Path) -> None:
    write(tmp_path / "bank", "q1.yaml", VALID.format(id="q1"))
    bank = load_paths([tmp_path / "bank"])
    question = bank.get("q1")
    assert question.milestones[0].weight == 1.0
    assert question.difficulty == "medium"
    assert question.time_box == 15  # ml_fundamentals default


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda t: t + "author: me\n", "q1.yaml: author: unknown key"),
        (
            lambda t: t.replace("    cues: [bias, variance]", "    cues: [bias, null]"),
            "q1.yaml: milestones[0].cues[1]: expected a string, got null",
        ),
        (
            lambda t: t.replace("title: Bias and variance", "title: yes"),
            "q1.yaml: title: expected a string, got a boolean (true;",
        ),
        (
            lambda t: t.replace("    probe: What do bias and variance mean?", "    probe: no"),
            "q1.yaml: milestones[0].probe: expected a string, got a boolean (false;",
        ),
        (
            lambda t: t.replace("after: [tradeoff]", "after: [learning_curves]"),
            "q1.yaml: follow_ups[0].after[0]: no milestone 'learning_curves' in this question",
        ),
        (
            lambda t: t.replace(
                "  - id: tradeoff\n    text: Explains that model complexity trades one against the other.\n", ""
            ).replace("after: [tradeoff]", "after: []"),
            "q1.yaml: milestones: list should have at least 2 items",
        ),
        (lambda t: t.replace("round: ml_fundamentals", "round: trivia"), "q1.yaml: round: input should be"),
        (lambda t: t.replace("id: q1", "id: Q_1"), "q1.yaml: id: string should match pattern"),
        (
            lambda t: t.replace("    text: Defines", "    weight: -1\n    text: Defines"),
            "q1.yaml: milestones[0].weight: input should be greater than 0",
        ),
        (
            lambda t: t.replace("- id: tradeoff", "- id: definition"),
            "q1.yaml: milestones[1].id: duplicate milestone id 'definition'",
        ),
        (lambda t: t.replace("prompt: Explain", "prompt: [Explain"), "q1.yaml: line "),
        (lambda t: t + "title: Again\n", "duplicate key 'title'"),
        (lambda t: "- just\n- a list\n", "q1.yaml: expected a mapping of keys, got a list"),
        (
            lambda t: t.replace("prompt: Explain the bias-variance trade-off.\n", ""),
            "q1.yaml: prompt: required key is missing",
        ),
    ],
    ids=[
        "unknown-key",
        "null-in-list",
        "yes-as-title",
        "no-as-probe",
        "after-unknown",
        "one-milestone",
        "bad-round",
        "bad-id",
        "negative-weight",
        "duplicate-milestone",
        "broken-yaml",
        "duplicate-key",
        "not-a-mapping",
        "missing-prompt",
    ],
)
def test_bad_file_names_file_and_key(tmp_path: Path, edit: object, expected: str) -> None:
    assert callable(edit)
    write(tmp_path / "bank", "q1.yaml", edit(VALID.format(id="q1")))
    lines = problem_lines(tmp_path)
    assert any(expected in line for line in lines), lines
    assert all("\n" not in line for line in lines)


def test_duplicate_id_across_folders(tmp_path: Path) -> None:
    write(tmp_path / "bank", "a.yaml", VALID.format(id="same"))
    write(tmp_path / "bank" / "more", "b.yaml", VALID.format(id="same"))
    lines = problem_lines(tmp_path)
    assert lines == [f"b.yaml: id: duplicate id 'same' (also in {tmp_path / 'bank' / 'a.yaml'})"]


def test_duplicate_id_against_shipped_bank(tmp_path: Path) -> None:
    from question_bank.loader import SHIPPED_DIR, load_bank

    shipped_id = next(iter(load_paths([SHIPPED_DIR]).questions))
    write(tmp_path / "bank", "clash.yaml", VALID.format(id=shipped_id))
    with pytest.raises(BankError, match=f"clash.yaml: id: duplicate id '{shipped_id}'"):
        load_bank([tmp_path / "bank"])


def test_missing_folder_and_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(BankError) as caught:
        load_paths([tmp_path / "nope", tmp_path / "empty"])
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'nope'}: no such file or folder",
        f"{tmp_path / 'empty'}: no question files (*.yaml) in this folder",
    ]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"id: x\ntitle: \xff\xfe\n")
    with pytest.raises(BankError, match=r"bad\.yaml: not UTF-8 text"):
        parse_question(path)


def test_validate_cli_reports_every_problem_in_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "bank", "ok.yaml", VALID.format(id="ok-one"))
    write(tmp_path / "bank", "bad.yaml", VALID.format(id="bad-one") + "extra: 1\n")
    write(tmp_path / "bank", "worse.yaml", "id: [unclosed\n")
    assert main(["bank", "validate", str(tmp_path / "bank")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2
    assert err[0] == "mockloop: bad.yaml: extra: unknown key"
    assert err[1].startswith("mockloop: worse.yaml: line 2, column 1: invalid YAML")
    assert "Traceback" not in "".join(err)


def test_validate_cli_passes_on_a_valid_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "bank", "ok.yaml", VALID.format(id="ok-one"))
    assert main(["bank", "validate", str(tmp_path / "bank")]) == 0
    assert capsys.readouterr().out.startswith("ok: ")


def test_validate_cli_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "validate", str(tmp_path / "missing")]) == 1
    assert capsys.readouterr().err.strip() == f"mockloop: {tmp_path / 'missing'}: no such file or folder"


def test_bank_env_folder_is_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "mine", "own.yaml", VALID.format(id="my-own-question"))
    monkeypatch.setenv("MOCKLOOP_BANK", str(tmp_path / "mine"))
    assert main(["bank", "list", "--json", "--round", "ml_fundamentals"]) == 0
    assert '"id": "my-own-question"' in capsys.readouterr().out


def test_odd_keys_are_quoted_on_one_line(tmp_path: Path) -> None:
    write(
        tmp_path / "bank",
        "q1.yaml",
        VALID.format(id="q1").replace(
            "    cues: [bias, variance]\n", '    cues: [bias, variance]\n    "two\\nlines": 1\n'
        ),
    )
    assert problem_lines(tmp_path) == ["q1.yaml: milestones[0]['two\\nlines']: unknown key"]
