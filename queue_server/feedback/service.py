"""Feedback use cases: open items from bad grades and reports, follow them, grade cases.

Each runs in a unit of work, emits its typed events there, and never commits or reads the clock.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import select

from queue_server.auth.service import Principal
from queue_server.cases.events import CaseEvaluated
from queue_server.cases.models import Case
from queue_server.cases.queries import get_case
from queue_server.cases.service.accepting import brief as case_brief
from queue_server.core.errors import Forbidden, Invalid, conflict
from queue_server.db.uow import UnitOfWork
from queue_server.domain.feedback import FeedbackAction, FeedbackTransitionError, opens_item, transition
from queue_server.domain.model import CaseStatus, FeedbackKind, FeedbackStatus, GradeSource
from queue_server.domain.privacy import token_matches
from queue_server.domain.workdays import add_working_days
from queue_server.feedback.events import (
    FeedbackBrief,
    FeedbackClosed,
    FeedbackOpened,
    FeedbackPhoneRevealed,
    FeedbackRectified,
    FeedbackVisited,
)
from queue_server.feedback.models import (
    CaseEvaluation,
    CaseEvaluationCreate,
    FeedbackItem,
    FeedbackStep,
    NoteBody,
    ReportCreate,
    VisitBody,
)
from queue_server.feedback.queries import find_item
from queue_server.tickets.models import Ticket

SYSTEM = "system"
FeedbackEventType = (type[FeedbackOpened] | type[FeedbackVisited] | type[FeedbackRectified]
                     | type[FeedbackClosed] | type[FeedbackPhoneRevealed])
STEP_EVENTS: dict[FeedbackStatus, FeedbackEventType] = {
    FeedbackStatus.OPEN: FeedbackOpened, FeedbackStatus.VISITED: FeedbackVisited,
    FeedbackStatus.RECTIFIED: FeedbackRectified, FeedbackStatus.CLOSED: FeedbackClosed,
}
DONE_CASE = (CaseStatus.COMPLETED, CaseStatus.DELIVERED)


def _emit(uow: UnitOfWork, item: FeedbackItem, event: FeedbackEventType, *, actor: str,
          now: datetime) -> None:
    assert item.id is not None
    uow.emit(event(feedback=FeedbackBrief(id=item.id, status=item.status), kind=item.kind,
                   case_id=item.case_id), at=now, actor=actor)


def _step(uow: UnitOfWork, item: FeedbackItem, *, actor: str, now: datetime, by: str | None = None,
          note: str | None = None, body: VisitBody | None = None) -> None:
    assert item.id is not None
    uow.session.add(FeedbackStep(item_id=item.id, status=item.status, at=now, by=by or actor,
                                 method=body.method if body else None, note=note))
    _emit(uow, item, STEP_EVENTS[item.status], actor=actor, now=now)


def _open(uow: UnitOfWork, *, actor: str, now: datetime, **fields: Any) -> FeedbackItem:
    hall = uow.hall
    day = hall.local_date(now)
    due = add_working_days(day, hall.config.settings.feedback_days, hall.calendar)
    item = FeedbackItem(hall=hall.code, status=FeedbackStatus.OPEN, opened_at=now, opened_on=day,
                        due_date=due, **fields)
    uow.session.add(item)
    uow.session.flush()
    _step(uow, item, actor=actor, now=now)
    return item


def open_for_grade(uow: UnitOfWork, *, ticket: Ticket, grade: int, reasons: str,
                   comment: str | None, source: GradeSource, actor: str, now: datetime) -> None:
    """Open an item for a ticket's bad grade; a resident's grade replacing staff's updates it."""
    item = uow.session.exec(select(FeedbackItem).where(
        FeedbackItem.ticket_id == ticket.id, FeedbackItem.kind == FeedbackKind.BAD_GRADE)).first()
    if item is not None:  # the resident replaced a grade staff entered
        item.grade, item.reasons, item.comment, item.source = grade, reasons, comment, source
        if not opens_item(grade) and item.status == FeedbackStatus.OPEN:
            item.status, item.closed_at = FeedbackStatus.CLOSED, now
            item.settled_on = uow.hall.local_date(now)
            _step(uow, item, actor=SYSTEM, now=now, note="群众本人重新评价为满意，自动关闭")
        return
    if not opens_item(grade):
        return
    _open(uow, actor=actor, now=now, kind=FeedbackKind.BAD_GRADE, source=source,
          ticket_id=ticket.id, window=ticket.window, clerk=ticket.clerk, grade=grade,
          reasons=reasons, comment=comment, phone=ticket.phone)


