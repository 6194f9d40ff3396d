"""The print relay's rows: jobs and which connection holds each printer name.

The writes run in a hall's unit of work (without the hall lock: they emit no events and touch
nothing of the queue), the reads in a session; every statement keeps to the hall. On PostgreSQL
a write also announces what it did with pg_notify in its transaction, so every server process
hears it once it is committed; on SQLite (one process) the relay hands the same news to itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, text, update
from sqlmodel import Session, col, select

from queue_server.db.uow import UnitOfWork
from queue_server.printing.models import OPEN, PrintAgentLink, PrintJob, PrintJobStatus

JOB_CHANNEL = "print_job"  # {"id", "hall", "printer"}: a job waits for the process holding its printer
ANSWER_CHANNEL = "print_answer"  # a Finished: the requester may stop waiting
AGENT_CHANNEL = "print_agent"  # {"hall", "printer", "link", "instance"}: the last agent to announce a name
CHANNELS = (JOB_CHANNEL, ANSWER_CHANNEL, AGENT_CHANNEL)


@dataclass(frozen=True)
class Finished:
    """How a job ended, as the requester learns it."""

    id: str
    status: str  # a final PrintJobStatus value
    printer_status: str = ""
    message: str = ""


@dataclass(frozen=True)
class Claimed:
    """A job this process may send to its agent now."""

    data: bytes
    title: str
    expires_at: datetime


def _notify(session: Session, channel: str, body: dict[str, str]) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, :payload)"),
                        {"channel": channel, "payload": json.dumps(body, ensure_ascii=False)})


def _finished(row: PrintJob) -> Finished:
    return Finished(row.id, str(row.status), row.printer_status or "", row.message or "")


def announce(uow: UnitOfWork, *, printers: Iterable[str], link: str, instance: str, device_id: int,
             worker: str, now: datetime) -> None:
    """Make a connection the holder of printer names (the last announcement wins)."""
    names, hall, session = list(printers), uow.hall.code, uow.session
    session.execute(delete(PrintAgentLink).where(col(PrintAgentLink.hall) == hall,
                                                 col(PrintAgentLink.printer).in_(names)))
    for name in names:
        session.add(PrintAgentLink(hall=hall, printer=name, link=link, instance=instance,
                                   device_id=device_id, worker=worker, connected_at=now, seen_at=now))
        _notify(session, AGENT_CHANNEL, {"hall": hall, "printer": name, "link": link,
                                         "instance": instance})


def withdraw(uow: UnitOfWork, link: str) -> None:
    """Forget the names a connection held (it closed)."""
    uow.session.execute(delete(PrintAgentLink).where(col(PrintAgentLink.hall) == uow.hall.code,
                                                     col(PrintAgentLink.link) == link))


def held(session: Session, hall: str, printer: str, seen_after: datetime) -> bool:
    """Tell whether a live connection holds a printer name."""
    return session.exec(select(PrintAgentLink.link).where(
        col(PrintAgentLink.hall) == hall, col(PrintAgentLink.printer) == printer,
        col(PrintAgentLink.seen_at) > seen_after)).first() is not None


def add_job(uow: UnitOfWork, job: PrintJob) -> None:
    """Write a new pending job and announce it."""
    assert job.hall == uow.hall.code
    uow.session.add(job)
    uow.session.flush()
    _notify(uow.session, JOB_CHANNEL, {"id": job.id, "hall": job.hall, "printer": job.printer})


def claim(uow: UnitOfWork, *, job_id: str, printer: str, link: str, worker: str, now: datetime,
          margin: timedelta) -> Claimed | None:
    """Take a pending job for the connection holding its printer, if it has time left; else None."""
    hall, session = uow.hall.code, uow.session
    holds = exists().where(col(PrintAgentLink.hall) == hall, col(PrintAgentLink.printer) == printer,
                           col(PrintAgentLink.link) == link)
    taken = session.execute(update(PrintJob).where(
        col(PrintJob.id) == job_id, col(PrintJob.hall) == hall, col(PrintJob.printer) == printer,
        col(PrintJob.status) == PrintJobStatus.PENDING, col(PrintJob.expires_at) > now + margin,
        holds).values(status=PrintJobStatus.SENT, link=link, sent_by=worker))
    if not getattr(taken, "rowcount", 0):
        return None
    row = session.get(PrintJob, job_id)
    assert row is not None
    return Claimed(row.data, row.title, row.expires_at)


def unclaim(uow: UnitOfWork, job_id: str, link: str) -> None:
    """Put a job back as pending: it could not be sent on that connection."""
    uow.session.execute(update(PrintJob).where(
        col(PrintJob.id) == job_id, col(PrintJob.hall) == uow.hall.code,
        col(PrintJob.status) == PrintJobStatus.SENT, col(PrintJob.link) == link).values(
        status=PrintJobStatus.PENDING, link=None, sent_by=None))


def pending(session: Session, hall: str, printers: Iterable[str], now: datetime) -> list[tuple[str, str]]:
    """List the pending jobs (id, printer) for printer names that have not expired."""
    rows = session.exec(select(PrintJob.id, PrintJob.printer).where(
        col(PrintJob.hall) == hall, col(PrintJob.printer).in_(list(printers)),
        col(PrintJob.status) == PrintJobStatus.PENDING, col(PrintJob.expires_at) > now)
        .order_by(col(PrintJob.created_at))).all()
    return [(str(r[0]), str(r[1])) for r in rows]


def answer(uow: UnitOfWork, *, job_id: str, status: PrintJobStatus, printer_status: str, message: str,
           now: datetime) -> Finished | None:
    """Record an agent's answer to a sent job; None if the requester had already given up."""
    hall, session = uow.hall.code, uow.session
    done = session.execute(update(PrintJob).where(
        col(PrintJob.id) == job_id, col(PrintJob.hall) == hall,
        col(PrintJob.status) == PrintJobStatus.SENT).values(
        status=status, printer_status=printer_status, message=message, answered_at=now, data=b""))
    if not getattr(done, "rowcount", 0):
        return None
    finished = Finished(job_id, str(status), printer_status, message)
    _notify(session, ANSWER_CHANNEL, asdict(finished))
    return finished


