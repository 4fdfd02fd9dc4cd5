"""`mockloop drill` in a real pseudo-terminal: the prompt, the clock toolbar, multi-line answers, /hint, /code, /end."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect

PROMPT = "you ›"
REPLY = r"Maya(\x1b\[0m)?: "  # the interviewer's name before each line
CPR = r"\x1b\[6n"  # prompt_toolkit asks where the cursor is, as a real terminal would answer


def wait_for(child: pexpect.spawn, pattern: str) -> None:
    """Expect `pattern`, answering cursor-position queries on the way as a terminal emulator does."""
    while child.expect([pattern, CPR]) == 1:
        child.send("\x1b[20;1R")


def test_interactive_drill_in_a_terminal(tmp_path: Path) -> None:
    env = {**os.environ, "MOCKLOOP_DATA_DIR": str(tmp_path), "MOCKLOOP_DATABASE_URL": "", "TERM": "xterm-256color"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "server.cli", "drill", "--question", "code-two-sum"],
        env=env,
        encoding="utf-8",
        dimensions=(40, 120),
        timeout=60,
    )
    try:
        wait_for(child, "positions in the array")
        wait_for(child, PROMPT)
        wait_for(child, r"00:0\d / 30:00")  # the live clock in the toolbar
        # Alt+Enter starts a new line inside one answer; Enter sends it.
        child.send("Is the input sorted?")
        child.send("\x1b\r")
        child.send("And can values repeat?\r")
        wait_for(child, "not sorted")  # the interviewer answers from the question's facts
        wait_for(child, PROMPT)
        child.send("/hint\r")
        wait_for(child, REPLY)
        wait_for(child, PROMPT)
        child.send("/code\r")
        wait_for(child, "finish with a line containing only /done")
        child.send("def two_sum(nums, target):\r    seen = {}\r/done\r")
        wait_for(child, REPLY)
        wait_for(child, PROMPT)
        child.send("/end\r")
        wait_for(child, r"Saved as ([0-9a-f]+)")
        session_id = child.match.group(1)
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0, child.before
    review = subprocess.run(
        [sys.executable, "-m", "server.cli", "review", session_id, "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    doc = json.loads(review.stdout)
    answers = [t for t in doc["turns"] if t["speaker"] == "candidate"]
    assert answers[0]["text"] == "Is the input sorted?\nAnd can values repeat?"
    assert answers[1]["code"] == "def two_sum(nums, target):\n    seen = {}"
    actions = [t["decision"]["action"] for t in doc["turns"] if t["speaker"] == "interviewer"]
    assert actions[1] == "answer_fact" and "hint" in actions and actions[-1] == "close"
    assert doc["status"] == "ended" and re.fullmatch(r"\d+(\.\d+)?", str(doc["scorecard"]["score"]))


ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]|\x1b[()][0-9A-B]|\x1b[=>]")
NARROW = 64


def spawn(env: dict[str, str], *args: str, columns: int = 120) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "server.cli", *args],
        env=env,
        encoding="utf-8",
        dimensions=(40, columns),
        timeout=90,
    )


def terminal_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "MOCKLOOP_DATA_DIR": str(tmp_path), "MOCKLOOP_DATABASE_URL": "", "TERM": "xterm-256color"}


def screen_lines(raw: str) -> list[str]:
    """What a terminal shows of `raw`, line by line, without colours and cursor moves."""
    return [ANSI.sub("", line).rstrip() for line in raw.replace("\r\n", "\n").split("\n")]


def assert_wrapped(lines: list[str], texts: list[str]) -> None:
    """Every line fits the terminal, and every text is there whole: cut only between words."""
    assert all(len(line) <= NARROW for line in lines), [line for line in lines if len(line) > NARROW]
    flowing = " ".join(" ".join(lines).split())
    for text in texts:
        assert " ".join(text.split()) in flowing, text


def test_eof_at_the_first_prompt_saves_nothing(tmp_path: Path) -> None:
    env = terminal_env(tmp_path)
    child = spawn(env, "drill", "--question", "code-two-sum")
    try:
        wait_for(child, PROMPT)
        child.sendeof()  # Ctrl-D
        wait_for(child, "No answer was given, so code-two-sum was not saved.")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    listed = subprocess.run(
        [sys.executable, "-m", "server.cli", "review", "--json"], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(listed.stdout) == []


def test_a_narrow_terminal_wraps_the_scorecard_and_listings_at_word_boundaries(tmp_path: Path) -> None:
    from question_bank.loader import load_bank

    env = terminal_env(tmp_path)
    milestones = [m.text for m in load_bank().get("code-two-sum").milestones]
    assert any(len(text) > NARROW for text in milestones)
    child = spawn(env, "drill", "--question", "two-sum", columns=NARROW)
    try:
        wait_for(child, PROMPT)
        child.send("I'd keep a hash map from each value to its index and look up target minus x first.\r")
        wait_for(child, REPLY)
        wait_for(child, PROMPT)
        child.send("/end\r")
        wait_for(child, r"Score \d+")
        child.expect(pexpect.EOF)
        scorecard = screen_lines(child.before)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    assert_wrapped(scorecard, milestones)
    session_id = re.search(r"Saved as ([0-9a-f]+)", " ".join(scorecard))
    assert session_id is not None

    # `review ID`, `review` and `bank list` in the same narrow terminal; ids are never split.
    for args, texts, ids in (
        (["review", session_id.group(1)], milestones, []),
        (["review"], [], [session_id.group(1), "code-two-sum"]),
        (["bank", "list", "--round", "coding"], [], ["code-two-sum", "code-number-of-islands"]),
    ):
        child = spawn(env, *args, columns=NARROW)
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0, args
        lines = screen_lines(child.before)
        assert_wrapped(lines, texts)
        assert all(any(i in line for line in lines) for i in ids), lines
