"""Ticket endpoints: issue, read, cancel and evaluate."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlmodel import Session

from queue_server.deps import DEVICE_COOKIE, PrincipalDep, RowId, RuntimeDep, client_ip
from queue_server.domain.passes import make_pass
from queue_server.errors import Forbidden, RateLimited, Unauthorized
from queue_server.events.hub import Message
from queue_server.tickets import service
from queue_server.tickets.models import Ticket, TicketCreate, TicketEvaluationCreate
from queue_server.tickets.views import ticket_public

router = APIRouter(prefix="/api", tags=["tickets"])


@router.post("/tickets", status_code=201, responses={200: {"description": "idempotent replay"}})
async def issue_ticket(
    body: TicketCreate,
    request: Request,
    rt: RuntimeDep,
    principal: PrincipalDep,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Response:
    """Issue a ticket for a service."""
    cookie = request.cookies.get(DEVICE_COOKIE)
    new_cookie = None
    if body.channel == "mobile":
        if not request.app.state.mobile_ip_limiter.hit(client_ip(request)):
            raise RateLimited("请求过于频繁，请稍后再试")
        if not cookie or len(cookie) > 64:
            cookie = new_cookie = secrets.token_urlsafe(16)
    caller = service.Caller(principal, cookie, client_ip(request))
    now = rt.clock()
    base = rt.base_url(str(request.base_url))

    def run(session: Session) -> tuple[Ticket, list[Message]]:
        out = service.issue(session, rt.hall, body=body, caller=caller,
                            idempotency_key=idempotency_key, now=now)
        return out.ticket, out.events

    ticket, est, created = await rt.issue(run)
    view = ticket_public(ticket, rt.hall, estimate=est, base_url=base, with_token=True)
    response = JSONResponse(view, status_code=201 if created else 200)
    if new_cookie:
        response.set_cookie(DEVICE_COOKIE, new_cookie, httponly=True, samesite="lax",
                            max_age=365 * 86400, path="/")
    return response


async def ticket_view(rt: RuntimeDep, ticket: Ticket, base: str, with_token: bool) -> dict[str, Any]:
    """Return a ticket with its current estimate."""
    est = (await rt.estimates(max_age=2.0)).tickets.get(ticket.id or 0)
    return ticket_public(ticket, rt.hall, estimate=est, base_url=base, with_token=with_token)


@router.get("/tickets/{ticket_id}")
async def get_ticket(ticket_id: RowId, request: Request, rt: RuntimeDep, principal: PrincipalDep,
                     token: str | None = Query(default=None, max_length=200)) -> dict[str, Any]:
    """Return a ticket to its resident (token) or to staff."""
    ticket = await rt.read(lambda s: service.get_ticket(s, rt.hall, ticket_id))
    staff = principal is not None and principal.is_staff
    if token is not None or not staff:
        if token is None and principal is None:
            raise Unauthorized("需要号码凭证 (token)")
        if token is None:
            raise Forbidden("无权查看这个号码")
        service.check_token(ticket, token)
    return await ticket_view(rt, ticket, rt.base_url(str(request.base_url)),
                             with_token=token is not None)


@router.post("/tickets/{ticket_id}/cancel")
async def cancel_ticket(ticket_id: RowId, request: Request, rt: RuntimeDep,
                        token: str | None = Query(default=None, max_length=200)) -> dict[str, Any]:
    """Cancel a waiting ticket."""
    now = rt.clock()

    def run(session: Session) -> tuple[Ticket, list[Message]]:
        out = service.cancel(session, rt.hall, ticket_id=ticket_id, token=token, now=now)
        return out.ticket, out.events

    ticket = await rt.write(run)
    return ticket_public(ticket, rt.hall, estimate=None,
                         base_url=rt.base_url(str(request.base_url)), with_token=True)


@router.post("/tickets/{ticket_id}/evaluation", status_code=201)
async def evaluate_ticket(ticket_id: RowId, body: TicketEvaluationCreate, request: Request,
                          rt: RuntimeDep) -> dict[str, Any]:
    """Grade a finished ticket from the resident's phone."""
    now = rt.clock()
    base = rt.base_url(str(request.base_url))

    def run(session: Session) -> tuple[dict[str, Any], list[Message]]:
        from queue_server.events import service as events

        events.lock_hall(session, rt.hall.code)
        ticket = service.get_ticket(session, rt.hall, ticket_id)
        service.check_token(ticket, body.token)
        out = service.evaluate(session, rt.hall, ticket=ticket, body=body, source="mobile",
                               actor=f"resident:{ticket.id}", now=now)
        view = ticket_public(ticket, rt.hall, estimate=None, base_url=base, with_token=True)
        return {"ticket": view, **out.extra}, out.events

    return await rt.write(run)


@router.get("/hall-pass")
async def hall_pass(request: Request, rt: RuntimeDep, principal: PrincipalDep) -> dict[str, Any]:
    """Return the current hall pass and the URL the board shows as a QR code."""
    if principal is None:
        raise Unauthorized("需要显示屏设备令牌或工作人员登录")
    if not (principal.is_staff or principal.role == "display"):
        raise Forbidden("只有大厅显示屏可以获取取号二维码")
    settings = rt.hall.config.settings
    token, expires = make_pass(rt.hall.secret, rt.hall.code, rt.clock(),
                               settings.pass_rotation_seconds)
    base = rt.base_url(str(request.base_url))
    return {"pass": token, "url": f"{base}/m?pass={token}",
            "expires_at": rt.hall.local_iso(expires), "mode": settings.mobile_entry,
            "rotation_seconds": settings.pass_rotation_seconds}


