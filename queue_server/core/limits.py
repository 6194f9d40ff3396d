"""Rate limits and socket caps: counted in this process, or shared by every process of the county."""

from __future__ import annotations

import time
from collections import Counter, deque
from typing import Protocol


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


class Counters(Protocol):
    """Rate counters: in one process, or shared by every process of the county (db/limits.py)."""

    async def hit(self, key: str, limit: int, period: float) -> bool:
        """Count a hit on a key; return False, counting nothing, when it is over its limit."""
        ...

    async def refund(self, key: str, period: float) -> None:
        """Give back the latest hit of a key."""
        ...


class LocalCounters:
    """Sliding-window counters held in this process: enough for one server on SQLite."""

    def __init__(self, max_keys: int = 50_000) -> None:
        self._max_keys = max_keys
        self._limiters: dict[tuple[int, float], RateLimiter] = {}

    def _limiter(self, limit: int, period: float) -> RateLimiter:
        found = self._limiters.get((limit, period))
        if found is None:
            found = self._limiters[(limit, period)] = RateLimiter(limit, period, self._max_keys)
        return found

    async def hit(self, key: str, limit: int, period: float) -> bool:
        """Count a hit on a key; return False when it is over its limit."""
        return self._limiter(limit, period).hit(key)

    async def refund(self, key: str, period: float) -> None:
        """Give back the latest hit of a key."""
        for (_, p), limiter in self._limiters.items():
            if p == period:
                limiter.refund(key)


class Places(Protocol):
    """Places for open sockets, counted in total and per address across whoever shares them."""

    async def take(self, scope: str, ip: str, *, total: int, per_ip: int) -> bool:
        """Take a place; False when the scope or the address is at its cap."""
        ...

    async def give_back(self, scope: str, ip: str) -> None:
        """Free a place."""
        ...


class LocalPlaces:
    """Socket places counted in this process."""

    def __init__(self) -> None:
        self._by_ip: dict[str, Counter[str]] = {}

    async def take(self, scope: str, ip: str, *, total: int, per_ip: int) -> bool:
        """Take a place; False when the scope or the address is at its cap."""
        counts = self._by_ip.setdefault(scope, Counter())
        if sum(counts.values()) >= total or counts[ip] >= per_ip:
            return False
        counts[ip] += 1
        return True

    async def give_back(self, scope: str, ip: str) -> None:
        """Free a place."""
        counts = self._by_ip.get(scope)
        if counts is not None and counts[ip] > 0:
            counts[ip] -= 1
            if counts[ip] <= 0:
                del counts[ip]


class SocketCaps:
    """The caps on one kind of socket: in total and per address, over every process that shares them."""

    def __init__(self, places: Places, scope: str, *, total: int, per_ip: int) -> None:
        self._places, self.scope = places, scope
        self.total, self.per_ip = total, per_ip

    async def take(self, ip: str) -> bool:
        """Take a place for a socket from ip; False when a cap is reached."""
        return await self._places.take(self.scope, ip, total=self.total, per_ip=self.per_ip)

    async def give_back(self, ip: str) -> None:
        """Free a socket's place."""
        await self._places.give_back(self.scope, ip)


class Limiters:
    """A hall's rate limits, counted in the county's shared counters under the hall's own keys."""

    def __init__(self, counters: Counters, hall: str, *, mobile_ip_per_minute: int,
                 tts_ip_per_minute: int = 30, feedback_ip_per_hour: int = 5) -> None:
        self._counters, self._hall = counters, hall
        self._mobile = mobile_ip_per_minute
        self._tts = tts_ip_per_minute
        # 「办不成事」 reports are public: a handful an hour per address is plenty for a person.
        self._feedback = feedback_ip_per_hour

    async def mobile_ip(self, ip: str) -> bool:
        """Count a phone request from an address; False when it is over the hall's limit."""
        return await self._counters.hit(f"{self._hall}:mobile:{ip}", self._mobile, 60.0)

    async def tts_ip(self, ip: str) -> bool:
        """Count a new speech synthesis for an address."""
        return await self._counters.hit(f"{self._hall}:tts:{ip}", self._tts, 60.0)

    async def feedback_ip(self, ip: str) -> bool:
        """Count a 「办不成事」 report from an address."""
        return await self._counters.hit(f"{self._hall}:feedback:{ip}", self._feedback, 3600.0)

    async def refund_feedback(self, ip: str) -> None:
        """Give back a report that was refused for its content."""
        await self._counters.refund(f"{self._hall}:feedback:{ip}", 3600.0)
