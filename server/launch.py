"""Start a real `mockloop serve` in a child process on a free loopback port (for tests and benchmarks)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from typing import IO

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    env: dict[str, str],
    extra: list[str] | None = None,
    output: IO[str] | None = None,
    timeout: float = 120.0,
    port: int | None = None,
) -> tuple[subprocess.Popen[bytes], str]:
    """(process, "127.0.0.1:PORT") once /healthz answers; `env` adds to this process's environment."""
    port = port or free_port()
    sink = output if output is not None else subprocess.DEVNULL
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter running our own CLI
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port), *(extra or [])],
        env={**os.environ, **env},
        stdout=sink,
        stderr=subprocess.STDOUT if output else sink,
    )
    address = f"127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            if httpx.get(f"http://{address}/healthz", timeout=1).status_code == 200:
                return proc, address
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"mockloop serve did not start (exit code {proc.poll()})")
