"""Logins cached per token for a short time, checked against the auth epoch on every request."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, text
from sqlmodel import Session

from queue_server.auth.service import Login, Principal, resolve, token_hash


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
        self._lock = threading.Lock()

    def principal(self, token: str) -> Principal | None:
        """Return who a bearer token stands for (None when nobody); blocking, for a worker thread."""
        digest = token_hash(token)
        now = self._clock()
        epoch = self._epoch() if self._seconds > 0 else None
        entry = self._entries.get(digest)
        if (entry is not None and epoch is not None and entry.epoch == epoch
                and time.monotonic() - entry.cached_at < self._seconds
                and (entry.login.expires_at is None or entry.login.expires_at > now)):
            return entry.login.principal
        with Session(self._engine, expire_on_commit=False) as session:
            login = resolve(session, digest, now)
        if login is None:
            self._entries.pop(digest, None)
            return None
        if epoch is not None:
            # The epoch was read before the lookup: a revocation committed in between raised it,
            # so this entry is never used.
            with self._lock:
                if len(self._entries) >= self._max:
                    self._entries.clear()  # simplest bound; a busy hall has a few dozen tokens
                self._entries[digest] = _Entry(login, epoch, time.monotonic())
        return login.principal

    def _epoch(self) -> int | None:
        with self._engine.connect() as conn:
            row = conn.execute(text("SELECT value FROM auth_epoch WHERE id = 1")).first()
        return int(row[0]) if row is not None else None
