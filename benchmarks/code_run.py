"""Running candidate code: `code.run` → `code.result` over a real server, alone and with 10 sessions at once.

    python benchmarks/code_run.py

1. A typical solution (two-sum, the reference solution) run over the WebSocket: time from sending
   `code.run` to receiving `code.result` (goal: under 1 s here).
2. Ten sessions each running code at once, while an eleventh session answers in text: that session's
   reply latency, against the same session's latency with nothing running (the baseline of this run;
   goal: delayed by under 1 s).
3. Each hostile program (an infinite loop, a fork bomb, 20 GB, /etc/shadow, a socket, the parent, 1 GB of
   output) run in one session while another answers: its one-line failure and the other's reply latency.
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
# Hostile programs, and a word of the one-line failure each must get (tests/interviewers/test_sandbox.py).
HOSTILE = {
    "an infinite loop": ("while True:\n    pass\n", "CPU"),
    "a fork bomb": ("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n", "ran"),
    "a 20 GB allocation": ("block = bytearray(20 * 1024**3)\n", "memory"),
    "reading /etc/shadow": ("print(open('/etc/shadow').read())\n", "No such file"),
    "opening a socket": ("import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=2)\n", "unreachable"),
    "signalling its parent": ("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n", "not permitted"),
    "printing 1 GB": ("import sys\nfor _ in range(1024):\n    sys.stdout.write('x' * 1024 * 1024)\n", "large"),
}


async def _open(address: str, question: str) -> Any:
    async with httpx.AsyncClient() as client:
        session = (await client.post(f"http://{address}/api/sessions", json={"question_id": question})).json()
    url = f"ws://{address}/ws/sessions/{session['id']}?token={session['token']}"
    ws = await websockets.connect(url, ping_interval=None)  # idle while others run: no keepalive to miss
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
    for name, (code, _) in HOSTILE.items():
        attacker = await _open(address, "code-two-sum")
        await attacker.send(json.dumps({"type": "code", "language": "python", "text": code}))
        await attacker.send(json.dumps({"type": "code.run"}))
        await asyncio.sleep(0.3)
        listener = await _open(address, "mlf-l1-vs-l2")  # a fresh interview, so it does not run out of questions
        during = [await _reply_latency(listener, a) for a in answers]
        await listener.close()
        result = await _until(attacker, "code.result")
        print(f"  {name:22} -> {result.get('error', '')[:60]!r:64} another session's reply {max(during):.2f} s max")
        await attacker.close()
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
