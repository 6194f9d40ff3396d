"""The append-only event log: its tables, appending inside the caller's transaction, reading back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Engine, Text, UniqueConstraint
from sqlmodel import Field, Session, SQLModel, col, select

from queue_server.core.events import Envelope, EventBase, EventCodec
from queue_server.db.driver import Driver, DriverStatement, insert_returning_id
from queue_server.db.types import UTCDateTime
from queue_server.halls.hall import Hall

NOTIFY_CHANNEL = "hall_events"


class HallState(SQLModel, table=True):
    """One row per hall of the county: its event seq, its configuration, and the default mark."""

    __tablename__ = "hall_state"

    hall: str = Field(primary_key=True)
    last_seq: int = 0
    config_yaml: str | None = Field(default=None, sa_column=Column(Text))
    current_day: str | None = None  # the service day the rollover last saw
    is_default: bool = False  # the hall the server first started with (HALL_CONFIG)
    name: str | None = None
    created_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class Event(SQLModel, table=True):
    """One state change; also the audit trail."""

    __table_args__ = (UniqueConstraint("hall", "seq", name="uq_event_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    hall: str
    seq: int
    type: str
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    ticket_id: int | None = Field(default=None, index=True)
    window: int | None = None
    actor: str  # "user:NAME", "device:ID", "resident:TICKET" or "system"
    data: str = Field(default="{}", sa_column=Column(Text, nullable=False))


# Built once: every event runs these, and building a statement is a share of issuing a ticket.
_LOCK = DriverStatement("SELECT last_seq FROM hall_state WHERE hall = :h FOR UPDATE")
_NEXT_SEQ = DriverStatement("UPDATE hall_state SET last_seq = last_seq + 1 WHERE hall = :h RETURNING last_seq")
_EVENTS = SQLModel.metadata.tables["event"]
_EVENT_COLUMNS = [c.name for c in _EVENTS.columns if c.name != "id"]
_INSERT = insert_returning_id(_EVENTS, _EVENT_COLUMNS)
# PostgreSQL, under the hall lock: the seq is known, so one statement moves the hall's seq, queues
# the NOTIFY (delivered at commit, so other processes hear of the event only once it exists) and
# stores the event. One round trip instead of three (docs/server.md).
_NAMES = ", ".join(f'"{c}"' for c in _EVENT_COLUMNS)
_VALUES = ", ".join(f":{c}" for c in _EVENT_COLUMNS)
_APPEND_LOCKED = DriverStatement(
    "WITH bump AS (UPDATE hall_state SET last_seq = :seq WHERE hall = :hall), "
    "heard AS (SELECT pg_notify(:channel, :payload)) "
    f"INSERT INTO event ({_NAMES}) SELECT {_VALUES} FROM heard", _EVENTS)


def last_seq_in(engine: Engine, hall: str) -> int:
    """Return the newest seq, reading through a short session of its own."""
    with Session(engine) as session:
        return last_seq(session, hall)


def ensure_hall_row(session: Session, hall: str) -> None:
    """Create the hall's state row if it does not exist yet."""
    if session.get(HallState, hall) is None:
        session.add(HallState(hall=hall, last_seq=0))
        session.flush()


def lock_hall(driver: Driver, hall: str) -> int | None:
    """Serialise writers of one hall, so event seq order is commit order; return the seq it holds.

    SQLite already serialises writers (BEGIN IMMEDIATE) and returns None; PostgreSQL takes the
    hall row lock and returns the hall's last seq, which no one else can move until the commit.
    """
    if driver.dialect.name == "postgresql":
        return int(driver.run(_LOCK, {"h": hall})[0][0])
    return None


def append(hall: Hall, event: EventBase, *, at: datetime, actor: str, driver: Driver,
           locked_seq: int | None = None) -> Envelope:
    """Give an event the hall's next seq, store it, and return it as subscribers will see it.

    ``locked_seq`` is the hall's last seq as read under its PostgreSQL lock (``lock_hall``).
    """
    seq = locked_seq + 1 if locked_seq is not None else int(driver.run(_NEXT_SEQ, {"h": hall.code})[0][0])
    stored = event.model_copy(update={"seq": seq, "at": hall.local_iso(at)})
    envelope = Envelope.of(stored)
    # Straight to the driver, not an ORM object: nothing reads the row back in this transaction.
    row = {"hall": hall.code, "seq": seq, "type": stored.type, "at": at, "actor": actor,
           "ticket_id": stored.ticket.id if stored.ticket else None, "window": stored.window,
           "data": envelope.text}
    if locked_seq is not None:
        driver.run(_APPEND_LOCKED, {**row, "channel": NOTIFY_CHANNEL, "payload": f"{hall.code}:{seq}"})
    else:
        driver.run(_INSERT, row)
    return envelope


def last_seq(session: Session, hall: str) -> int:
    """Return the seq of the newest event."""
    state = session.get(HallState, hall)
    return state.last_seq if state else 0


def events_after(session: Session, hall: str, since: int, limit: int, codec: EventCodec) -> list[Envelope]:
    """Return up to ``limit`` events with seq greater than ``since``, oldest first."""
    rows = session.exec(
        select(Event.data)
        .where(Event.hall == hall, Event.seq > since)
        .order_by(col(Event.seq))
        .limit(limit)
    ).all()
    return [codec.parse(r) for r in rows]


def events_after_in(engine: Engine, hall: str, since: int, limit: int, codec: EventCodec) -> list[Envelope]:
    """Return events after ``since``, reading through a short session of its own."""
    with Session(engine) as session:
        return events_after(session, hall, since, limit, codec)
