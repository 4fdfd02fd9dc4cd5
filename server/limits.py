"""Per-session limits: a token bucket for message rates, a cap on turns."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

TEXT_PER_SECOND, TEXT_BURST = 10.0, 40  # JSON frames: typing, code snapshots, pings
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
