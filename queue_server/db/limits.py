"""Rate limits and socket caps kept in PostgreSQL, so they hold across every process and machine.

A county runs several server processes behind a load balancer: a limit kept in one process would
let a client have as many allowances as there are processes. PostgreSQL is already the one store
every process shares (docs/decisions.md says why not Redis).

- Rate counters use two fixed windows and weigh the previous one by how much of it still falls in
  the sliding period (the approximation nginx and most API gateways use): one upsert a hit.
- Socket places are counted per process in one row per (process, scope, address), refreshed by a
  heartbeat; a process that dies stops counting when its rows go stale. Taking a place locks the
  scope for the transaction (an advisory lock), so two processes never both take the last one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import BigInteger, Column, DateTime, Engine, Integer, String, text
from sqlmodel import Field, SQLModel
from starlette.concurrency import run_in_threadpool

log = logging.getLogger(__name__)
HEARTBEAT = 20.0  # seconds between a process's refreshes of its socket rows
STALE = timedelta(seconds=75)  # a process not heard of for this long has died: its places are free


class RateCounter(SQLModel, table=True):
    """Hits on a key in one fixed window of its period."""

    __tablename__ = "rate_counter"

    key: str = Field(sa_column=Column(String, primary_key=True))
    window: int = Field(sa_column=Column(BigInteger, primary_key=True))
    hits: int = Field(default=0, sa_column=Column(Integer, nullable=False))


class SocketCount(SQLModel, table=True):
    """The sockets one process holds in a scope from one address."""

    __tablename__ = "socket_count"

    worker: str = Field(sa_column=Column(String, primary_key=True))
    scope: str = Field(sa_column=Column(String, primary_key=True))
    ip: str = Field(sa_column=Column(String, primary_key=True))
    n: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    seen_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


_HIT = text("INSERT INTO rate_counter (key, \"window\", hits) VALUES (:k, :w, 1) "
            "ON CONFLICT (key, \"window\") DO UPDATE SET hits = rate_counter.hits + 1 RETURNING hits")
_PREVIOUS = text("SELECT hits FROM rate_counter WHERE key = :k AND \"window\" = :w")
_UNHIT = text("UPDATE rate_counter SET hits = hits - 1 WHERE key = :k AND \"window\" = :w AND hits > 0")
_PRUNE = text("DELETE FROM rate_counter WHERE \"window\" < :w")


class SharedCounters:
    """Sliding-window rate counters in PostgreSQL, shared by every server process."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._pruned = time.monotonic()

    def _hit(self, key: str, limit: int, period: float, now: float) -> bool:
        window = int(now // period)
        into = (now % period) / period  # how far into the current window we are
        full = f"{key}@{period:g}"
        with self._engine.begin() as conn:
            current = int(conn.execute(_HIT, {"k": full, "w": window}).scalar_one())
            previous = conn.execute(_PREVIOUS, {"k": full, "w": window - 1}).scalar()
            estimate = (previous or 0) * (1.0 - into) + current
            if estimate > limit:
                conn.execute(_UNHIT, {"k": full, "w": window})  # a refused hit counts nothing
                return False
        return True

    async def hit(self, key: str, limit: int, period: float) -> bool:
        """Count a hit on a key; return False, counting nothing, when it is over its limit."""
        now = time.time()
        allowed = await run_in_threadpool(self._hit, key, limit, period, now)
        if time.monotonic() - self._pruned > 300:
            self._pruned = time.monotonic()
            await run_in_threadpool(self._prune, now)
        return allowed

    def _refund(self, key: str, period: float, now: float) -> None:
        with self._engine.begin() as conn:
            conn.execute(_UNHIT, {"k": f"{key}@{period:g}", "w": int(now // period)})

    async def refund(self, key: str, period: float) -> None:
        """Give back the latest hit of a key."""
        await run_in_threadpool(self._refund, key, period, time.time())

    def _prune(self, now: float) -> None:
        # Windows older than a day are of no period in use (the longest is an hour).
        with self._engine.begin() as conn:
            conn.execute(_PRUNE, {"w": int(now // 86400) - 2})


_LOCK_SCOPE = text("SELECT pg_advisory_xact_lock(hashtext(:s))")
_COUNTS = text("SELECT COALESCE(SUM(n), 0), COALESCE(SUM(CASE WHEN ip = :ip THEN n ELSE 0 END), 0) "
               "FROM socket_count WHERE scope = :s AND seen_at > :fresh")
_TAKE = text("INSERT INTO socket_count (worker, scope, ip, n, seen_at) VALUES (:w, :s, :ip, 1, :now) "
             "ON CONFLICT (worker, scope, ip) DO UPDATE SET n = socket_count.n + 1, seen_at = :now")
_GIVE = text("UPDATE socket_count SET n = n - 1 WHERE worker = :w AND scope = :s AND ip = :ip AND n > 0")
_BEAT = text("UPDATE socket_count SET seen_at = :now WHERE worker = :w")
_SWEEP = text("DELETE FROM socket_count WHERE n <= 0 OR seen_at < :stale")


class SharedPlaces:
    """Socket places in PostgreSQL: counted over every live process, per address and in total."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.worker = f"{os.uname().nodename}:{os.getpid()}:{secrets.token_hex(3)}"
        self._task: asyncio.Task[None] | None = None

    def _take(self, scope: str, ip: str, total: int, per_ip: int) -> bool:
        now = datetime.now(UTC)
        with self._engine.begin() as conn:
            conn.execute(_LOCK_SCOPE, {"s": scope})
            held, from_ip = conn.execute(_COUNTS, {"s": scope, "ip": ip, "fresh": now - STALE}).one()
            if int(held) >= total or int(from_ip) >= per_ip:
                return False
            conn.execute(_TAKE, {"w": self.worker, "s": scope, "ip": ip, "now": now})
        return True

    async def take(self, scope: str, ip: str, *, total: int, per_ip: int) -> bool:
        """Take a place; False when the scope or the address is at its cap in the whole county."""
        return await run_in_threadpool(self._take, scope, ip, total, per_ip)

    def _give_back(self, scope: str, ip: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(_GIVE, {"w": self.worker, "s": scope, "ip": ip})

    async def give_back(self, scope: str, ip: str) -> None:
        """Free a place."""
        await run_in_threadpool(self._give_back, scope, ip)

    def _beat(self) -> None:
        now = datetime.now(UTC)
        with self._engine.begin() as conn:
            conn.execute(_BEAT, {"w": self.worker, "now": now})
            conn.execute(_SWEEP, {"stale": now - STALE})

    def start(self) -> None:
        """Keep this process's places counted; call inside the event loop."""
        self._task = asyncio.create_task(self._heartbeat())

    async def _heartbeat(self) -> None:
        while True:
            try:
                await run_in_threadpool(self._beat)
            except Exception:
                log.exception("socket places could not be refreshed; will retry")
            await asyncio.sleep(HEARTBEAT)

    async def stop(self) -> None:
        """Stop the heartbeat and free this process's places."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with contextlib.suppress(Exception):
            await run_in_threadpool(self._release)

    def _release(self) -> None:
        with self._engine.begin() as conn:
            conn.execute(text("DELETE FROM socket_count WHERE worker = :w"), {"w": self.worker})
