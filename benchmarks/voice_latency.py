"""Live voice latency: N clients speak at real time over the WebSocket of a real `mockloop serve`.

    python benchmarks/voice_latency.py [--clients 1 4 8 16] [--seconds 20] [--batch 4]

For each N, every client streams a synthesized answer (espeak-ng) in 100 ms frames at real time,
sends `input.commit` right after its last frame, and records: commit -> transcript.final latency,
the interval between transcript.partial events while speaking, how far the partial transcript
lags behind the speech, and the server's CPU use. One server per mode runs through the whole run, and
each N is measured on every mode in turn, so the machine's other load hits the modes alike; each row
shows the 1-minute load average just before it (the previous row's own work included). The modes:

- chunked: the live path as configured by default (one Whisper call per chunk);
- batched: the same with MOCKLOOP_WHISPER_BATCH=--batch (sessions' chunks decoded together);
- fit: batched, and each batch padded to its longest chunk instead of 30 s (MOCKLOOP_WHISPER_PAD=fit);
- naive: each turn decoded once, whole, at commit; no partials (the baseline).
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
MODES = ("chunked", "batched", "fit", "naive")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def mode_env(mode: str, batch: int) -> dict[str, str]:
    """A mode's server settings. Each mode sets all three, so the comparison holds whatever the defaults become."""
    return {
        "MOCKLOOP_STREAM_MODE": "naive" if mode == "naive" else "chunked",
        "MOCKLOOP_WHISPER_BATCH": str(batch if mode in ("batched", "fit") else 1),
        "MOCKLOOP_WHISPER_PAD": "fit" if mode == "fit" else "window",
    }


def start_mode(mode: str, batch: int, db: Path) -> tuple[subprocess.Popen[bytes], str]:
    env = {"MOCKLOOP_DATABASE_URL": f"sqlite:///{db}", **mode_env(mode, batch)}
    return start_server(env, timeout=300)


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
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 8, 16])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--repeat", type=int, default=3, help="rounds per N (figures pool all rounds)")
    parser.add_argument("--batch", type=int, default=4, help="MOCKLOOP_WHISPER_BATCH of the batched modes")
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    args = parser.parse_args()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(
        f"clients {args.clients}, {args.seconds:.0f}-second answers, {args.repeat} round(s) per N, "
        f"batch {args.batch}, modes {' '.join(args.modes)}; {os.cpu_count()} cores, load average {load}",
        flush=True,
    )
    summary: dict[tuple[str, int], dict[str, float]] = {}
    servers: dict[str, tuple[subprocess.Popen[bytes], str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for mode in args.modes:
                servers[mode] = start_mode(mode, args.batch, Path(tmp) / f"{mode}.db")
            # Modes take turns within each N, so a change in the machine's other load hits them alike.
            for n in args.clients:
                for mode in args.modes:
                    proc, base = servers[mode]
                    row = summary[(mode, n)] = measure(proc.pid, base, n, args.seconds, args.repeat)
                    print(
                        f"{mode:7} N={n:2}  commit->final p50 {1000 * row['p50']:6.0f} ms  "
                        f"p95 {1000 * row['p95']:6.0f} ms  partial every {row['cadence']:.2f} s "
                        f"({row['partials']:.0f}/answer)  lag {row['lag']:.1f} s  CPU {row['cpu']:.2f} cores  "
                        f"load {row['load']:.2f}",
                        flush=True,
                    )
        finally:
            for proc, _base in servers.values():
                proc.kill()
                proc.wait()
    print(f"\n{args.seconds:.0f}-second answers; goals: p50 <= 300 ms for one speaker, p95 <= 1 s at 8 speakers")
    table(summary, args.modes, args.clients)
    print(f"load average after: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")


def measure(pid: int, base: str, clients: int, seconds: float, repeat: int) -> dict[str, float]:
    """One N on one server: `repeat` rounds of `clients` speakers, pooled."""
    load = float(Path("/proc/loadavg").read_text().split()[0])  # the 1-minute load just before
    cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
    results: list[dict[str, float]] = []
    for _ in range(repeat):
        results += asyncio.run(run_round(base, clients, seconds))
    cpu = (cpu_seconds(pid) - cpu0) / (time.perf_counter() - wall0)
    latency = [r["latency"] for r in results]
    cadence = [r["cadence"] for r in results if r["cadence"] == r["cadence"]]
    lag = [r["lag"] for r in results if r["lag"] == r["lag"]]
    return {
        "p50": statistics.median(latency),
        "p95": pct(latency, 0.95),
        "cadence": statistics.median(cadence) if cadence else float("nan"),
        "lag": statistics.median(lag) if lag else float("nan"),
        "partials": statistics.mean(r["partials"] for r in results),
        "cpu": cpu,
        "load": load,
    }


def table(summary: dict[tuple[str, int], dict[str, float]], modes: list[str], clients: list[int]) -> None:
    print(
        f"{'N':>3} {'mode':8} {'final p50':>10} {'final p95':>10} {'partial every':>14} {'partials':>9} "
        f"{'lag':>6} {'CPU':>6} {'load':>5}"
    )
    for n in clients:
        for mode in modes:
            row = summary[(mode, n)]
            print(
                f"{n:3} {mode:8} {1000 * row['p50']:8.0f}ms {1000 * row['p95']:8.0f}ms {row['cadence']:12.2f} s "
                f"{row['partials']:9.0f} {row['lag']:5.1f}s {row['cpu']:6.2f} {row['load']:5.2f}"
            )


if __name__ == "__main__":
    main()
