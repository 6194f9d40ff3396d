"""The public board's snapshot and the resident's catalogue, with live waiting counts and estimates."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, TypeAdapter
from sqlmodel import Session, col, select

from queue_server.cases.models import Case
from queue_server.db.eventlog import Event, last_seq
from queue_server.domain.estimate import Estimate
from queue_server.domain.model import CaseChannel, CaseStatus
from queue_server.domain.policy import ordered_queue
from queue_server.estimates.queries import read_queue
from queue_server.hallconfig.schema import Matter
from queue_server.halls.hall import Hall
from queue_server.readmodel.models import (
    BoardCategory,
    BoardWindow,
    Catalog,
    CatalogCategory,
    CatalogService,
    CurrentNumber,
    GuideMatter,
    HallBrief,
    MatterPublic,
    PickupCase,
    QueueSnapshot,
    RecentCall,
    WindowBrief,
)
from queue_server.tickets.events import CALL_TYPES, TicketCalled, TicketRecalled
from queue_server.tickets.models import Ticket
from queue_server.windows.queries import waiting_by_service, waiting_in_category, window_rows
from queue_server.windows.service.opening import get_window


def category_eta(hall: Hall, etas: dict[str, Estimate], category: str) -> float:
    """Return a category's estimate: the longest among its services."""
    codes = [s.code for s in hall.categories[category].services]
    return max((etas[c].eta_minutes for c in codes if c in etas), default=0)


def queue_snapshot(session: Session, hall: Hall, etas: dict[str, Estimate]) -> QueueSnapshot:
    """Build the public state of the hall: numbers only, never a name or a phone number."""
    seq = last_seq(session, hall.code)
    windows = [
        BoardWindow(number=r.number, name=w.name, name_en=w.name_en, status=r.status,
                    current=CurrentNumber(number=r.current.number, status=r.current.status)
                    if r.current else None)
        for r, w in zip(window_rows(session, hall), hall.config.windows, strict=True)
    ]
    waiting = waiting_by_service(session, hall)
    categories = [
        BoardCategory(code=c.code, name=c.name, name_en=c.name_en,
                      waiting=waiting_in_category(hall, waiting, c.code),
                      eta_minutes=category_eta(hall, etas, c.code))
        for c in hall.config.categories
    ]
    calls = [RecentCall(number=e.ticket.number, window=e.window, at=e.at)
             for e in recent_calls(session, hall) if e.ticket is not None]
    return QueueSnapshot(seq=seq, windows=windows, categories=categories, recent_calls=calls,
                         pickup=pickup_cases(session, hall))


def pickup_cases(session: Session, hall: Hall, limit: int = 30) -> list[PickupCase]:
    """List the completed window cases waiting for collection, oldest first (numbers only)."""
    rows = session.exec(
        select(Case).where(Case.hall == hall.code, col(Case.status) == CaseStatus.COMPLETED,
                           col(Case.channel) == CaseChannel.WINDOW)
        .order_by(col(Case.completed_at).desc()).limit(limit)).all()
    window = hall.config.pickup_window()
    return [PickupCase(id=c.id or 0, number=c.number, window=window, at=hall.local_iso(c.completed_at))
            for c in reversed(rows)]


def matter_public(hall: Hall, m: Matter) -> MatterPublic:
    """Return a matter as the API shows it."""
    dept = hall.departments.get(m.department)
    return MatterPublic(code=m.code, name=m.name, department=dept.name if dept else m.department,
                        department_code=m.department, mode=m.mode, promised_days=m.promised_days,
                        materials=list(m.materials), handled_here=m.handled_here)


def catalog(session: Session, hall: Hall, etas: dict[str, Estimate]) -> Catalog:
    """Build the catalogue with live waiting counts and estimates."""
    waiting = waiting_by_service(session, hall)
    categories = []
    for c in hall.config.categories:
        services = [
            CatalogService(code=s.code, name=s.name, name_en=s.name_en, icon=s.icon,
                           waiting=waiting.get(s.code, 0),
                           eta_minutes=etas[s.code].eta_minutes if s.code in etas else 0,
                           windows=hall.windows_by_service.get(s.code, []),
                           matters=[matter_public(hall, m)
                                    for m in hall.matters_by_service.get(s.code, [])])
            for s in c.services
        ]
        categories.append(CatalogCategory(
            code=c.code, name=c.name, name_en=c.name_en, icon=c.icon,
            waiting=waiting_in_category(hall, waiting, c.code),
            eta_minutes=max((int(s.eta_minutes) for s in services), default=0),
            services=services))
    info = hall.config.hall
    return Catalog(
        hall=HallBrief(code=hall.code, name=info.name, short_name=info.short_name or info.name),
        categories=categories,
        windows=[WindowBrief(number=r.number, name=w.name, name_en=w.name_en, status=r.status)
                 for r, w in zip(window_rows(session, hall), hall.config.windows, strict=True)])


def search_guide(hall: Hall, q: str) -> list[GuideMatter]:
    """Find matters whose matter, service or department names or keywords contain the query."""
    terms = [t for t in q.strip().lower().split() if t]
    out = []
    for m in hall.config.matters:
        svc = hall.services[m.service]
        dept = hall.departments.get(m.department)
        haystack = " ".join([m.name, m.code, svc.name, svc.name_en,
                             f"{dept.name} {dept.name_en}" if dept else "", *m.keywords]).lower()
        if all(t in haystack for t in terms):
            out.append(GuideMatter(**matter_public(hall, m).model_dump(), service=m.service,
                                   service_name=svc.name, category=hall.service_category[m.service]))
    return out


def window_queue(session: Session, hall: Hall, number: int) -> list[Ticket]:
    """Return the waiting tickets this window can serve, in call-next order."""
    get_window(session, hall, number)
    view = read_queue(session, hall)
    order = ordered_queue(hall.profiles[number], view.waiting, hall.bonus)
    if not order:
        return []
    rows = {t.id: t for t in session.exec(
        select(Ticket).where(col(Ticket.id).in_([q.id for q in order]))).all()}
    return [rows[q.id] for q in order]


_CALLS: TypeAdapter[TicketCalled | TicketRecalled] = TypeAdapter(
    Annotated[TicketCalled | TicketRecalled, Field(discriminator="type")])


def recent_calls(session: Session, hall: Hall, limit: int = 10) -> list[TicketCalled | TicketRecalled]:
    """Return the last calls and recalls, newest first."""
    rows = session.exec(
        select(Event.data)
        .where(Event.hall == hall.code, col(Event.type).in_(CALL_TYPES))
        .order_by(col(Event.seq).desc())
        .limit(limit)
    ).all()
    return [_CALLS.validate_json(r) for r in rows]
