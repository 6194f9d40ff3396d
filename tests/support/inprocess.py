"""Run use cases in-process against a real database: no server, no sockets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import col, select

from queue_server.app.bootstrap import prepare
from queue_server.app.handlers import message_bus
from queue_server.auth.service import Principal
from queue_server.core.events import Envelope
from queue_server.core.settings import ServerSettings
from queue_server.db.engine import make_engine
from queue_server.db.eventlog import Event
from queue_server.db.uow import Database
from queue_server.domain.model import Channel, TicketStatus
from queue_server.tickets.models import Ticket, TicketCreate
from queue_server.tickets.service import issuing

ADMIN = Principal("user", "admin", "admin", "管理员")
KIOSK = Principal("device", "kiosk", device_id=1, display_name="kiosk")
NOON = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, a Tuesday


def clerk(username: str) -> Principal:
    """Return a clerk principal (the user row is not needed by window use cases)."""
    return Principal("user", "clerk", username, username)


@contextmanager
def database(var_dir: Path, url: str = "") -> Iterator[Database]:
    """Migrate and seed a database with the bundled hall; yield a Database on it."""
    settings = ServerSettings(var_dir=var_dir, database_url=url, admin_password="admin-pass-123",
                              secret_key="test-secret")
    engine = make_engine(settings.resolved_database_url())
    try:
        ready = prepare(settings, engine, NOON)
        yield Database(engine, ready.default, bus=message_bus())
    finally:
        engine.dispose()


def issue(db: Database, service: str = "invoice", *, key: str | None = None
          ) -> tuple[Ticket, list[Envelope]]:
    """Issue a kiosk ticket at NOON; return it and the events its unit of work emitted."""
    body = TicketCreate(service=service, channel=Channel.KIOSK)
    caller = issuing.Caller(KIOSK, None, "127.0.0.1")
    issued, events = db.run_write(lambda uow: issuing.issue(
        uow, body=body, caller=caller, idempotency_key=key, now=NOON))
    return issued.ticket, events


def event_log(db: Database) -> list[dict[str, object]]:
    """Return the event log's rows as the JSON they store, in seq order."""
    return db.run_read(lambda s: [json.loads(e.data) for e in
                                  s.exec(select(Event).order_by(col(Event.seq))).all()])


def ticket_status(db: Database, ticket: Ticket) -> TicketStatus | None:
    """Return a ticket's stored status."""
    found = db.run_read(lambda s: s.get(Ticket, ticket.id))
    return found.status if found else None
