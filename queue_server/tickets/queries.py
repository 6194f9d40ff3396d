"""How tickets look in API responses."""

from __future__ import annotations

from typing import Any

from queue_server.domain.estimate import Estimate
from queue_server.domain.model import TicketStatus
from queue_server.halls.hall import Hall
from queue_server.tickets.models import Ticket, TicketPublic


def mask_phone(phone: str | None) -> str | None:
    """Mask a phone number as 138****1234."""
    if not phone:
        return None
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


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
) -> TicketPublic:
    """Return the API's Ticket object."""
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
    if with_token:
        out["token"] = ticket.token
        out["track_url"] = track_url(base_url, ticket)
    return TicketPublic(**out)
