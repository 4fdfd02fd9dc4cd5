"""Candidate code in the real sandbox (bubblewrap + kernel limits): hostile code is contained and reported.

Each hostile program runs while a healthy run goes on beside it; the healthy one must still finish
quickly and pass, as another session's would.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from benchmarks.code_run import HOSTILE
from interviewers.code_runner import Limits, RunResult, run_code, unavailable_reason
from question_bank.schema import CodeTest

TESTS = [
    CodeTest(name="adds", code="got = add(2, 3)\nassert got == 5, f'add(2, 3) returned {got!r}'", hidden=False),
    CodeTest(name="negatives", code="assert add(-4, 1) == -3", hidden=True),
]
GOOD = "def add(a, b):\n    return a + b\n"
HEALTHY_SECONDS = 3.0  # a correct two-test run, while the hostile one burns its limits next to it


def test_the_sandbox_is_available_here() -> None:
    # CI installs bubblewrap (scripts/test.sh); without it the server refuses to run code, with this reason.
    assert unavailable_reason() is None


def test_correct_and_wrong_code_are_told_apart() -> None:
    good = run_code(GOOD, TESTS)
    assert (good.passed, good.total, good.error) == (2, 2, None)
    wrong = run_code("def add(a, b):\n    return a - b\n", TESTS)
    assert wrong.passed == 0
    public = wrong.to_json()
    assert public["failures"][0] == {"name": "adds", "message": "add(2, 3) returned -1"}
    assert public["failures"][1] == {"name": "hidden test 1", "message": "hidden test failed"}  # never its code


def test_a_syntax_error_names_its_line() -> None:
    result = run_code("def add(a, b)\n    return a + b\n", TESTS)
    assert result.error is not None and "SyntaxError" in result.error and "line 1" in result.error
    assert result.passed == 0


def test_one_hanging_test_does_not_hide_the_others() -> None:
    code = "def add(a, b):\n    if a < 0:\n        while True:\n            pass\n    return a + b\n"
    result = run_code(code, TESTS)
    assert [o.passed for o in result.outcomes] == [True, False]
    assert "too long" in result.outcomes[1].message


def _beside(hostile: str) -> tuple[RunResult, list[float]]:
    """Run the hostile code, and healthy runs one after another beside it; their wall times."""
    outcome: list[RunResult] = []
    runner = threading.Thread(target=lambda: outcome.append(run_code(hostile, TESTS)))
    runner.start()
    healthy: list[float] = []
    while runner.is_alive() and len(healthy) < 3:
        start = time.perf_counter()
        result = run_code(GOOD, TESTS)
        healthy.append(time.perf_counter() - start)
        assert result.passed == 2, result.error
    runner.join()
    return outcome[0], healthy


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_code_is_contained_and_reported(name: str) -> None:
    code, says = HOSTILE[name]
    result, healthy = _beside(code)
    assert result.passed == 0 and result.error is not None
    assert says in result.error, result.error
    assert max(healthy) < HEALTHY_SECONDS, healthy


def test_the_server_database_and_files_outside_are_out_of_reach(tmp_path: Path) -> None:
    secret = tmp_path / "mockloop.db"
    secret.write_text("session rows")
    target = tmp_path / "written.txt"
    code = f"try:\n    leaked = open({str(secret)!r}).read()\nexcept OSError as exc:\n    leaked = repr(exc)\n"
    code += f"try:\n    open({str(target)!r}, 'w').write('x')\nexcept OSError:\n    pass\n"
    result = run_code(
        code + "def add(a, b):\n    return a + b\n",
        [*TESTS, CodeTest(name="no leak", code="assert 'session rows' not in leaked")],
    )
    assert result.passed == 3
    assert not target.exists()


def test_numpy_is_available_inside() -> None:
    code = "import numpy as np\ndef add(a, b):\n    return int(np.add(a, b))\n"
    assert run_code(code, TESTS).passed == 2


def test_limits_are_the_kernels(tmp_path: Path) -> None:
    # A tighter CPU limit stops the loop sooner: the limit is enforced by the kernel, not by polling.
    start = time.perf_counter()
    result = run_code("while True:\n    pass\n", TESTS, Limits(cpu_seconds=1, wall_seconds=5.0))
    assert result.error is not None and "1 s of CPU" in result.error
    assert time.perf_counter() - start < 4.0


def test_without_bubblewrap_code_is_refused_with_a_one_line_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    import interviewers.code_runner as runner

    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(runner.SandboxUnavailable) as refused:
        run_code(GOOD, TESTS)
    assert "bubblewrap" in str(refused.value) and "\n" not in str(refused.value)
