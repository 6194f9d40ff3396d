"""Print a case's documents at a window: decide what to print in a read, send it after."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from printer.documents import (
    Document,
    acceptance_from_case,
    completion_from_case,
    notice_from_case,
)
from queue_server.auth.service import Principal
from queue_server.cases.models import Case, PrintBody
from queue_server.cases.queries import case_public, get_case, steps_of, track_url
from queue_server.core.errors import Forbidden, Invalid, conflict
from queue_server.domain.model import CaseStatus, DocumentKind
from queue_server.domain.privacy import mask_name
from queue_server.halls.hall import Hall
from queue_server.printing.relay import PrintAgents
from queue_server.printing.windows import print_at_window, window_printer

DONE = (CaseStatus.COMPLETED, CaseStatus.DELIVERED)


@dataclass(frozen=True)
class PrintJob:
    """A rendered decision: which document goes to which printer."""

    case_id: int
    window: int
    kind: DocumentKind
    printer_url: str
    document: Document


def missing_materials(case: Case, hall: Hall) -> list[str]:
    """List what the applicant still has to bring: the last 补正, else the guide's materials."""
    listed = json.loads(case.missing) if case.missing else []
    if listed:
        return [str(m) for m in listed]
    matter = hall.matters.get(case.matter)
    guide = list(matter.materials) if matter else []
    received = set(json.loads(case.received_materials))
    return [m for m in guide if m not in received] or guide


def prepare(session: Session, hall: Hall, *, case_id: int, body: PrintBody, who: Principal,
            base_url: str, now: datetime) -> PrintJob:
    """Check a print request and build its document; nothing is changed."""
    case = get_case(session, hall, case_id)
    if who.role == "agent":
        raise Forbidden("代办员不能在窗口打印")
    url = window_printer(hall, body.window)
    if body.kind == DocumentKind.COMPLETION and case.status not in DONE:
        raise conflict("case_not_done", "办件尚未办结，不能打印办结通知")
    assert case.id is not None
    today = hall.local_date(now)
    view = case_public(case, steps_of(session, [case.id])[case.id], hall, today=today).model_dump(
        mode="json")
    view["applicant"]["name"] = mask_name(case.applicant_name)  # paper can be lost: mask the name
    link = track_url(base_url, case)
    name, pickup = hall.config.hall.name, hall.config.pickup_window()
    doc: Document
    if body.kind == DocumentKind.ACCEPTANCE:
        doc = acceptance_from_case(view, hall_name=name, window=body.window, pickup_window=pickup,
                                   track_url=link)
    elif body.kind == DocumentKind.NOTICE:
        missing = missing_materials(case, hall)
        if not missing:
            raise Invalid("这个事项没有需要补正的材料，无需打印一次性告知书")
        doc = notice_from_case(view, hall_name=name, window=body.window, missing=missing,
                               issued_at=now.astimezone(hall.tz), track_url=link)
    else:
        doc = completion_from_case(view, hall_name=name, pickup_window=pickup, track_url=link)
    return PrintJob(case.id, body.window, body.kind, url, doc)


async def send(job: PrintJob, agents: PrintAgents | None, hall: str) -> str:
    """Print a document at its window (or through the hall's print agent); a fault is a 503 printer_fault."""
    return await print_at_window(agents, hall, job.document, job.printer_url, job.window)
