"""Group commit for SQLite: units of work that arrive together share one transaction and one fsync."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlmodel import Session

from queue_server.core.events import Envelope
from queue_server.db.driver import Driver
from queue_server.db.engine import write_session
from queue_server.halls.hall import Hall

if TYPE_CHECKING:
    from queue_server.db.uow import UnitOfWork

logger = logging.getLogger(__name__)
Done = tuple[Any, Any, list[Envelope]]


class Settler(Protocol):
    """What the requests of a batch share once their units of work ran (the estimator, for issuing)."""

    def settle(self) -> None:
        """Finish, once for the whole batch, what the batch's ``after`` calls began."""

    def discard(self) -> None:
        """Forget what they began: the batch did not commit."""


@dataclass
class _Pending:
    hall: Hall
    fn: Callable[[UnitOfWork], Any]
    after: Callable[[Any, list[Envelope]], Any] | None
    settler: Settler | None
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Done]


@dataclass
class _Batch:
    """The units of work of one transaction, what each gave, and their answers."""

    items: list[_Pending]
    ran: list[tuple[_Pending, Any, list[Envelope], BaseException | None]] = field(default_factory=list)
    answers: list[tuple[_Pending, Done, BaseException | None]] = field(default_factory=list)

    @property
    def settlers(self) -> list[Settler]:
        """Return each settler once (each request passes the same estimator)."""
        return list({id(s): s for item in self.items if (s := item.settler) is not None}.values())

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """Return the event loop every request of the batch waits in, if they share one."""
        loops = {id(item.loop): item.loop for item in self.items}
        return next(iter(loops.values())) if len(loops) == 1 else None

    def finish(self) -> None:
        """Run each ``after``, then settle once, and note the answers."""
        for item, value, events, error in self.ran:
            result = None
            if error is None and item.after is not None:
                try:
                    result = item.after(value, events)
                except Exception as exc:
                    error = exc
            self.answers.append((item, (value, result, events), error))
        for settler in self.settlers:
            try:
                settler.settle()
            except Exception:  # what it leaves unsettled, its callers find so and fall back
                logger.exception("settling a batch failed")

    def finish_in_loop(self) -> bool:
        """Have the requests' event loop finish the batch; tell whether it will."""
        loop = self.loop
        if loop is None or not any(item.after or item.settler for item in self.items):
            return False
        try:
            loop.call_soon_threadsafe(self.finish)
        except RuntimeError:  # the event loop closed
            return False
        return True

    def discard(self) -> None:
        """Undo what ``finish`` began, in the event loop, after it: the commit failed."""
        def discard_all() -> None:
            for settler in self.settlers:
                try:
                    settler.discard()
                except Exception:
                    logger.exception("discarding a batch failed")

        if (loop := self.loop) is not None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(discard_all)

    def answer(self) -> None:
        """Answer every request, in seq order, once the answers are noted."""
        def answer_all() -> None:
            for item, value, error in self.answers:
                _resolve(item, value, error)

        if (loop := self.loop) is not None:
            with contextlib.suppress(RuntimeError):  # the event loop closed meanwhile
                loop.call_soon_threadsafe(answer_all)
            return
        for item, value, error in self.answers:
            _answer(item, value=value, error=error)


class GroupCommit:
    """Group commit for SQLite: units of work that arrive together share one transaction and one fsync.

    One writer thread drains a queue of pending units of work, of whatever hall, and runs them one after another in
    a single write transaction, each inside its own SAVEPOINT, so a refused one rolls back alone
    and gets its own error. One COMMIT (one fsync with synchronous=FULL) ends the batch; only then
    is each request answered, in seq order. Numbering, idempotency and seq order do not change:
    the units of work still run serially, they only share the commit. A crash before the commit
    loses the whole batch, none of which was answered.

    What follows a batch (each ``after``, then one ``settle``: the new tickets' estimates) runs in
    the requests' event loop, handed over just before the COMMIT: it is computed while this
    thread waits for the fsync, and the answers, handed over after the commit, come after it.
    Should the commit fail, the settler discards it.
    """

    MAX_BATCH = 128

    def __init__(self, engine: Engine, make_uow: Callable[[Session, Driver, Hall], UnitOfWork]) -> None:
        self._engine = engine
        self._make_uow = make_uow
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()
        # The writer's own connection, instead of one from the pool for each batch.
        self._connection: Connection | None = None
        self.batches = 0  # for the benchmark: how many commits served how many units of work
        self.units = 0

    async def submit(self, fn: Callable[[UnitOfWork], Any],
                     after: Callable[[Any, list[Envelope]], Any] | None,
                     settler: Settler | None = None, *, hall: Hall) -> Done:
        """Queue a unit of work; return its value, ``after``'s result and its events once committed.

        ``settler.settle`` runs once a batch, after every ``after`` in it and before any answer.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Done] = loop.create_future()
        if self._thread is None:
            with self._start:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._loop, name="group-commit", daemon=True)
                    self._thread.start()
        self._queue.put(_Pending(hall, fn, after, settler, loop, future))
        return await future

    def close(self) -> None:
        """Finish the queued work and stop the writer thread."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def _loop(self) -> None:
        try:
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
                    self._run(_Batch(batch))
                except BaseException:  # never let the writer die with requests waiting
                    logger.exception("group commit failed")
                if stop:
                    return
        finally:
            self._disconnect()

    def _connect(self) -> Connection:
        if self._connection is None or self._connection.closed or self._connection.invalidated:
            self._connection = self._engine.connect()
        return self._connection

    def _disconnect(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()

    def _run(self, batch: _Batch) -> None:
        # Alone in its batch, a unit of work needs no SAVEPOINT: a refusal rolls back the
        # whole transaction, which holds nothing else (two statements fewer per quiet request).
        alone = len(batch.items) == 1
        in_loop = False
        try:
            with write_session(self._engine, self._connect()) as session:
                driver = Driver(session)  # one connection serves the whole batch
                for item in batch.items:
                    uow = self._make_uow(session, driver, item.hall)
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
                        batch.ran.append((item, None, [], exc))
                        continue
                    # Later units of work load their own rows, so a refused one can never expire
                    # what an earlier one returns.
                    session.expunge_all()
                    batch.ran.append((item, value, uow.events, None))
                in_loop = batch.finish_in_loop()  # the COMMIT follows
        except BaseException as exc:
            self._disconnect()  # whatever state the failure left it in, the next batch starts afresh
            if in_loop:
                batch.discard()
            for item in batch.items:
                _answer(item, error=exc)
            return
        self.batches += 1
        self.units += len(batch.items)
        if not in_loop:
            batch.finish()
        batch.answer()


def _resolve(item: _Pending, value: Done | None, error: BaseException | None) -> None:
    """Give the request its answer or its error, unless it already has one (in its event loop)."""
    if item.future.done():
        return
    if error is not None:
        item.future.set_exception(error)
    else:
        item.future.set_result(value if value is not None else (None, None, []))


def _answer(item: _Pending, *, value: Done | None = None, error: BaseException | None = None) -> None:
    """Hand the request's answer or error to its event loop."""
    with contextlib.suppress(RuntimeError):  # the event loop closed while the request waited
        item.loop.call_soon_threadsafe(_resolve, item, value, error)
