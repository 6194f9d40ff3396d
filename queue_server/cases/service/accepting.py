"""Case use cases: accept a case, or a batch of them. Each runs in a unit of work."""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import text
from sqlmodel import Session

from queue_server.auth.service import Principal
from queue_server.cases.events import CaseAccepted, CaseBrief
from queue_server.cases.models import ApplicantIn, Case, CaseBatch, CaseCounter, CaseCreate, CaseStep
from queue_server.cases.queries import principal_station
from queue_server.core.errors import Forbidden, Invalid
from queue_server.db.uow import UnitOfWork
from queue_server.domain.cases import format_case_number
from queue_server.domain.model import CaseChannel, CaseResult, CaseStatus, Delivery, MatterMode
from queue_server.domain.privacy import IdNumberError, normalise_id_number
from queue_server.domain.workdays import due_date
from queue_server.halls.hall import Hall
from queue_server.tickets.identity import unseal_holder
from queue_server.tickets.models import Ticket


def brief(case: Case) -> CaseBrief:
    """Return the number-only view of a case that events carry."""
    assert case.id is not None
    return CaseBrief(id=case.id, number=case.number, status=case.status, station=case.station)


def who_name(who: Principal) -> str:
    """Return how a case's history names whoever acted."""
    return who.username or who.actor


def station_codes(hall: Hall) -> set[str]:
    """Return the village stations the hall YAML lists."""
    return {s.code for s in hall.config.stations}


def add_step(session: Session, case: Case, *, at: datetime, by: str, note: str | None = None) -> None:
    """Append the case's current state to its history."""
    assert case.id is not None
    session.add(CaseStep(case_id=case.id, status=case.status, at=at, by=by, note=note))


def next_case_number(session: Session, hall: str, day: date) -> int:
    """Draw the next case number of the day from its counter row (never max()+1)."""
    row = session.execute(
        text("UPDATE case_counter SET last = last + 1 WHERE hall = :h AND day = :d RETURNING last"),
        {"h": hall, "d": day},
    ).first()
    if row is not None:
        return int(row[0])
    session.add(CaseCounter(hall=hall, day=day, last=1))
    session.flush()
    return 1


def _channel(hall: Hall, body: CaseCreate, who: Principal) -> tuple[CaseChannel, str | None]:
    """Decide the channel and station from who submits the case."""
    if who.is_agent:
        station = principal_station(who)
        if station is None or station not in station_codes(hall):
            raise Forbidden("代办员账号没有已配置的所属村站，请联系管理员")
        if body.station not in (None, station):
            raise Forbidden("代办员只能为本村站提交办件")
        return (CaseChannel.HOME if body.group else CaseChannel.AGENT), station
    if body.station is not None:
        if not who.is_manager:
            raise Forbidden("只有管理人员可以代村站提交办件")
        if body.station not in station_codes(hall):
            raise Invalid(f"没有这个村便民服务站：{body.station}")
        return (CaseChannel.HOME if body.group else CaseChannel.AGENT), body.station
    if body.group is not None:
        raise Invalid("家能办（group）需由代办员或指定村站提交")
    return CaseChannel.WINDOW, None


def _id_number(value: str | None, today: date) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return normalise_id_number(value, today=today)
    except IdNumberError as exc:
        raise Invalid(f"身份证号码不正确：{exc}") from exc


def _applicant(hall: Hall, given: ApplicantIn | None, ticket: Ticket | None) -> ApplicantIn:
    """Return who the case is for: as given, completed from the ID card the ticket was issued for.

    The card fills in what the body leaves out only under the card's own name, so a relative
    applying for someone else never gets the card holder's ID number.
    """
    holder = unseal_holder(hall.secret, hall=hall.code, sealed=ticket.applicant_sealed) if ticket else None
    if given is None:
        if holder is None:
            raise Invalid("请填写申请人姓名（这个号码没有读取身份证）")
        return ApplicantIn(name=holder.name, id_number=holder.id_number)
    if holder is not None and given.id_number is None and given.name.strip() == holder.name:
        return given.model_copy(update={"id_number": holder.id_number})
    return given


