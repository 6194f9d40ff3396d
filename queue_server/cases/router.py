"""Case (办件) endpoints: accept, act, list, read, print, and the applicant's websocket."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Response, WebSocket
from sqlmodel import Session

from queue_server.app.deps import (
    MAX_ID,
    AgentOrStaffDep,
    BaseUrlDep,
    PrincipalDep,
    RowId,
    RuntimeDep,
    StaffDep,
    body_schema,
    deferred,
    fresh_calendar,
    get_runtime,
    public_base,
)
from queue_server.cases.models import (
    BatchPublic,
    Case,
    CaseBatchCreate,
    CaseCreate,
    CaseList,
    CasePublic,
    CompleteBody,
    DeliverBody,
    EmptyBody,
    PrintBody,
    PrintPublic,
    SuspendBody,
    WithdrawBody,
)
from queue_server.cases.queries import CaseFilter, case_public, list_cases, read_case, steps_of
from queue_server.cases.service import actions, idempotency, printing
from queue_server.core.bodies import Deferred
from queue_server.core.errors import Invalid
from queue_server.domain.model import CaseStatus
from queue_server.domain.privacy import token_matches
from queue_server.halls.hall import Hall
from queue_server.realtime.feeds import serve

router = APIRouter(tags=["cases"], dependencies=[Depends(fresh_calendar)])
KeyHeader = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]
DayParam = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$",
                                       description="acceptance day YYYY-MM-DD")]


def _public(session: Session, hall: Hall, case: Case, now: datetime,
            base_url: str | None = None) -> CasePublic:
    assert case.id is not None
    steps = steps_of(session, [case.id])[case.id]
    return case_public(case, steps, hall, today=hall.local_date(now), base_url=base_url)


@router.post("/api/cases", status_code=201, response_model=CasePublic,
             response_model_exclude_unset=True,
             responses={200: {"description": "idempotent replay", "model": CasePublic}})
async def create_case(body: CaseCreate, rt: RuntimeDep, who: AgentOrStaffDep, base: BaseUrlDep,
                      response: Response, idempotency_key: KeyHeader = None) -> CasePublic:
    """Accept a case for a guide matter (an Idempotency-Key makes a retry safe)."""
    now = rt.clock()

    def run(uow: Any) -> CasePublic:
        case, created = idempotency.create_once(uow, body=body, who=who, key=idempotency_key, now=now)
        response.status_code = 201 if created else 200
        return _public(uow.session, rt.hall, case, now, base)

    return await rt.db.write(run)


@router.post("/api/cases/batch", status_code=201, response_model=BatchPublic,
             response_model_exclude_unset=True,
             responses={200: {"description": "idempotent replay", "model": BatchPublic}})
async def create_batch(body: CaseBatchCreate, rt: RuntimeDep, who: AgentOrStaffDep,
                       base: BaseUrlDep, response: Response,
                       idempotency_key: KeyHeader = None) -> BatchPublic:
    """Accept a batch of cases, all or nothing (an Idempotency-Key makes a retry safe)."""
    now = rt.clock()

    def run(uow: Any) -> BatchPublic:
        batch, cases, created = idempotency.create_batch_once(
            uow, items=body.cases, who=who, key=idempotency_key, now=now)
        response.status_code = 201 if created else 200
        assert batch.id is not None
        return BatchPublic(batch=batch.id,
                           cases=[_public(uow.session, rt.hall, c, now, base) for c in cases])

    return await rt.db.write(run)


@router.post("/api/cases/{case_id}/process", response_model=CasePublic,
             response_model_exclude_unset=True, openapi_extra=body_schema(EmptyBody))
async def case_process(case_id: RowId, rt: RuntimeDep, who: AgentOrStaffDep,
                       body: Annotated[Deferred[EmptyBody], Depends(deferred(EmptyBody))]) -> CasePublic:
    """Start work on an accepted case (开始办理)."""
    now = rt.clock()
    return await rt.db.write(lambda uow: _public(uow.session, rt.hall, actions.process(
        uow, case_id=case_id, body=body, who=who, now=now), now))


@router.post("/api/cases/{case_id}/suspend", response_model=CasePublic,
             response_model_exclude_unset=True, openapi_extra=body_schema(SuspendBody))
async def case_suspend(case_id: RowId, rt: RuntimeDep, who: AgentOrStaffDep,
                       body: Annotated[Deferred[SuspendBody], Depends(deferred(SuspendBody))]) -> CasePublic:
    """Stop the clock while the applicant brings the missing materials (补正)."""
    now = rt.clock()
    return await rt.db.write(lambda uow: _public(uow.session, rt.hall, actions.suspend(
        uow, case_id=case_id, body=body, who=who, now=now), now))


@router.post("/api/cases/{case_id}/resume", response_model=CasePublic,
             response_model_exclude_unset=True, openapi_extra=body_schema(EmptyBody))
async def case_resume(case_id: RowId, rt: RuntimeDep, who: AgentOrStaffDep,
                      body: Annotated[Deferred[EmptyBody], Depends(deferred(EmptyBody))]) -> CasePublic:
    """Restart the clock once the materials came (恢复办理)."""
    now = rt.clock()
    return await rt.db.write(lambda uow: _public(uow.session, rt.hall, actions.resume(
        uow, case_id=case_id, body=body, who=who, now=now), now))


@router.post("/api/cases/{case_id}/complete", response_model=CasePublic,
             response_model_exclude_unset=True, openapi_extra=body_schema(CompleteBody))
async def case_complete(case_id: RowId, rt: RuntimeDep, who: AgentOrStaffDep,
                        body: Annotated[Deferred[CompleteBody], Depends(deferred(CompleteBody))]) -> CasePublic:
    """Record the result (办结); a refusal needs its reason."""
    now = rt.clock()
    return await rt.db.write(lambda uow: _public(uow.session, rt.hall, actions.complete(
        uow, case_id=case_id, body=body, who=who, now=now), now))


@router.post("/api/cases/{case_id}/deliver", response_model=CasePublic,
             response_model_exclude_unset=True, openapi_extra=body_schema(DeliverBody))
async def case_deliver(case_id: RowId, rt: RuntimeDep, who: AgentOrStaffDep,
                       body: Annotated[Deferred[DeliverBody], Depends(deferred(DeliverBody))]) -> CasePublic:
    """Record how the result reached the resident (送达)."""
    now = rt.clock()
    return await rt.db.write(lambda uow: _public(uow.session, rt.hall, actions.deliver(
        uow, case_id=case_id, body=body, who=who, now=now), now))


@router.post("/api/cases/{case_id}/withdraw", response_model=CasePublic,
             response_model_exclude_unset=True, openapi_extra=body_schema(WithdrawBody))
async def case_withdraw(case_id: RowId, rt: RuntimeDep, who: AgentOrStaffDep,
                        body: Annotated[Deferred[WithdrawBody], Depends(deferred(WithdrawBody))]) -> CasePublic:
    """Withdraw a case at the applicant's request (撤回), with the reason."""
    now = rt.clock()
    return await rt.db.write(lambda uow: _public(uow.session, rt.hall, actions.withdraw(
        uow, case_id=case_id, body=body, who=who, now=now), now))


