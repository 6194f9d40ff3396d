"""The print relay of one server process: agents' sockets here, and print requests from here.

A window whose printer is ``agent://NAME`` prints through the print agent that announced NAME in
that hall. The agent's socket lands on one server process; the print request may land on another.
So a request writes a ``print_job`` row and the process holding the agent's socket sends it and
writes the answer back. On PostgreSQL each step is announced with pg_notify and heard through
this process's own LISTEN connection; on SQLite (one process) the relay hands each step to itself.

Rules that keep a slip from printing twice or late:
- a job is sent once: only the connection that holds its printer name claims it, and only while
  it is pending (``pending → sent``);
- the requester waits ``timeout`` seconds, then expires the job (``pending|sent → expired``); an
  expired job is never sent, and an answer that comes later does not change it;
- the agent is told how long it has to start; it drops a job whose time ran out (``printer/agent.py``).
Two agents announcing the same name: the last one wins; the earlier one is told ``superseded``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Protocol, TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from printer import agentwire as wire
from queue_server.db.uow import Database, UnitOfWork
from queue_server.printing import store
from queue_server.printing.models import PrintJob, PrintJobStatus
from queue_server.printing.store import Finished

log = logging.getLogger(__name__)
T = TypeVar("T")

NO_AGENT = "no_agent"  # a Finished.status beside the PrintJobStatus values: nobody held the name
NO_ANSWER = "no_answer"  # it was sent, and no answer came in time
OUTCOME_STATUS = {"printed": PrintJobStatus.PRINTED, "fault": PrintJobStatus.FAULT,
                  "expired": PrintJobStatus.EXPIRED, "unknown_printer": PrintJobStatus.FAULT}


def utcnow() -> datetime:
    """Tell the real time: relay deadlines are seconds a clerk waits, not the hall's (movable) clock."""
    return datetime.now(UTC)


class Served(Protocol):
    """A hall this process serves, as far as the relay is concerned: its database."""

    db: Database


@dataclass(eq=False)
class Link:
    """One agent's socket on this process: its hall, the printer names it holds, how to reach it."""

    hall: str
    device_id: int
    instance: str
    printers: set[str]
    send_text: Callable[[str], Awaitable[None]]
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def send(self, message: wire.ToAgent) -> None:
        """Send one message; messages from several tasks go out whole, one after another."""
        async with self._lock:
            await self.send_text(wire.encode(message))


