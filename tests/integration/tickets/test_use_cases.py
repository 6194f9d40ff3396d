"""Ticket use cases in a unit of work against real SQLite and PostgreSQL, without a server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from queue_server.core.errors import ApiError
from queue_server.tickets.events import TicketIssued
from queue_server.tickets.service import issuing as tickets
from queue_server.windows.service import calling
from queue_server.windows.service import opening as windows
from tests.support.inprocess import NOON, clerk, database, event_log, issue


def test_issuing_emits_one_typed_event_with_the_next_seq_and_stores_it(tmp_path: Path, any_db: str) -> None:
    with database(tmp_path, any_db) as db:
        first, events = issue(db)
        second, more = issue(db)
        assert (first.number, second.number) == ("G001", "G002")  # invoice is category G
        assert [type(e.event) for e in events + more] == [TicketIssued, TicketIssued]
        assert [e.seq for e in events + more] == [1, 2]
        assert events[0].event.ticket is not None and events[0].event.ticket.id == first.id
        assert [e["seq"] for e in event_log(db)] == [1, 2]
        assert json.loads(more[0].text) == event_log(db)[1]


def test_an_idempotent_replay_emits_nothing_and_returns_the_same_ticket(tmp_path: Path) -> None:
    with database(tmp_path) as db:
        first, events = issue(db, key="k-1")
        again, replayed = issue(db, key="k-1")
        assert again.id == first.id and len(events) == 1 and replayed == []


def test_cancel_refuses_a_called_ticket_through_the_state_machine(tmp_path: Path) -> None:
    with database(tmp_path) as db:
        ticket, _ = issue(db)
        me = clerk("wang")
        db.run_write(lambda uow: windows.open_window(uow, number=1, who=me, now=NOON))
        db.run_write(lambda uow: calling.call_next(uow, number=1, who=me, now=NOON))
        with pytest.raises(ApiError) as refused:
            db.run_write(lambda uow: tickets.cancel(uow, ticket_id=ticket.id or 0,
                                                    token=ticket.token, now=NOON))
        assert (refused.value.status, refused.value.code) == (409, "ticket_not_waiting")
