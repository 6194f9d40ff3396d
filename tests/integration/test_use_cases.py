"""Use cases run in a unit of work against real SQLite and PostgreSQL, without a server."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from queue_server.core.errors import ApiError
from queue_server.core.events import Envelope
from queue_server.db.eventlog import Event
from queue_server.db.uow import Database
from queue_server.domain.model import Channel, Outcome, TicketStatus
from queue_server.jobs.rollover import rollover
from queue_server.tickets.events import TicketCalled, TicketExpired, TicketFinished, TicketIssued
from queue_server.tickets.models import Ticket, TicketCreate
from queue_server.tickets.service import issuing as tickets
from queue_server.windows.service import calling, serving
from queue_server.windows.service import opening as windows
from tests.support.inprocess import KIOSK, NOON, clerk, database


def _issue(db: Database, service: str = "invoice", *, key: str | None = None
           ) -> tuple[Ticket, list[Envelope]]:
    body = TicketCreate(service=service, channel=Channel.KIOSK)
    caller = tickets.Caller(KIOSK, None, "127.0.0.1")
    issued, events = db.run_write(lambda uow: tickets.issue(
        uow, body=body, caller=caller, idempotency_key=key, now=NOON))
    return issued.ticket, events


def _log(db: Database) -> list[dict[str, object]]:
    return db.run_read(lambda s: [json.loads(e.data) for e in
                                  s.exec(select(Event).order_by(col(Event.seq))).all()])


def _status(db: Database, ticket: Ticket) -> TicketStatus | None:
    found = db.run_read(lambda s: s.get(Ticket, ticket.id))
    return found.status if found else None


def test_issuing_emits_one_typed_event_with_the_next_seq_and_stores_it(tmp_path: Path, any_db: str) -> None:
    with database(tmp_path, any_db) as db:
        first, events = _issue(db)
        second, more = _issue(db)
        assert (first.number, second.number) == ("G001", "G002")  # invoice is category G
        assert [type(e.event) for e in events + more] == [TicketIssued, TicketIssued]
        assert [e.seq for e in events + more] == [1, 2]
        assert events[0].event.ticket is not None and events[0].event.ticket.id == first.id
        assert [e["seq"] for e in _log(db)] == [1, 2]
        assert json.loads(more[0].text) == _log(db)[1]


def test_an_idempotent_replay_emits_nothing_and_returns_the_same_ticket(tmp_path: Path) -> None:
    with database(tmp_path) as db:
        first, events = _issue(db, key="k-1")
        again, replayed = _issue(db, key="k-1")
        assert again.id == first.id and len(events) == 1 and replayed == []


def test_calling_serving_and_finishing_go_through_the_state_machine(tmp_path: Path, any_db: str) -> None:
    with database(tmp_path, any_db) as db:
        ticket, _ = _issue(db, "invoice")
        me = clerk("li")
        db.run_write(lambda uow: windows.open_window(uow, number=1, who=me, now=NOON))
        called, events = db.run_write(lambda uow: calling.call_next(uow, number=1, who=me, now=NOON))
        assert called is not None and called.id == ticket.id and called.status == TicketStatus.CALLED
        assert isinstance(events[0].event, TicketCalled) and events[0].event.window == 1
        later = NOON + timedelta(minutes=4)
        done, events = db.run_write(lambda uow: serving.finish(uow, number=1, who=me,
                                                               outcome=Outcome.DEFERRED, now=later))
        assert done.status == TicketStatus.DONE and done.outcome == Outcome.DEFERRED
        assert isinstance(events[0].event, TicketFinished)
        assert events[0].event.outcome == Outcome.DEFERRED
        assert done.service_seconds == 240
        nothing, quiet = db.run_write(lambda uow: calling.call_next(uow, number=1, who=me, now=later))
        assert nothing is None and quiet == []


def test_cancel_refuses_a_called_ticket_through_the_state_machine(tmp_path: Path) -> None:
    with database(tmp_path) as db:
        ticket, _ = _issue(db)
        me = clerk("wang")
        db.run_write(lambda uow: windows.open_window(uow, number=1, who=me, now=NOON))
        db.run_write(lambda uow: calling.call_next(uow, number=1, who=me, now=NOON))
        with pytest.raises(ApiError) as refused:
            db.run_write(lambda uow: tickets.cancel(uow, ticket_id=ticket.id or 0,
                                                    token=ticket.token, now=NOON))
        assert (refused.value.status, refused.value.code) == (409, "ticket_not_waiting")


def test_a_clerk_cannot_act_on_another_clerks_window(tmp_path: Path) -> None:
    with database(tmp_path) as db:
        db.run_write(lambda uow: windows.open_window(uow, number=2, who=clerk("a"), now=NOON))
        with pytest.raises(ApiError) as refused:
            db.run_write(lambda uow: windows.pause(uow, number=2, who=clerk("b"), reason=None,
                                                   now=NOON))
        assert refused.value.status == 403


def test_rollover_expires_yesterdays_tickets_once(tmp_path: Path, any_db: str) -> None:
    with database(tmp_path, any_db) as db:
        db.run_write(lambda uow: rollover(uow, NOON))
        ticket, _ = _issue(db)
        tomorrow = NOON + timedelta(days=1)
        changed, events = db.run_write(lambda uow: rollover(uow, tomorrow))
        assert changed is True
        assert [type(e.event) for e in events] == [TicketExpired]
        assert _status(db, ticket) == TicketStatus.EXPIRED
        again, none = db.run_write(lambda uow: rollover(uow, tomorrow))
        assert again is False and none == []
