"""The first prompt waits for nothing it does not use: no SQLAlchemy, no embedding model, no litellm.

Not a timed test (benchmarks/drill_latency.py measures the seconds): it checks which modules are loaded
when the drill first reads an answer, that is once the opening is on screen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from server.cli_deferred import Deferred, preload, recent_question_ids
from server.storage import StorageError, Store

HEAVY = ("sqlalchemy", "sqlmodel", "litellm", "onnxruntime", "tokenizers", "torch", "sentence_transformers")
PROBE = """
import io, json, sys
from server.cli import main

class Answers(io.StringIO):
    # The drill reads its first answer only after printing the opening: note what is loaded by then.
    def __next__(self):
        if not hasattr(self, "loaded"):
            self.loaded = sorted(m for m in HEAVY if m in sys.modules)
            print("LOADED " + json.dumps(self.loaded), file=sys.stderr)
        return super().__next__()

HEAVY = {heavy!r}
sys.stdin = Answers({answers!r})
sys.exit(main(sys.argv[1:]))
"""


def probe(data: Path, *args: str, answers: str = "I'd keep a hash map of values.\n/end\n") -> list[str]:
    env = {**os.environ, "MOCKLOOP_DATA_DIR": str(data), "MOCKLOOP_DATABASE_URL": "", "MOCKLOOP_LLM_MODEL": ""}
    code = PROBE.format(heavy=HEAVY, answers=answers)
    result = subprocess.run(
        [sys.executable, "-c", code, "drill", *args], capture_output=True, text=True, env=env, timeout=180
    )
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if line.startswith("LOADED "))
    loaded: list[str] = json.loads(line.removeprefix("LOADED "))
    assert "Saved as" in result.stdout  # what was deferred did load, afterwards
    return loaded


def test_the_first_prompt_loads_nothing_heavy(tmp_path: Path) -> None:
    assert probe(tmp_path, "--question", "code-two-sum") == []
    # With sessions saved, a random question still avoids the recent ones without SQLAlchemy.
    assert probe(tmp_path, "--round", "coding") == []


def test_recent_questions_read_without_sqlalchemy_match_the_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    assert recent_question_ids(url, 30) == []  # no database yet, and none is created
    assert not (tmp_path / "db.sqlite").exists()
    store = Store(url)
    for question in ("code-two-sum", "mlf-l1-vs-l2", "code-3sum", "code-two-sum"):
        store.create_session(question, "coding")
    expected = [row.question_id for row in store.list_sessions(limit=3)]
    assert recent_question_ids(url, 3) == expected
    assert recent_question_ids("postgresql://db/mockloop", 3) is None  # the caller asks the Store
    (tmp_path / "other.sqlite").write_bytes(b"not a database at all, just bytes" * 100)
    assert recent_question_ids(f"sqlite:///{tmp_path / 'other.sqlite'}", 3) is None


def test_deferred_loads_once_in_whichever_thread_comes_first() -> None:
    calls: list[int] = []

    def load() -> int:
        calls.append(1)
        return 42

    value, other = Deferred(load), Deferred(lambda: 7)
    preload(value, other)
    assert value.get() == 42 and value.get() == 42 and other.get() == 7
    assert calls == [1]
    assert Deferred(lambda: 8).get() == 8  # never preloaded: loads in the asking thread


def test_a_failed_load_is_raised_in_the_asking_thread() -> None:
    def broken() -> int:
        raise StorageError("cannot open the database sqlite:///nowhere: unable to open database file")

    failing = Deferred(broken)
    preload(failing)
    with pytest.raises(StorageError, match="cannot open the database"):
        failing.get()
    with pytest.raises(StorageError):  # and again: it is not retried behind the caller's back
        failing.get()
