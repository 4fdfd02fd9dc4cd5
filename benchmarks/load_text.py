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
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import websockets

QUESTIONS = ["sd-marketplace-recs", "mlf-l1-vs-l2", "code-two-sum", "beh-conflict", "dbg-auc-drop-after-retrain"]
POSTGRES = os.environ.get(
    "MOCKLOOP_TEST_POSTGRES_URL", "postgresql+psycopg://mockloop:mockloop@127.0.0.1:5432/mockloop_test"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "MOCKLOOP_DATABASE_URL": url}
    proc = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"http://{base}/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


async def one_session(base: str, index: int, turns: int, latencies: list[float], errors: list[str]) -> dict[str, str]:
    async with httpx.AsyncClient(timeout=60) as http:
        response = await http.post(f"http://{base}/api/sessions", json={"question_id": QUESTIONS[index % 5]})
        session = response.json()
    url = f"ws://{base}/ws/sessions/{session['id']}?token={session['token']}"
    async with websockets.connect(url, max_size=None, open_timeout=60) as ws:
        while json.loads(await asyncio.wait_for(ws.recv(), 60))["type"] != "reply.done":
            pass
        for turn in range(turns):
            start = time.perf_counter()
            await ws.send(
                json.dumps(
                    {
                        "type": "answer",
                        "text": f"Answer {turn} of session {index}: I would first "
                        "clarify the objective and the constraints, then propose a baseline.",
                    }
                )
            )
            while True:
                event = json.loads(await asyncio.wait_for(ws.recv(), 120))
                if event["type"] == "error":
                    errors.append(event["code"])
                if event["type"] == "reply.done":
                    break
            latencies.append(time.perf_counter() - start)
    return session  # type: ignore[no-any-return]


async def run(base: str, sessions: int, turns: int) -> tuple[list[float], list[str], list[dict[str, str]]]:
    latencies: list[float] = []
    errors: list[str] = []
    results = await asyncio.gather(
        *(one_session(base, i, turns, latencies, errors) for i in range(sessions)), return_exceptions=True
    )
    ok = [r for r in results if isinstance(r, dict)]
    errors += [type(r).__name__ for r in results if not isinstance(r, dict)]
    return latencies, errors, ok


def check(base: str, sessions: list[dict[str, str]], turns: int) -> tuple[int, int]:
    lost = reordered = 0
    with httpx.Client(timeout=60) as http:
        for session in sessions:
            stored = http.get(f"http://{base}/api/sessions/{session['id']}", params={"token": session["token"]}).json()
            answers = [t["text"] for t in stored["turns"] if t["speaker"] == "candidate"]
            numbers = [int(a.split()[1]) for a in answers]
            lost += turns - len(set(numbers))
            reordered += numbers != sorted(numbers)
            speakers = [t["speaker"] for t in stored["turns"]]
            reordered += speakers != ["interviewer", *(["candidate", "interviewer"] * turns)][: len(speakers)]
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
                latencies, errors, ok = asyncio.run(run(base, args.sessions, args.turns))
                wall = time.perf_counter() - began
                lost, reordered = check(base, ok, args.turns)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
            ordered = sorted(latencies)
            p99 = ordered[int(0.99 * (len(ordered) - 1))] if ordered else float("nan")
            print(
                f"{name:8} {args.sessions} sessions x {args.turns} turns, {args.workers} worker(s): "
                f"{len(latencies)} replies in {wall:.0f} s; reply p50 {1000 * statistics.median(latencies):.0f} ms, "
                f"p99 {1000 * p99:.0f} ms; errors {len(errors)}; sessions failed {args.sessions - len(ok)}; "
                f"lost turns {lost}; reordered sessions {reordered}",
                flush=True,
            )


if __name__ == "__main__":
    main()
