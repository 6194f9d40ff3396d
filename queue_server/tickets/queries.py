"""Reading tickets: one ticket for its resident or staff, and how tickets look in answers."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from queue_server.auth.service import Principal
from queue_server.core.errors import Forbidden, NotFound, Unauthorized
from queue_server.domain.estimate import Estimate
from queue_server.domain.model import TicketStatus
from queue_server.domain.privacy import mask_phone, token_matches
from queue_server.halls.hall import Hall
from queue_server.tickets.identity import unseal_holder
from queue_server.tickets.models import Ticket, TicketApplicant, TicketPublic


def track_url(base_url: str, ticket: Ticket) -> str:
    """Return the resident's link to follow a ticket."""
    return f"{base_url.rstrip('/')}/m/t/{ticket.id}?token={ticket.token}"


def ticket_windows(hall: Hall, ticket: Ticket) -> list[int]:
    """Return the windows that can serve the ticket."""
    if ticket.designated_window is not None:
        return [ticket.designated_window]
    return list(hall.windows_by_service.get(ticket.service, []))


def preferred_windows(hall: Hall, ticket: Ticket) -> list[int]:
    """Return the windows that serve the ticket in their first tier: where to look first."""
    if ticket.designated_window is not None:
        return [ticket.designated_window]
    return list(hall.first_tier_windows.get(ticket.service, []))


def ticket_public(
    ticket: Ticket,
    hall: Hall,
    *,
    estimate: Estimate | None,
    base_url: str,
    with_token: bool,
    applicant: TicketApplicant | None = None,
) -> TicketPublic:
    """Return the API's Ticket object; ``applicant`` only for staff (applicant_for)."""
    service = hall.services.get(ticket.service)
    category = hall.categories.get(ticket.category)
    waiting = ticket.status == TicketStatus.WAITING
    out: dict[str, Any] = {
        "id": ticket.id,
        "number": ticket.number,
        "service": ticket.service,
        "service_name": service.name if service else ticket.service,
        "category": ticket.category,
        "category_name": category.name if category else ticket.category,
        "status": ticket.status,
        "channel": ticket.channel,
        "priority": ticket.priority,
        "issued_at": hall.local_iso(ticket.issued_at),
        "ahead": estimate.ahead if (waiting and estimate) else 0,
        "eta_minutes": estimate.eta_minutes if (waiting and estimate) else 0,
        "windows": ticket_windows(hall, ticket),
        "preferred_windows": preferred_windows(hall, ticket),
        "designated_window": ticket.designated_window,
        "phone": mask_phone(ticket.phone),
        "outcome": ticket.outcome,
    }
    if ticket.first_called_at is not None:
        out.update(
            window=ticket.window,
            first_called_at=hall.local_iso(ticket.first_called_at),
            called_at=hall.local_iso(ticket.called_at),
            call_count=ticket.call_count,
            started_at=hall.local_iso(ticket.started_at),
            finished_at=hall.local_iso(ticket.finished_at),
        )
    if ticket.appointment_id is not None:
        out["appointment"] = {"id": ticket.appointment_id, "start": hall.local_iso(ticket.appointment_start)}
    if applicant is not None:
        out["applicant"] = applicant
    if with_token:
        out["token"] = ticket.token
        out["track_url"] = track_url(base_url, ticket)
    return TicketPublic(**out)


def applicant_for(hall: Hall, ticket: Ticket) -> TicketApplicant | None:
    """Return the card holder a ticket was issued for, the ID number masked: for staff only."""
    holder = unseal_holder(hall.secret, hall=hall.code, sealed=ticket.applicant_sealed)
    if holder is None:
        return None
    return TicketApplicant(name=holder.name, id_number=holder.masked_id)


def ticket_views(session: Session, hall: Hall, keys: list[tuple[int, str]],
                 estimates: dict[int, Estimate]) -> dict[tuple[int, str], dict[str, Any]]:
    """Return the resident's view of each (ticket id, base URL), in one query."""
    ids = sorted({ticket_id for ticket_id, _ in keys})
    rows = {t.id: t for t in session.exec(select(Ticket).where(col(Ticket.id).in_(ids))).all()}
    views = {}
    for ticket_id, base in keys:
        ticket = rows.get(ticket_id)
        if ticket is not None:
            views[(ticket_id, base)] = ticket_public(
                ticket, hall, estimate=estimates.get(ticket_id), base_url=base,
                with_token=True).model_dump(mode="json", exclude_unset=True)
    return views


def get_ticket(session: Session, hall: Hall, ticket_id: int) -> Ticket:
    """Return a ticket of this hall, or raise NotFound."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.hall != hall.code:
        raise NotFound("没有这个号码")
    return ticket


def read_ticket(session: Session, hall: Hall, *, ticket_id: int, token: str | None,
                principal: Principal | None) -> Ticket:
    """Return a ticket to its resident (by token) or to staff, or refuse."""
    ticket = get_ticket(session, hall, ticket_id)
    if token is None and principal is not None and principal.is_staff:
        return ticket
    if token is None and principal is None:
        raise Unauthorized("需要号码凭证 (token)")
    if token is None:
        raise Forbidden("无权查看这个号码")
    check_token(ticket, token)
    return ticket


def check_token(ticket: Ticket, token: str | None) -> None:
    """Refuse a resident token that does not belong to the ticket."""
    if not token_matches(ticket.token, token):
        raise Forbidden("号码凭证不正确")
