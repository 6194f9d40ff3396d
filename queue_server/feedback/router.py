"""Feedback (好差评整改) endpoints: reports, the managers' loop, case grades and the figures."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlmodel import Session, select

from queue_server.app.deps import ManagerDep, RowId, RuntimeDep, client_ip, fresh_calendar
from queue_server.app.runtime import HallRuntime
from queue_server.cases.queries import read_case
from queue_server.core.errors import ApiError, Invalid, RateLimited
from queue_server.domain.feedback import FeedbackAction
from queue_server.domain.model import CaseStatus, FeedbackStatus
from queue_server.feedback import queries, service
from queue_server.feedback.models import (
    CaseEvaluation,
    CaseEvaluationCreate,
    CaseEvaluationPublic,
    CaseEvaluationState,
    FeedbackItem,
    FeedbackList,
    FeedbackPublic,
    NoteBody,
    PhoneRevealed,
    ReportCreate,
    VisitBody,
)

router = APIRouter(tags=["feedback"], dependencies=[Depends(fresh_calendar)])
DayParam = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]


def _view(rt: HallRuntime, session: Session, item: FeedbackItem) -> FeedbackPublic:
    return queries.item_views(session, rt.hall, [item], rt.hall.local_date(rt.clock()))[0]


@router.post("/api/feedback", status_code=201, response_model=FeedbackPublic)
async def report(body: ReportCreate, request: Request, rt: RuntimeDep) -> FeedbackPublic:
    """Report that a matter could not be done here (「办不成事」反映); public, limited per address."""
    ip = client_ip(request)
    if not await rt.limiters.feedback_ip(ip):
        raise RateLimited("提交太频繁，请稍后再试，或拨打服务中心电话反映")
    now = rt.clock()
    try:
        return await rt.db.write(lambda uow: _view(rt, uow.session, service.report(uow, body=body, now=now)))
    except ApiError:
        await rt.limiters.refund_feedback(ip)  # a refused report stores nothing and costs nothing
        raise


@router.get("/api/feedback", response_model=FeedbackList)
async def list_feedback(
    rt: RuntimeDep, _: ManagerDep,
    status: Annotated[str | None, Query(max_length=100, description="one or more, comma-separated")] = None,
    overdue: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> FeedbackList:
    """List feedback items, newest first, phones masked."""
    try:
        statuses = tuple(FeedbackStatus(s.strip()) for s in (status or "").split(",") if s.strip())
    except ValueError as exc:
        raise Invalid(f"没有这种状态：{status}") from exc
    today = rt.hall.local_date(rt.clock())
    filters = queries.ItemFilter(statuses, overdue, limit, offset)

    def run(session: Session) -> FeedbackList:
        total, page = queries.list_items(session, rt.hall, filters=filters, today=today)
        return FeedbackList(total=total, items=queries.item_views(session, rt.hall, page, today))

    return await rt.db.read(run)


@router.get("/api/feedback/{item_id}", response_model=FeedbackPublic)
async def get_feedback(item_id: RowId, rt: RuntimeDep, _: ManagerDep) -> FeedbackPublic:
    """Return one feedback item with its history."""
    return await rt.db.read(lambda s: _view(rt, s, queries.find_item(s, rt.hall, item_id)))


def _add_step(action: FeedbackAction, body_type: type[VisitBody] | type[NoteBody]) -> None:
    async def take(item_id: RowId, body: VisitBody | NoteBody, rt: RuntimeDep,
                   who: ManagerDep) -> FeedbackPublic:
        now = rt.clock()
        return await rt.db.write(lambda uow: _view(rt, uow.session, service.act(
            uow, item_id=item_id, action=action, body=body, who=who, now=now)))

    take.__annotations__["body"] = body_type  # each step has its own body (resolved, not a string)
    take.__name__ = f"feedback_{action.value}"
    take.__doc__ = f"{action.value.capitalize()} a feedback item ({service.ACTION_WORDS[action]})."
    router.add_api_route(f"/api/feedback/{{item_id}}/{action.value}", take, methods=["POST"],
                         response_model=FeedbackPublic, tags=["feedback"])


_add_step(FeedbackAction.VISIT, VisitBody)
_add_step(FeedbackAction.RECTIFY, NoteBody)
_add_step(FeedbackAction.CLOSE, NoteBody)


@router.post("/api/feedback/{item_id}/phone", response_model=PhoneRevealed)
async def reveal_phone(item_id: RowId, rt: RuntimeDep, who: ManagerDep) -> PhoneRevealed:
    """Show the full phone number for a call back; the event log records who saw it."""
    now = rt.clock()
    item = await rt.db.write(lambda uow: service.reveal_phone(uow, item_id=item_id, who=who, now=now))
    assert item.id is not None
    return PhoneRevealed(id=item.id, phone=item.phone)


def _evaluation(row: CaseEvaluation, rt: HallRuntime) -> CaseEvaluationPublic:
    return CaseEvaluationPublic(case=row.case_id, grade=row.grade,
                                reasons=json.loads(row.reasons or "[]"),
                                comment=row.comment, at=rt.hall.local_iso(row.at) or "")


@router.post("/api/cases/{case_id}/evaluation", status_code=201, response_model=CaseEvaluationPublic)
async def evaluate_case(case_id: RowId, body: CaseEvaluationCreate, rt: RuntimeDep) -> CaseEvaluationPublic:
    """Grade a completed case, once, with its token; a grade of 1 or 2 opens a feedback item."""
    now = rt.clock()
    _, row = await rt.db.write(lambda uow: service.evaluate_case(uow, case_id=case_id, body=body, now=now))
    return _evaluation(row, rt)


@router.get("/api/cases/{case_id}/evaluation", response_model=CaseEvaluationState)
async def case_evaluation(case_id: RowId, rt: RuntimeDep,
                          token: Annotated[str, Query(max_length=200)] = "") -> CaseEvaluationState:
    """Tell the applicant whether the case can be graded, and the grade given."""
    def run(session: Session) -> CaseEvaluationState:
        case, _ = read_case(session, rt.hall, case_id=case_id, token=token or None, who=None)
        row = session.exec(select(CaseEvaluation).where(CaseEvaluation.case_id == case_id)).first()
        done = case.status in (CaseStatus.COMPLETED, CaseStatus.DELIVERED)
        return CaseEvaluationState(case=case_id, can_evaluate=done and row is None,
                                   evaluation=_evaluation(row, rt) if row else None)

    return await rt.db.read(run)
