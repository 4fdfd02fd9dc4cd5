"""Text interviews at load: S concurrent sessions x T typed turns over WebSockets on loopback.

    python benchmarks/load_text.py [--sessions 200] [--turns 20] [--workers 1] [--db sqlite|postgres|both]

Starts a real `mockloop serve` (per database), runs every session at once (bounded: each turn
waits for its reply, with a timeout), then reads every session back through the API and checks
that no turn was lost or reordered. Prints reply latency p50/p99, errors, and lost/reordered turns.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import websockets

from server.launch import start_server

QUESTIONS = ["sd-marketplace-recs", "mlf-l1-vs-l2", "code-two-sum", "beh-conflict", "dbg-auc-drop-after-retrain"]
POSTGRES = os.environ.get(
    "MOCKLOOP_TEST_POSTGRES_URL", "postgresql+psycopg://mockloop:mockloop@127.0.0.1:5432/mockloop_test"
)


def start(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    # 200 sessions from one address in seconds: far past what one person starts, so lift the limit.
    env = {"MOCKLOOP_DATABASE_URL": url, "MOCKLOOP_NEW_SESSIONS_PER_MINUTE": "100000"}
    return start_server(env, ["--workers", str(workers)], timeout=300)


async def one_session(
    base: str, index: int, turns: int, latencies: list[float], errors: list[str]
) -> list[tuple[dict[str, str], int]]:
    """One client answering `turns` times; when the interviewer closes a session, it starts the next one."""
    done: list[tuple[dict[str, str], int]] = []
    turn = 0
    async with httpx.AsyncClient(timeout=120) as http:
        while turn < turns:
            response = await http.post(f"http://{base}/api/sessions", json={"question_id": QUESTIONS[index % 5]})
            session = response.json()
            sent = 0
            url = f"ws://{base}/ws/sessions/{session['id']}?token={session['token']}"
            async with websockets.connect(url, max_size=None, open_timeout=120, ping_timeout=None) as ws:
                while json.loads(await asyncio.wait_for(ws.recv(), 120))["type"] != "reply.done":
                    pass
                closed = False
                while turn < turns and not closed:
                    start = time.perf_counter()
                    await ws.send(
                        json.dumps(
                            {
                                "type": "answer",
                                "text": f"Answer {sent} of client {index}: I would "
                                "first clarify the objective and the constraints, then a baseline.",
                            }
                        )
                    )
                    sent += 1
                    turn += 1
                    while True:
                        event = json.loads(await asyncio.wait_for(ws.recv(), 120))
                        if event["type"] == "error":
                            errors.append(event["code"])
                        if event["type"] == "reply.done":
                            latencies.append(time.perf_counter() - start)
                            closed = event["action"] == "close"
                            break
            done.append((session, sent))
    return done


async def run(
    base: str, clients: int, turns: int
) -> tuple[list[float], list[str], list[tuple[dict[str, str], int]], int]:
    latencies: list[float] = []
    errors: list[str] = []
    results = await asyncio.gather(
        *(one_session(base, i, turns, latencies, errors) for i in range(clients)), return_exceptions=True
    )
    sessions = [item for r in results if isinstance(r, list) for item in r]
    failed = [r for r in results if not isinstance(r, list)]
    errors += [f"{type(r).__name__}: {r}"[:120] for r in failed]
    return latencies, errors, sessions, len(failed)


def check(base: str, sessions: list[tuple[dict[str, str], int]]) -> tuple[int, int]:
    """Read every session back: each answer sent must be stored once, in order, each followed by a reply."""
    lost = reordered = 0
    with httpx.Client(timeout=60) as http:
        for session, sent in sessions:
            stored = http.get(f"http://{base}/api/sessions/{session['id']}", params={"token": session["token"]}).json()
            answers = [t["text"] for t in stored["turns"] if t["speaker"] == "candidate"]
            numbers = [int(a.split()[1]) for a in answers]
            lost += sent - len(set(numbers))
            speakers = [t["speaker"] for t in stored["turns"]]
            reordered += numbers != list(range(sent)) or speakers != [
                "interviewer",
                *(["candidate", "interviewer"] * sent),
            ]
    return lost, reordered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        targets = {"sqlite": f"sqlite:///{Path(tmp) / 'load.db'}", "postgres": POSTGRES}
        for name in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
            proc, base = start(targets[name], args.workers)
            try:
                began = time.perf_counter()
                latencies, errors, ok, failed = asyncio.run(run(base, args.sessions, args.turns))
                wall = time.perf_counter() - began
                lost, reordered = check(base, ok)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
            ordered = sorted(latencies)
            p99 = ordered[int(0.99 * (len(ordered) - 1))] if ordered else float("nan")
            print(
                f"{name:8} {args.sessions} clients x {args.turns} turns, {args.workers} worker(s): "
                f"{len(latencies)} replies ({len(ok)} sessions) in {wall:.0f} s; "
                f"reply p50 {1000 * statistics.median(latencies):.0f} ms, "
                f"p99 {1000 * p99:.0f} ms; errors {len(errors)}; clients failed {failed}; "
                f"lost turns {lost}; reordered sessions {reordered}",
                flush=True,
            )
            for error in sorted(set(errors))[:5]:
                print(f"    {error}")


if __name__ == "__main__":
    main()
