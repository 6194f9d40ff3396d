"""Rows written on the driver's cursor: stored as the ORM stores them, and built as it builds them."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from queue_server.db.driver import Driver, DriverStatement, insert_returning_id
from queue_server.db.engine import read_session, write_session
from queue_server.db.rows import transient
from queue_server.domain.model import Channel, Priority, TicketStatus
from queue_server.tickets.models import Ticket
from tests.support.inprocess import NOON, database

TICKETS = SQLModel.metadata.tables["ticket"]
COLUMNS = [c.name for c in TICKETS.columns if c.name != "id"]


def ticket(number: str) -> Ticket:
    """Return a ticket with a date, aware datetimes and enums: every kind of bind processing."""
    return Ticket(hall="h", day=NOON.date(), number=number, number_category="A", category="A",
                  service="s", channel=Channel.KIOSK, priority=Priority.ELDERLY, token=number,
                  issued_at=NOON, rank_at=NOON - timedelta(minutes=5))


def stored(url: str, tmp_path: Path) -> tuple[list[tuple[object, ...]], list[Ticket]]:
    """Insert one ticket through the ORM and one through the driver; return both rows raw and loaded."""
    with database(tmp_path, url) as db:
        with write_session(db.engine) as session:
            session.add(ticket("A001"))
            session.flush()
            driver = Driver(session)
            new_id = driver.run(insert_returning_id(TICKETS, COLUMNS),
                                {c: getattr(ticket("A002"), c) for c in COLUMNS})[0][0]
            assert driver.run(DriverStatement("SELECT number FROM ticket WHERE id = :id"),
                              {"id": new_id}) == [("A002",)]
        with read_session(db.engine) as session:
            raw = [tuple(row) for row in session.execute(text(
                "SELECT day, channel, priority, issued_at, rank_at FROM ticket ORDER BY number"))]
            loaded = [session.get(Ticket, i) for i in (new_id - 1, new_id)]
        return raw, [t for t in loaded if t is not None]


def test_a_row_inserted_on_the_driver_is_stored_as_the_orm_stores_it(any_db: str, tmp_path: Path) -> None:
    raw, loaded = stored(any_db, tmp_path)
    assert len(raw) == 2 and raw[0] == raw[1]
    orm, driver = loaded
    assert (driver.issued_at, driver.rank_at, driver.day) == (orm.issued_at, orm.rank_at, orm.day)
    assert driver.issued_at == NOON and driver.issued_at.tzinfo is not None
    assert (driver.channel, driver.priority) == (Channel.KIOSK, Priority.ELDERLY)


def test_named_parameters_become_the_drivers_style() -> None:
    from sqlalchemy.dialects import postgresql, sqlite

    statement = DriverStatement("UPDATE t SET a = :a::int WHERE b = :b")
    assert statement.prepared(sqlite.dialect())[0] == statement.sql
    pg = statement.prepared(postgresql.psycopg.dialect())[0]  # type: ignore[attr-defined]
    assert pg == "UPDATE t SET a = %(a)s::int WHERE b = %(b)s"


def test_a_transient_ticket_is_the_ticket_the_model_would_build(tmp_path: Path) -> None:
    values = {c: getattr(ticket("A003"), c) for c in COLUMNS if c not in ("status", "call_count")}
    built, fast = Ticket(**values), transient(Ticket, values)
    assert fast.model_dump() == built.model_dump()
    assert fast.__pydantic_fields_set__ == built.__pydantic_fields_set__
    assert fast.status == TicketStatus.WAITING and fast.call_count == 0  # the model's defaults
    with pytest.raises(TypeError, match="number"):
        transient(Ticket, {k: v for k, v in values.items() if k != "number"})
    # A real ORM instance: it takes attribute changes and can be stored like any other.
    with database(tmp_path) as db, write_session(db.engine) as session:
        fast.call_count = 2
        session.add(fast)
        session.flush()
        assert fast.id is not None
        assert session.execute(text("SELECT call_count FROM ticket WHERE id = :i"),
                               {"i": fast.id}).scalar_one() == 2


def test_a_transient_ticket_works_before_anything_else_used_the_orm() -> None:
    # A fresh interpreter: no query and no model constructor has configured the mappers yet.
    code = ("from datetime import UTC, datetime\n"
            "from queue_server.db.rows import transient\n"
            "from queue_server.tickets.models import Ticket\n"
            "now = datetime.now(UTC)\n"
            "t = transient(Ticket, dict(hall='h', day=now.date(), number='A001', number_category='A',"
            " category='A', service='s', channel='kiosk', token='t', issued_at=now, rank_at=now))\n"
            "print(t.number, t.status)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["A001", "waiting"]
