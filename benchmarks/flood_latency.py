"""A healthy session's reply latency while another client floods the server (issue #15).

    python benchmarks/flood_latency.py [--turns 12]

Starts a real `mockloop serve`, then measures one typed session's reply latency (answer sent ->
`reply.done`) on its own (the baseline, same run), and again while another client floods:
  bodies    64 KiB+ POST bodies, as fast as it can (refused at the edge)
  sockets   WebSockets opened on fresh sessions and left idle
  progress  /api/progress with 500 session keys each (rate-limited per address)
  audio     three sessions streaming speech-like noise at the audio limit
Prints p50/p95 per condition and the ratio to the baseline. The goal: p95 under 500 ms in every flood.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import numpy as np
import websockets

from server.launch import start_server

QUESTION = "sd-marketplace-recs"
ANSWER = "I would first clarify the objective and the latency budget, then build a popularity baseline."


async def new_session(base: str) -> dict[str, str]:
    async with httpx.AsyncClient(timeout=60) as http:
        response = await http.post(f"http://{base}/api/sessions", json={"question_id": QUESTION})
    session: dict[str, str] = response.json()
    return session


async def healthy(base: str, session: dict[str, str], turns: int) -> list[float]:
    """One candidate answering `turns` times; the seconds from each answer to the reply."""
    latencies: list[float] = []
    url = f"ws://{base}/ws/sessions/{session['id']}?token={session['token']}"
    async with websockets.connect(url, open_timeout=60, ping_timeout=None) as ws:
        while json.loads(await asyncio.wait_for(ws.recv(), 60))["type"] != "reply.done":
            pass
        for i in range(turns):
            started = time.perf_counter()
            await ws.send(json.dumps({"type": "answer", "text": f"{ANSWER} (point {i})"}))
            while json.loads(await asyncio.wait_for(ws.recv(), 60))["type"] != "reply.done":
                pass
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(0.3)  # a person reads the reply
    return latencies


async def flood_bodies(base: str, stop: asyncio.Event) -> None:
    body = json.dumps({"persona": "x" * 70_000})
    async with httpx.AsyncClient(timeout=30) as http:
        while not stop.is_set():
            with contextlib.suppress(httpx.HTTPError):
                await http.post(
                    f"http://{base}/api/sessions", content=body, headers={"content-type": "application/json"}
                )


async def flood_sockets(base: str, stop: asyncio.Event) -> None:
    opened = []
    async with httpx.AsyncClient(timeout=30) as http:
        while not stop.is_set() and len(opened) < 200:
            response = await http.post(f"http://{base}/api/sessions", json={"question_id": QUESTION})
            if response.status_code != 201:
                await asyncio.sleep(0.5)  # the per-address session limit: the flood is throttled here
                continue
            session = response.json()
            url = f"ws://{base}/ws/sessions/{session['id']}?token={session['token']}"
            with contextlib.suppress(Exception):
                opened.append(await websockets.connect(url, open_timeout=30, ping_timeout=None))
    await stop.wait()
    for ws in opened:
        with contextlib.suppress(Exception):
            await ws.close()


async def flood_progress(base: str, stop: asyncio.Event) -> None:
    keys = [{"id": f"{i:012x}", "token": "t" * 32} for i in range(500)]
    async with httpx.AsyncClient(timeout=30) as http:
        while not stop.is_set():
            with contextlib.suppress(httpx.HTTPError):
                await http.post(f"http://{base}/api/progress", json={"sessions": keys})


async def flood_audio(base: str, stop: asyncio.Event) -> None:
    async def stream(index: int) -> None:
        rng = np.random.default_rng(index)
        session = await new_session(base)
        url = f"ws://{base}/ws/sessions/{session['id']}?token={session['token']}"
        async with websockets.connect(url, open_timeout=30, ping_timeout=None, max_size=None) as ws:
            while not stop.is_set():
                # Loud noise bursts with pauses: speech to the VAD, so chunks are cut and decoded.
                frame = (rng.normal(0, 0.3, 1600) * 32767).clip(-32768, 32767).astype("<i2").tobytes()
                for _ in range(10):
                    await ws.send(frame)
                await ws.send(bytes(3200 * 3))
                await asyncio.sleep(0.12)  # about 3x real time, the per-session audio limit

    await asyncio.gather(*(stream(i) for i in range(3)), return_exceptions=True)


async def measure(base: str, turns: int, flood: Callable[[str, asyncio.Event], Awaitable[None]] | None) -> list[float]:
    # Opened before the flood: the flood shares this machine's address, and the per-address limit on new
    # sessions would refuse the healthy client too (a real one has its own address).
    session = await new_session(base)
    stop = asyncio.Event()
    task = asyncio.create_task(flood(base, stop)) if flood else None
    if task:
        await asyncio.sleep(2.0)  # let the flood build up
    try:
        return await healthy(base, session, turns)
    finally:
        stop.set()
        if task:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, 30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=12)
    args = parser.parse_args()
    floods: dict[str, Callable[[str, asyncio.Event], Awaitable[None]] | None] = {
        "none (baseline)": None,
        "bodies": flood_bodies,
        "sockets": flood_sockets,
        "progress": flood_progress,
        "audio": flood_audio,
    }
    with tempfile.TemporaryDirectory() as folder:
        proc, base = start_server({"MOCKLOOP_DATABASE_URL": f"sqlite:///{folder}/flood.db"}, timeout=300)
        try:
            asyncio.run(measure(base, 3, None))  # warm up: the scorer loads on first use
            baseline = 0.0
            print(f"{'flood':16} {'p50 ms':>8} {'p95 ms':>8} {'x baseline p95':>15}")
            for name, flood in floods.items():
                latencies = asyncio.run(measure(base, args.turns, flood))
                p50 = statistics.median(latencies) * 1000
                p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
                baseline = baseline or p95
                print(f"{name:16} {p50:8.0f} {p95:8.0f} {p95 / baseline:15.2f}")
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
