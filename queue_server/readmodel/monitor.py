"""The manager's live monitor: every window, every category and the current alerts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Float, cast, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from queue_server.auth.models import Device
from queue_server.domain.alerts import device_alerts, idle_alerts, sla_breaches
from queue_server.domain.estimate import Estimate
from queue_server.domain.model import TicketStatus, WindowStatus
from queue_server.domain.statistics import rounded
from queue_server.halls.hall import Hall
from queue_server.readmodel.queries import category_eta
from queue_server.tickets.models import Ticket
from queue_server.windows.models import ClerkRef
from queue_server.windows.queries import window_rows

DEVICE_STALE = timedelta(minutes=10)
IDLE_ALERT = timedelta(minutes=2)


class LiveCurrent(BaseModel):
    """The ticket a window holds, and since when."""

    number: str
    status: TicketStatus
    service: str
    since: str | None


class LiveWindow(BaseModel):
    """A window on the live monitor."""

    number: int
    name: str
    status: WindowStatus
    pause_reason: str | None
    clerk: ClerkRef | None
    current: LiveCurrent | None
    served_today: int
    service_avg_today: float | None
    eligible_waiting: int
    idle_since: str | None


class LiveCategory(BaseModel):
    """A category on the live monitor."""

    code: str
    name: str
    waiting: int
    longest_wait_seconds: float | None
    eta_minutes: float | None


class Alert(BaseModel):
    """Something a manager should look at now."""

    kind: str
    level: str
    message: str
    count: int | None = None
    tickets: list[dict[str, Any]] | None = None
    device: str | None = None
    status: str | None = None
    window: int | None = None


class LiveMonitor(BaseModel):
    """The live monitor."""

    at: str
    day: str
    sla_seconds: float
    windows: list[LiveWindow]
    categories: list[LiveCategory]
    alerts: list[Alert]
    waiting: int


def _served_today(session: Session, hall: Hall, now: datetime) -> dict[int, tuple[int, float | None]]:
    svc = col(Ticket.service_seconds)
    rows = session.execute(
        sa_select(col(Ticket.window), func.count(), func.avg(cast(svc, Float)))
        .where(col(Ticket.hall) == hall.code, col(Ticket.day) == hall.day(now),
               col(Ticket.status) == TicketStatus.DONE, col(Ticket.window).is_not(None))
        .group_by(col(Ticket.window))).all()
    return {int(w): (int(n), float(a) if a is not None else None) for w, n, a in rows}


def _waiting(session: Session, hall: Hall) -> list[Any]:
    return list(session.execute(sa_select(
        col(Ticket.number), col(Ticket.service), col(Ticket.category), col(Ticket.issued_at),
        col(Ticket.designated_window))
        .where(col(Ticket.hall) == hall.code, col(Ticket.status) == TicketStatus.WAITING)
        .order_by(col(Ticket.issued_at))).all())


def _devices(session: Session, hall: Hall) -> list[dict[str, Any]]:
    return [{"name": d.name, "kind": d.kind, "window": d.window, "status": d.status,
             "last_seen": d.last_seen}
            for d in session.exec(select(Device).where(Device.hall == hall.code,
                                                       col(Device.revoked).is_(False))).all()]


def _sla_alert(breaches: list[dict[str, Any]], sla: float) -> Alert:
    worst = breaches[0]
    shown = "、".join(b["number"] for b in breaches[:8])
    more = f" 等 {len(breaches)} 人" if len(breaches) > 8 else f" 共 {len(breaches)} 人"
    return Alert(kind="sla", level="error", count=len(breaches), tickets=breaches[:50],
                 message=f"等候超过 {int(sla // 60)} 分钟：{shown}{more}，"
                         f"最长 {int(worst['waited_seconds'] // 60)} 分钟")


def live_monitor(session: Session, hall: Hall, now: datetime, etas: dict[str, Estimate]) -> LiveMonitor:
    """Assemble the live monitor: windows, categories and alerts."""
    waiting = _waiting(session, hall)
    per_window = _served_today(session, hall, now)
    windows: list[LiveWindow] = []
    idle: list[dict[str, Any]] = []
    for row in window_rows(session, hall, with_names=True):
        state, ticket = row.state, row.current
        served, avg = per_window.get(row.number, (0, None))
        profile = hall.profiles[row.number]
        eligible = sum(1 for t in waiting if t.designated_window == row.number or (
            t.designated_window is None and profile.serves(t.service)))
        clerk = state.clerk if state else None
        windows.append(LiveWindow(
            number=row.number, name=hall.window_name(row.number), status=row.status,
            pause_reason=state.pause_reason if state else None,
            clerk=ClerkRef(username=clerk, display_name=row.clerk_name or clerk) if clerk else None,
            current=LiveCurrent(number=ticket.number, status=ticket.status, service=ticket.service,
                                since=hall.local_iso(ticket.started_at or ticket.called_at))
            if ticket else None,
            served_today=served, service_avg_today=rounded(avg), eligible_waiting=eligible,
            idle_since=hall.local_iso(state.updated_at) if state and not ticket else None))
        idle.append({"number": row.number, "status": row.status, "current": ticket,
                     "eligible_waiting": eligible, "idle_since": state.updated_at if state else None})
    categories = []
    for c in hall.config.categories:
        mine = [t for t in waiting if t.category == c.code]
        longest = (now - mine[0].issued_at).total_seconds() if mine else None
        categories.append(LiveCategory(code=c.code, name=c.name, waiting=len(mine),
                                       longest_wait_seconds=rounded(longest, 0),
                                       eta_minutes=rounded(category_eta(hall, etas, c.code))))
    sla = float(hall.config.settings.sla_seconds)
    breaches = sla_breaches(((t.number, t.service, t.issued_at) for t in waiting), now, sla)
    alerts = [_sla_alert(breaches, sla)] if breaches else []
    alerts += [Alert(**a) for a in device_alerts(_devices(session, hall), now, DEVICE_STALE)]
    alerts += [Alert(**a) for a in idle_alerts(idle, now, IDLE_ALERT)]
    return LiveMonitor(at=hall.local_iso(now) or "", day=hall.day(now).isoformat(),
                       sla_seconds=sla, windows=windows, categories=categories, alerts=alerts,
                       waiting=len(waiting))
