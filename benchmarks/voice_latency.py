"""Live voice latency: N clients speak at real time over the WebSocket of a real `mockloop serve`.

    python benchmarks/voice_latency.py [--clients 1 4 8] [--seconds 20]

For each N, every client streams a synthesized answer (espeak-ng) in 100 ms frames at real time,
sends `input.commit` right after its last frame, and records: commit -> transcript.final latency,
the interval between transcript.partial events while speaking, how far the partial transcript
lags behind the speech, and the server's CPU use. The same run repeats with the server in its
naive mode (each turn decoded once, whole, at commit; no partials) and prints the ratios.
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

import itertools

import httpx
import websockets

from benchmarks.speech_data import answer_of_length
from server.launch import start_server

FRAME_SECONDS = 0.1


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_mode(mode: str, db: Path) -> tuple[subprocess.Popen[bytes], str]:
    return start_server({"MOCKLOOP_DATABASE_URL": f"sqlite:///{db}", "MOCKLOOP_STREAM_MODE": mode}, timeout=300)


async def one_client(base: str, index: int, seconds: float, results: list[dict[str, float]]) -> None:
    audio, text = answer_of_length(seconds, offset=index)
    spoken_words = len(text.split())
    words_per_second = spoken_words / (len(audio) / 16000)
    async with httpx.AsyncClient() as http:
        session = (await http.post(f"http://{base}/api/sessions", json={"question_id": "sd-marketplace-recs"})).json()
    url = f"ws://{base}/ws/sessions/{session['id']}?token={session['token']}"
    pcm = (audio.clip(-1, 1) * 32767).astype("<i2").tobytes()
    frame = int(FRAME_SECONDS * 16000) * 2
    partial_times: list[float] = []
    lags: list[float] = []
    async with websockets.connect(url, max_size=None) as ws:
        while json.loads(await ws.recv())["type"] != "reply.done":
            pass
        start = time.perf_counter()

        async def listen() -> dict[str, float]:
            while True:
                event = json.loads(await ws.recv())
                now = time.perf_counter()
                if event["type"] == "transcript.partial":
                    partial_times.append(now)
                    heard = min(now - start, len(audio) / 16000)
                    lags.append(max(0.0, heard - len(event["text"].split()) / words_per_second))
                elif event["type"] == "transcript.final":
                    return {"final_at": now}

        listener = asyncio.create_task(listen())
        for i in range(0, len(pcm), frame):
            await ws.send(pcm[i : i + frame])
            target = start + (i // frame + 1) * FRAME_SECONDS
            await asyncio.sleep(max(0.0, target - time.perf_counter()))
        committed = time.perf_counter()
        await ws.send(json.dumps({"type": "input.commit"}))
        final = await asyncio.wait_for(listener, timeout=120)
    gaps = [b - a for a, b in itertools.pairwise(partial_times)]
    results.append(
        {
            "latency": final["final_at"] - committed,
            "cadence": statistics.median(gaps) if gaps else float("nan"),
            "partials": len(partial_times),
            "lag": statistics.median(lags) if lags else float("nan"),
        }
    )


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]


async def run_round(base: str, clients: int, seconds: float) -> list[dict[str, float]]:
    results: list[dict[str, float]] = []
    await asyncio.gather(*(one_client(base, i, seconds, results) for i in range(clients)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--repeat", type=int, default=3, help="rounds per N (figures pool all rounds)")
    args = parser.parse_args()
    summary: dict[tuple[str, int], dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("chunked", "naive"):
            proc, base = start_mode(mode, Path(tmp) / f"{mode}.db")
            try:
                for n in args.clients:
                    cpu0, wall0 = cpu_seconds(proc.pid), time.perf_counter()
                    results = []
                    for _ in range(args.repeat):
                        results += asyncio.run(run_round(base, n, args.seconds))
                    cpu = (cpu_seconds(proc.pid) - cpu0) / (time.perf_counter() - wall0)
                    latency = [r["latency"] for r in results]
                    cadence = [r["cadence"] for r in results if r["cadence"] == r["cadence"]]
                    lag = [r["lag"] for r in results if r["lag"] == r["lag"]]
                    row = {
                        "p50": statistics.median(latency),
                        "p95": pct(latency, 0.95),
                        "cadence": statistics.median(cadence) if cadence else float("nan"),
                        "lag": statistics.median(lag) if lag else float("nan"),
                        "partials": statistics.mean(r["partials"] for r in results),
                        "cpu": cpu,
                    }
                    summary[(mode, n)] = row
                    print(
                        f"{mode:7} N={n:2}  commit->final p50 {1000 * row['p50']:6.0f} ms  "
                        f"p95 {1000 * row['p95']:6.0f} ms  partial every {row['cadence']:.2f} s "
                        f"({row['partials']:.0f}/answer)  lag {row['lag']:.1f} s  CPU {row['cpu']:.2f} cores",
                        flush=True,
                    )
            finally:
                proc.kill()
                proc.wait()
    print(f"\n{args.seconds:.0f}-second answers; goals: p50 <= 300 ms for one speaker, p95 <= 1 s at 8 speakers")
    for n in args.clients:
        chunked, naive = summary[("chunked", n)], summary[("naive", n)]
        print(
            f"N={n:2}: chunked p50 {1000 * chunked['p50']:.0f} ms vs naive {1000 * naive['p50']:.0f} ms "
            f"(ratio {chunked['p50'] / naive['p50']:.2f}); p95 {1000 * chunked['p95']:.0f} vs "
            f"{1000 * naive['p95']:.0f} ms (ratio {chunked['p95'] / naive['p95']:.2f})"
        )


if __name__ == "__main__":
    main()
