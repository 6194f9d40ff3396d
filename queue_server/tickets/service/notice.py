"""The 一次性告知书 for a resident whose materials were incomplete, printed without opening a case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PField
from sqlmodel import Session

from printer.documents import MaterialsNotice
from queue_server.core.errors import Invalid, conflict
from queue_server.domain.model import Outcome, TicketStatus
from queue_server.halls.hall import Hall
from queue_server.printing.relay import PrintAgents
from queue_server.printing.windows import print_at_window, window_printer
from queue_server.tickets.queries import get_ticket

# A notice belongs to a resident in front of a clerk, or to one just sent home to fetch papers.
NOTICE_STATES = (TicketStatus.CALLED, TicketStatus.SERVING)


class TicketNoticeBody(BaseModel):
    """Which matter's materials to list, at which window; `missing` narrows the guide's list."""

    model_config = ConfigDict(extra="forbid")

    window: int = PField(ge=1, le=999)
    matter: str = PField(min_length=1, max_length=64)
    missing: list[str] = PField(default_factory=list, max_length=50)
    note: str = PField(default="", max_length=200)


class TicketNoticePublic(BaseModel):
    """What POST /api/tickets/{id}/notice answers once the printer took the notice."""

    ticket: int
    window: int
    matter: str
    missing: list[str]
    printer_status: str


@dataclass(frozen=True)
class NoticeJob:
    """A checked notice and the printer it goes to."""

    ticket: int
    window: int
    matter: str
    printer_url: str
    notice: MaterialsNotice


def prepare(session: Session, hall: Hall, *, ticket_id: int, body: TicketNoticeBody,
            now: datetime) -> NoticeJob:
    """Check a notice request for a ticket and build the notice; nothing is changed."""
    ticket = get_ticket(session, hall, ticket_id)
    incomplete = ticket.status == TicketStatus.DONE and ticket.outcome == Outcome.INCOMPLETE
    if not (incomplete or ticket.status in NOTICE_STATES):
        raise conflict("invalid_state", f"{ticket.number} 号不在办理中，也不是以「材料不全」办结的号码")
    matter = hall.matters.get(body.matter)
    if matter is None:
        raise Invalid(f"没有这个事项：{body.matter}")
    url = window_printer(hall, body.window)
    missing = [m.strip() for m in body.missing if m.strip()] or list(matter.materials)
    if not missing:
        raise Invalid("这个事项在办事指南里没有列出材料，请写明需补正的材料")
    assert ticket.id is not None
    notice = MaterialsNotice(hall_name=hall.config.hall.name, matter_name=matter.name,
                             missing=missing, window=body.window,
                             issued_at=now.astimezone(hall.tz), number=ticket.number,
                             note=body.note)
    return NoticeJob(ticket.id, body.window, matter.code, url, notice)


async def send(job: NoticeJob, agents: PrintAgents | None, hall: str) -> TicketNoticePublic:
    """Print the notice at the window (or through the hall's print agent); a fault is a 503 printer_fault."""
    status = await print_at_window(agents, hall, job.notice, job.printer_url, job.window)
    return TicketNoticePublic(ticket=job.ticket, window=job.window, matter=job.matter,
                              missing=list(job.notice.missing), printer_status=status)
