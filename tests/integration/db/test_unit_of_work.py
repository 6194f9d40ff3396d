"""The unit of work against real SQLite and PostgreSQL: a refused use case leaves no trace."""

from __future__ import annotations

from pathlib import Path

import pytest

from queue_server.core.errors import ApiError
from queue_server.db.uow import UnitOfWork
from queue_server.domain.model import TicketStatus, WindowStatus
from queue_server.windows.service import opening as windows
from queue_server.windows.service import serving
from tests.support.inprocess import ADMIN, NOON, database, event_log, issue, ticket_status


def test_a_refused_use_case_rolls_back_its_rows_and_its_events(tmp_path: Path, any_db: str) -> None:
    with database(tmp_path, any_db) as db:
        ticket, _ = issue(db)
        before = event_log(db)

        def open_then_fail(uow: UnitOfWork) -> None:
            windows.open_window(uow, number=3, who=ADMIN, now=NOON)
            serving.start(uow, number=3, who=ADMIN, now=NOON)  # nothing called: refused

        with pytest.raises(ApiError) as refused:
            db.run_write(open_then_fail)
        assert refused.value.code == "no_current_ticket"
        assert event_log(db) == before
        state = db.run_read(lambda s: windows.get_window(s, db.hall, 3).status)
        assert state == WindowStatus.CLOSED
        assert ticket_status(db, ticket) == TicketStatus.WAITING
