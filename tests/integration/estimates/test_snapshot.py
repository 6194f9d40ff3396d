"""The estimator reads the queue in one snapshot, so a ticket committed meanwhile is added once, later."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event

from queue_server.db.uow import Database
from queue_server.domain.estimate import Estimate
from queue_server.domain.model import Channel
from queue_server.estimates.estimator import Estimator
from queue_server.tickets.models import Ticket, TicketCreate
from queue_server.tickets.service import issuing as tickets
from queue_server.windows.service import opening as windows
from tests.support.inprocess import KIOSK, NOON, clerk, database


def _issue(db: Database) -> tuple[Ticket, int]:
    body = TicketCreate(service="invoice", channel=Channel.KIOSK)
    caller = tickets.Caller(KIOSK, None, "127.0.0.1")
    issued, events = db.run_write(lambda uow: tickets.issue(
        uow, body=body, caller=caller, idempotency_key=None, now=NOON))
    return issued.ticket, events[-1].seq


def extend(estimator: Estimator, ticket: Ticket, seq: int) -> tuple[bool, Estimate | None]:
    """Resume the simulation with one ticket committed at seq, as a batch of one does."""
    deferred = estimator.defer(ticket, seq)
    estimator.settle()
    return deferred.hit, deferred.estimate


def _one_waiting_estimated(db: Database) -> tuple[Ticket, int, list[int], Estimator]:
    """Open window 2, issue one ticket and simulate; the estimator's newest seq is latest[0]."""
    db.run_write(lambda uow: windows.open_window(uow, number=2, who=clerk("li"), now=NOON))
    first, first_seq = _issue(db)
    latest = [first_seq]
    estimator = Estimator(db.engine, db.hall, lambda: NOON, lambda: latest[0])
    estimator.compute()
    return first, first_seq, latest, estimator


def test_a_ticket_committed_while_the_queue_is_read_is_estimated_once(tmp_path: Path, any_db: str) -> None:
    with database(tmp_path, any_db) as db:
        db.run_write(lambda uow: windows.open_window(uow, number=2, who=clerk("li"), now=NOON))
        first, first_seq = _issue(db)
        estimator = Estimator(db.engine, db.hall, lambda: NOON, lambda: first_seq)
        late: list[tuple[Ticket, int]] = []

        def commit_another_before_the_waiting_tickets_are_read(_c: object, _cur: object, sql: str,
                                                               *_: object) -> None:
            # Between the estimator reading the newest seq and reading the waiting tickets,
            # another request commits a ticket (as a second worker or thread would).
            if not late and "FROM ticket" in sql and "status" in sql:
                late.append(_issue(db))

        event.listen(db.engine, "before_cursor_execute", commit_another_before_the_waiting_tickets_are_read)
        try:
            cache = estimator.compute()
        finally:
            event.remove(db.engine, "before_cursor_execute", commit_another_before_the_waiting_tickets_are_read)
        assert late, "the interleaving did not happen"
        second, second_seq = late[0]
        assert cache.seq == first_seq and second_seq == first_seq + 1
        assert set(cache.tickets) == {first.id}, "the simulation holds exactly the queue as of its seq"
        # The late ticket's own request then resumes the simulation with it, once.
        hit, est = extend(estimator, second, second_seq)
        assert hit and est is not None and est.ahead == 1
        third, third_seq = _issue(db)
        hit, est = extend(estimator, third, third_seq)
        assert hit and est is not None and est.ahead == 2


def test_tickets_issued_while_a_simulation_is_computed_are_replayed_into_it(tmp_path: Path, any_db: str) -> None:
    with database(tmp_path, any_db) as db:
        first, _, latest, estimator = _one_waiting_estimated(db)
        late: list[tuple[Ticket, int, bool]] = []
        seq_read: list[str] = []

        def issue_while_the_queue_is_read(_c: object, _cur: object, sql: str, *_: object) -> None:
            # The simulation is computed outside the estimator's lock: a ticket issued meanwhile
            # resumes the one in place, and must be carried over into the new one. It commits
            # once the snapshot holds the newest seq, so the snapshot does not see it.
            if "hall_state" in sql and not seq_read:
                seq_read.append(sql)
            elif seq_read and not late:
                late.append((first, 0, False))  # taken: this request's own statements pass by
                ticket, seq = _issue(db)
                hit, _ = extend(estimator, ticket, seq)
                late[0] = (ticket, seq, hit)

        event.listen(db.engine, "before_cursor_execute", issue_while_the_queue_is_read)
        try:
            cache = estimator.compute(max_age=0)  # aged: computed again
        finally:
            event.remove(db.engine, "before_cursor_execute", issue_while_the_queue_is_read)
        assert late, "the interleaving did not happen"
        second, second_seq, hit = late[0]
        assert hit, "the ticket resumed the simulation in place"
        assert cache.seq == second_seq, "the new simulation holds the ticket issued meanwhile"
        assert set(cache.tickets) == {first.id, second.id}
        latest[0] = second_seq
        fresh = Estimator(db.engine, db.hall, lambda: NOON, lambda: second_seq)
        assert cache.tickets == fresh.compute().tickets
        third, third_seq = _issue(db)
        hit, est = extend(estimator, third, third_seq)
        assert hit and est is not None and est.ahead == 2


def test_tickets_of_a_batch_that_failed_to_commit_are_forgotten(tmp_path: Path, any_db: str) -> None:
    # The group-commit writer has the simulation take a batch's tickets while the batch commits;
    # when the commit fails, the estimator discards them and the next ticket counts only the
    # tickets that exist.
    with database(tmp_path, any_db) as db:
        first, first_seq, latest, estimator = _one_waiting_estimated(db)
        phantom = first.model_copy(update={"id": (first.id or 0) + 100, "number": "G999"})
        deferred = estimator.defer(phantom, first_seq + 1)
        estimator.settle()
        assert deferred.hit and deferred.estimate is not None and deferred.estimate.ahead == 1
        estimator.discard()
        second, second_seq = _issue(db)
        latest[0] = second_seq
        assert second_seq == first_seq + 1
        assert extend(estimator, second, second_seq) == (False, None), "it waits for a full simulation"
        cache = estimator.compute(min_seq=second_seq)
        assert set(cache.tickets) == {first.id, second.id}
        assert cache.tickets[second.id or 0].ahead == 1
        estimator.flush()
        with db.engine.connect() as conn:
            recorded = conn.exec_driver_sql("SELECT id, ahead_at_issue FROM ticket ORDER BY id").all()
        assert [tuple(r) for r in recorded] == [(first.id, 0), (second.id, 1)]
