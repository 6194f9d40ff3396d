"""Ticket endpoints: issue, read, cancel and evaluate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from queue_server.app.deps import (
    BaseUrlDep,
    DisplayDep,
    PrincipalDep,
    RowId,
    RuntimeDep,
    StaffDep,
    client_ip,
    fresh_calendar,
    get_principal,
    get_runtime,
    phone_device,
    public_base,
)
from queue_server.core.errors import RateLimited
from queue_server.domain.model import Channel
from queue_server.domain.passes import make_pass
from queue_server.tickets import queries
from queue_server.tickets.models import (
    EvaluationPublic,
    HallPass,
    TicketCreate,
    TicketEvaluationCreate,
    TicketPublic,
)
from queue_server.tickets.queries import ticket_public
from queue_server.tickets.service import grading, issuing, notice
from queue_server.tickets.service.notice import TicketNoticeBody, TicketNoticePublic

router = APIRouter(prefix="/api", tags=["tickets"])


def _json(model: TicketPublic, status: int) -> Response:
    # Fields that apply only later (the call, the token) are left out rather than sent as null.
    return Response(model.model_dump_json(exclude_unset=True), status_code=status,
                    media_type="application/json")


@router.post("/tickets", status_code=201, response_model=TicketPublic,
             response_model_exclude_unset=True,
             responses={200: {"description": "idempotent replay", "model": TicketPublic}})
async def issue_ticket(
    body: TicketCreate,
    request: Request,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> Response:
    """Issue a ticket for a service."""
    # The busiest route calls the dependencies' functions itself instead of having FastAPI resolve
    # them (docs/server.md, "What the hot path's shortcuts bought"). None declares a parameter.
    rt, principal = get_runtime(request), await get_principal(request)
    if body.channel == Channel.MOBILE and not await rt.limiters.mobile_ip(client_ip(request)):
        raise RateLimited("请求过于频繁，请稍后再试")
    # Without a genuine signed cookie, a phone is its address (limits and Idempotency-Key alike).
    device = await phone_device(request) if body.channel == Channel.MOBILE else None
    caller = issuing.Caller(principal, device, client_ip(request))
    now = rt.clock()
    issued, est = await rt.tickets.issue(lambda uow: issuing.issue(
        uow, body=body, caller=caller, idempotency_key=idempotency_key, now=now))
    view = ticket_public(issued.ticket, rt.hall, estimate=est, base_url=public_base(request, rt),
                         with_token=True)
    # No cookie is minted here: a phone gets its signed cookie when it opens /m from the QR code.
    return _json(view, 201 if issued.created else 200)


@router.get("/tickets/{ticket_id}", response_model=TicketPublic, response_model_exclude_unset=True)
async def get_ticket(ticket_id: RowId, rt: RuntimeDep, principal: PrincipalDep, base: BaseUrlDep,
                     token: str | None = Query(default=None, max_length=200)) -> Response:
    """Return a ticket to its resident (token) or to staff."""
    ticket = await rt.db.read(lambda s: queries.read_ticket(
        s, rt.hall, ticket_id=ticket_id, token=token, principal=principal))
    est = (await rt.estimator.current(max_age=2.0)).tickets.get(ticket_id)
    return _json(ticket_public(ticket, rt.hall, estimate=est, base_url=base,
                               with_token=token is not None), 200)


@router.post("/tickets/{ticket_id}/cancel", response_model=TicketPublic,
             response_model_exclude_unset=True)
async def cancel_ticket(ticket_id: RowId, rt: RuntimeDep, base: BaseUrlDep,
                        token: str | None = Query(default=None, max_length=200)) -> Response:
    """Cancel a waiting ticket."""
    now = rt.clock()
    ticket = await rt.db.write(lambda uow: issuing.cancel(uow, ticket_id=ticket_id, token=token,
                                                          now=now))
    return _json(ticket_public(ticket, rt.hall, estimate=None, base_url=base, with_token=True), 200)


@router.post("/tickets/{ticket_id}/evaluation", status_code=201, response_model=EvaluationPublic,
             dependencies=[Depends(fresh_calendar)],
             response_model_exclude_unset=True)
async def evaluate_ticket(ticket_id: RowId, body: TicketEvaluationCreate, rt: RuntimeDep,
                          base: BaseUrlDep) -> EvaluationPublic:
    """Grade a finished ticket from the resident's phone."""
    now = rt.clock()
    ticket, row = await rt.db.write(lambda uow: grading.evaluate_by_token(
        uow, ticket_id=ticket_id, body=body, now=now))
    return EvaluationPublic(ticket=ticket_public(ticket, rt.hall, estimate=None, base_url=base,
                                                 with_token=True),
                            grade=row.grade, reasons=body.reasons, comment=row.comment)


@router.post("/tickets/{ticket_id}/notice", status_code=202, response_model=TicketNoticePublic)
async def print_ticket_notice(ticket_id: RowId, body: TicketNoticeBody, rt: RuntimeDep,
                              _: StaffDep) -> TicketNoticePublic:
    """Print the 一次性告知书 for a resident whose materials were incomplete, without a case."""
    now = rt.clock()
    job = await rt.db.read(lambda s: notice.prepare(s, rt.hall, ticket_id=ticket_id, body=body,
                                                    now=now))
    return await notice.send(job, rt.print_agents, rt.hall.code)


@router.get("/hall-pass", response_model=HallPass, response_model_by_alias=True)
async def hall_pass(rt: RuntimeDep, _: DisplayDep, base: BaseUrlDep) -> HallPass:
    """Return the current hall pass and the URL the board shows as a QR code."""
    settings = rt.hall.config.settings
    token, expires = make_pass(rt.hall.secret, rt.hall.code, rt.clock(),
                               settings.pass_rotation_seconds)
    return HallPass.model_validate({"pass": token, "url": f"{base}/m?pass={token}",
                                     "expires_at": rt.hall.local_iso(expires),
                                     "mode": settings.mobile_entry,
                                     "rotation_seconds": settings.pass_rotation_seconds})