def create(uow: UnitOfWork, *, body: CaseCreate, who: Principal, now: datetime,
           batch: int | None = None) -> Case:
    """Accept a case for a guide matter; an onsite matter is delivered at once."""
    session, hall = uow.session, uow.hall
    channel, station = _channel(hall, body, who)
    matter = hall.matters.get(body.matter)
    if matter is None:
        raise Invalid(f"没有这个事项：{body.matter}")
    ticket = None
    if body.ticket is not None:
        ticket = session.get(Ticket, body.ticket)
        if ticket is None or ticket.hall != hall.code:
            raise Invalid(f"没有这个号码：{body.ticket}")
    applicant = _applicant(hall, body.applicant, ticket)
    id_number = _id_number(applicant.id_number, hall.local_date(now))
    mode = matter.mode if matter.handled_here else MatterMode.PROXY
    onsite = mode == MatterMode.ONSITE
    day = hall.local_date(now)
    promised = 0 if onsite else matter.promised_days
    case = Case(
        hall=hall.code, number=format_case_number(day, next_case_number(session, hall.code, day)),
        matter=matter.code, service=matter.service, department=matter.department, mode=mode,
        channel=channel, station=station, home_group=body.group, ticket_id=body.ticket,
        batch_id=batch, status=CaseStatus.ACCEPTED, applicant_name=applicant.name.strip(),
        applicant_phone=applicant.phone, applicant_id_number=id_number,
        received_materials=json.dumps(body.received_materials, ensure_ascii=False),
        note=body.note, accepted_by=who_name(who), accepted_at=now, accepted_on=day,
        promised_days=promised, due_date=due_date(day, promised, 0, hall.calendar),
        token=secrets.token_urlsafe(16),
    )
    session.add(case)
    session.flush()
    add_step(session, case, at=now, by=who_name(who), note=body.note)
    if onsite:  # 现场办: recorded as done and in the resident's hands, so 办件量 counts it
        case.result, case.delivery, case.on_time = CaseResult.APPROVED, Delivery.PICKUP, True
        case.completed_at = case.delivered_at = now
        case.completed_on = day
        for status in (CaseStatus.COMPLETED, CaseStatus.DELIVERED):
            case.status = status
            add_step(session, case, at=now, by=who_name(who))
    uow.emit(CaseAccepted(case=brief(case)), at=now, actor=who.actor)
    return case


def _index_error(i: int, reason: str) -> Invalid:
    return Invalid(f"批量办件第 {i + 1} 件有误，已全部退回 (cases[{i}]): {reason}")


def create_batch(uow: UnitOfWork, *, items: list[Any], who: Principal,
                 now: datetime) -> tuple[CaseBatch, list[Case]]:
    """Accept a batch of cases, all or nothing; a bad one is named by its index."""
    if not (who.is_manager or who.is_agent):
        raise Forbidden("只有代办员和管理人员可以批量提交办件")
    bodies: list[CaseCreate] = []
    for i, item in enumerate(items):
        try:
            bodies.append(CaseCreate.model_validate(item))
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err.get("loc", ()))
            raise _index_error(i, f"{where}: {err.get('msg')}") from exc
    stations = {b.station for b in bodies}
    row = CaseBatch(hall=uow.hall.code, created_by=who_name(who), created_at=now,
                    station=principal_station(who) or (stations.pop() if len(stations) == 1 else None))
    uow.session.add(row)
    uow.session.flush()
    cases = []
    for i, body in enumerate(bodies):
        try:
            cases.append(create(uow, body=body, who=who, now=now, batch=row.id))
        except Invalid as exc:
            raise _index_error(i, exc.message) from exc
    return row, cases
