"""A coding answer's runs: what a submission's tests said, kept on its transcript turn, read by policy and scorecard.

A turn that carries code (`code` in its data) gets, once run, `tests` (the public form of §3/§5:
counts, and failures with hidden tests by number only) and `tests_detail` (every outcome with its
name, kept server-side: the interviewer asks about a failing hidden case by what it covers, and the
review shows it after the session).
"""

from __future__ import annotations

from typing import Any

from interviewers.code_runner import RunResult, SandboxUnavailable, run_code, unavailable_reason
from interviewers.scorecard import Evidence, MilestoneResult
from question_bank.schema import Question


def run_submission(question: Question, code: str) -> RunResult | None:
    """Run code against the question's tests; None when the question has none."""
    if not question.tests:
        return None
    return run_code(code, question.tests)


def turn_data(result: RunResult) -> dict[str, Any]:
    detail = [{"name": o.name, "passed": o.passed, "message": o.message, "hidden": o.hidden} for o in result.outcomes]
    return {"tests": result.to_json(), "tests_detail": detail}


def _extra(turn: Any) -> dict[str, Any]:
    if isinstance(turn, dict):
        return turn
    extra = getattr(turn, "model_extra", None)
    return extra if isinstance(extra, dict) else {}


def _speaker(turn: Any) -> str:
    return str(turn.get("speaker") if isinstance(turn, dict) else getattr(turn, "speaker", ""))


def last_code(turns: list[Any]) -> tuple[int, str, dict[str, Any]] | None:
    """(turn index, code, turn data) of the last candidate turn that submitted code."""
    for index in range(len(turns) - 1, -1, -1):
        data = _extra(turns[index])
        if _speaker(turns[index]) == "candidate" and isinstance(data.get("code"), str) and data["code"].strip():
            return index, data["code"], data
    return None


def scorecard_tests(question: Question, turns: list[Any]) -> tuple[dict[str, Any] | None, str | None]:
    """The scorecard's `tests` for the last code submitted, and a note when they could not be run.

    A run recorded on the turn is used as is; code imported without one is run now, when a sandbox is here.
    """
    if not question.tests:
        return None, None
    submitted = last_code(turns)
    if submitted is None:
        return {"passed": 0, "total": len(question.tests), "failures": []}, None
    _, code, data = submitted
    if isinstance(data.get("tests"), dict):
        return data["tests"], None
    reason = unavailable_reason()
    if reason is not None:
        return None, f"the tests were not run: {reason}"
    try:
        result = run_code(code, question.tests)
    except SandboxUnavailable as exc:
        return None, f"the tests were not run: {exc}"
    return result.to_json(), None


def apply_tests(
    question: Question, results: list[MilestoneResult], tests: dict[str, Any] | None, turns: list[Any]
) -> list[MilestoneResult]:
    """Milestones marked `tested` follow the tests: no code, no credit; working code is the evidence."""
    tested = {m.id for m in question.milestones if m.tested}
    if not tested or tests is None or not tests.get("total"):
        return results
    submitted = last_code(turns)
    passed, total = int(tests.get("passed", 0)), int(tests["total"])
    if submitted is None or passed * 2 < total:
        status, evidence = "missed", []
    else:
        index, code, _ = submitted
        text = str(turns[index].get("text") if isinstance(turns[index], dict) else turns[index].text)
        line = next((ln for ln in code.splitlines() if ln.strip() and ln.strip() in text), code.strip())
        status = "met" if passed == total else "partial"
        evidence = [Evidence(turn=index, quote=line.strip())] if line.strip() in text else []
    why = f"{passed} of {total} tests pass on the last code submitted" if submitted else "no code was submitted"
    out = []
    for result in results:
        if result.id in tested:
            result = MilestoneResult(id=result.id, status=status if evidence else "missed", evidence=evidence, why=why)
        out.append(result)
    return out
