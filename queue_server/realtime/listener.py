"""Hear of what other server processes commit, through PostgreSQL LISTEN/NOTIFY.

One connection per process listens on three channels: every hall's events (the payload is
``HALL:SEQ``; the process reads the rows itself), a hall added to the county (its code), and a
change to the county calendar. Whatever was committed while the connection was down is read back
from the database when it reconnects.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import Protocol

from sqlalchemy import Engine

from queue_server.db.eventlog import NOTIFY_CHANNEL, last_seq_in
from queue_server.realtime.hub import Hub

log = logging.getLogger(__name__)
HALLS_CHANNEL = "hall_added"
CALENDAR_CHANNEL = "county_calendar"


class Served(Protocol):
    """A served hall, as far as the listener is concerned."""

    @property
    def hub(self) -> Hub:
        """Return the hall's hub."""
        ...


class County(Protocol):
    """What the listener tells of: the halls served, a hall added, the county calendar."""

    @property
    def halls(self) -> Mapping[str, Served]:
        """Return the halls this process serves, by code."""
        ...

    async def load_hall(self, code: str) -> object:
        """Serve a hall another process added."""
        ...

    async def reload_calendar(self) -> None:
        """Read the county calendar again."""
        ...


class EventListener:
    """Feed each hall's hub the seq of every event another process commits; reconnect when cut off."""

    def __init__(self, engine: Engine, county: County) -> None:
        self._engine = engine
        self._county = county
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

    async def _catch_up(self) -> None:
        for code, served in list(self._county.halls.items()):
            await served.hub.notify(await asyncio.to_thread(last_seq_in, self._engine, code))
        await self._county.reload_calendar()

    async def _listen(self) -> None:
        import psycopg

        url = self._engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                    for channel in (NOTIFY_CHANNEL, HALLS_CHANNEL, CALENDAR_CHANNEL):
                        await conn.execute(f"LISTEN {channel}")
                    # Anything committed while we were not listening is read from the database.
                    await self._catch_up()
                    async for note in conn.notifies():
                        await self._heard(note.channel, note.payload)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("event listener lost its connection; reconnecting")
                await asyncio.sleep(1)

    async def _heard(self, channel: str, payload: str) -> None:
        if channel == HALLS_CHANNEL:
            await self._county.load_hall(payload)
        elif channel == CALENDAR_CHANNEL:
            await self._county.reload_calendar()
        else:
            code, _, seq = payload.partition(":")
            served = self._county.halls.get(code)
            if served is None and seq.isdigit():
                await self._county.load_hall(code)  # its first event reached us before its notice
                served = self._county.halls.get(code)
            if served is not None and seq.isdigit():
                await served.hub.notify(int(seq))
