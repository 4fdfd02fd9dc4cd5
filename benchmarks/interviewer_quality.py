"""Does the interviewer listen? Scripted candidates on every shipped question; the rates a demanding candidate feels.

    python benchmarks/interviewer_quality.py                 # offline interviewer, every question
    python benchmarks/interviewer_quality.py --model M       # the LLM understands and words (needs a provider)
    python benchmarks/interviewer_quality.py --examples 5    # also print misses

Figures are printed for the tuning half of the bank (thresholds were chosen on it) and the report
half (never tuned on) separately; see benchmarks/interviewer_harness.py for what is counted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.interviewer_harness import Harness, Report, load_scripts, tuning_half
from interviewers.llm import LLMClient
from interviewers.scoring.offline import OfflineScorer
from question_bank.loader import load_bank


def print_report(name: str, report: Report, examples: int) -> None:
    ordered = report.ordered()
    print(f"\n== {name}: {len(report.scores)} questions, {report.lines} interviewer lines in scripted runs")
    rows = [
        ("clarifying questions answered with their fact", f"{report.clarify.rate:.2f}", f"{report.clarify.total}"),
        ("... answered with another fact", f"{report.wrong_fact.hits}", f"{report.wrong_fact.total}"),
        ("misconceptions challenged", f"{report.challenged.rate:.2f}", f"{report.challenged.total}"),
        ("hint requests given a hint", f"{report.hint_requests.rate:.2f}", f"{report.hint_requests.total}"),
        ("covered milestones / probes asked again", f"{len(report.asked_again)}", ""),
        ("false stuck or hostile readings", f"{len(report.false_triggers)}", ""),
        ("challenges of correct answers", f"{len(report.false_challenges)}", ""),
        ("fact specifics said before reveal", f"{len(report.leaks)}", ""),
        ("strong scored above vague, buzzword, wrong", f"{ordered.rate:.2f}", f"{ordered.total}"),
    ]
    for label, value, n in rows:
        print(f"  {label:46} {value:>6} {('of ' + n) if n else ''}")
    by_kind: dict[str, list[float]] = {}
    for scores in report.scores.values():
        for kind, score in scores.items():
            by_kind.setdefault(kind, []).append(score)
    print("  mean score: " + ", ".join(f"{k} {statistics.mean(v):.1f}" for k, v in by_kind.items()))
    if examples:
        for title, items in (
            ("clarify misses", report.clarify.misses),
            ("challenge misses", report.challenged.misses),
            ("asked again", report.asked_again),
            ("false triggers", report.false_triggers),
            ("false challenges", report.false_challenges),
            ("leaks", report.leaks),
            ("ordering misses", ordered.misses),
        ):
            for item in items[:examples]:
                print(f"    {title}: {item}")


def print_summary(name: str, report: Report) -> None:
    ordered = report.ordered()
    print(
        f"  {name:10} {len(report.scores):2} questions: clarifying {report.clarify.rate:.2f} of {report.clarify.total},"
        f" misconceptions {report.challenged.rate:.2f} of {report.challenged.total},"
        f" asked again {len(report.asked_again)}, false triggers {len(report.false_triggers)},"
        f" leaks {len(report.leaks)}, correct challenged {len(report.false_challenges)},"
        f" ordering {ordered.rate:.2f} of {ordered.total}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a litellm model string: the LLM understands each turn and words the reply")
    parser.add_argument("--examples", type=int, default=0, help="print this many misses of each kind")
    parser.add_argument("--only", nargs="*", help="question ids")
    args = parser.parse_args()
    bank, scripts = load_bank(), load_scripts()
    harness = Harness(bank, OfflineScorer(), LLMClient(args.model) if args.model else None)
    ids = args.only or sorted(scripts)
    started = time.perf_counter()
    # Issue #17 asks that the questions on LLMs get the same rates as the rest: each half is run in two parts,
    # by topic, and the parts are added up both ways.
    parts = {
        (half, llm): harness.run(scripts, part)
        for half in (True, False)
        for llm in (True, False)
        if (part := [i for i in ids if tuning_half(i) == half and ("llm" in bank.get(i).tags) == llm])
    }
    for name, half in (("tuning half", True), ("report half (not tuned on)", False)):
        if reports := [r for (h, _), r in parts.items() if h == half]:
            print_report(name, sum(reports[1:], reports[0]), args.examples)
    topics = (("tagged llm", True), ("the rest", False))
    by_topic = {name: [r for (_, t), r in parts.items() if t == llm] for name, llm in topics}
    if all(by_topic.values()):
        print("\n== both halves, by topic: the questions tagged llm against the rest")
        for name, reports in by_topic.items():
            print_summary(name, sum(reports[1:], reports[0]))
    print(f"\n{len(ids)} questions in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
