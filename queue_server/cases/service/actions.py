"""What staff do to a case after acceptance: process, suspend, resume, complete, deliver, withdraw.

Checks run in the contract's order: the case (404), who acts (403), its state (409), the body (422).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

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
from queue_server.cases.service.accepting import add_step, brief, get_case, principal_station, who_name
from queue_server.core.errors import Forbidden, Invalid, conflict
from queue_server.db.uow import UnitOfWork
from queue_server.domain.cases import CaseAction, CaseTransitionError, agent_may, transition
from queue_server.domain.model import CaseChannel, CaseResult, CaseStatus, Delivery
from queue_server.domain.workdays import due_date, on_time, suspended_working_days

B = TypeVar("B", bound=BaseModel)
BODIES: dict[CaseAction, type[BaseModel]] = {
    CaseAction.PROCESS: EmptyBody, CaseAction.SUSPEND: SuspendBody,
    CaseAction.RESUME: EmptyBody, CaseAction.COMPLETE: CompleteBody,
    CaseAction.DELIVER: DeliverBody, CaseAction.WITHDRAW: WithdrawBody,
}
STATE_WORDS = {
    CaseStatus.ACCEPTED: "已受理", CaseStatus.PROCESSING: "办理中", CaseStatus.SUSPENDED: "补正中",
    CaseStatus.COMPLETED: "已办结", CaseStatus.DELIVERED: "已送达", CaseStatus.WITHDRAWN: "已撤回",
}
ACTION_WORDS = {
    CaseAction.PROCESS: "开始办理", CaseAction.SUSPEND: "补正", CaseAction.RESUME: "恢复办理",
    CaseAction.COMPLETE: "办结", CaseAction.DELIVER: "送达", CaseAction.WITHDRAW: "撤回",
}


def parse_body(model: type[B], raw: Any) -> B:
    """Validate an action's body once the state allows the action; refuse it with 422."""
    try:
        return model.model_validate({} if raw is None else raw)
    except ValidationError as exc:
        parts = []
        for err in exc.errors()[:3]:
            where = ".".join(str(p) for p in err.get("loc", ()))
            parts.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
        raise Invalid("请求内容不正确 (invalid request): " + "; ".join(parts)) from exc


def _authorise(who: Principal, case: Case, action: CaseAction, raw: Any) -> None:
    if not (who.is_staff or who.is_agent):
        raise Forbidden("需要工作人员账号")
    if not who.is_agent:
        return  # clerks, managers and admins may take every action
    method = raw.get("method") if isinstance(raw, dict) else None
    own = case.station is not None and case.station == principal_station(who)
    allowed = agent_may(action, own_station=own,
                        method=Delivery.AGENT if method == Delivery.AGENT.value else None)
    if not allowed or (action == CaseAction.DELIVER and method != Delivery.AGENT.value):
        raise Forbidden("代办员只能对本村站的办件确认代办送达或撤回")


def act(uow: UnitOfWork, *, case_id: int, action: CaseAction, raw: Any, who: Principal,
        now: datetime) -> Case:
    """Take one action on a case, through the state machine, and record it in the history."""
    session, hall = uow.session, uow.hall
    case = get_case(session, hall, case_id)
    _authorise(who, case, action, raw)
    try:
        target = transition(case.status, action, suspended_from=case.suspended_from)
    except CaseTransitionError as exc:
        raise conflict("invalid_state", f"办件{STATE_WORDS[case.status]}，不能{ACTION_WORDS[action]}") from exc
    body = parse_body(BODIES[action], raw)
    today = hall.local_date(now)
    note: str | None = None
    event: CaseEvent
    if isinstance(body, SuspendBody):
        missing = [m.strip() for m in body.missing if m.strip()]
        if not missing:
            raise Invalid("补正需要列出缺少的材料 (missing)")
        case.suspended_from, case.suspended_at, case.suspended_on = case.status, now, today
        case.missing = json.dumps(missing, ensure_ascii=False)
        note = "缺少材料：" + "、".join(missing) + (f"；{body.note}" if body.note else "")
        event = CaseSuspended(case=brief(case))
    elif action == CaseAction.RESUME:
        assert case.suspended_on is not None
        case.suspended_days += suspended_working_days(case.suspended_on, today, hall.calendar)
        case.due_date = due_date(case.accepted_on, case.promised_days, case.suspended_days,
                                 hall.calendar)
        case.suspended_from = case.suspended_at = case.suspended_on = None
        event = CaseResumed(case=brief(case))
    elif isinstance(body, CompleteBody):
        if body.result == CaseResult.REFUSED and not (body.note or "").strip():
            raise Invalid("不予办理需要写明理由 (note)")
        case.result, case.result_note = body.result, body.note
        case.completed_at, case.completed_on = now, today
        case.on_time = on_time(today, case.due_date)
        note = body.note
        pickup = case.channel == CaseChannel.WINDOW
        event = CaseCompleted(case=brief(case),
                              pickup_window=hall.config.pickup_window() if pickup else None)
    elif isinstance(body, DeliverBody):
        case.delivery, case.delivered_at = body.method, now
        event = CaseDelivered(case=brief(case))
    elif isinstance(body, WithdrawBody):
        note = body.note.strip()
        if not note:
            raise Invalid("撤回需要写明原因 (note)")
        event = CaseWithdrawn(case=brief(case))
    else:
        event = CaseProcessing(case=brief(case))
    case.status = target
    add_step(session, case, at=now, by=who_name(who), note=note)
    uow.emit(event.model_copy(update={"case": brief(case)}), at=now, actor=who.actor)
    return case
