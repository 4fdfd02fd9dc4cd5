"""What the drill's first prompt does not wait for.

Importing SQLAlchemy costs about 1 s here and the sentence-embedding scorer more; neither is needed to show
the interviewer's opening line, so both load after it (benchmarks/drill_latency.py measures the difference).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Deferred(Generic[T]):
    """A value loaded once: by the first thread that asks for it, or by `preload` in the background.

    `get` waits for it and raises what loading raised, in the caller's thread: a StorageError there is
    still turned into one line by the CLI, as if it had been loaded in place.
    """

    def __init__(self, load: Callable[[], T]) -> None:
        self._load = load
        self._value: T | None = None
        self._error: BaseException | None = None
        self._claimed = False
        self._lock = threading.Lock()
        self._done = threading.Event()

    def load_here(self) -> None:
        """Load the value in this thread, unless another thread has begun to."""
        with self._lock:
            if self._claimed:
                return
            self._claimed = True
        try:
            self._value = self._load()
        except BaseException as exc:  # handed to the thread that asks for the value, raised there
            self._error = exc
        finally:
            self._done.set()

    def get(self) -> T:
        self.load_here()
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value


def preload(*values: Deferred[Any]) -> None:
    """Load `values` one after the other in a background thread. One thread, not one each: two threads
    importing large packages at once mostly wait for each other (the GIL, the import locks)."""

    def load_all() -> None:
        for value in values:
            value.load_here()

    # A daemon: a candidate who quits at once should not wait for a model nobody will use.
    threading.Thread(target=load_all, name="drill-preload", daemon=True).start()


def recent_question_ids(url: str, limit: int) -> list[str] | None:
    """The questions of the last `limit` sessions, newest first, read with the standard library's sqlite3.

    Picking a fresh question must not wait for SQLAlchemy. None when `url` is not a SQLite file that can be
    read this way (another database, an older layout): the caller then asks the Store.
    """
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == "sqlite:///:memory:":
        return None
    file = Path(url[len(prefix) :])
    if not file.exists():
        return []  # no session yet; the Store creates the file with the first one
    try:
        # Read-only: this must never create or change the database the Store owns.
        with contextlib.closing(sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True, timeout=5)) as db:
            rows = db.execute("SELECT question_id FROM sessions ORDER BY created_at DESC LIMIT ?", (limit,))
            return [str(row[0]) for row in rows]
    except sqlite3.Error:
        return None
