"""How cases look in API responses: personal data masked, dates in the hall's timezone."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from queue_server.cases.models import ApplicantPublic, Case, CasePublic, CaseStep, HistoryEntry
from queue_server.domain.cases import mask_id_number
from queue_server.domain.model import OPEN_CASE_STATUSES, CaseStatus
from queue_server.domain.workdays import running_due, suspended_working_days
from queue_server.halls.hall import Hall
from queue_server.tickets.queries import mask_phone


def track_url(base_url: str, case: Case) -> str:
    """Return the resident's link to follow a case."""
    return f"{base_url.rstrip('/')}/m/c/{case.id}?token={case.token}"


def current_due(case: Case, hall: Hall, today: date) -> date:
    """Return the due date as of today: a running suspension keeps moving it later."""
    since = case.suspended_on if case.status == CaseStatus.SUSPENDED else None
    return running_due(case.due_date, since, today, hall.calendar)


def current_suspended_days(case: Case, hall: Hall, today: date) -> int:
    """Return the working days suspended, counting a suspension that is still running."""
    running = 0
    if case.status == CaseStatus.SUSPENDED and case.suspended_on is not None:
        running = suspended_working_days(case.suspended_on, today, hall.calendar)
    return case.suspended_days + running


def is_overdue(case: Case, hall: Hall, today: date) -> bool:
    """Tell whether a case is open and past its due date."""
    return case.status in OPEN_CASE_STATUSES and current_due(case, hall, today) < today


def case_public(case: Case, steps: Sequence[CaseStep], hall: Hall, *, today: date,
                base_url: str | None = None) -> CasePublic:
    """Return the API's Case; with a base URL (the creating response) add token and track_url."""
    assert case.id is not None
    matter = hall.matters.get(case.matter)
    department = hall.departments.get(case.department)
    iso = hall.local_iso
    extra: dict[str, str] = {}
    if base_url is not None:
        extra = {"token": case.token, "track_url": track_url(base_url, case)}
    return CasePublic(
        id=case.id, number=case.number, matter=case.matter,
        matter_name=matter.name if matter else case.matter, service=case.service,
        department=case.department, department_name=department.name if department else case.department,
        mode=case.mode, channel=case.channel, station=case.station, group=case.home_group,
        ticket=case.ticket_id, batch=case.batch_id, status=case.status,
        applicant=ApplicantPublic(name=case.applicant_name, phone=mask_phone(case.applicant_phone),
                                  id_number=mask_id_number(case.applicant_id_number)),
        received_materials=json.loads(case.received_materials),
        missing=json.loads(case.missing) if case.status == CaseStatus.SUSPENDED else [],
        accepted_at=iso(case.accepted_at) or "", promised_days=case.promised_days,
        due_date=current_due(case, hall, today).isoformat(),
        suspended_days=current_suspended_days(case, hall, today),
        overdue=is_overdue(case, hall, today), completed_at=iso(case.completed_at),
        result=case.result, result_note=case.result_note, delivery=case.delivery,
        delivered_at=iso(case.delivered_at), on_time=case.on_time,
        pickup_window=hall.config.pickup_window(),
        history=[HistoryEntry(status=s.status, at=iso(s.at) or "", by=s.by, note=s.note)
                 for s in steps],
        **extra,
    )
