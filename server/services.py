"""What the running server shares between requests: settings, storage, the bank, the models."""

from __future__ import annotations

import asyncio
import threading
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from interviewers.llm import Breaker
from question_bank.loader import Bank
from server import limits
from server.settings import Settings
from server.storage import Store

if TYPE_CHECKING:
    from interviewers.llm import LLMClient
    from interviewers.models import Models
    from interviewers.scoring.offline import OfflineScorer
    from server.speech.queue import DecodeQueue


@dataclass
class Services:
    settings: Settings
    store: Store
    bank: Bank
    decoder: DecodeQueue | None = None
    _scorer: OfflineScorer | None = None
    _scorer_lock: threading.Lock = field(default_factory=threading.Lock)
    # One breaker per server: once the provider fails, every session's turns skip it for a while.
    breaker: Breaker = field(default_factory=Breaker)
    # Candidate code runs at once across all sessions: each takes a CPU for up to its limit.
    code_runs: threading.BoundedSemaphore = field(default_factory=lambda: threading.BoundedSemaphore(4))

    # One lock per session across its sockets in this process, so their turns are written one at a time;
    # it goes when the last socket does.
    _session_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = field(default_factory=weakref.WeakValueDictionary)
    # The socket that owns each live session here: a newer one takes over and the older is closed.
    owners: dict[str, Any] = field(default_factory=dict)

    new_sessions: limits.PerClient = field(init=False)
    progress_queries: limits.PerClient = field(init=False)

    def __post_init__(self) -> None:
        self.new_sessions = limits.PerClient.per_minute(self.settings.new_sessions_per_minute)
        self.progress_queries = limits.PerClient.per_minute(self.settings.progress_per_minute)

    def session_lock(self, session_id: str) -> asyncio.Lock:
        lock = self._session_locks.get(session_id)
        if lock is None:
            lock = asyncio.Lock()
            self._session_locks[session_id] = lock
        return lock

    def load_scorer_in_background(self) -> None:
        threading.Thread(target=self.scorer, name="scorer-loader", daemon=True).start()

    def scorer(self) -> OfflineScorer:
        """The shared offline scorer, loaded once (blocks while loading: call from a worker thread)."""
        with self._scorer_lock:
            if self._scorer is None:
                from interviewers.scoring.offline import OfflineScorer

                self._scorer = OfflineScorer()
            return self._scorer

    @property
    def models(self) -> Models:
        """The LLM client and judge, as drill and score build them, sharing this server's breaker."""
        from interviewers.models import Models

        settings = self.settings
        return Models(settings.llm_model or None, dict(settings.llm_extra), settings.llm_turn_timeout, self.breaker)

    def llm(self) -> LLMClient | None:
        return self.models.llm()
