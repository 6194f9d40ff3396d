"""The sender: one per server process; sends what the outbox holds, after the commit, and decides `ahead`.

It wakes when a committed batch may have queued a text (the hub's batches, this process's and, on
PostgreSQL, the other processes' through LISTEN/NOTIFY) and polls every second besides, so a
message queued by a process that died, or due at the end of quiet hours, goes out all the same.
Each provider call runs in a thread of the sender's own (providers are synchronous), outside any
transaction. Every hall's messages go through that hall's provider (its `settings.sms`).

`ahead` is the one text whose cause is not a row change but a figure: the waiting-time estimate.
After a batch that moves queues the sender asks the hall's estimator for the current simulation,
and queues `ahead` for each texted ticket that was issued more than `ahead_at` from the front and
now has `ahead_at` or fewer ahead. It is checked again every few seconds, so nothing is missed if
the process stops in between; the outbox's unique (hall, kind, subject) keeps it to one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import Engine, String, cast
from sqlmodel import Session, col, select

from queue_server.core.events import Envelope
from queue_server.db.engine import read_session, write_session
from queue_server.db.uow import Database, UnitOfWork
from queue_server.domain import sms as rules
from queue_server.domain.model import TicketStatus
from queue_server.domain.sms import SmsKind
from queue_server.estimates.estimator import Estimator
from queue_server.hallconfig.sms import SmsSettings
from queue_server.halls.hall import Hall
from queue_server.sms import outbox, service
from queue_server.sms.base import OutgoingSms, Provider, SendResult
from queue_server.sms.models import SmsMessage
from queue_server.sms.providers import make_provider
from queue_server.sms.settings import SmsEnvSettings
from queue_server.tickets.models import Ticket

log = logging.getLogger(__name__)

# Events whose handlers may have queued a text: the sender looks at once rather than at its next poll.
QUEUEING = frozenset({"ticket.called", "case.completed", "appointment.booked"})
# Events after which a waiting ticket may have fewer ahead of it: tickets' and windows', but these.
MOVERS = ("ticket.", "window.")
NOT_MOVING = frozenset({"ticket.issued", "ticket.evaluated", "ticket.recalled", "device.status"})
AHEAD_SPACING = 1.0  # seconds at least between two checks of `ahead` (each may run a simulation)
AHEAD_DELAY = 0.3  # seconds from the batch that moved queues to the check


class ServedHall(Protocol):
    """A hall this process serves, as far as the sender is concerned."""

    hall: Hall
    db: Database
    estimator: Estimator


class SmsSender:
    """Send queued texts after their commit, retry failures on the domain's backoff, queue `ahead`."""

    def __init__(self, engine: Engine, halls: Callable[[], Mapping[str, ServedHall]],
                 clock: Callable[[], datetime], *, env: SmsEnvSettings | None = None, poll: float = 1.0,
                 claim: float = 30.0, batch: int = 20, threads: int = 4) -> None:
        self._engine = engine
        self._halls = halls
        self._clock = clock
        self._env = env if env is not None else SmsEnvSettings()
        self.poll = poll
        self.batch = batch
        # A claim outlives the slowest answer a provider may take, with room to record it.
        self.lease = timedelta(seconds=max(claim, self._env.timeout_seconds + 5))
        self._providers: dict[str, tuple[SmsSettings, Provider]] = {}
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sms-send")
        self._wake = asyncio.Event()
        self._ahead_wake = asyncio.Event()
        self._ahead_dirty: set[str] = set()
        self._tasks: list[asyncio.Task[None]] = []
        self._inflight: set[asyncio.Task[SmsMessage | None]] = set()

    # -- wiring -----------------------------------------------------------------------------------
    def provider(self, hall: Hall) -> Provider:
        """Return the provider the hall's settings name (built once per settings; raises SmsConfigError)."""
        settings = hall.config.settings.sms
        known = self._providers.get(hall.code)
        if known is None or known[0] != settings:
            if known is not None:
                _close(known[1])
            known = (settings, make_provider(settings, self._env))
            self._providers[hall.code] = known
        return known[1]

    def saw(self, code: str, batch: list[Envelope]) -> None:
        """Look at a committed batch of a hall's events: wake the sender, or the `ahead` check."""
        types = {e.event.type for e in batch}
        if types & QUEUEING:
            self._wake.set()
        if any(t.startswith(MOVERS) and t not in NOT_MOVING for t in types):
            self._ahead_dirty.add(code)
            self._ahead_wake.set()

    def wake(self) -> None:
        """Look for due messages now."""
        self._wake.set()

    def start(self) -> None:
        """Start sending; call inside the event loop."""
        self._tasks = [asyncio.create_task(self._send_loop(), name="sms-send"),
                       asyncio.create_task(self._ahead_loop(), name="sms-ahead")]

    async def stop(self) -> None:
        """Stop sending; a message being sent is recorded or, if cut off, tried again later."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self._inflight:  # let the tries under way finish and be recorded, for a little while
            await asyncio.wait(set(self._inflight), timeout=self._env.timeout_seconds + 1)
        self._pool.shutdown(wait=False, cancel_futures=True)
        for _, provider in self._providers.values():
            _close(provider)

    # -- sending ----------------------------------------------------------------------------------
    async def _send_loop(self) -> None:
        while True:
            woken = False
            with contextlib.suppress(TimeoutError):
                woken = await asyncio.wait_for(self._wake.wait(), self.poll)
            self._wake.clear()
            try:
                # Claim while there is room: a slow answer holds its own message, not the next ones.
                # An idle poll reads first, so it takes no write lock when nothing is due.
                while (room := self.batch - len(self._inflight)) > 0 and \
                        await self.send_due(room, look_first=not woken) >= room:
                    pass
            except Exception:  # a database hiccup: the messages stay queued, the next round tries
                log.exception("sms: sending failed; the messages stay queued")

    async def send_due(self, limit: int | None = None, look_first: bool = False) -> int:
        """Claim due messages of the halls served here and start sending each; return how many were claimed."""
        halls = self._halls()
        if not halls:
            return 0
        now = self._clock()
        claimed = await asyncio.to_thread(self._claim, list(halls), now, limit or self.batch, look_first)
        for message in claimed:
            served = halls.get(message.hall)
            if served is None:  # a hall dropped meanwhile: its claim runs out and another try takes it
                continue
            task = asyncio.create_task(self._try(served.hall, message), name=f"sms-{message.id}")
            self._inflight.add(task)
            task.add_done_callback(self._sent)
        return len(claimed)

    def _sent(self, task: asyncio.Task[SmsMessage | None]) -> None:
        full = len(self._inflight) >= self.batch
        self._inflight.discard(task)
        if full:  # there was no room for the due messages left behind: look again
            self._wake.set()
        if not task.cancelled() and task.exception() is not None:
            log.error("sms: a try could not be recorded; it is tried again when its claim runs out",
                      exc_info=task.exception())

    def _claim(self, halls: list[str], now: datetime, limit: int, look_first: bool) -> list[outbox.Claimed]:
        if look_first:
            with read_session(self._engine) as session:
                if not outbox.any_due(session, halls, now):
                    return []
        with write_session(self._engine) as session:
            return outbox.claim(session, halls, now, limit=limit, lease=self.lease)

    async def _try(self, hall: Hall, message: outbox.Claimed, retry: bool = True) -> SmsMessage | None:
        """Send one claimed message through its hall's provider, then record the result."""
        result = await self._send(hall, message)
        now = self._clock()
        row = await asyncio.to_thread(self._record, message, result, now, retry)
        if result.status == "failed":
            log.warning("sms %s try %d failed: %s", message.id, message.attempts, result.reason)
        return row

    async def _send(self, hall: Hall, message: outbox.Claimed) -> SendResult:
        settings = hall.config.settings.sms
        outgoing = OutgoingSms(id=message.id, phone=message.phone, sign_name=settings.sign_name,
                               template=message.template, kind=message.kind, params=message.params)
        try:
            provider = self.provider(hall)
            return await asyncio.get_running_loop().run_in_executor(self._pool, provider.send, outgoing)
        except Exception as exc:  # a provider must answer failed; one that raises is a failure too
            return SendResult.failed(f"短信发送出错 ({type(exc).__name__})")

    def _record(self, message: outbox.Claimed, result: SendResult, now: datetime, retry: bool) -> SmsMessage | None:
        with write_session(self._engine) as session:
            row = outbox.record(session, message, result, now, retry=retry)
            if row is not None:
                session.flush()
                session.expunge(row)
            return row

    async def send_test(self, hall: Hall, phone: str) -> tuple[SmsMessage, str]:
        """Queue an admin's test text and send it once now; return the row as recorded and the provider's name."""
        provider = self.provider(hall)
        now = self._clock()
        row = service.test_message(hall, phone=phone, now=now)
        message = await asyncio.to_thread(self._insert_claimed, row, now)
        recorded = await self._try(hall, message, retry=False)
        assert recorded is not None
        return recorded, provider.name

    def _insert_claimed(self, row: SmsMessage, now: datetime) -> outbox.Claimed:
        with write_session(self._engine) as session:
            session.add(row)
            session.flush()
            message = outbox.claim_one(session, row.id, now, self.lease)
        assert message is not None
        return message

    # -- ahead ------------------------------------------------------------------------------------
    async def _ahead_loop(self) -> None:
        # Every hall once at start (a process that stopped between a call and its check), then the
        # halls whose queues moved. Nothing else lowers a ticket's `ahead`: an issue only adds behind
        # or, with a priority, ahead of it. Checks are spaced so a busy hall costs one a second.
        codes: set[str] = set(self._halls())
        while True:
            halls = self._halls()
            for code in codes:
                served = halls.get(code)
                if served is None:
                    continue
                try:
                    if await self.check_ahead(served):
                        self._wake.set()
                except Exception:  # checked again at the hall's next batch that moves queues
                    log.exception("sms: the ahead check of hall %s failed", code)
            await asyncio.sleep(AHEAD_SPACING)
            await self._ahead_wake.wait()
            # The call's own text first: `ahead` may run a simulation, and a few tenths of a second
            # matter to neither the resident nor the estimate.
            await asyncio.sleep(AHEAD_DELAY)
            self._ahead_wake.clear()
            codes, self._ahead_dirty = self._ahead_dirty, set()

    async def check_ahead(self, served: ServedHall) -> int:
        """Queue `ahead` for the hall's texted tickets that crossed `ahead_at`; return how many were queued."""
        hall = served.hall
        ahead_at = hall.config.settings.sms.ahead_at
        await asyncio.to_thread(served.estimator.flush)  # each ticket's ahead at issue, recorded in batches
        candidates = await served.db.read(lambda s: ahead_candidates(s, hall.code, ahead_at))
        if not candidates:
            return 0
        estimates = (await served.estimator.current(max_age=1.0)).tickets
        due = []
        for ticket_id, number, phone, at_issue in candidates:
            est = estimates.get(ticket_id)
            if est is not None and rules.ahead_crossed(at_issue, est.ahead, ahead_at):
                due.append((ticket_id, number, phone, est.ahead))
        if not due:
            return 0
        now = self._clock()

        def queue_all(uow: UnitOfWork) -> int:
            queued = 0
            for ticket_id, number, phone, ahead in due:
                ticket = uow.session.get(Ticket, ticket_id)
                if ticket is None or ticket.status != TicketStatus.WAITING or not ticket.sms:
                    continue
                queued += service.queue(uow, kind=SmsKind.AHEAD, subject=str(ticket_id), phone=phone,
                                        params=rules.ahead_params(number, ahead), now=now)
            return queued

        return await served.db.write(queue_all)


def ahead_candidates(session: Session, hall: str, ahead_at: int) -> list[tuple[int, str, str, int]]:
    """Return the hall's waiting texted tickets issued more than ahead_at from the front with no `ahead` yet."""
    sent = (select(SmsMessage.subject)
            .where(col(SmsMessage.hall) == hall, col(SmsMessage.kind) == SmsKind.AHEAD,
                   col(SmsMessage.subject) == cast(col(Ticket.id), String)))
    rows = session.exec(select(Ticket.id, Ticket.number, Ticket.phone, Ticket.ahead_at_issue).where(
        col(Ticket.hall) == hall, col(Ticket.status) == TicketStatus.WAITING, col(Ticket.sms).is_(True),
        col(Ticket.phone).is_not(None), col(Ticket.ahead_at_issue) > ahead_at, ~sent.exists()))
    return [(int(i), str(n), str(p), int(a)) for i, n, p, a in rows if i is not None and p and a is not None]


def _close(provider: Provider) -> None:
    close = getattr(provider, "close", None)
    if callable(close):
        close()
