"""Reading cases: one case for its applicant or staff, and the filtered staff listing."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, false, func, or_
from sqlmodel import Session, col, select

from queue_server.auth.service import Principal
from queue_server.cases.models import Case, CaseStep
from queue_server.cases.service.accepting import get_case, principal_station
from queue_server.cases.views import is_overdue
from queue_server.core.errors import Forbidden, Unauthorized
from queue_server.domain.model import CaseChannel, CaseStatus, MatterMode
from queue_server.halls.hall import Hall

MASKED_PHONE = re.compile(r"^(1\d{2})\*{4}(\d{4})$")
RUNNING = (CaseStatus.ACCEPTED, CaseStatus.PROCESSING)


def token_matches(case: Case, token: str | None) -> bool:
    """Tell whether a resident token belongs to the case, in constant time."""
    return bool(token) and secrets.compare_digest(str(token).encode(), case.token.encode())


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
    elif not token_matches(case, token):
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
