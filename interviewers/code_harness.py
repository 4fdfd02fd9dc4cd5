"""Runs inside the sandbox: the candidate's code, then each test in a fresh copy of its namespace.

Started by code_runner.py as `python -I code_harness.py SPEC RESULT_FD`; reads the code and tests
from SPEC and writes one JSON object to RESULT_FD, a pipe the candidate's output never reaches
(stdout and stderr go to a size-capped file). Standard library only: it runs under the sandbox's
interpreter with nothing of this project importable.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback
from pathlib import Path
from types import FrameType
from typing import Any

MESSAGE_CHARS = 300


class TestTimeout(Exception):
    pass


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise TestTimeout


def _where(exc: BaseException, filename: str) -> str:
    """' (line N)' for the deepest frame in the named file: the candidate's line, or the test's."""
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    return f" (line {lines[-1]})" if lines else ""


def _describe(exc: BaseException, filename: str) -> str:
    if isinstance(exc, TestTimeout):
        return "took too long (over the time limit for one test)"
    if isinstance(exc, MemoryError):
        return "ran out of memory"
    if isinstance(exc, RecursionError):
        return "RecursionError: maximum recursion depth exceeded" + _where(exc, "solution.py")
    text = str(exc).strip() or type(exc).__name__
    if not isinstance(exc, AssertionError):
        text = f"{type(exc).__name__}: {text}" + _where(exc, "solution.py")
    return text[:MESSAGE_CHARS]


def run(spec: dict[str, Any]) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "solution"}
    try:
        exec(compile(spec["code"], "solution.py", "exec"), namespace)  # noqa: S102 - running it is the point
    except SyntaxError as exc:
        return {"error": f"SyntaxError: {exc.msg} (line {exc.lineno})", "tests": []}
    except BaseException as exc:  # the candidate's module-level code may raise anything
        return {"error": _describe(exc, "solution.py"), "tests": []}
    signal.signal(signal.SIGALRM, _on_alarm)
    results = []
    for test in spec["tests"]:
        signal.setitimer(signal.ITIMER_REAL, float(spec["test_seconds"]))
        try:
            exec(compile(test["code"], f"test:{test['name']}", "exec"), dict(namespace))  # noqa: S102
            outcome = {"name": test["name"], "passed": True, "message": ""}
        except BaseException as exc:
            outcome = {"name": test["name"], "passed": False, "message": _describe(exc, "solution.py")}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        results.append(outcome)
    return {"error": None, "tests": results}


def main() -> None:
    spec_path, result_fd = sys.argv[1], int(sys.argv[2])
    with Path(spec_path).open(encoding="utf-8") as handle:
        spec = json.load(handle)
    sys.setrecursionlimit(10_000)
    result = run(spec)
    with os.fdopen(result_fd, "w", encoding="utf-8") as out:
        json.dump(result, out)


if __name__ == "__main__":
    main()