def give_up(uow: UnitOfWork, job_id: str, now: datetime) -> tuple[PrintJobStatus | None, Finished | None]:
    """Expire a job the requester stops waiting for: (the status it had, or its answer if one came)."""
    session = uow.session
    row = session.get(PrintJob, job_id)
    if row is None or row.hall != uow.hall.code:
        return None, None
    seen = row.status
    if seen in OPEN:
        # Conditional: an answer committed meanwhile wins, and is then read back below.
        gone = session.execute(update(PrintJob).where(
            col(PrintJob.id) == job_id, col(PrintJob.status) == seen).values(
            status=PrintJobStatus.EXPIRED, answered_at=now, data=b""))
        if getattr(gone, "rowcount", 0):
            return seen, None
        session.expire_all()
        row = session.get(PrintJob, job_id)
        assert row is not None
    return seen, _finished(row)


def finished(session: Session, hall: str, job_ids: Iterable[str]) -> list[Finished]:
    """Read back the jobs among these that have ended (after the listener missed news)."""
    ids = list(job_ids)
    if not ids:
        return []
    rows = session.exec(select(PrintJob).where(col(PrintJob.hall) == hall, col(PrintJob.id).in_(ids),
                                               col(PrintJob.status).not_in(OPEN))).all()
    return [_finished(r) for r in rows]


def tidy(uow: UnitOfWork, *, worker: str, now: datetime, keep: timedelta, grace: timedelta) -> dict[str, int]:
    """Refresh this process's connections, expire jobs nobody waits for, delete old rows (one hall)."""
    hall, session = uow.hall.code, uow.session
    link_of_hall, job_of_hall = col(PrintAgentLink.hall) == hall, col(PrintJob.hall) == hall
    counts = {
        "seen": session.execute(update(PrintAgentLink).where(
            link_of_hall, col(PrintAgentLink.worker) == worker).values(seen_at=now)),
        # A requester expires its own job; this catches one whose process died while waiting.
        "expired": session.execute(update(PrintJob).where(
            job_of_hall, col(PrintJob.status).in_(OPEN), col(PrintJob.expires_at) < now - grace).values(
            status=PrintJobStatus.EXPIRED, data=b"")),
        "deleted": session.execute(delete(PrintJob).where(job_of_hall, col(PrintJob.created_at) < now - keep)),
        # A connection whose process died without saying so.
        "stale": session.execute(delete(PrintAgentLink).where(
            link_of_hall, col(PrintAgentLink.seen_at) < now - keep)),
    }
    return {name: int(getattr(result, "rowcount", 0) or 0) for name, result in counts.items()}
