"""Write simulated past days in bulk: the rows and events the server itself writes for the same days.

Per day, in one transaction: the tickets (every field the use cases set), the day's ticket counters,
the window stretches (folded from the window events by the same rule the handler keeps), the learnt
handling times, and, unless asked not to, the event log with the hall's next seqs. Written before the
server starts (`hall demo --simulate`, benchmarks): nothing is published.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Engine, insert, update
from sqlmodel import Session, col, select

from queue_server.app.bootstrap import prepare
from queue_server.auth.models import DeviceCreate, User, UserCreate
from queue_server.auth.service import add_device, add_user, hash_password, revoke_device
from queue_server.core.events import EventBase, TicketBrief
from queue_server.core.settings import ServerSettings
from queue_server.db.bus import MessageBus
from queue_server.db.engine import make_engine, read_session
from queue_server.db.eventlog import Event, HallState
from queue_server.db.uow import Database, UnitOfWork
from queue_server.devtools.history import Busy, PastDay, PastTicket, clerk_of, simulate_day
from queue_server.devtools.simulate import CLERK_NAMES
from queue_server.domain.estimate import ewma
from queue_server.domain.model import Channel, DeviceKind, Role, WindowStatus
from queue_server.halls.hall import Hall
from queue_server.halls.models import ServiceStat
from queue_server.stats.queries.staffing import staffing
from queue_server.tickets.events import (
    TicketCalled,
    TicketCancelled,
    TicketExpired,
    TicketFinished,
    TicketIssued,
    TicketNoShow,
    TicketStarted,
)
from queue_server.tickets.models import Counter, Ticket
from queue_server.windows.events import WindowClosed, WindowOpened, WindowPaused, WindowResumed
from queue_server.windows.sessions import TYPES, WindowEvent, WindowSession, fold

TICKET_EVENTS: dict[str, type[EventBase]] = {
    "ticket.issued": TicketIssued, "ticket.called": TicketCalled, "ticket.started": TicketStarted,
    "ticket.finished": TicketFinished, "ticket.no_show": TicketNoShow, "ticket.cancelled": TicketCancelled,
    "ticket.expired": TicketExpired}
WINDOW_EVENTS: dict[str, type[EventBase]] = {
    "window.opened": WindowOpened, "window.paused": WindowPaused, "window.resumed": WindowResumed,
    "window.closed": WindowClosed}
# The events a use case emits without naming the window (the ticket's brief carries it).
NO_WINDOW = ("ticket.issued", "ticket.cancelled", "ticket.expired")


@dataclass(frozen=True)
class Written:
    """What a history run wrote."""

    days: int
    tickets: int
    events: int


def working_days(hall: Hall, first: date, last: date) -> list[date]:
    """Return the hall's working days from first to last, both included."""
    days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    return [d for d in days if hall.calendar.is_working(d)]


def has_history(session: Session, hall: Hall, before: date) -> bool:
    """Tell whether the hall already has tickets of a day before this one."""
    found = session.exec(select(Ticket.id).where(Ticket.hall == hall.code, col(Ticket.day) < before).limit(1))
    return found.first() is not None


def history_actors(db: Database, busy: Busy, now: datetime) -> dict[str, str]:
    """Make the simulated clerks (disabled: nobody logs in as them) and a retired kiosk; return their actors."""

    def make(uow: UnitOfWork) -> dict[str, str]:
        session = uow.session
        # One hash of a password nobody knows, shared: the clerks are disabled, and argon2 is slow on purpose.
        password = secrets.token_urlsafe(12)
        unusable = hash_password(password)
        for n in busy.windows + busy.mornings:
            name = clerk_of(n)
            if session.exec(select(User).where(User.username == name)).first() is None:
                body = UserCreate(username=name, password=password, role=Role.CLERK,
                                  display_name=CLERK_NAMES[(n - 1) % len(CLERK_NAMES)])
                user = add_user(uow, body, now, password_hash=unusable)
                user.disabled = True
        device, _ = add_device(uow, DeviceCreate(name="历史数据取号机（已停用）", kind=DeviceKind.KIOSK), now)
        assert device.id is not None
        revoke_device(uow, device.id)
        # A clerk of the first window takes the numbers residents ask for at the counter.
        return {"kiosk": f"device:{device.id}", "counter": f"user:{clerk_of((busy.windows + busy.mornings)[0])}"}

    return db.run_write(make)[0]


