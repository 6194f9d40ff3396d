"""Window use cases in a unit of work against real SQLite and PostgreSQL, without a server."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from queue_server.core.errors import ApiError
from queue_server.domain.model import Outcome, TicketStatus
from queue_server.tickets.events import TicketCalled, TicketFinished
from queue_server.windows.service import calling, serving
from queue_server.windows.service import opening as windows
from tests.support.inprocess import NOON, clerk, database, issue


def test_calling_serving_and_finishing_go_through_the_state_machine(tmp_path: Path, any_db: str) -> None:
    with database(tmp_path, any_db) as db:
        ticket, _ = issue(db, "invoice")
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


def test_a_clerk_cannot_act_on_another_clerks_window(tmp_path: Path) -> None:
    with database(tmp_path) as db:
        db.run_write(lambda uow: windows.open_window(uow, number=2, who=clerk("a"), now=NOON))
        with pytest.raises(ApiError) as refused:
            db.run_write(lambda uow: windows.pause(uow, number=2, who=clerk("b"), reason=None,
                                                   now=NOON))
        assert refused.value.status == 403
