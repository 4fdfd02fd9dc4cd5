"""Limits: token buckets for message rates per session and for requests per client address; a cap on turns."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

TEXT_PER_SECOND, TEXT_BURST = 10.0, 40  # JSON frames: typing, code snapshots, pings
MAX_CLIENTS = 10_000
# Audio is metered in seconds of speech: up to 3x real time, with a minute of catch-up after a stall.
AUDIO_SECONDS_PER_SECOND, AUDIO_BURST_SECONDS = 3.0, 60
MAX_CANDIDATE_TURNS = 400


@dataclass
class TokenBucket:
    rate: float
    burst: int
    tokens: float = field(init=False)
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = float(self.burst)

    def take(self, cost: float = 1.0) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= cost:
            self.tokens -= cost
            return True
        return False


@dataclass
class PerClient:
    """One token bucket per client address, the oldest forgotten past MAX_CLIENTS: new sessions (a person
    starts a few an hour; a script would fill the disk) and progress queries (each reads every session the
    browser holds)."""

    rate: float
    burst: int
    buckets: dict[str, TokenBucket] = field(default_factory=dict)

    @classmethod
    def per_minute(cls, count: int) -> PerClient:
        return cls(count / 60.0, count)

    def take(self, client: str) -> bool:
        bucket = self.buckets.pop(client, None) or TokenBucket(self.rate, self.burst)
        self.buckets[client] = bucket  # most recent last
        while len(self.buckets) > MAX_CLIENTS:
            del self.buckets[next(iter(self.buckets))]
        return bucket.take()
