"""A small in-process sliding-window rate limiter."""

from __future__ import annotations

import time
from collections import deque


class RateLimiter:
    """Allow at most ``limit`` hits per key within ``period`` seconds."""

    def __init__(self, limit: int, period: float = 60.0, max_keys: int = 50_000) -> None:
        self.limit = limit
        self.period = period
        self._hits: dict[str, deque[float]] = {}
        self._max_keys = max_keys

    def hit(self, key: str, now: float | None = None) -> bool:
        """Record a hit; return False if the key is over its limit."""
        now = time.monotonic() if now is None else now
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= self._max_keys:
                self._prune(now)
            hits = self._hits[key] = deque()
        while hits and now - hits[0] > self.period:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True

    def refund(self, key: str) -> None:
        """Give back the latest hit of a key (an attempt that turned out fine)."""
        hits = self._hits.get(key)
        if hits:
            hits.pop()

    def over(self, key: str, now: float | None = None) -> bool:
        """Tell whether the key has used up its limit, without recording a hit."""
        now = time.monotonic() if now is None else now
        hits = self._hits.get(key)
        return hits is not None and sum(1 for h in hits if now - h <= self.period) >= self.limit

    def _prune(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or now - v[-1] > self.period]:
            del self._hits[key]


class Limiters:
    """The server's rate limiters, one owner for all of them."""

    def __init__(self, *, mobile_ip_per_minute: int, tts_ip_per_minute: int = 30,
                 feedback_ip_per_hour: int = 5) -> None:
        self.mobile_ip = RateLimiter(mobile_ip_per_minute)
        self.tts_ip = RateLimiter(tts_ip_per_minute)
        # 「办不成事」 reports are public: a handful an hour per address is plenty for a person.
        self.feedback_ip = RateLimiter(feedback_ip_per_hour, period=3600.0)
