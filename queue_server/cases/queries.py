"""Reading cases: one case for its applicant or staff, the staff listing, and how a case looks in answers."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, false, func, or_
from sqlmodel import Session, col, select

from queue_server.auth.service import Principal
from queue_server.cases.events import CaseEvent
from queue_server.cases.models import ApplicantPublic, Case, CasePublic, CaseStep, HistoryEntry
from queue_server.core.errors import Forbidden, NotFound, Unauthorized
from queue_server.core.events import Envelope
from queue_server.domain.model import OPEN_CASE_STATUSES, CaseChannel, CaseStatus, MatterMode
from queue_server.domain.privacy import mask_id_number, mask_phone, token_matches
from queue_server.domain.workdays import running_due, suspended_working_days
from queue_server.halls.hall import Hall

MASKED_PHONE = re.compile(r"^(1\d{2})\*{4}(\d{4})$")
RUNNING = (CaseStatus.ACCEPTED, CaseStatus.PROCESSING)


def get_case(session: Session, hall: Hall, case_id: int) -> Case:
    """Return a case of this hall, or raise NotFound."""
    case = session.get(Case, case_id)
    if case is None or case.hall != hall.code:
        raise NotFound("没有这个办件")
    return case


def principal_station(who: Principal) -> str | None:
    """Return the station an agent belongs to (None for anyone else)."""
    return who.station if who.is_agent else None


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



def steps_of(session: Session, case_ids: Sequence[int]) -> dict[int, list[CaseStep]]:
    """Return each case's history, oldest first."""
    out: dict[int, list[CaseStep]] = {i: [] for i in case_ids}
    if case_ids:
        rows = session.exec(select(CaseStep).where(col(CaseStep.case_id).in_(list(case_ids)))
                            .order_by(col(CaseStep.id)))
        for step in rows:
            out[step.case_id].append(step)
    return out


def read_case(session: Session, hall: Hall, *, case_id: int, token: str | None,
              who: Principal | None) -> tuple[Case, list[CaseStep]]:
    """Return a case to its applicant (by token) or to staff, or refuse."""
    case = get_case(session, hall, case_id)
    if token is None:
        if who is None:
            raise Unauthorized("需要办件凭证 (token)")
        if not (who.is_staff or who.is_agent):
            raise Forbidden("无权查看这个办件")
        if who.is_agent and case.station != principal_station(who):
            raise Forbidden("代办员只能查看本村站的办件")
    elif not token_matches(case.token, token):
        raise Forbidden("办件凭证不正确")
    assert case.id is not None
    return case, steps_of(session, [case.id])[case.id]


@dataclass(frozen=True)
class CaseFilter:
    """What GET /api/cases narrows the listing to."""

    statuses: tuple[CaseStatus, ...] = ()
    overdue: bool = False
    station: str | None = None
    department: str | None = None
    first: date | None = None
    last: date | None = None
    q: str | None = None
    limit: int = 50
    offset: int = 0
    proxy_queue: bool = False


def _overdue_suspended(session: Session, hall: Hall, today: date) -> list[int]:
    # A suspension keeps moving the due date, so these few are checked one by one.
    rows = session.exec(select(Case).where(Case.hall == hall.code,
                                           Case.status == CaseStatus.SUSPENDED))
    return [c.id for c in rows if c.id is not None and is_overdue(c, hall, today)]


def _search(q: str) -> Any:
    masked = MASKED_PHONE.match(q)
    terms = [func.upper(col(Case.number)).contains(q.upper()), col(Case.applicant_name).contains(q)]
    if masked:
        terms.append(col(Case.applicant_phone).like(f"{masked[1]}____{masked[2]}"))
    elif q.isdigit() and len(q) >= 4:
        terms.append(col(Case.applicant_phone).endswith(q))
    return or_(*terms)


def list_cases(session: Session, hall: Hall, *, filters: CaseFilter, who: Principal,
               today: date) -> tuple[int, list[Case], dict[int, list[CaseStep]]]:
    """Return the total and one page of cases, newest first, with their histories."""
    where: list[Any] = [col(Case.hall) == hall.code]
    if who.is_agent:
        where.append(col(Case.station) == principal_station(who))
    if filters.proxy_queue:  # the 帮办代办 window's work: proxy matters and village cases
        where.append(or_(col(Case.mode) == MatterMode.PROXY,
                         col(Case.channel).in_((CaseChannel.AGENT, CaseChannel.HOME))))
    if filters.statuses:
        where.append(col(Case.status).in_(filters.statuses))
    if filters.station is not None:
        where.append(col(Case.station) == filters.station)
    if filters.department is not None:
        where.append(col(Case.department) == filters.department)
    if filters.first is not None:
        where.append(col(Case.accepted_on) >= filters.first)
    if filters.last is not None:
        where.append(col(Case.accepted_on) <= filters.last)
    if filters.q:
        where.append(_search(filters.q))
    if filters.overdue:
        suspended = _overdue_suspended(session, hall, today)
        where.append(or_(and_(col(Case.status).in_(RUNNING), col(Case.due_date) < today),
                         col(Case.id).in_(suspended) if suspended else false()))
    total = session.exec(select(func.count()).select_from(Case).where(*where)).one()
    page = list(session.exec(select(Case).where(*where).order_by(col(Case.id).desc())
                             .offset(filters.offset).limit(filters.limit)))
    return int(total), page, steps_of(session, [c.id for c in page if c.id is not None])


def case_views(session: Session, hall: Hall, keys: list[tuple[int, str]],
               today: date) -> dict[tuple[int, str], dict[str, Any]]:
    """Return the applicant's view of each (case id, base URL) followed on a socket, in one read."""
    ids = sorted({case_id for case_id, _ in keys})
    rows = {c.id: c for c in session.exec(select(Case).where(col(Case.id).in_(ids))).all()}
    steps = steps_of(session, [i for i in ids if i in rows])
    return {(case_id, base): case_public(rows[case_id], steps[case_id], hall, today=today)
            .model_dump(mode="json", exclude_unset=True)
            for case_id, base in keys if case_id in rows}


def touches_cases(batch: list[Envelope], followed: set[int]) -> bool:
    """Tell whether a batch of events is about any followed case."""
    return any(isinstance(e.event, CaseEvent) and e.event.case.id in followed for e in batch)
