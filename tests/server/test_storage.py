"""Storage on both databases: SQLite (the default) and PostgreSQL (started by scripts/test.sh)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from server.storage import NotFound, StorageError, Store


def postgres_url() -> str:
    url = os.environ.get("MOCKLOOP_TEST_POSTGRES_URL")
    if not url:
        raise RuntimeError(
            "MOCKLOOP_TEST_POSTGRES_URL is not set: run the tests with `bash scripts/test.sh`, which starts PostgreSQL"
        )
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        yield Store(f"sqlite:///{tmp_path / 'store.db'}")
        return
    store = Store(postgres_url())
    SQLModel.metadata.drop_all(store.engine)
    SQLModel.metadata.create_all(store.engine)
    yield store
    store.close()


def test_session_round_trip(store: Store) -> None:
    row, token = store.create_session("mlf-l1-vs-l2", "ml_fundamentals", "arjun", source="web", meta={"loop": None})
    assert row.token_hash != token and store.get(row.id).token_matches(token)
    assert not store.get(row.id).token_matches(token + "x")
    store.add_turn(row.id, "interviewer", "Hello")
    store.add_turn(row.id, "candidate", "L1 gives zeros.", t=3.5, duration=2.0, data={"source": "voice"})
    turns = [t.to_turn() for t in store.turns(row.id)]
    assert turns == [
        {"speaker": "interviewer", "text": "Hello"},
        {"speaker": "candidate", "text": "L1 gives zeros.", "t": 3.5, "duration": 2.0, "source": "voice"},
    ]
    store.finish(row.id, {"score": 50.0})
    ended = store.get(row.id)
    assert ended.status == "ended" and ended.scorecard == {"score": 50.0}
    assert [r.id for r in store.list_sessions()] == [row.id]
    with pytest.raises(NotFound):
        store.get("nope")


def test_concurrent_turns_keep_order_and_lose_nothing(store: Store) -> None:
    rows = [store.create_session("code-two-sum", "coding")[0] for _ in range(4)]

    def talk(session_id: str) -> None:
        for i in range(15):
            store.add_turn(session_id, "candidate", f"answer {i}")

    threads = [threading.Thread(target=talk, args=(r.id,)) for r in rows]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for row in rows:
        turns = store.turns(row.id)
        assert [t.idx for t in turns] == list(range(15))
        assert [t.text for t in turns] == [f"answer {i}" for i in range(15)]


def test_unreachable_database_is_one_line() -> None:
    with pytest.raises(StorageError, match=r"^cannot open the database postgresql\+psycopg://\*\*\*@127\.0\.0\.1:1/"):
        Store("postgresql+psycopg://user:secret@127.0.0.1:1/nothing?connect_timeout=2")


def test_api_session_survives_a_restart_on_postgres() -> None:
    """The live API over PostgreSQL: answer, restart the app, resume, end with a stored scorecard."""
    from fastapi.testclient import TestClient

    from question_bank.loader import load_bank
    from server.app import create_app
    from server.services import Services
    from server.settings import get_settings

    def app() -> TestClient:
        return TestClient(create_app(Services(settings=get_settings(), store=Store(postgres_url()), bank=load_bank())))

    fresh = Store(postgres_url())
    SQLModel.metadata.drop_all(fresh.engine)
    fresh.close()
    with app() as client:
        session = client.post("/api/sessions", json={"question_id": "dbg-auc-drop-after-retrain"}).json()
        url = f"/ws/sessions/{session['id']}?token={session['token']}"
        with client.websocket_connect(url) as ws:
            while ws.receive_json()["type"] != "reply.done":
                pass
            ws.send_json({"type": "answer", "text": "What changed in the training data pipeline?"})
            while ws.receive_json()["type"] != "reply.done":
                pass
    with app() as client, client.websocket_connect(url) as ws:
        ready = ws.receive_json()
        assert [t["speaker"] for t in ready["turns"]] == ["interviewer", "candidate", "interviewer"]
        ws.send_json({"type": "session.end"})
        card = ws.receive_json()
        while card["type"] != "scorecard":
            card = ws.receive_json()
        stored = client.get(f"/api/sessions/{session['id']}", params={"token": session["token"]}).json()
        assert stored["status"] == "ended" and stored["scorecard"]["score"] == card["score"]


def test_schema_version_is_recorded_and_newer_databases_are_refused(tmp_path: Path) -> None:
    from sqlmodel import Session

    from server.storage import SCHEMA_VERSION, SchemaVersion

    url = f"sqlite:///{tmp_path / 'versions.db'}"
    store = Store(url)
    row, _ = store.create_session("code-two-sum", "coding")
    with Session(store.engine) as db:
        assert db.get(SchemaVersion, 1).version == SCHEMA_VERSION  # type: ignore[union-attr]
        db.merge(SchemaVersion(id=1, version=SCHEMA_VERSION + 1))
        db.commit()
    store.close()
    with pytest.raises(StorageError, match="newer than this mockloop"):
        Store(url)
    with Session(store.engine) as db:
        db.merge(SchemaVersion(id=1, version=SCHEMA_VERSION))
        db.commit()
    assert Store(url).get(row.id).question_id == "code-two-sum"  # reopening keeps old sessions
