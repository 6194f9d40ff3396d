"""The unit of work: one transaction, the events a use case emits in it, published after commit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from queue_server.core.events import Envelope, EventBase
from queue_server.db import eventlog
from queue_server.db.bus import Emitted, MessageBus
from queue_server.db.driver import Driver
from queue_server.db.engine import read_session, write_session
from queue_server.db.group_commit import GroupCommit, Settler
from queue_server.halls.hall import Hall

T = TypeVar("T")
U = TypeVar("U")
Publish = Callable[[list[Envelope]], Awaitable[None]]


class UnitOfWork:
    """A write transaction a use case runs in; it emits events here and never commits itself."""

    def __init__(self, session: Session, hall: Hall, bus: MessageBus, driver: Driver | None = None) -> None:
        self.session = session
        self.hall = hall
        self.events: list[Envelope] = []
        self._bus = bus
        self._locked = False
        self._seq: int | None = None  # the hall's last seq under its PostgreSQL lock
        self._driver = driver
        self._handling: list[tuple[EventBase, Emitted]] | None = None

    @property
    def driver(self) -> Driver:
        """Return the driver connection under this transaction, for the hot statements."""
        if self._driver is None:
            self._driver = Driver(self.session)
        return self._driver

    def lock(self) -> None:
        """Take the hall lock, so event seq order is commit order (once per transaction)."""
        if not self._locked:
            self._seq = eventlog.lock_hall(self.driver, self.hall.code)
            self._locked = True

    def emit(self, event: EventBase, *, at: datetime, actor: str) -> Envelope:
        """Append an event to the log, run its handlers here; it is published after the commit."""
        self.lock()
        envelope = eventlog.append(self.hall, event, at=at, actor=actor, driver=self.driver,
                                   locked_seq=self._seq)
        if self._seq is not None:
            self._seq = envelope.seq
        self.events.append(envelope)
        if self._bus.handlers(envelope.event):
            self._handle(envelope.event, Emitted(at=at, actor=actor))
        return envelope

    def _handle(self, event: EventBase, emitted: Emitted) -> None:
        # Events a handler emits are handled after it returns, in order, not inside it.
        if self._handling is not None:
            self._handling.append((event, emitted))
            return
        self._handling = [(event, emitted)]
        try:
            while self._handling:
                current, context = self._handling.pop(0)
                for handler in self._bus.handlers(current):
                    handler(self, current, context)
        finally:
            self._handling = None


def group_writer(engine: Engine, bus: MessageBus) -> GroupCommit | None:
    """Return the group-commit writer a process's halls share on SQLite; None on PostgreSQL.

    One SQLite file takes one writer at a time whatever the hall, so the halls share one writer
    and its batches; PostgreSQL commits concurrent transactions by itself.
    """
    if engine.dialect.name != "sqlite":
        return None
    return GroupCommit(engine, lambda session, driver, hall: UnitOfWork(session, hall, bus, driver))


class Database:
    """One hall's reads and units of work, run in worker threads; events published after each commit."""

    def __init__(self, engine: Engine, hall: Hall, *, bus: MessageBus,
                 group: GroupCommit | None = None) -> None:
        self.engine = engine
        self.hall = hall
        self.bus = bus
        self._publish: Publish | None = None
        self._owns_group = group is None
        self.group = group if group is not None else group_writer(engine, bus)

    def close(self) -> None:
        """Commit what is queued and stop the group-commit writer, if this database started it."""
        if self.group is not None and self._owns_group:
            self.group.close()

    def publish_to(self, publish: Publish) -> None:
        """Send committed events to this callback (the hub)."""
        self._publish = publish

    def run_read(self, fn: Callable[[Session], T]) -> T:
        """Run a read-only function in this thread."""
        with read_session(self.engine) as session:
            return fn(session)

    def run_write(self, fn: Callable[[UnitOfWork], T], *, lock: bool = True) -> tuple[T, list[Envelope]]:
        """Run a use case in one transaction in this thread; return its value and events."""
        with write_session(self.engine) as session:
            uow = UnitOfWork(session, self.hall, self.bus)
            if lock:
                uow.lock()
            value = fn(uow)
        return value, uow.events

    async def read(self, fn: Callable[[Session], T]) -> T:
        """Run a read-only function in a worker thread."""
        return await run_in_threadpool(self.run_read, fn)

    async def write(self, fn: Callable[[UnitOfWork], T], *, lock: bool = True) -> T:
        """Run a use case in a unit of work, then publish its events."""
        if self.group is not None and lock:
            value, _, events = await self.group.submit(fn, None, hall=self.hall)
            await self.publish(events)
            return value
        value, events = await run_in_threadpool(lambda: self.run_write(fn, lock=lock))
        await self.publish(events)
        return value

    async def write_then(self, fn: Callable[[UnitOfWork], T],
                         after: Callable[[T, list[Envelope]], U],
                         settler: Settler | None = None) -> tuple[T, U]:
        """Run a use case, then ``after``; return both once it committed, and publish.

        ``settler.settle`` follows ``after``: once for a whole group-commit batch (in the event
        loop, while the batch commits), else right away in the worker thread after the commit.
        """
        if self.group is not None:
            value, result, events = await self.group.submit(fn, after, settler, hall=self.hall)
            await self.publish(events)
            return value, result

        def run() -> tuple[T, U, list[Envelope]]:
            value, events = self.run_write(fn)
            result = after(value, events)
            if settler is not None:
                settler.settle()
            return value, result, events

        value, result, events = await run_in_threadpool(run)
        await self.publish(events)
        return value, result

    async def publish(self, events: list[Envelope]) -> None:
        """Hand committed events to the hub."""
        if events and self._publish is not None:
            await self._publish(events)
