"""The print relay's rows on a real database: a job is sent once, never after it expired, and forgotten."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from queue_server.app import tables  # noqa: F401  (every table in the metadata)
from queue_server.db.uow import Database
from queue_server.printing import store
from queue_server.printing.models import PrintAgentLink, PrintJob, PrintJobStatus
from tests.support.inprocess import database

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
MARGIN = timedelta(seconds=0.5)


class Rows:
    """The relay's store functions on one hall's database, each in its own transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def write(self, fn: Callable[..., Any], **kw: Any) -> Any:
        """Run a write in a unit of work of the hall (no hall lock), as the relay does."""
        return self.db.run_write(partial(fn, **kw), lock=False)[0]

    def read(self, fn: Callable[..., Any], **kw: Any) -> Any:
        """Run a read."""
        return self.db.run_read(partial(fn, **kw))

    def claim(self, job_id: str, link: str, now: datetime = T0) -> store.Claimed | None:
        """Claim a win1 job for a connection."""
        return self.write(store.claim, job_id=job_id, printer="win1", link=link, worker="w2", now=now,
                          margin=MARGIN)

    def status(self, job_id: str) -> tuple[PrintJobStatus, bytes]:
        """Read a job's status and bytes."""
        row = self.read(lambda s: s.get(PrintJob, job_id))
        assert row is not None
        return row.status, row.data

    def held(self, at: datetime = T0) -> bool:
        """Tell whether win1 is held by a connection seen in the last minute."""
        return bool(self.read(store.held, hall="puan", printer="win1", seen_after=at - timedelta(minutes=1)))


@pytest.fixture
def rows(any_db: str, tmp_path: Path) -> Iterator[Rows]:
    url = "" if any_db.startswith("sqlite") else any_db
    with database(tmp_path, url) as db:
        yield Rows(db)


def job(job_id: str, printer: str = "win1", at: datetime = T0, seconds: float = 5.0) -> PrintJob:
    """Return a pending job made at a time."""
    return PrintJob(id=job_id, hall="puan", printer=printer, window=1, title="受理回执", data=b"\x1b@slip",
                    status=PrintJobStatus.PENDING, requested_by="w1", created_at=at,
                    expires_at=at + timedelta(seconds=seconds))


def hold(rows: Rows, link: str, instance: str = "run-a", at: datetime = T0) -> None:
    """Make a connection hold printer win1."""
    rows.write(store.announce, printers=["win1"], link=link, instance=instance, device_id=1, worker="w2", now=at)


def test_the_migration_makes_the_tables_the_models_describe(rows: Rows) -> None:
    with rows.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    ours = [d for d in diff if "print_" in repr(d)]
    assert ours == []


def test_a_job_is_sent_once_and_only_on_the_connection_that_holds_its_printer(rows: Rows) -> None:
    hold(rows, "link-a")
    rows.write(store.add_job, job=job("j1"))
    assert rows.read(store.pending, hall="puan", printers=["win1"], now=T0) == [("j1", "win1")]
    assert rows.read(store.pending, hall="xinan", printers=["win1"], now=T0) == []  # another hall's
    assert rows.claim("j1", "link-b") is None  # not the holder
    claimed = rows.claim("j1", "link-a")
    assert claimed is not None and claimed.data == b"\x1b@slip" and claimed.title == "受理回执"
    assert rows.claim("j1", "link-a") is None  # sent once
    done = rows.write(store.answer, job_id="j1", status=PrintJobStatus.PRINTED, printer_status="ok",
                      message="", now=T0)
    assert done == store.Finished("j1", "printed", "ok", "")
    assert rows.status("j1") == (PrintJobStatus.PRINTED, b"")  # the slip's bytes are erased
    # The requester giving up afterwards reads the answer back; nothing is overwritten.
    assert rows.write(store.give_up, job_id="j1", now=T0) == (PrintJobStatus.PRINTED, done)


def test_the_last_announcement_of_a_name_wins(rows: Rows) -> None:
    hold(rows, "link-a", "run-a")
    hold(rows, "link-b", "run-b")
    rows.write(store.add_job, job=job("j1"))
    assert rows.claim("j1", "link-a") is None
    assert rows.claim("j1", "link-b") is not None
    rows.write(store.withdraw, link="link-a")  # the loser closing takes nothing from the winner
    assert rows.held()
    rows.write(store.withdraw, link="link-b")
    assert not rows.held()


def test_a_job_given_up_is_never_sent_and_a_late_answer_changes_nothing(rows: Rows) -> None:
    hold(rows, "link-a")
    rows.write(store.add_job, job=job("waiting"))
    assert rows.write(store.give_up, job_id="waiting", now=T0 + timedelta(seconds=5)) == (PrintJobStatus.PENDING, None)
    assert rows.status("waiting") == (PrintJobStatus.EXPIRED, b"")
    assert rows.claim("waiting", "link-a") is None

    rows.write(store.add_job, job=job("sent"))
    assert rows.claim("sent", "link-a") is not None
    assert rows.write(store.give_up, job_id="sent", now=T0 + timedelta(seconds=5)) == (PrintJobStatus.SENT, None)
    assert rows.write(store.answer, job_id="sent", status=PrintJobStatus.PRINTED, printer_status="ok",
                      message="", now=T0 + timedelta(seconds=6)) is None
    assert rows.status("sent")[0] is PrintJobStatus.EXPIRED
    assert rows.read(store.finished, hall="puan", job_ids=["sent", "nothing"]) == [store.Finished("sent", "expired")]


def test_a_job_with_too_little_time_left_is_not_sent(rows: Rows) -> None:
    hold(rows, "link-a")
    rows.write(store.add_job, job=job("late", seconds=5))
    assert rows.claim("late", "link-a", now=T0 + timedelta(seconds=4.7)) is None
    assert rows.read(store.pending, hall="puan", printers=["win1"], now=T0 + timedelta(seconds=6)) == []


def test_a_job_sent_on_a_connection_that_broke_waits_for_the_next(rows: Rows) -> None:
    hold(rows, "link-a")
    rows.write(store.add_job, job=job("j1"))
    assert rows.claim("j1", "link-a") is not None
    rows.write(store.unclaim, job_id="j1", link="link-a")
    hold(rows, "link-b")
    assert rows.read(store.pending, hall="puan", printers=["win1"], now=T0) == [("j1", "win1")]
    assert rows.claim("j1", "link-b") is not None


def test_tidying_refreshes_live_connections_expires_forgotten_jobs_and_deletes_old_ones(rows: Rows) -> None:
    hold(rows, "link-a")
    rows.write(store.add_job, job=job("old", at=T0 - timedelta(days=2)))
    rows.write(store.add_job, job=job("orphan", at=T0 - timedelta(minutes=5)))  # its requester died
    rows.write(store.add_job, job=job("fresh", at=T0))
    later = T0 + timedelta(minutes=2)
    counts = rows.write(store.tidy, worker="w2", now=later, keep=timedelta(days=1), grace=timedelta(seconds=30))
    assert counts == {"seen": 1, "expired": 3, "deleted": 1, "stale": 0}  # expired, then the old one deleted
    assert rows.status("orphan") == (PrintJobStatus.EXPIRED, b"")
    assert rows.status("fresh") == (PrintJobStatus.EXPIRED, b"")
    assert rows.read(lambda s: s.get(PrintJob, "old")) is None
    link = rows.read(lambda s: s.get(PrintAgentLink, ("puan", "win1")))
    assert link is not None and link.seen_at == later
    assert rows.held(later)