def _row(hall: Hall, day: date, t: PastTicket) -> dict[str, Any]:
    return {"hall": hall.code, "day": day, "number": t.number, "number_category": t.category,
            "category": t.category, "service": t.service, "channel": t.channel, "priority": t.priority,
            "status": t.status, "designated_window": None, "window": t.window, "clerk": t.clerk,
            "outcome": t.outcome, "call_count": t.call_count, "token": secrets.token_urlsafe(16), "phone": None,
            "device_cookie": f"cookie:{secrets.token_hex(8)}" if t.channel == Channel.MOBILE else None,
            "issued_at": t.issued_at, "rank_at": t.rank_at, "first_called_at": t.first_called_at,
            "called_at": t.first_called_at, "started_at": t.started_at, "finished_at": t.finished_at,
            "closed_at": t.closed_at, "wait_seconds": t.wait_seconds, "service_seconds": t.service_seconds,
            "eta_at_issue": None, "ahead_at_issue": None, "appointment_id": None, "appointment_bonus": 0,
            "appointment_start": None}


def _actor(past: PastDay, k: int | None, kind: str, window: int | None, ids: Sequence[int],
           actors: dict[str, str]) -> str:
    if kind == "ticket.expired":
        return "system"
    if k is not None and kind in ("ticket.issued", "ticket.cancelled"):
        t = past.tickets[k]
        if kind == "ticket.cancelled" or t.channel == Channel.MOBILE:
            return f"resident:{ids[k]}"
        if t.channel == Channel.COUNTER:
            return actors["counter"]
        return actors["kiosk"]
    return f"user:{clerk_of(window)}" if window is not None else "system"


def _events(hall: Hall, past: PastDay, ids: Sequence[int], actors: dict[str, str], seq: int) -> list[dict[str, Any]]:
    rows = []
    for h in past.log:
        seq += 1
        if h.ticket is not None:
            t = past.tickets[h.ticket]
            window = None if h.type in NO_WINDOW else h.window
            brief = TicketBrief(id=ids[h.ticket], number=t.number, service=t.service, category=t.category,
                                status=h.status or t.status, window=window if h.type != "ticket.issued" else None)
            event = TICKET_EVENTS[h.type](ticket=brief, window=window, **h.extra)
        else:
            extra = {"status": WindowStatus.OPEN} if h.type == "window.opened" else h.extra
            event = WINDOW_EVENTS[h.type](window=h.window, **extra)
        stored = event.model_copy(update={"seq": seq, "at": hall.local_iso(h.at)})
        rows.append({"hall": hall.code, "seq": seq, "type": stored.type, "at": h.at,
                     "ticket_id": stored.ticket.id if stored.ticket else None, "window": stored.window,
                     "actor": _actor(past, h.ticket, h.type, h.window, ids, actors),
                     "data": stored.model_dump_json()})
    return rows


