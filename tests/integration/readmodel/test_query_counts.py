"""The read model answers in a constant number of queries, however many windows are busy."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event

from queue_server.db.uow import Database
from queue_server.domain.model import Channel
from queue_server.readmodel.queries import queue_snapshot
from queue_server.tickets.models import TicketCreate
from queue_server.tickets.service import issuing as tickets
from queue_server.windows.queries import windows_public
from queue_server.windows.service import calling
from queue_server.windows.service import opening as windows
from tests.support.inprocess import KIOSK, NOON, clerk, database


@contextmanager
def counted(db: Database) -> Iterator[list[str]]:
    """Collect the SQL statements run on the database's engine."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _busy_windows(db: Database, numbers: range) -> None:
    caller = tickets.Caller(KIOSK, None, "127.0.0.1")
    for n in numbers:
        body = TicketCreate(service="invoice", channel=Channel.KIOSK)
        db.run_write(lambda uow, body=body: tickets.issue(uow, body=body, caller=caller,
                                                          idempotency_key=None, now=NOON))
        who = clerk(f"clerk{n}")
        db.run_write(lambda uow, n=n, who=who: windows.open_window(uow, number=n, who=who, now=NOON))
        db.run_write(lambda uow, n=n, who=who: calling.call_next(uow, number=n, who=who, now=NOON))


def _queries(db: Database) -> tuple[int, int]:
    with counted(db) as listing:
        rows = db.run_read(lambda s: windows_public(s, db.hall, "http://hall"))
    with counted(db) as board:
        db.run_read(lambda s: queue_snapshot(s, db.hall, {}))
    assert len(rows) == 18
    return len(listing), len(board)


def test_listing_the_18_windows_costs_the_same_queries_with_one_or_twelve_busy(tmp_path: Path) -> None:
    with database(tmp_path / "one") as one, database(tmp_path / "twelve") as twelve:
        _busy_windows(one, range(1, 2))
        _busy_windows(twelve, range(1, 13))
        listing, board = _queries(one)
        assert (listing, board) == _queries(twelve)
        assert listing <= 4 and board <= 8, (listing, board)  # the old listing made 2 per window
        busy = twelve.run_read(lambda s: windows_public(s, twelve.hall, "http://hall"))
        assert sum(1 for w in busy if w.current is not None) == 12
        assert {w.clerk.display_name for w in busy if w.clerk} == {f"clerk{n}" for n in range(1, 13)}
