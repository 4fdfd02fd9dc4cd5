"""`python -m question_bank [--strict] PATH...`: validate question files without the CLI."""

from __future__ import annotations

import sys
from pathlib import Path

from question_bank.errors import BankError
from question_bank.loader import load_paths
from question_bank.quality import quality_problems


def main(argv: list[str]) -> int:
    strict = "--strict" in argv
    paths = [Path(a) for a in argv if a != "--strict"]
    try:
        bank = load_paths(paths)
    except BankError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    failures = 0
    if strict:
        for qid, question in bank.questions.items():
            for shortfall in quality_problems(question):
                print(f"{bank.sources[qid].name}: {shortfall}", file=sys.stderr)
                failures += 1
    print(f"{len(bank)} questions checked, {failures} quality problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
