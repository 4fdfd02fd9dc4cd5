"""The database goes away under a running server, then comes back: clear errors, no crash, nothing lost.

The test runs its own PostgreSQL cluster (Debian's binaries, a throwaway data directory) so it can
stop it hard without disturbing the database the other tests share.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from server.launch import free_port, start_server
from tests.server.test_faults import next_event


@dataclass
class Cluster:
    bin: Path
    root: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://mockloop@127.0.0.1:{self.port}/postgres"

    def run(self, *args: str) -> None:
        # PostgreSQL refuses to run as root: as root, run it as the postgres user.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        data, log = str(self.root / "data"), str(self.root / "log")
        self.run(str(self.bin / "pg_ctl"), "-D", data, "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")


def postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    assert found, "PostgreSQL's server binaries are missing: scripts/test.sh installs the postgresql package"
    return found[-1].parent


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    root = Path(tempfile.mkdtemp(prefix="mockloop-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    pg = Cluster(postgres_bin(), root, free_port())
    pg.run(str(pg.bin / "initdb"), "-D", str(root / "data"), "-U", "mockloop", "--auth=trust", "--no-sync")
    pg.start()
    yield pg
    with contextlib.suppress(subprocess.CalledProcessError):
        pg.stop()
    shutil.rmtree(root, ignore_errors=True)


def test_database_outage_gives_clear_errors_and_the_server_recovers(cluster: Cluster, tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with log.open("w") as sink:
        server, address = start_server({"MOCKLOOP_DATABASE_URL": cluster.url}, output=sink)
    base = f"http://{address}"
    try:
        session = httpx.post(f"{base}/api/sessions", json={"question_id": "beh-conflict"}).json()
        url = f"ws://{address}/ws/sessions/{session['id']}?token={session['token']}"
        auth = {"token": session["token"]}
        answer = "I disagreed with our tech lead about the rollout and we ran a two-week test."
        with connect(url) as ws:
            next_event(ws, "reply.done")
            ws.send(json.dumps({"type": "answer", "text": answer}))
            next_event(ws, "reply.done")

            cluster.stop()

            # The live connection: the answer that could not be saved comes back to be sent again.
            retry = "The test showed a 4% lift, so we shipped it to everyone."
            ws.send(json.dumps({"type": "answer", "text": retry}))
            error = next_event(ws, "error")
            assert error["code"] == "storage_unavailable" and error["text"] == retry
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=10)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1013

        # Every other way in: one clear line, status 503, and the process keeps running.
        health = httpx.get(f"{base}/healthz")
        assert health.status_code == 503 and health.json()["status"] == "unavailable"
        for response in (
            httpx.get(f"{base}/api/sessions/{session['id']}", params=auth),
            httpx.post(f"{base}/api/sessions", json={}),
        ):
            assert response.status_code == 503
            detail = response.json()["detail"]
            assert detail.startswith("the database is unavailable: cannot ") and "\n" not in detail
        page = httpx.get(f"{base}/sessions/{session['id']}", params=auth, headers={"Accept": "text/html"})
        assert page.status_code == 503 and "Nothing you said has been lost" in page.text
        with connect(url) as ws:
            assert next_event(ws, "error")["code"] == "storage_unavailable"
        assert server.poll() is None

        cluster.start()
        deadline = time.monotonic() + 30
        while httpx.get(f"{base}/healthz").status_code != 200:
            assert time.monotonic() < deadline, "the server did not recover when the database came back"
            time.sleep(0.5)
        with connect(url) as ws:
            ready = next_event(ws, "session.ready")
            assert [t["speaker"] for t in ready["turns"]] == ["interviewer", "candidate", "interviewer"]
            ws.send(json.dumps({"type": "answer", "text": retry}))
            assert next_event(ws, "answer.saved")["turn"] == 3
            assert next_event(ws, "reply.done")["turn"] == 4
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert "the database is unavailable" in text  # the operator sees what happened...
    assert "Traceback" not in text  # ...as one line per failure, not a stack dump
