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
