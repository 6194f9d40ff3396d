"""Group commit for SQLite: units of work that arrive together share one transaction and one fsync.

One writer thread drains a queue of pending units of work. It runs them one after another in a
single write transaction, each inside its own SAVEPOINT, so a refused one rolls back alone and
gets its own error. One COMMIT (one fsync with synchronous=FULL) ends the batch; only then is
each request answered, in the order its events took their seq. Nothing about numbering,
idempotency or seq order changes: the units of work run serially exactly as before, they just
share the commit. A crash before the commit loses the whole batch, none of which was answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlmodel import Session

from queue_server.db.engine import write_session
from queue_server.events.schema import Envelope

if TYPE_CHECKING:
    from queue_server.uow import UnitOfWork

log = logging.getLogger(__name__)
Done = tuple[Any, Any, list[Envelope]]


@dataclass
class _Pending:
    fn: Callable[[UnitOfWork], Any]
    after: Callable[[Any, list[Envelope]], Any] | None
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Done]


class GroupCommit:
    """One writer thread per process that commits concurrent units of work in batches."""

    MAX_BATCH = 128

    def __init__(self, engine: Engine, make_uow: Callable[[Session], UnitOfWork]) -> None:
        self._engine = engine
        self._make_uow = make_uow
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()
        self.batches = 0  # for the benchmark: how many commits served how many units of work
        self.units = 0

    async def submit(self, fn: Callable[[UnitOfWork], Any],
                     after: Callable[[Any, list[Envelope]], Any] | None) -> Done:
        """Queue a unit of work; return its value, ``after``'s result and its events once committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Done] = loop.create_future()
        if self._thread is None:
            with self._start:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._loop, name="group-commit", daemon=True)
                    self._thread.start()
        self._queue.put(_Pending(fn, after, loop, future))
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
                log.exception("group commit failed")
            if stop:
                return

    def _run(self, batch: list[_Pending]) -> None:
        done: list[tuple[_Pending, Any, list[Envelope], BaseException | None]] = []
        try:
            with write_session(self._engine) as session:
                for item in batch:
                    uow = self._make_uow(session)
                    savepoint = session.begin_nested()
                    try:
                        uow.lock()
                        value = item.fn(uow)
                        savepoint.commit()
                    except Exception as exc:
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
        for item, value, events, error in done:
            result = None
            if error is None and item.after is not None:
                try:
                    result = item.after(value, events)
                except Exception as exc:
                    error = exc
            _answer(item, value=(value, result, events), error=error)


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
