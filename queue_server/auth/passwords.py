"""Logins: rate limits counted before the check, and argon2 on a small pool of its own threads."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from queue_server.auth import service
from queue_server.auth.models import User
from queue_server.core.errors import RateLimited, Unauthorized
from queue_server.core.limits import Counters
from queue_server.db.uow import Database

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("timing-equaliser")


def _background_cpu() -> None:
    """Make a password thread yield to the hall: lowest priority, and one CPU of the machine's.

    argon2 spreads one check over several threads of its own; they inherit both settings, so a
    flood of logins can never take the cores that issuing and calling run on.
    """
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    with contextlib.suppress(OSError, AttributeError):
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) > 1:
            os.sched_setaffinity(0, {cpus[-1]})  # this thread only (0 = the calling thread)


class LoginGate:
    """Own the password pool and the login limiters; no check ever runs inside a transaction."""

    def __init__(self, db: Database, counters: Counters, *, per_ip: int, per_user: int, workers: int = 1,
                 max_waiting: int = 16, refusal_delay: float = 0.5) -> None:
        self._db = db
        self._counters = counters  # shared by every process of the county on PostgreSQL
        self.per_ip, self.per_user = per_ip, per_user
        # One or two threads: a flood of logins can use at most that much CPU, whatever comes in.
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="password",
                                        initializer=_background_cpu)
        # A refused attempt is answered only after a pause: a flooding client waits instead of
        # making the server answer hundreds of 429s a second. Waiting costs the server nothing.
        self._refusal_delay = refusal_delay
        self._max_waiting = max_waiting
        self._waiting = 0

    async def _on_pool(self, fn: object, *args: str) -> object:
        if self._waiting >= self._max_waiting:
            raise RateLimited("登录请求过多，请稍后再试")
        self._waiting += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)  # type: ignore[arg-type]
        finally:
            self._waiting -= 1

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Tell whether a password matches a hash (a dummy hash for unknown users), off the loop."""
        def check(stored: str, given: str) -> bool:
            try:
                return bool(_hasher.verify(stored, given))
            except (VerificationError, InvalidHashError):
                return False

        return bool(await self._on_pool(check, password_hash or _DUMMY_HASH, password))

    async def hash(self, password: str) -> str:
        """Hash a new password on the pool."""
        return str(await self._on_pool(_hasher.hash, password))

    async def login(self, username: str, password: str, *, ip: str, now: datetime,
                    hours: int) -> tuple[str, User]:
        """Check credentials and open a session; limits count every attempt before the check."""
        user_key = username.casefold()
        # Both limits are charged up front, so a parallel burst cannot pass before a failure is
        # counted, and a fresh username per try still uses up the address's allowance.
        ip_key, name_key = f"login-ip:{ip}", f"login-user:{user_key}"
        if not await self._counters.hit(ip_key, self.per_ip, 60.0):
            await asyncio.sleep(self._refusal_delay)
            raise RateLimited("登录尝试过多，请一分钟后再试")
        if not await self._counters.hit(name_key, self.per_user, 60.0):
            await self._counters.refund(ip_key, 60.0)
            await asyncio.sleep(self._refusal_delay)
            raise RateLimited("该账号登录失败次数过多，请一分钟后再试")
        user = await self._db.read(lambda s: service.find_login(s, username))
        if not await self.verify(user.password_hash if user else None, password) or user is None:
            raise Unauthorized("用户名或密码错误")
        # A successful login gives its attempt back: a busy admin is never locked out.
        await self._counters.refund(ip_key, 60.0)
        await self._counters.refund(name_key, 60.0)
        token = await self._db.write(lambda uow: service.open_session(uow, user, now, hours),
                                     lock=False)
        return token, user

    def close(self) -> None:
        """Stop the pool's threads."""
        self._pool.shutdown(wait=False, cancel_futures=True)