@router.get("/api/cases", response_model=CaseList, response_model_exclude_unset=True)
async def get_cases(
    rt: RuntimeDep, who: AgentOrStaffDep,
    status: Annotated[str | None, Query(max_length=200, description="one or more, comma-separated")] = None,
    overdue: bool = False,
    station: Annotated[str | None, Query(max_length=20)] = None,
    department: Annotated[str | None, Query(max_length=64)] = None,
    from_: Annotated[DayParam, Query(alias="from")] = None,
    to: DayParam = None,
    q: Annotated[str | None, Query(max_length=40, description="number, name or (masked) phone")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    queue: Annotated[Literal["proxy"] | None, Query(
        description="proxy: the 帮办代办 window's cases (proxy matters, agent and home cases)")] = None,
) -> CaseList:
    """List cases, newest first: all for staff, an agent's station's for an agent."""
    try:
        statuses = tuple(CaseStatus(s.strip()) for s in (status or "").split(",") if s.strip())
    except ValueError as exc:
        raise Invalid(f"没有这种办件状态：{status}") from exc
    try:
        first = date.fromisoformat(from_) if from_ else None
        last = date.fromisoformat(to) if to else None
    except ValueError as exc:
        raise Invalid(f"日期不正确：{exc}") from exc
    if first and last and first > last:
        raise Invalid("开始日期不能晚于结束日期")
    filters = CaseFilter(statuses, overdue, station, department, first, last,
                         (q or "").strip() or None, limit, offset, queue == "proxy")
    now = rt.clock()
    today = rt.hall.local_date(now)

    def run(session: Session) -> CaseList:
        total, page, steps = list_cases(session, rt.hall, filters=filters, who=who, today=today)
        return CaseList(total=total, proxy_window=rt.hall.config.proxy_window(), cases=[
            case_public(c, steps[c.id or 0], rt.hall, today=today) for c in page])

    return await rt.db.read(run)


@router.get("/api/cases/{case_id}", response_model=CasePublic, response_model_exclude_unset=True)
async def get_case(case_id: RowId, rt: RuntimeDep, who: PrincipalDep,
                   token: Annotated[str | None, Query(max_length=200)] = None) -> CasePublic:
    """Return a case to its applicant (token) or to staff."""
    now = rt.clock()

    def run(session: Session) -> CasePublic:
        case, steps = read_case(session, rt.hall, case_id=case_id, token=token, who=who)
        return case_public(case, steps, rt.hall, today=rt.hall.local_date(now))

    return await rt.db.read(run)


@router.post("/api/cases/{case_id}/print", status_code=202, response_model=PrintPublic)
async def print_case(case_id: RowId, body: PrintBody, rt: RuntimeDep, who: StaffDep,
                     base: BaseUrlDep) -> PrintPublic:
    """Print a case's 受理回执, 一次性告知书 or 办结通知 on a window's printer."""
    now = rt.clock()
    job = await rt.db.read(lambda s: printing.prepare(s, rt.hall, case_id=case_id, body=body,
                                                      who=who, base_url=base, now=now))
    status = await printing.send(job, rt.print_agents, rt.hall.code)
    return PrintPublic(case=job.case_id, window=job.window, kind=job.kind, printer_status=status)


@router.websocket("/ws/cases/{case_id}")
async def case_socket(ws: WebSocket, case_id: int, token: str = Query(default="")) -> None:
    """Stream one applicant's case: now, and on every change to it."""
    rt = get_runtime(ws)
    case = await rt.db.read(lambda s: s.get(Case, case_id)) if 1 <= case_id <= MAX_ID else None
    if case is None or case.hall != rt.hall.code or not token_matches(case.token, token):
        await ws.close(code=1008)  # before accept: the handshake is refused with 403
        return
    # The same feed and caps as a resident's ticket: per case, per address and in total.
    await serve(ws, rt.case_feed, item_id=case_id, base=public_base(ws, rt), kind="case")

