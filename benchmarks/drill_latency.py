"""How quickly `mockloop drill` shows its first prompt, and how long an offline reply takes.

    python benchmarks/drill_latency.py

First prompt: wall time from launching `mockloop drill --question ...` until the interviewer's
opening line is printed, against a baseline of `mockloop --help` (Python plus the CLI, nothing else).
Reply: `InterviewEngine.respond` over a scripted interview once the sentence-embedding model is
loaded, against a baseline engine that does not re-score coverage (what the policy costs alone).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from interviewers.engine import InterviewEngine
from interviewers.personas import persona_for_round
from interviewers.scoring.offline import OfflineScorer
from question_bank.loader import load_bank

CLI = [sys.executable, "-m", "server.cli"]
RUNS = 5
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


def first_prompt_seconds(args: list[str], marker: str) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*CLI, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert proc.stdout is not None and proc.stdin is not None
    for line in proc.stdout:
        if marker in line:
            break
    elapsed = time.perf_counter() - start
    proc.stdin.write("/end\n")
    proc.stdin.close()
    proc.wait(timeout=60)
    return elapsed


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
    baseline = statistics.median(first_prompt_seconds(["--help"], "Usage") for _ in range(RUNS))
    first = statistics.median(
        first_prompt_seconds(["drill", "--question", "code-two-sum"], "Maya") for _ in range(RUNS)
    )
    print(
        f"first prompt: median {first:.2f} s over {RUNS} runs (goal < 1 s); "
        f"'mockloop --help' baseline {baseline:.2f} s; ratio {first / baseline:.1f}x"
    )
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
