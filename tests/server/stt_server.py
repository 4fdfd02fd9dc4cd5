"""A real OpenAI-compatible speech server for the remote-decoder tests: faster-whisper-server from PyPI.

It is installed into its own virtual environment (cached per version under ~/.cache/mockloop-test-stt,
so only the first run pays for the install) and started on a free port with the bundled tiny.en folder:
a local path, so it never downloads weights. Its config mirrors the local decoder's options.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np

from server.speech.models import bundled_model_dir
from server.speech.remote import wav_bytes
from server.speech.transcriber import SAMPLE_RATE

PACKAGE, VERSION = "faster-whisper-server", "0.0.3"
CACHE = Path.home() / ".cache" / "mockloop-test-stt"


class ServerUnavailable(Exception):
    """The server could not be installed (no registry) or started; the tests that need it skip with this."""


def installed_server() -> Path:
    """The server's console script, installing it into the cached venv when missing."""
    venv = CACHE / f"{PACKAGE}-{VERSION}"
    script = venv / "bin" / PACKAGE
    done = venv / ".installed"  # written last: a half-finished install is redone, not trusted
    if done.exists() and script.exists():
        return script
    shutil.rmtree(venv, ignore_errors=True)
    uv = Path(sys.executable).parent / "uv"
    if uv.exists():  # uv reuses its wheel cache: seconds instead of a minute
        steps = [
            [str(uv), "venv", "-q", "-p", sys.executable, str(venv)],
            [str(uv), "pip", "install", "-q", "--python", str(venv / "bin" / "python"), f"{PACKAGE}=={VERSION}"],
        ]
    else:
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", f"{PACKAGE}=={VERSION}"],
        ]
    for step in steps:
        run = subprocess.run(step, capture_output=True, text=True, timeout=600)
        if run.returncode != 0:
            tail = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["no output"]
            raise ServerUnavailable(f"cannot install {PACKAGE}=={VERSION}: {tail[0]}")
    done.write_text(VERSION)
    return script


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SpeechServer:
    """One faster-whisper-server process serving the bundled tiny.en as `whisper-1`."""

    def __init__(self, script: Path, folder: Path, port: int | None = None) -> None:
        self.script = script
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.config = folder / "stt.yaml"
        # In config mode the server picks the model by the request's form field, which it reads as
        # `model_name` (not OpenAI's `model`), so every request gets the default name: the entry is `whisper-1`.
        self.config.write_text(
            "models:\n"
            "  - name: whisper-1\n"
            f"    path: {bundled_model_dir()}\n"
            "    model_options: {device: cpu, compute_type: int8, cpu_threads: 1, local_files_only: true}\n"
            "    transcribe_options: {beam_size: 1, condition_on_previous_text: false, vad_filter: false}\n"
        )
        self.log = folder / f"stt-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, wait: float = 60.0) -> SpeechServer:
        env = dict(os.environ, HF_HUB_OFFLINE="1")  # belt and braces: the model is a local folder anyway
        args = [str(self.script), "--config", str(self.config), "--host", "127.0.0.1", "--port", str(self.port)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerUnavailable(f"{PACKAGE} exited: {self.log.read_text()[-300:]}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self._warmed()
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise ServerUnavailable(f"{PACKAGE} did not answer /health in {wait:.0f} s")

    def _warmed(self) -> SpeechServer:
        """The server loads its model on the first request: pay for that here, not in a timed chunk."""
        silence = wav_bytes(np.zeros(SAMPLE_RATE, dtype=np.float32))
        httpx.post(f"{self.url}/v1/audio/transcriptions", files={"file": ("w.wav", silence)}, timeout=60)
        return self

    def kill(self) -> None:
        """As a crashed pool node: no goodbye, the connections just drop."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
