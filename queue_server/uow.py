"""The unit of work: one transaction, the events a use case emits in it, published after commit."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from queue_server.db.driver import Driver
from queue_server.db.engine import read_session, write_session
from queue_server.events import service as log
from queue_server.events.schema import Envelope, HallEvent
from queue_server.hall import Hall

T = TypeVar("T")
U = TypeVar("U")
Publish = Callable[[list[Envelope]], Awaitable[None]]
Done = tuple[Any, Any, list[Envelope]]


class UnitOfWork:
    """A write transaction a use case runs in; it emits events here and never commits itself."""

    def __init__(self, session: Session, hall: Hall, driver: Driver | None = None) -> None:
        self.session = session
        self.hall = hall
        self.events: list[Envelope] = []
        self._locked = False
        self._driver = driver

    @property
    def driver(self) -> Driver:
        """Return the driver connection under this transaction, for the hot statements."""
        if self._driver is None:
            self._driver = Driver(self.session)
        return self._driver

    def lock(self) -> None:
        """Take the hall lock, so event seq order is commit order (once per transaction)."""
        if not self._locked:
            log.lock_hall(self.driver, self.hall.code)
            self._locked = True

    def emit(self, event: HallEvent, *, at: datetime, actor: str) -> Envelope:
        """Append an event to the log; it is published once the transaction commits."""
        self.lock()
        envelope = log.append(self.session, self.hall, event, at=at, actor=actor, driver=self.driver)
        self.events.append(envelope)
        return envelope


logger = logging.getLogger(__name__)


@dataclass
class _Pending:
    fn: Callable[[UnitOfWork], Any]
    after: Callable[[Any, list[Envelope]], Any] | None
    settle: Callable[[], None] | None
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Done]


class GroupCommit:
    """Group commit for SQLite: units of work that arrive together share one transaction and one fsync.

    One writer thread drains a queue of pending units of work and runs them one after another in
    a single write transaction, each inside its own SAVEPOINT, so a refused one rolls back alone
    and gets its own error. One COMMIT (one fsync with synchronous=FULL) ends the batch; only then
    is each request answered, in seq order. Numbering, idempotency and seq order do not change:
    the units of work still run serially, they only share the commit. A crash before the commit
    loses the whole batch, none of which was answered.
    """

    MAX_BATCH = 128

    def __init__(self, engine: Engine, make_uow: Callable[[Session, Driver], UnitOfWork]) -> None:
        self._engine = engine
        self._make_uow = make_uow
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()
        self.batches = 0  # for the benchmark: how many commits served how many units of work
        self.units = 0

    async def submit(self, fn: Callable[[UnitOfWork], Any],
                     after: Callable[[Any, list[Envelope]], Any] | None,
                     settle: Callable[[], None] | None = None) -> Done:
        """Queue a unit of work; return its value, ``after``'s result and its events once committed.

        ``settle`` runs once a batch, after every ``after`` in it and before any answer.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Done] = loop.create_future()
        if self._thread is None:
            with self._start:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._loop, name="group-commit", daemon=True)
                    self._thread.start()
        self._queue.put(_Pending(fn, after, settle, loop, future))
        return await future

    def close(self) -> None:
        """Finish the queued work and stop the writer thread."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            stop = False
            # No waiting for company: whatever queued while the last batch committed joins this one.
            while len(batch) < self.MAX_BATCH:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                batch.append(more)
            try:
                self._run(batch)
            except BaseException:  # never let the writer die with requests waiting
                logger.exception("group commit failed")
            if stop:
                return

    def _run(self, batch: list[_Pending]) -> None:
        done: list[tuple[_Pending, Any, list[Envelope], BaseException | None]] = []
        # Alone in its batch, a unit of work needs no SAVEPOINT: a refusal rolls back the
        # whole transaction, which holds nothing else (two statements fewer per quiet request).
        alone = len(batch) == 1
        try:
            with write_session(self._engine) as session:
                driver = Driver(session)  # one connection serves the whole batch
                for item in batch:
                    uow = self._make_uow(session, driver)
                    savepoint = None if alone else session.begin_nested()
                    try:
                        uow.lock()
                        value = item.fn(uow)
                        session.flush()  # inside its savepoint, and before expunge_all below
                        if savepoint is not None:
                            savepoint.commit()
                    except Exception as exc:
                        if savepoint is None:
                            raise
                        # A refusal rolls back alone; if the rollback itself fails the whole
                        # transaction is broken, and every request in it gets that error.
                        if savepoint.is_active:
                            savepoint.rollback()
                        done.append((item, None, [], exc))
                        continue
                    # Later units of work load their own rows, so a refused one can never expire
                    # what an earlier one returns.
                    session.expunge_all()
                    done.append((item, value, uow.events, None))
        except BaseException as exc:
            for item in batch:
                _answer(item, error=exc)
            return
        self.batches += 1
        self.units += len(batch)
        answers = []
        for item, value, events, error in done:
            result = None
            if error is None and item.after is not None:
                try:
                    result = item.after(value, events)
                except Exception as exc:
                    error = exc
            answers.append((item, (value, result, events), error))
        # Equal, not identical: each request passes its own bound method of the same estimator.
        for settle in dict.fromkeys(item.settle for item in batch if item.settle):
            try:
                settle()
            except Exception:  # what it leaves unsettled, its callers find so and fall back
                logger.exception("settling a batch failed")
        for item, answer, error in answers:
            _answer(item, value=answer, error=error)


def _answer(item: _Pending, *, value: Done | None = None, error: BaseException | None = None) -> None:
    def settle() -> None:
        if item.future.done():
            return
        if error is not None:
            item.future.set_exception(error)
        else:
            item.future.set_result(value if value is not None else (None, None, []))

    with contextlib.suppress(RuntimeError):  # the event loop closed while the request waited
        item.loop.call_soon_threadsafe(settle)


class Database:
    """Run reads and units of work in worker threads; publish events after each commit."""

    def __init__(self, engine: Engine, hall: Hall, *, group_commit: bool = False) -> None:
        self.engine = engine
        self.hall = hall
        self._publish: Publish | None = None
        # SQLite only: PostgreSQL commits concurrent transactions by itself.
        self.group = (GroupCommit(engine, lambda session, driver: UnitOfWork(session, hall, driver))
                      if group_commit and engine.dialect.name == "sqlite" else None)

    def close(self) -> None:
        """Commit what is queued and stop the group-commit writer."""
        if self.group is not None:
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
            uow = UnitOfWork(session, self.hall)
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
            value, _, events = await self.group.submit(fn, None)
            await self.publish(events)
            return value
        value, events = await run_in_threadpool(lambda: self.run_write(fn, lock=lock))
        await self.publish(events)
        return value

    async def write_then(self, fn: Callable[[UnitOfWork], T],
                         after: Callable[[T, list[Envelope]], U],
                         settle: Callable[[], None] | None = None) -> tuple[T, U]:
        """Run a use case, then ``after`` in the same worker thread once it committed; publish.

        ``settle`` follows ``after``: once for a whole group-commit batch, else right away.
        """
        if self.group is not None:
            value, result, events = await self.group.submit(fn, after, settle)
            await self.publish(events)
            return value, result

        def run() -> tuple[T, U, list[Envelope]]:
            value, events = self.run_write(fn)
            result = after(value, events)
            if settle is not None:
                settle()
            return value, result, events

        value, result, events = await run_in_threadpool(run)
        await self.publish(events)
        return value, result

    async def publish(self, events: list[Envelope]) -> None:
        """Hand committed events to the hub."""
        if events and self._publish is not None:
            await self._publish(events)
