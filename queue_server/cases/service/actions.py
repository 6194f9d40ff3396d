"""What staff do to a case after acceptance: process, suspend, resume, complete, deliver, withdraw.

Checks run in the contract's order: the case (404), who acts (403), its state (409), the body (422).
"""

from __future__ import annotations

import json
from datetime import datetime

from queue_server.auth.service import Principal
from queue_server.cases.events import (
    CaseCompleted,
    CaseDelivered,
    CaseEvent,
    CaseProcessing,
    CaseResumed,
    CaseSuspended,
    CaseWithdrawn,
)
from queue_server.cases.models import (
    Case,
    CompleteBody,
    DeliverBody,
    EmptyBody,
    SuspendBody,
    WithdrawBody,
)
from queue_server.cases.queries import get_case, principal_station
from queue_server.cases.service.accepting import add_step, brief, who_name
from queue_server.core.bodies import Deferred
from queue_server.core.errors import Forbidden, Invalid, conflict
from queue_server.db.uow import UnitOfWork
from queue_server.domain.cases import CaseAction, CaseTransitionError, agent_may, transition
from queue_server.domain.model import CaseChannel, CaseResult, CaseStatus, Delivery
from queue_server.domain.workdays import due_date, on_time, suspended_working_days

STATE_WORDS = {
    CaseStatus.ACCEPTED: "已受理", CaseStatus.PROCESSING: "办理中", CaseStatus.SUSPENDED: "补正中",
    CaseStatus.COMPLETED: "已办结", CaseStatus.DELIVERED: "已送达", CaseStatus.WITHDRAWN: "已撤回",
}
ACTION_WORDS = {
    CaseAction.PROCESS: "开始办理", CaseAction.SUSPEND: "补正", CaseAction.RESUME: "恢复办理",
    CaseAction.COMPLETE: "办结", CaseAction.DELIVER: "送达", CaseAction.WITHDRAW: "撤回",
}


def _begin(uow: UnitOfWork, *, case_id: int, action: CaseAction, who: Principal,
           method: object = None) -> tuple[Case, CaseStatus]:
    """Find the case (404), check who acts (403) and the state (409); return it and its next state."""
    case = get_case(uow.session, uow.hall, case_id)
    if not (who.is_staff or who.is_agent):
        raise Forbidden("需要工作人员账号")
    if who.is_agent:  # clerks, managers and admins may take every action
        own = case.station is not None and case.station == principal_station(who)
        by_agent = method == Delivery.AGENT.value
        allowed = agent_may(action, own_station=own, method=Delivery.AGENT if by_agent else None)
        if not allowed or (action == CaseAction.DELIVER and not by_agent):
            raise Forbidden("代办员只能对本村站的办件确认代办送达或撤回")
    try:
        target = transition(case.status, action, suspended_from=case.suspended_from)
    except CaseTransitionError as exc:
        raise conflict("invalid_state", f"办件{STATE_WORDS[case.status]}，不能{ACTION_WORDS[action]}") from exc
    return case, target


def _finish(uow: UnitOfWork, case: Case, target: CaseStatus, event: CaseEvent, *, who: Principal,
            now: datetime, note: str | None = None) -> Case:
    """Move the case to its new state, record the step, and emit the event."""
    case.status = target
    add_step(uow.session, case, at=now, by=who_name(who), note=note)
    uow.emit(event.model_copy(update={"case": brief(case)}), at=now, actor=who.actor)
    return case


def process(uow: UnitOfWork, *, case_id: int, body: Deferred[EmptyBody], who: Principal,
            now: datetime) -> Case:
    """Start work on an accepted case (开始办理)."""
    case, target = _begin(uow, case_id=case_id, action=CaseAction.PROCESS, who=who)
    body.get()
    return _finish(uow, case, target, CaseProcessing(case=brief(case)), who=who, now=now)


def suspend(uow: UnitOfWork, *, case_id: int, body: Deferred[SuspendBody], who: Principal,
            now: datetime) -> Case:
    """Stop the clock while the applicant brings missing materials (补正)."""
    case, target = _begin(uow, case_id=case_id, action=CaseAction.SUSPEND, who=who)
    got = body.get()
    missing = [m.strip() for m in got.missing if m.strip()]
    if not missing:
        raise Invalid("补正需要列出缺少的材料 (missing)")
    case.suspended_from, case.suspended_at, case.suspended_on = case.status, now, uow.hall.local_date(now)
    case.missing = json.dumps(missing, ensure_ascii=False)
    note = "缺少材料：" + "、".join(missing) + (f"；{got.note}" if got.note else "")
    return _finish(uow, case, target, CaseSuspended(case=brief(case)), who=who, now=now, note=note)


def resume(uow: UnitOfWork, *, case_id: int, body: Deferred[EmptyBody], who: Principal,
           now: datetime) -> Case:
    """Restart the clock once the materials came; the due date moves by the days suspended."""
    case, target = _begin(uow, case_id=case_id, action=CaseAction.RESUME, who=who)
    body.get()
    hall = uow.hall
    assert case.suspended_on is not None
    case.suspended_days += suspended_working_days(case.suspended_on, hall.local_date(now), hall.calendar)
    case.due_date = due_date(case.accepted_on, case.promised_days, case.suspended_days, hall.calendar)
    case.suspended_from = case.suspended_at = case.suspended_on = None
    return _finish(uow, case, target, CaseResumed(case=brief(case)), who=who, now=now)


def complete(uow: UnitOfWork, *, case_id: int, body: Deferred[CompleteBody], who: Principal,
             now: datetime) -> Case:
    """Record the result (办结); a refusal needs its reason."""
    case, target = _begin(uow, case_id=case_id, action=CaseAction.COMPLETE, who=who)
    got = body.get()
    if got.result == CaseResult.REFUSED and not (got.note or "").strip():
        raise Invalid("不予办理需要写明理由 (note)")
    hall, today = uow.hall, uow.hall.local_date(now)
    case.result, case.result_note = got.result, got.note
    case.completed_at, case.completed_on = now, today
    case.on_time = on_time(today, case.due_date)
    pickup = case.channel == CaseChannel.WINDOW
    event = CaseCompleted(case=brief(case), pickup_window=hall.config.pickup_window() if pickup else None)
    return _finish(uow, case, target, event, who=who, now=now, note=got.note)


def deliver(uow: UnitOfWork, *, case_id: int, body: Deferred[DeliverBody], who: Principal,
            now: datetime) -> Case:
    """Record how the result reached the resident (送达): at the window, by mail, or by the agent."""
    case, target = _begin(uow, case_id=case_id, action=CaseAction.DELIVER, who=who,
                          method=body.peek("method"))
    got = body.get()
    case.delivery, case.delivered_at = got.method, now
    return _finish(uow, case, target, CaseDelivered(case=brief(case)), who=who, now=now)


def withdraw(uow: UnitOfWork, *, case_id: int, body: Deferred[WithdrawBody], who: Principal,
             now: datetime) -> Case:
    """Withdraw a case at the applicant's request (撤回), with the reason."""
    case, target = _begin(uow, case_id=case_id, action=CaseAction.WITHDRAW, who=who)
    note = body.get().note.strip()
    if not note:
        raise Invalid("撤回需要写明原因 (note)")
    return _finish(uow, case, target, CaseWithdrawn(case=brief(case)), who=who, now=now, note=note)
