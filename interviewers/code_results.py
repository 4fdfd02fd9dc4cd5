"""A coding answer's runs: what a submission's tests said, kept on its transcript turn, read by policy and scorecard.

A turn that carries code (`code` in its data) gets, once run, `tests` (the public form of §3/§5:
counts, and failures with hidden tests by number only) and `tests_detail` (every outcome with its
name, kept server-side: the interviewer asks about a failing hidden case by what it covers, and the
review shows it after the session).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from interviewers.code_runner import RunResult, SandboxUnavailable, run_code, unavailable_reason
from interviewers.scorecard import Evidence, MilestoneResult, turn_extra
from interviewers.scoring.text import content_stems
from question_bank.schema import Milestone, Question


def turn_data(result: RunResult) -> dict[str, Any]:
    detail = [{"name": o.name, "passed": o.passed, "message": o.message, "hidden": o.hidden} for o in result.outcomes]
    return {"tests": result.to_json(), "tests_detail": detail}


def _speaker(turn: Any) -> str:
    return str(turn.get("speaker") if isinstance(turn, dict) else getattr(turn, "speaker", ""))


def _text(turn: Any) -> str:
    return str(turn.get("text") if isinstance(turn, dict) else getattr(turn, "text", ""))


def last_code(turns: list[Any]) -> tuple[int, str, dict[str, Any]] | None:
    """(turn index, code, turn data) of the last candidate turn that submitted code."""
    for index in range(len(turns) - 1, -1, -1):
        data = turn_extra(turns[index])
        if _speaker(turns[index]) == "candidate" and isinstance(data.get("code"), str) and data["code"].strip():
            return index, data["code"], data
    return None


@dataclass
class CodeVerdict:
    """What the code of a transcript adds to its scorecard."""

    results: list[MilestoneResult]  # the milestone results, the `tested` ones following the tests
    tests: dict[str, Any] | None = None  # the scorecard's `tests` (§3); None when the question has none
    notes: list[str] = field(default_factory=list)


def code_verdict(question: Question, results: list[MilestoneResult], turns: list[Any]) -> CodeVerdict:
    """The tests of the last code submitted, and the milestones they decide: no code, no credit.

    A run recorded on the turn is used as is; code imported without one is run now, when a sandbox is here.
    """
    if not question.tests:
        return CodeVerdict(results)
    submitted = last_code(turns)
    if submitted is None:
        tests: dict[str, Any] = {"passed": 0, "total": len(question.tests), "failures": []}
        return CodeVerdict(_follow(question, results, tests, None, turns), tests)
    _, code, data = submitted
    if isinstance(data.get("tests"), dict):
        tests = data["tests"]
    else:
        reason = unavailable_reason()
        if reason is not None:
            return CodeVerdict(results, None, [f"the tests were not run: {reason}"])
        try:
            tests = run_code(code, question.tests).to_json()
        except SandboxUnavailable as exc:
            return CodeVerdict(results, None, [f"the tests were not run: {exc}"])
    return CodeVerdict(_follow(question, results, tests, submitted, turns), tests)


def _follow(
    question: Question,
    results: list[MilestoneResult],
    tests: dict[str, Any],
    submitted: tuple[int, str, dict[str, Any]] | None,
    turns: list[Any],
) -> list[MilestoneResult]:
    """Milestones marked `tested`: all pass met, half partial, else missed; a line of the code is the evidence."""
    tested = {m.id for m in question.milestones if m.tested}
    if not tested:
        return results
    passed, total = int(tests.get("passed", 0)), int(tests.get("total", 0))
    lines: list[str] = []
    if submitted is not None and total and passed * 2 >= total:
        index, code, _ = submitted
        text = _text(turns[index])
        lines = [ln.strip() for ln in code.splitlines() if ln.strip() and ln.strip() in text]
    status = ("met" if passed == total else "partial") if lines else "missed"
    why = f"{passed} of {total} tests pass on the last code submitted" if submitted else "no code was submitted"
    out = []
    for r in results:
        if r.id not in tested:
            out.append(r)
            continue
        line = _telling_line(question.milestone(r.id), lines)
        evidence = [Evidence(turn=submitted[0], quote=line)] if line and submitted else []
        out.append(MilestoneResult(id=r.id, status=status, evidence=evidence, why=why))
    return out


def _telling_line(milestone: Milestone, lines: list[str]) -> str | None:
    """The line of code that says most about the milestone (shares most of its words, then the longest), rather
    than the first: "class Node:" is no evidence of handling edge cases, "if key in self.map:" is some."""
    if not lines:
        return None
    topic = set(content_stems(" ".join([milestone.text, *milestone.cues])))
    return max(lines, key=lambda ln: (len(topic & set(content_stems(ln))), not _is_header(ln), len(ln)))


def _is_header(line: str) -> bool:
    return line.startswith(("class ", "def ", "import ", "from ", "@"))