def write_day(uow: UnitOfWork, past: PastDay, actors: dict[str, str], *, events: bool = True) -> int:
    """Write one simulated day in the caller's unit of work (which holds the hall lock); return the events logged."""
    session, hall = uow.session, uow.hall
    table = Ticket.__table__  # type: ignore[attr-defined]
    rows = [_row(hall, past.day, t) for t in past.tickets]
    ids: list[int] = []
    if rows:
        result = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        ids = [int(i) for i in result.scalars()]
    if past.counters:
        session.execute(insert(Counter.__table__), [  # type: ignore[attr-defined]
            {"hall": hall.code, "day": past.day, "category": c, "last": n} for c, n in past.counters.items()])
    stretches = fold(WindowEvent(hall.code, h.window, h.type, h.extra.get("status"), h.at)
                     for h in past.log if h.type in TYPES and h.window is not None)
    if stretches:
        session.execute(insert(WindowSession.__table__),  # type: ignore[attr-defined]
                        [s._asdict() for s in stretches])
    _learn(session, hall, past)
    if not events or not past.log:
        return 0
    state = session.get(HallState, hall.code)
    assert state is not None
    logged = _events(hall, past, ids, actors, state.last_seq)
    session.execute(insert(Event.__table__), logged)  # type: ignore[attr-defined]
    session.execute(update(HallState).where(col(HallState.hall) == hall.code)
                    .values(last_seq=state.last_seq + len(logged)))
    return len(logged)


def _learn(session: Session, hall: Hall, past: PastDay) -> None:
    """Fold the day's service times into the running handling times, as finishing a ticket does."""
    alpha = hall.config.settings.handling_time_smoothing
    stats: dict[str, ServiceStat] = {}
    finished = [t for t in past.tickets if t.service_seconds is not None]
    for t in sorted(finished, key=lambda t: t.finished_at or t.issued_at):
        stat = stats.get(t.service) or session.get(ServiceStat, (hall.code, t.service))
        if stat is None:
            stat = ServiceStat(hall=hall.code, service=t.service, mean_seconds=hall.mean_seconds(t.service), samples=0)
            session.add(stat)
        stats[t.service] = stat
        assert t.service_seconds is not None
        stat.mean_seconds = ewma(stat.mean_seconds, t.service_seconds, alpha)
        stat.samples += 1


def write_history(engine: Engine, hall: Hall, days: Sequence[date], busy: Busy, *, seed: int = 2026,
                  events: bool = True, now: datetime | None = None) -> Written:
    """Simulate and write these past days, one transaction each."""
    now = now or datetime.now(UTC)
    db = Database(engine, hall, bus=MessageBus())
    try:
        actors = history_actors(db, busy, now)
        rng = random.Random(seed)
        tickets = logged = 0
        for day in days:
            past = simulate_day(hall, day, busy, rng)
            logged += db.run_write(partial(write_day, past=past, actors=actors, events=events))[0]
            tickets += len(past.tickets)
    finally:
        db.close()
    return Written(len(days), tickets, logged)


def demo_history(settings: ServerSettings, *, weeks: int = 8, busy: Busy | None = None,
                 now: datetime | None = None) -> list[str]:
    """Give the demo's hall `weeks` weeks of past working days (once), and say what Monday's advice is."""
    now = now or datetime.now(UTC)
    engine = make_engine(settings.resolved_database_url())
    try:
        hall = prepare(settings, engine, now).default
        today = hall.day(now)
        with read_session(engine) as session:
            had = has_history(session, hall, today)
        if had:
            lines = ["已有历史取号数据，未重新生成 (history already there)"]
        else:
            days = working_days(hall, today - timedelta(weeks=weeks), today - timedelta(days=1))
            w = write_history(engine, hall, days, busy or Busy(), now=now)
            lines = [f"已生成过去 {weeks} 周的取号历史：{w.days} 个工作日，{w.tickets} 张号票，{w.events} 条事件，"
                     f"周一上午最忙 (simulated history)"]
        with read_session(engine) as session:
            answer = staffing(session, hall, today=today, weekday=1, weeks=weeks, target_wait=600, target_pct=80,
                              now=now)
    finally:
        engine.dispose()
    test = answer["backtest"]
    mape = "—" if test["arrivals_mape_pct"] is None else f"{test['arrivals_mape_pct']:.1f}%"
    lines.append(f"周一排班建议依据 {len(answer['days'])} 个周一；到达人数回测误差 {mape}（{test['days']} 天）"
                 f" (backtest error)")
    lines += [f"  {line}" for line in answer["advice"][:4]]
    return lines
