"""Logins cached per token for a short time, checked against the auth epoch on every request."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from queue_server.auth.service import Login, Principal, resolve, token_hash
from queue_server.db.engine import read_session

EPOCH_SQL = "SELECT value FROM auth_epoch WHERE id = 1"
LOCAL_BUSY_MS = 50  # how long the epoch read waits for a locked SQLite database


@dataclass(frozen=True)
class _Entry:
    login: Login
    epoch: int
    cached_at: float  # time.monotonic()


class AuthCache:
    """Answer "who is this token?" from memory while nothing was revoked since it was looked up.

    Every revocation (logout, a disabled user, a new password, a revoked device) raises the
    auth epoch in its own transaction, from this process, another worker or the `hall` command
    line alike. A cached login is used only while the epoch read now is the one read before it
    was looked up, so a revocation is refused on the very next request. Reading one integer
    costs far less than loading a session and its user through the ORM.
    """

    def __init__(self, engine: Engine, clock: Callable[[], datetime], *, seconds: float,
                 max_entries: int = 10_000) -> None:
        self._engine = engine
        self._clock = clock
        self._seconds = seconds
        self._max = max_entries
        self._entries: dict[str, _Entry] = {}
        self._local = engine.dialect.name == "sqlite"
        self._lock = threading.Lock()
        self._conn: Any = None
        self._conn_lock = threading.Lock()

    def cached(self, token: str) -> Principal | None:
        """Return a cached login still valid, checked without blocking; None means "look it up".

        Only where the epoch is a local read (SQLite: one indexed row of a file on this machine,
        under a short busy timeout), so the event loop may do it instead of handing the request
        to a worker thread, which costs more than the read.
        """
        if not self._local or self._seconds <= 0:
            return None
        entry = self._entries.get(token)
        if entry is None or not self._fresh(entry, self._clock()):
            return None
        return entry.login.principal if self._epoch() == entry.epoch else None

    def principal(self, token: str) -> Principal | None:
        """Return who a bearer token stands for (None when nobody); blocking, for a worker thread."""
        now = self._clock()
        epoch = self._epoch() if self._seconds > 0 else None
        entry = self._entries.get(token)  # keyed by the token itself: no hashing on a hit
        if entry is not None and epoch is not None and entry.epoch == epoch and self._fresh(entry, now):
            return entry.login.principal
        with read_session(self._engine) as session:
            login = resolve(session, token_hash(token), now)
        if login is None:
            self._entries.pop(token, None)
            return None
        if epoch is not None:
            # The epoch was read before the lookup: a revocation committed in between raised it,
            # so this entry is never used.
            with self._lock:
                if len(self._entries) >= self._max:
                    self._entries.clear()  # simplest bound; a busy hall has a few dozen tokens
                self._entries[token] = _Entry(login, epoch, time.monotonic())
        return login.principal

    def _fresh(self, entry: _Entry, now: datetime) -> bool:
        """Tell whether a cached login is young enough and its session has not expired."""
        return (time.monotonic() - entry.cached_at < self._seconds
                and (entry.login.expires_at is None or entry.login.expires_at > now))

    def close(self) -> None:
        """Close the connection the epoch is read through."""
        with self._conn_lock:
            self._drop()

    def _epoch(self) -> int | None:
        # One driver-level connection of its own, in autocommit mode, read under a lock: a
        # pooled session would cost more than the read. Any failure means "not known": the
        # login is then looked up in full, which reports a database that is down.
        with self._conn_lock:
            try:
                if self._conn is None:
                    self._conn = self._connect()
                cursor = self._conn.cursor()
                try:
                    cursor.execute(EPOCH_SQL)
                    row = cursor.fetchone()
                finally:
                    cursor.close()
            except Exception:
                self._drop()
                return None
        return int(row[0]) if row is not None else None

    def _connect(self) -> Any:
        raw = self._engine.raw_connection()
        raw.detach()  # never returned to the pool: it would leave autocommit on there
        driver: Any = raw.dbapi_connection
        if self._engine.dialect.name == "postgresql":
            driver.autocommit = True  # each read sees the latest commit
        else:
            # Already in autocommit mode (db.engine takes over BEGIN). A short busy timeout: the
            # event loop reads through it, and a database that stays locked is looked up in full.
            driver.execute(f"PRAGMA busy_timeout = {LOCAL_BUSY_MS}")
        return raw

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None