class PrintAgents:
    """The agents connected to this process, and the requests of this process waiting for one."""

    def __init__(self, engine: Engine, halls: Callable[[], Mapping[str, Served]], *, timeout: float = 5.0,
                 keep: timedelta = timedelta(days=1), heartbeat: float = 20.0) -> None:
        self.engine = engine
        self._halls = halls
        self.timeout = timeout
        self.keep = keep
        self.heartbeat = heartbeat
        # A connection not refreshed for this long belongs to a process that died.
        self.stale = timedelta(seconds=max(3 * heartbeat, 30.0))
        self.margin = timedelta(seconds=min(0.5, timeout / 10))  # for the answer's way back
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._pg = engine.dialect.name == "postgresql"
        self._links: dict[tuple[str, str], Link] = {}
        self._waiters: dict[str, asyncio.Future[Finished]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._listening = asyncio.Event()

    # -- life ----------------------------------------------------------------------------------
    async def start(self) -> None:
        """Start the heartbeat (and on PostgreSQL the listener); call inside the event loop."""
        self._spawn(self._beat())
        if self._pg:
            self._spawn(self._listen())
            # A request made before LISTEN is in place could miss its answer: wait for it a little.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._listening.wait(), 10)

    async def stop(self) -> None:
        """Stop, and forget the names this process's connections held."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for link in {id(v): v for v in self._links.values()}.values():
            with contextlib.suppress(Exception):
                await self._write(link.hall, partial(store.withdraw, link=link.id))
        self._links.clear()

    # Units of work and reads run on the default executor's threads, never the server's request
    # threads: a print request holds one of those while it waits here (windows.send).
    async def _write(self, hall: str, fn: Callable[[UnitOfWork], T]) -> T:
        db = self._halls()[hall].db
        value, _ = await asyncio.to_thread(db.run_write, fn, lock=False)  # no events, no hall lock
        return value

    async def _read(self, hall: str, fn: Callable[[Session], T]) -> T:
        return await asyncio.to_thread(self._halls()[hall].db.run_read, fn)

    def _spawn(self, coro: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("print relay task failed", exc_info=task.exception())

    # -- agents -------------------------------------------------------------------------------
    async def attach(self, link: Link) -> None:
        """Make a connected agent the holder of its printer names, and send it what waits for them."""
        for name in link.printers:
            self._take(link.hall, name, link.id, link.instance)
            self._links[(link.hall, name)] = link
        await self._write(link.hall, partial(store.announce, printers=link.printers, link=link.id,
                                             instance=link.instance, device_id=link.device_id,
                                             worker=self.worker, now=utcnow()))
        waiting = await self._read(link.hall, partial(store.pending, hall=link.hall, printers=link.printers,
                                                      now=utcnow()))
        for job_id, printer in waiting:
            await self._deliver(job_id, link.hall, printer)

    async def detach(self, link: Link) -> None:
        """Forget a closed connection."""
        for key in [k for k, v in self._links.items() if v is link]:
            del self._links[key]
        try:
            await self._write(link.hall, partial(store.withdraw, link=link.id))
        except Exception:
            # Its rows go stale without the heartbeat and stop counting as connected within a minute.
            log.warning("could not forget print agent connection %s of hall %s", link.id, link.hall, exc_info=True)

    def _take(self, hall: str, printer: str, link_id: str, instance: str) -> None:
        """Drop a name from the connection here that held it, when a later announcement took it."""
        old = self._links.get((hall, printer))
        if old is None or old.id == link_id:
            return
        del self._links[(hall, printer)]
        old.printers.discard(printer)
        if old.instance != instance:  # another agent, not this agent reconnecting elsewhere
            log.warning("another print agent announced printer %s of hall %s; device %s no longer holds it",
                        printer, hall, old.device_id)
            self._spawn(self._tell(old, wire.Superseded(printer)))

    @staticmethod
    async def _tell(link: Link, message: wire.ToAgent) -> None:
        with contextlib.suppress(Exception):  # it may be gone already
            await link.send(message)

    async def answered(self, link: Link, answer: wire.Answer) -> None:
        """Record an agent's answer; an answer to a job already given up changes nothing."""
        status = OUTCOME_STATUS[answer.outcome]
        message = answer.message or ("" if status is PrintJobStatus.PRINTED else answer.detail)
        done = await self._write(link.hall, partial(store.answer, job_id=answer.id, status=status,
                                                    printer_status=answer.printer_status,
                                                    message=message[:200], now=utcnow()))
        if done is None:
            log.warning("print agent answered job %s (%s) after the request gave up; kept expired",
                        answer.id, answer.outcome)
        else:
            self._resolve(done)  # a requester of this process; on PostgreSQL the others hear NOTIFY

    async def _deliver(self, job_id: str, hall: str, printer: str) -> None:
        """Send a job to the agent here that holds its printer, if any and if it is still wanted."""
        link = self._links.get((hall, printer))
        if link is None:
            return
        now = utcnow()
        claimed = await self._write(hall, partial(store.claim, job_id=job_id, printer=printer, link=link.id,
                                                  worker=self.worker, now=now, margin=self.margin))
        if claimed is None:
            return
        ttl = (claimed.expires_at - now - self.margin).total_seconds()
        try:
            await link.send(wire.Job(job_id, printer, claimed.data, round(ttl, 3), claimed.title))
        except Exception:
            log.warning("could not send print job %s to its agent; it waits for the next one", job_id)
            await self._write(hall, partial(store.unclaim, job_id=job_id, link=link.id))

    # -- requests -----------------------------------------------------------------------------
    async def print(self, *, hall: str, printer: str, window: int, title: str, data: bytes) -> Finished:
        """Print through the agent holding a printer name; wait at most the timeout for its answer."""
        loop = asyncio.get_running_loop()
        started, now = loop.time(), utcnow()
        if not await self._read(hall, partial(store.held, hall=hall, printer=printer,
                                              seen_after=now - self.stale)):
            return Finished("", NO_AGENT)
        job_id = uuid.uuid4().hex
        waiter: asyncio.Future[Finished] = loop.create_future()
        self._waiters[job_id] = waiter  # before the row exists: its answer cannot come sooner
        try:
            job = PrintJob(id=job_id, hall=hall, printer=printer, window=window, title=title,
                           data=data, status=PrintJobStatus.PENDING, requested_by=self.worker,
                           created_at=now, expires_at=now + timedelta(seconds=self.timeout))
            await self._write(hall, partial(store.add_job, job=job))
            if not self._pg or (hall, printer) in self._links:
                # The agent is here: send at once (on PostgreSQL the notice comes too; the claim is
                # conditional, so the job still goes out once).
                self._spawn(self._deliver(job_id, hall, printer))
            left = self.timeout - (loop.time() - started)
            with contextlib.suppress(TimeoutError):
                return await asyncio.wait_for(asyncio.shield(waiter), max(0.0, left))
            seen, done = await self._write(hall, partial(store.give_up, job_id=job_id, now=utcnow()))
            if done is not None and done.status != PrintJobStatus.EXPIRED:
                return done  # answered just as we stopped waiting
            return Finished(job_id, NO_AGENT if seen is PrintJobStatus.PENDING else NO_ANSWER)
        finally:
            self._waiters.pop(job_id, None)

    def _resolve(self, done: Finished) -> None:
        waiter = self._waiters.get(done.id)
        if waiter is not None and not waiter.done():
            waiter.set_result(done)

    # -- between processes (PostgreSQL) ----------------------------------------------------------
    async def _listen(self) -> None:
        import psycopg

        url = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                    for channel in store.CHANNELS:
                        await conn.execute(f"LISTEN {channel}")
                    self._listening.set()
                    await self._catch_up()
                    async for note in conn.notifies():
                        self._heard(note.channel, note.payload)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("print relay lost its LISTEN connection; reconnecting")
                await asyncio.sleep(1)

    async def _catch_up(self) -> None:
        """Read what was missed while not listening: answers to our requests, jobs for our agents."""
        for hall in list(self._halls()):
            for done in await self._read(hall, partial(store.finished, hall=hall, job_ids=list(self._waiters))):
                self._resolve(done)
        by_hall: dict[str, set[str]] = {}
        for hall, printer in self._links:
            by_hall.setdefault(hall, set()).add(printer)
        for hall, printers in by_hall.items():
            for job_id, printer in await self._read(hall, partial(store.pending, hall=hall, printers=printers,
                                                                  now=utcnow())):
                self._spawn(self._deliver(job_id, hall, printer))

    def _heard(self, channel: str, payload: str) -> None:
        try:
            body = json.loads(payload)
            if channel == store.JOB_CHANNEL:
                if (body["hall"], body["printer"]) in self._links:
                    self._spawn(self._deliver(body["id"], body["hall"], body["printer"]))
            elif channel == store.ANSWER_CHANNEL:
                self._resolve(Finished(**body))
            elif channel == store.AGENT_CHANNEL:
                self._take(body["hall"], body["printer"], body["link"], body["instance"])
        except (ValueError, KeyError, TypeError):
            log.warning("unreadable print relay notice on %s: %r", channel, payload[:200])

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat)
            for hall in list(self._halls()):
                try:
                    counts = await self._write(hall, partial(store.tidy, worker=self.worker, now=utcnow(),
                                                             keep=self.keep, grace=timedelta(seconds=30)))
                    if counts["expired"] or counts["deleted"]:
                        log.info("print jobs of hall %s: %s expired, %s deleted", hall, counts["expired"],
                                 counts["deleted"])
                except Exception:
                    log.exception("print relay heartbeat of hall %s failed; will retry", hall)
