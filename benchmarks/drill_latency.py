"""How quickly `mockloop drill` shows its first prompt, and how long an offline reply takes.

    python benchmarks/drill_latency.py [--against DIR]

First prompt: wall time from launching `mockloop drill` until the interviewer's opening line is printed, for a
named question and for a random one of a round (which reads the recent sessions to pick a fresh question),
against a baseline of `mockloop --help` (Python plus the CLI, nothing else) measured in the same run.
First reply: from launch until the reply to a piped first answer, which now also pays for what the first
prompt no longer waits for (the database, the sentence-embedding scorer).
Each run uses a fresh data folder, seeded with one answered drill per checkout, as a user's is after a first
drill (sessions to pick around; the bank's parsed copy, server/cli_bank_cache.py, already written).
--against DIR measures another checkout too (say `git worktree add /tmp/before HEAD~1`), runs interleaved,
so that before and after share the machine's load.
Reply: `InterviewEngine.respond` over a scripted interview once the sentence-embedding model is
loaded, against a baseline engine that does not re-score coverage (what the policy costs alone).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from interviewers.engine import InterviewEngine
from interviewers.personas import persona_for_round
from interviewers.scoring.offline import OfflineScorer
from question_bank.loader import load_bank

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
ANSWER = "I'd keep a hash map from each value to its index and look up target minus the current value."
SCRIPT = [
    "What's the p99 latency budget and how many users do we have?",
    "I'd optimize purchases per session, measured with an A/B test, with recall at K offline.",
    "Training data comes from impressions joined with clicks and purchases; impressions give negatives.",
    "I'm not sure.",
    "I'd use a two-tower retrieval model with an ANN index and a gradient boosted ranker on top.",
    "Features: recent views, price affinity, item embeddings, served from an online feature store.",
    "Serving: retrieval in 20 ms, ranking in 50 ms, then a canary and an A/B test before full rollout.",
    "I'd monitor drift in the inputs and the score distribution, and alert when conversion drops.",
]
# Distinct turns, so that no sentence is served from the embedding cache of an earlier turn.
SCRIPT = [f"{text} That is point {i + 1} of my answer." for i, text in enumerate(SCRIPT * 3)]


def seconds_until(
    checkout: Path, args: list[str], marker: str, env: dict[str, str], *, times: int = 1, answer: str = ""
) -> float:
    """From launch until `marker` has been printed `times` times; `answer` is piped in at once, '/end' after."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "server.cli", *args],
        cwd=checkout,  # `-m` imports the checkout's own packages
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None and proc.stdin is not None
    if answer:
        proc.stdin.write(answer + "\n")
        proc.stdin.flush()
    seen = 0
    for line in proc.stdout:
        seen += marker in line
        if seen >= times:
            break
    elapsed = time.perf_counter() - start
    with contextlib.suppress(BrokenPipeError):  # `--help` may have exited already
        proc.stdin.write("/end\n")
        proc.stdin.close()
    proc.stdout.read()
    proc.wait(timeout=120)
    return elapsed


def startup_figures(checkouts: dict[str, Path]) -> None:
    """Medians over RUNS, each checkout's runs interleaved with the others'."""
    cases = {
        "'mockloop --help' (baseline)": (["--help"], "Usage", 1, ""),
        "first prompt, --question code-two-sum": (["drill", "--question", "code-two-sum"], "Maya:", 1, ""),
        "first prompt, --round coding": (["drill", "--round", "coding"], "Maya:", 1, ""),
        "first reply to a piped answer": (["drill", "--question", "code-two-sum"], "Maya:", 2, ANSWER),
    }
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "MOCKLOOP_DATA_DIR": data, "MOCKLOOP_DATABASE_URL": "", "MOCKLOOP_LLM_MODEL": ""}
        # A database with sessions in it, as a user's would be: --round reads it to pick a fresh question.
        for checkout in checkouts.values():
            seconds_until(checkout, ["drill", "--question", "code-two-sum"], "Saved as", env, answer=f"{ANSWER}\n/end")
        times: dict[tuple[str, str], list[float]] = {(n, c): [] for n in checkouts for c in cases}
        for _ in range(RUNS):
            for case, (args, marker, count, answer) in cases.items():
                for name, checkout in checkouts.items():
                    times[name, case].append(seconds_until(checkout, args, marker, env, times=count, answer=answer))
    for case in cases:
        figures = " · ".join(f"{name} {statistics.median(times[name, case]):.2f} s" for name in checkouts)
        print(f"{case}: median over {RUNS} runs: {figures}")
    for name in checkouts:
        baseline = statistics.median(times[name, "'mockloop --help' (baseline)"])
        first = statistics.median(times[name, "first prompt, --question code-two-sum"])
        print(f"{name}: first prompt {first:.2f} s (goal < 1 s) = {first / baseline:.1f}x 'mockloop --help'")


def reply_times(scorer: OfflineScorer | None) -> list[float]:
    question = load_bank().get("sd-marketplace-recs")
    engine = InterviewEngine(question, persona_for_round(question.round), scorer=scorer, seed=1)
    engine.opening()
    times = []
    for i, text in enumerate(SCRIPT):
        engine.candidate_turn(text)
        start = time.perf_counter()
        engine.respond(elapsed=30.0 * (i + 1))
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="another checkout to measure in the same run (before)")
    options = parser.parse_args()
    checkouts = {"this checkout": ROOT}
    if options.against:
        checkouts["--against"] = options.against.resolve()
    startup_figures(checkouts)
    scorer = OfflineScorer()
    reply_times(scorer)  # warm: imports and the milestones' embeddings (cached per question, as in a session)
    assert scorer.encoder is not None
    scorer.encoder.clear_cache()
    reply_times(None)
    scored = reply_times(scorer)
    plain = reply_times(None)
    for name, times in (("with coverage scoring", scored), ("policy only (baseline)", plain)):
        ordered = sorted(times)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        print(
            f"offline reply, {name}: p50 {1000 * statistics.median(times):.1f} ms, p95 {1000 * p95:.1f} ms, "
            f"max {1000 * max(times):.1f} ms over {len(times)} turns"
        )
    print(
        f"scoring overhead: {statistics.median(scored) / statistics.median(plain):.0f}x the bare policy "
        f"(goal: a reply under 30 ms)"
    )


if __name__ == "__main__":
    main()
