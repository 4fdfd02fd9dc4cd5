"""Running candidate code: `code.run` → `code.result` over a real server, alone and with 10 sessions at once.

    python benchmarks/code_run.py

1. A typical solution (two-sum, the reference solution) run over the WebSocket: time from sending
   `code.run` to receiving `code.result` (goal: under 1 s here).
2. Ten sessions each running code at once, while an eleventh session answers in text: that session's
   reply latency, against the same session's latency with nothing running (the baseline of this run;
   goal: delayed by under 1 s).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.launch import start_server

REFERENCE = (Path(__file__).resolve().parent.parent / "question_bank" / "solutions" / "code-two-sum.py").read_text()
RUNS = 5
SESSIONS = 10


async def _open(address: str, question: str) -> Any:
    async with httpx.AsyncClient() as client:
        session = (await client.post(f"http://{address}/api/sessions", json={"question_id": question})).json()
    ws = await websockets.connect(f"ws://{address}/ws/sessions/{session['id']}?token={session['token']}")
    await _until(ws, "reply.done")
    return ws


async def _until(ws: Any, kind: str) -> dict[str, Any]:
    while True:
        event = json.loads(await ws.recv())
        if event["type"] == kind:
            return event  # type: ignore[no-any-return]


async def _run_once(ws: Any) -> float:
    await ws.send(json.dumps({"type": "code", "language": "python", "text": REFERENCE}))
    start = time.perf_counter()
    await ws.send(json.dumps({"type": "code.run"}))
    result = await _until(ws, "code.result")
    seconds = time.perf_counter() - start
    assert result["passed"] == result["total"], result
    await _until(ws, "reply.done")
    return seconds


async def _reply_latency(ws: Any, text: str) -> float:
    start = time.perf_counter()
    await ws.send(json.dumps({"type": "answer", "text": text}))
    await _until(ws, "reply.done")
    return time.perf_counter() - start


async def measure(address: str) -> None:
    coder = await _open(address, "code-two-sum")
    single = [await _run_once(coder) for _ in range(RUNS)]
    print(
        f"code.run -> code.result, typical solution: median {statistics.median(single):.2f} s, "
        f"max {max(single):.2f} s over {RUNS} runs (goal < 1 s)"
    )

    talker = await _open(address, "mlf-l1-vs-l2")
    answers = [
        "L1 adds the absolute values of the weights to the loss and L2 adds their squares.",
        "L1 has a constant gradient near zero, so small weights go exactly to zero.",
        "With correlated features L1 tends to keep one of them and drop the rest.",
    ]
    baseline = [await _reply_latency(talker, a) for a in answers]
    coders = [await _open(address, "code-two-sum") for _ in range(SESSIONS)]
    busy = asyncio.gather(*(_run_once(ws) for ws in coders))
    await asyncio.sleep(0.05)
    loaded = [await _reply_latency(talker, a + " Again, to be sure.") for a in answers]
    runs = await busy
    print(
        f"{SESSIONS} sessions running code at once: each run {statistics.median(runs):.2f} s median, "
        f"{max(runs):.2f} s max"
    )
    delay = statistics.median(loaded) - statistics.median(baseline)
    print(
        f"another session's reply: {statistics.median(baseline):.2f} s alone, {statistics.median(loaded):.2f} s "
        f"during the runs (delayed {delay:+.2f} s; goal < 1 s)"
    )
    for ws in [coder, talker, *coders]:
        await ws.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        proc, address = start_server({"MOCKLOOP_DATABASE_URL": f"sqlite:///{folder}/bench.db"})
        try:
            asyncio.run(measure(address))
        finally:
            proc.kill()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
