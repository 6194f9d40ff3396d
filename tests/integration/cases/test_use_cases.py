"""Case use cases in-process against a real database: events in the same transaction, rollback on refusal."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from queue_server.cases.events import CaseCompleted, CaseSuspended
from queue_server.cases.models import (
    ApplicantIn,
    Case,
    CaseCreate,
    CaseStep,
    CompleteBody,
    EmptyBody,
    SuspendBody,
)
from queue_server.cases.service import accepting, actions
from queue_server.core.bodies import Deferred
from queue_server.core.errors import ApiError, Invalid
from queue_server.db.eventlog import Event
from tests.support.cases import ID_NUMBER
from tests.support.inprocess import NOON, clerk, database


def body(matter: str = "M002") -> CaseCreate:
    return CaseCreate(matter=matter, applicant=ApplicantIn(name="王秀英", id_number=ID_NUMBER))


def test_case_actions_emit_typed_events_and_refusals_roll_back(any_db: str, tmp_path: Path) -> None:
    who = clerk("clerk1")
    with database(tmp_path / "var", any_db) as db:
        case, events = db.run_write(lambda uow: accepting.create(uow, body=body(), who=who, now=NOON))
        assert [e.event.type for e in events] == ["case.accepted"]
        assert case.number == "BJ20261201-0001" and case.id is not None
        cid = case.id
        later = NOON + timedelta(days=1)
        _, events = db.run_write(lambda uow: actions.suspend(
            uow, case_id=cid, body=Deferred(SuspendBody, {"missing": ["户口簿"]}), who=who, now=later))
        assert isinstance(events[0].event, CaseSuspended) and events[0].event.case.status == "suspended"
        # A refused action (complete from suspended) raises and leaves no trace.
        with pytest.raises(ApiError) as refused:
            db.run_write(lambda uow: actions.complete(
                uow, case_id=cid, body=Deferred(CompleteBody, {"result": "approved"}), who=who, now=later))
        assert refused.value.code == "invalid_state"
        with pytest.raises(Invalid):
            db.run_write(lambda uow: accepting.create(uow, body=body("NOPE"), who=who, now=later))
        db.run_write(lambda uow: actions.resume(uow, case_id=cid, body=Deferred(EmptyBody), who=who,
                                                now=later + timedelta(days=5)))  # Mon 7 Dec
        _, events = db.run_write(lambda uow: actions.complete(
            uow, case_id=cid, body=Deferred(CompleteBody, {"result": "approved"}), who=who,
            now=later + timedelta(days=7)))
        completed = events[0].event
        assert isinstance(completed, CaseCompleted) and completed.pickup_window == 18

        def read(session):  # type: ignore[no-untyped-def]
            row = session.get(Case, cid)
            steps = session.exec(select(CaseStep.status).where(CaseStep.case_id == cid)
                                 .order_by(CaseStep.id)).all()
            types = session.exec(select(Event.type).order_by(Event.seq)).all()
            return row, list(steps), list(types)

        row, steps, types = db.run_read(read)
        # Wed 2 → Mon 7 December: Thu 3, Fri 4 and Mon 7 stopped the clock.
        assert row.suspended_days == 3 and str(row.due_date) == "2026-12-11" and row.on_time is True
        assert steps == ["accepted", "suspended", "accepted", "completed"]
        assert types == ["case.accepted", "case.suspended", "case.resumed", "case.completed"]
        counter = db.run_read(lambda s: s.exec(select(Case.number)).all())
        assert counter == ["BJ20261201-0001"]  # the refused creation drew no number
