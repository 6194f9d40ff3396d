"""Group commit on SQLite: requests that arrive together share one transaction and one settle."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from queue_server.app.handlers import message_bus
from queue_server.db.uow import Database, UnitOfWork
from tests.support.inprocess import database


class Settler:
    """Note each settle and discard, and the thread it ran in."""

    def __init__(self) -> None:
        self.log: list[tuple[str, int]] = []

    @property
    def calls(self) -> int:
        """Return how often a batch was settled."""
        return sum(1 for what, _ in self.log if what == "settle")

    def settle(self) -> None:
        """Note one settle."""
        self.log.append(("settle", threading.get_ident()))

    def discard(self) -> None:
        """Note one discard."""
        self.log.append(("discard", threading.get_ident()))


@contextmanager
def grouped(plain: Database) -> Iterator[Database]:
    """Yield a group-committing Database on the same engine; stop its writer afterwards."""
    db = Database(plain.engine, plain.hall, bus=message_bus())
    try:
        yield db
    finally:
        db.close()


def test_a_batch_is_settled_once_however_many_requests_it_holds(tmp_path: Path) -> None:
    with database(tmp_path) as plain, grouped(plain) as db:
        settler = Settler()

        async def forty_at_once() -> list[tuple[None, int]]:
            return await asyncio.gather(*(db.write_then(lambda uow: None, lambda _v, _e: 1,
                                                        settler=settler) for _ in range(40)))

        answers = asyncio.run(forty_at_once())
        assert db.group is not None and db.group.units == 40
        assert answers == [(None, 1)] * 40
        assert settler.calls == db.group.batches < 40


def test_the_event_loop_finishes_a_batch_and_only_then_answers(tmp_path: Path) -> None:
    # `after` and the settle run in the requests' event loop (during the commit's fsync), and
    # the answer comes after both: an answer never carries an estimate still to be computed.
    with database(tmp_path) as plain, grouped(plain) as db:
        settler = Settler()
        afters: list[int] = []

        def after(_value: None, _events: object) -> int:
            afters.append(threading.get_ident())
            return len(settler.log)

        async def issue() -> tuple[int, int, list[tuple[str, int]]]:
            _, settled_before_after = await db.write_then(lambda uow: None, after, settler=settler)
            return threading.get_ident(), settled_before_after, list(settler.log)

        loop_thread, settled_before_after, log_at_answer = asyncio.run(issue())
        assert afters == [loop_thread]
        assert settled_before_after == 0
        assert log_at_answer == [("settle", loop_thread)]


def test_a_batch_whose_commit_fails_is_discarded_and_its_request_gets_the_error(tmp_path: Path) -> None:
    with database(tmp_path) as plain, grouped(plain) as db:
        # A deferred foreign key is checked at COMMIT: the unit of work runs, the commit fails.
        with plain.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
            conn.exec_driver_sql("CREATE TABLE child (parent INTEGER REFERENCES parent (id) "
                                 "DEFERRABLE INITIALLY DEFERRED)")
        settler = Settler()

        def orphan(uow: UnitOfWork) -> None:
            uow.session.execute(text("INSERT INTO child VALUES (42)"))

        def adopted(uow: UnitOfWork) -> None:
            uow.session.execute(text("INSERT INTO parent VALUES (7)"))
            uow.session.execute(text("INSERT INTO child VALUES (7)"))

        async def both() -> tuple[int, BaseException | None]:
            try:
                await db.write_then(orphan, lambda _v, _e: 1, settler=settler)
            except IntegrityError as exc:
                failed: BaseException | None = exc
            else:
                failed = None
            await db.write_then(adopted, lambda _v, _e: 2, settler=settler)  # the writer goes on
            return threading.get_ident(), failed

        loop_thread, failed = asyncio.run(both())
        assert failed is not None and "FOREIGN KEY" in str(failed)
        assert settler.log == [("settle", loop_thread), ("discard", loop_thread), ("settle", loop_thread)]
        with plain.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT parent FROM child").scalars().all() == [7]


def test_a_unit_of_work_that_raises_alone_is_neither_settled_nor_discarded(tmp_path: Path) -> None:
    with database(tmp_path) as plain, grouped(plain) as db:
        settler = Settler()

        def refuse(_uow: UnitOfWork) -> None:
            raise ValueError("refused")

        async def one() -> None:
            await db.write_then(refuse, lambda _v, _e: 1, settler=settler)

        with pytest.raises(ValueError, match="refused"):
            asyncio.run(one())
        assert settler.log == []