def report(uow: UnitOfWork, *, body: ReportCreate, now: datetime) -> FeedbackItem:
    """Open an item for a resident's 「办不成事」 report."""
    if body.matter is not None and body.matter not in uow.hall.matters:
        raise Invalid(f"没有这个事项：{body.matter}")
    description = body.description.strip()
    if not description:
        raise Invalid("请写下遇到的问题")
    return _open(uow, actor="resident:report", now=now, kind=FeedbackKind.CANNOT_DO,
                 comment=description, matter=body.matter, phone=body.phone)


def _manager(who: Principal) -> None:
    if not who.is_manager:
        raise Forbidden("只有管理人员可以处理差评和反映")


def act(uow: UnitOfWork, *, item_id: int, action: FeedbackAction, body: VisitBody | NoteBody,
        who: Principal, now: datetime) -> FeedbackItem:
    """Take the next step of an item's loop: visit, rectify or close."""
    item = find_item(uow.session, uow.hall, item_id)
    _manager(who)
    try:
        item.status = transition(item.status, action)
    except FeedbackTransitionError as exc:
        now_word = STATUS_WORDS[exc.status]
        raise conflict("invalid_state", f"这条反映现在不能{ACTION_WORDS[action]}（当前：{now_word}）") from exc
    if action == FeedbackAction.VISIT:
        item.visited_at = now
    elif item.settled_on is None:
        item.settled_on = uow.hall.local_date(now)
    if action == FeedbackAction.CLOSE:
        item.closed_at = now
    _step(uow, item, actor=who.actor, by=who.username, now=now, note=body.note,
          body=body if isinstance(body, VisitBody) else None)
    return item


def reveal_phone(uow: UnitOfWork, *, item_id: int, who: Principal, now: datetime) -> FeedbackItem:
    """Show a manager the full phone number, and record that they saw it."""
    item = find_item(uow.session, uow.hall, item_id)
    _manager(who)
    _emit(uow, item, FeedbackPhoneRevealed, actor=who.actor, now=now)
    return item


def evaluate_case(uow: UnitOfWork, *, case_id: int, body: CaseEvaluationCreate,
                  now: datetime) -> tuple[Case, CaseEvaluation]:
    """Store the applicant's one grade for a completed case; a bad grade opens an item."""
    session = uow.session
    case = get_case(session, uow.hall, case_id)
    if not token_matches(case.token, body.token):
        raise Forbidden("办件凭证不正确")
    if case.status not in DONE_CASE:
        raise conflict("case_not_done", "办件办结后才能评价")
    if session.exec(select(CaseEvaluation).where(CaseEvaluation.case_id == case.id)).first():
        raise conflict("already_evaluated", "这件事已经评价过了，谢谢")
    assert case.id is not None
    reasons = json.dumps(body.reasons, ensure_ascii=False)
    row = CaseEvaluation(hall=uow.hall.code, case_id=case.id, grade=body.grade, reasons=reasons,
                         comment=body.comment, at=now)
    session.add(row)
    actor = f"applicant:{case.id}"
    uow.emit(CaseEvaluated(case=case_brief(case), grade=body.grade), at=now, actor=actor)
    if opens_item(body.grade):
        _open(uow, actor=actor, now=now, kind=FeedbackKind.BAD_GRADE, source=GradeSource.MOBILE,
              case_id=case.id, clerk=case.accepted_by, grade=body.grade, reasons=reasons,
              comment=body.comment, matter=case.matter, phone=case.applicant_phone)
    return case, row


STATUS_WORDS = {FeedbackStatus.OPEN: "待回访", FeedbackStatus.VISITED: "已回访",
                FeedbackStatus.RECTIFIED: "已整改", FeedbackStatus.CLOSED: "已办结"}
ACTION_WORDS = {FeedbackAction.VISIT: "回访", FeedbackAction.RECTIFY: "登记整改",
                FeedbackAction.CLOSE: "办结反馈"}
