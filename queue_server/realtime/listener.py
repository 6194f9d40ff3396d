"""Hear of events other server processes commit, through PostgreSQL LISTEN/NOTIFY."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import Engine

from queue_server.db.eventlog import NOTIFY_CHANNEL, last_seq_in
from queue_server.realtime.hub import Hub

log = logging.getLogger(__name__)


class EventListener:
    """Feed the hub the seq of every event another process commits; reconnect when cut off."""

    def __init__(self, engine: Engine, hall_code: str, hub: Hub) -> None:
        self._engine = engine
        self._hall = hall_code
        self._hub = hub
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start listening; call inside the event loop."""
        self._task = asyncio.create_task(self._listen())

    async def stop(self) -> None:
        """Stop listening."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _listen(self) -> None:
        import psycopg

        url = self._engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    # Anything committed while we were not listening is read from the log.
                    await self._hub.notify(last_seq_in(self._engine, self._hall))
                    async for note in conn.notifies():
                        hall, _, seq = note.payload.partition(":")
                        if hall == self._hall and seq.isdigit():
                            await self._hub.notify(int(seq))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("event listener lost its connection; reconnecting")
                await asyncio.sleep(1)
