"""The print relay's rows on a real database: a job is sent once, never after it expired, and forgotten."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine
from sqlmodel import SQLModel

from queue_server.app import tables  # noqa: F401  (every table in the metadata)
from queue_server.db.engine import make_engine, read_session
from queue_server.db.migrate import upgrade
from queue_server.printing import store
from queue_server.printing.models import PrintAgentLink, PrintJob, PrintJobStatus

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
MARGIN = timedelta(seconds=0.5)


@pytest.fixture
def engine(any_db: str) -> Iterator[Engine]:
    engine = make_engine(any_db)
    upgrade(engine)
    yield engine
    engine.dispose()


def job(job_id: str, printer: str = "win1", at: datetime = T0, seconds: float = 5.0) -> PrintJob:
    """Return a pending job made at a time."""
    return PrintJob(id=job_id, hall="puan", printer=printer, window=1, title="受理回执", data=b"\x1b@slip",
                    status=PrintJobStatus.PENDING, requested_by="w1", created_at=at,
                    expires_at=at + timedelta(seconds=seconds))


def hold(engine: Engine, link: str, instance: str = "run-a", printers: tuple[str, ...] = ("win1",),
         at: datetime = T0) -> None:
    """Make a connection hold printer names."""
    store.announce(engine, hall="puan", printers=printers, link=link, instance=instance, device_id=1,
                   worker="w2", now=at)


def status(engine: Engine, job_id: str) -> tuple[PrintJobStatus, bytes]:
    """Read a job's status and bytes."""
    with read_session(engine) as session:
        row = session.get(PrintJob, job_id)
        assert row is not None
        return row.status, row.data


def test_the_migration_makes_the_tables_the_models_describe(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    ours = [d for d in diff if "print_" in repr(d)]
    assert ours == []


def test_a_job_is_sent_once_and_only_on_the_connection_that_holds_its_printer(engine: Engine) -> None:
    hold(engine, "link-a")
    store.add_job(engine, job("j1"))
    assert store.pending(engine, "puan", ["win1"], T0) == [("j1", "win1")]
    assert store.claim(engine, job_id="j1", hall="puan", printer="win1", link="link-b", worker="w2",
                       now=T0, margin=MARGIN) is None  # not the holder
    claimed = store.claim(engine, job_id="j1", hall="puan", printer="win1", link="link-a", worker="w2",
                          now=T0, margin=MARGIN)
    assert claimed is not None and claimed.data == b"\x1b@slip"
    assert store.claim(engine, job_id="j1", hall="puan", printer="win1", link="link-a", worker="w2",
                       now=T0, margin=MARGIN) is None  # sent once
    done = store.answer(engine, job_id="j1", hall="puan", status=PrintJobStatus.PRINTED, printer_status="ok",
                        message="", now=T0)
    assert done == store.Finished("j1", "printed", "ok", "")
    assert status(engine, "j1") == (PrintJobStatus.PRINTED, b"")  # the slip's bytes are erased
    # An answer the requester gives up on afterwards is read back, not overwritten.
    assert store.give_up(engine, "j1", T0) == (PrintJobStatus.PRINTED, done)


def test_the_last_announcement_of_a_name_wins(engine: Engine) -> None:
    hold(engine, "link-a", "run-a")
    hold(engine, "link-b", "run-b")
    store.add_job(engine, job("j1"))
    assert store.claim(engine, job_id="j1", hall="puan", printer="win1", link="link-a", worker="w2",
                       now=T0, margin=MARGIN) is None
    assert store.claim(engine, job_id="j1", hall="puan", printer="win1", link="link-b", worker="w2",
                       now=T0, margin=MARGIN) is not None
    store.withdraw(engine, "link-a")  # the loser closing takes nothing from the winner
    assert store.held(engine, "puan", "win1", T0 - timedelta(minutes=1))
    store.withdraw(engine, "link-b")
    assert not store.held(engine, "puan", "win1", T0 - timedelta(minutes=1))


def test_a_job_given_up_is_never_sent_and_a_late_answer_changes_nothing(engine: Engine) -> None:
    hold(engine, "link-a")
    store.add_job(engine, job("waiting"))
    assert store.give_up(engine, "waiting", T0 + timedelta(seconds=5)) == (PrintJobStatus.PENDING, None)
    assert status(engine, "waiting") == (PrintJobStatus.EXPIRED, b"")
    assert store.claim(engine, job_id="waiting", hall="puan", printer="win1", link="link-a", worker="w2",
                       now=T0, margin=MARGIN) is None

    store.add_job(engine, job("sent"))
    assert store.claim(engine, job_id="sent", hall="puan", printer="win1", link="link-a", worker="w2",
                       now=T0, margin=MARGIN) is not None
    assert store.give_up(engine, "sent", T0 + timedelta(seconds=5)) == (PrintJobStatus.SENT, None)
    assert store.answer(engine, job_id="sent", hall="puan", status=PrintJobStatus.PRINTED, printer_status="ok",
                        message="", now=T0 + timedelta(seconds=6)) is None
    assert status(engine, "sent")[0] is PrintJobStatus.EXPIRED
    assert store.finished(engine, ["sent", "nothing"]) == [store.Finished("sent", "expired")]


def test_a_job_with_too_little_time_left_is_not_sent(engine: Engine) -> None:
    hold(engine, "link-a")
    store.add_job(engine, job("late", seconds=5))
    assert store.claim(engine, job_id="late", hall="puan", printer="win1", link="link-a", worker="w2",
                       now=T0 + timedelta(seconds=4.7), margin=MARGIN) is None
    assert store.pending(engine, "puan", ["win1"], T0 + timedelta(seconds=6)) == []


def test_a_job_sent_on_a_connection_that_broke_waits_for_the_next(engine: Engine) -> None:
    hold(engine, "link-a")
    store.add_job(engine, job("j1"))
    assert store.claim(engine, job_id="j1", hall="puan", printer="win1", link="link-a", worker="w2",
                       now=T0, margin=MARGIN) is not None
    store.unclaim(engine, "j1", "link-a")
    hold(engine, "link-b")
    assert store.pending(engine, "puan", ["win1"], T0) == [("j1", "win1")]
    assert store.claim(engine, job_id="j1", hall="puan", printer="win1", link="link-b", worker="w2",
                       now=T0, margin=MARGIN) is not None


def test_tidying_refreshes_live_connections_expires_forgotten_jobs_and_deletes_old_ones(engine: Engine) -> None:
    hold(engine, "link-a")
    store.add_job(engine, job("old", at=T0 - timedelta(days=2)))
    store.add_job(engine, job("orphan", at=T0 - timedelta(minutes=5)))  # its requester died
    store.add_job(engine, job("fresh", at=T0))
    later = T0 + timedelta(minutes=2)
    counts = store.tidy(engine, worker="w2", now=later, keep=timedelta(days=1), grace=timedelta(seconds=30))
    assert counts == {"seen": 1, "expired": 3, "deleted": 1, "stale": 0}  # expired, then the old one deleted
    assert status(engine, "orphan") == (PrintJobStatus.EXPIRED, b"")
    assert status(engine, "fresh") == (PrintJobStatus.EXPIRED, b"")
    with read_session(engine) as session:
        assert session.get(PrintJob, "old") is None
        link = session.get(PrintAgentLink, ("puan", "win1"))
        assert link is not None and link.seen_at == later
    assert store.held(engine, "puan", "win1", later - timedelta(seconds=60))
