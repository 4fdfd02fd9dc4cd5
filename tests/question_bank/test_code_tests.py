"""Every shipped coding question's tests, run in the real sandbox: right on its reference solution, and
able to catch a plausible wrong one (tests/data/wrong_solutions: greedy coin change, an unstable softmax, ...)."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewers.code_runner import run_code
from question_bank.loader import load_bank
from server.cli import main
from server.cli_bank import solution_path

BANK = load_bank()
CODING = sorted(q.id for q in BANK.questions.values() if q.round == "coding")
WRONG = Path(__file__).resolve().parent.parent / "data" / "wrong_solutions"


@pytest.mark.parametrize("question_id", CODING)
def test_tests_pass_on_the_reference_and_catch_a_wrong_solution(question_id: str) -> None:
    question = BANK.get(question_id)
    assert len(question.tests) >= 4 and sum(t.hidden for t in question.tests) >= 2
    reference = solution_path(BANK.sources[question_id], question_id)
    assert reference is not None
    right = run_code(reference.read_text(encoding="utf-8"), question.tests)
    assert right.passed == right.total, right.to_json()
    wrong = run_code((WRONG / f"{question_id}.py").read_text(encoding="utf-8"), question.tests)
    assert wrong.passed < wrong.total
    # The wrong solutions are the kind a candidate writes: they get the prompt's own example right.
    assert any(o.passed for o in wrong.outcomes if not o.hidden) or wrong.error is None


def test_strict_validation_runs_the_tests_on_a_reference_solution(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = BANK.sources["code-two-sum"].read_text(encoding="utf-8").replace("id: code-two-sum", "id: my-two-sum")
    (tmp_path / "my-two-sum.yaml").write_text(source, encoding="utf-8")
    (tmp_path / "solutions").mkdir()
    broken = "def two_sum(nums, target):\n    return [0, 1]\n"
    (tmp_path / "solutions" / "my-two-sum.py").write_text(broken, encoding="utf-8")
    assert main(["bank", "validate", "--strict", str(tmp_path)]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors and all(e.startswith("mockloop: my-two-sum.yaml: test '") for e in errors)
    (tmp_path / "solutions" / "my-two-sum.py").unlink()
    assert main(["bank", "validate", "--strict", str(tmp_path)]) == 1
    assert "tests need a reference solution" in capsys.readouterr().err
