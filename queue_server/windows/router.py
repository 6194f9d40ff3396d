"""Window endpoints for clerks, managers and evaluation pads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlmodel import Session, col, select

from queue_server.auth.models import User
from queue_server.auth.service import Principal
from queue_server.deps import PrincipalDep, RuntimeDep
from queue_server.errors import Forbidden, Unauthorized
from queue_server.events.hub import Message
from queue_server.hall import Hall
from queue_server.tickets import service as tickets
from queue_server.tickets.models import EvaluationCreate, Ticket
from queue_server.tickets.service import Outcome
from queue_server.tickets.views import ticket_public
from queue_server.windows import service
from queue_server.windows.models import CallBody, FinishBody, PauseBody, TransferBody, WindowState

router = APIRouter(prefix="/api/windows", tags=["windows"])


def window_public(session: Session, hall: Hall, state: WindowState, base: str) -> dict[str, Any]:
    """Return the API's Window object."""
    clerk = None
    if state.clerk:
        user = session.exec(select(User).where(User.username == state.clerk)).first()
        clerk = {"username": state.clerk, "display_name": user.display_name if user else state.clerk}
    current = session.get(Ticket, state.current_ticket_id) if state.current_ticket_id else None
    tiers = hall.config.window_tiers(state.number)
    return {
        "number": state.number,
        "name": hall.window_name(state.number),
        "status": state.status,
        "pause_reason": state.pause_reason,
        "clerk": clerk,
        "current": ticket_public(current, hall, estimate=None, base_url=base, with_token=False)
        if current else None,
        "services": [code for tier in tiers for code in tier],
        "profile": tiers,
    }


@router.get("")
async def list_windows(request: Request, rt: RuntimeDep, principal: PrincipalDep) -> list[dict[str, Any]]:
    """List every window with its clerk and current ticket."""
    if principal is None:
        raise Unauthorized("请先登录")
    base = rt.base_url(str(request.base_url))

    def run(session: Session) -> list[dict[str, Any]]:
        states = session.exec(select(WindowState).where(WindowState.hall == rt.hall.code)
                              .order_by(col(WindowState.number))).all()
        return [window_public(session, rt.hall, s, base) for s in states]

    return await rt.read(run)


WindowFn = Callable[[Session], tuple[WindowState, list[Message]]]


async def _window_action(rt: RuntimeDep, request: Request, fn: WindowFn) -> dict[str, Any]:
    base = rt.base_url(str(request.base_url))

    def run(session: Session) -> tuple[dict[str, Any], list[Message]]:
        state, events = fn(session)
        return window_public(session, rt.hall, state, base), events

    return await rt.write(run)


@router.post("/{number}/open")
async def open_window(number: int, request: Request, rt: RuntimeDep, who: PrincipalDep) -> dict[str, Any]:
    """Open a window and sign in as its clerk."""
    now = rt.clock()
    return await _window_action(rt, request, lambda s: service.open_window(
        s, rt.hall, number=number, principal=who, now=now))


@router.post("/{number}/pause")
async def pause_window(number: int, request: Request, rt: RuntimeDep, who: PrincipalDep,
                       body: PauseBody | None = None) -> dict[str, Any]:
    """Pause a window: it stops calling."""
    now = rt.clock()
    reason = body.reason if body else None
    return await _window_action(rt, request, lambda s: service.pause(
        s, rt.hall, number=number, principal=who, reason=reason, now=now))


@router.post("/{number}/resume")
async def resume_window(number: int, request: Request, rt: RuntimeDep, who: PrincipalDep) -> dict[str, Any]:
    """Resume a paused window."""
    now = rt.clock()
    return await _window_action(rt, request, lambda s: service.resume(
        s, rt.hall, number=number, principal=who, now=now))


@router.post("/{number}/close")
async def close_window(number: int, request: Request, rt: RuntimeDep, who: PrincipalDep) -> dict[str, Any]:
    """Close a window and sign its clerk out."""
    now = rt.clock()
    return await _window_action(rt, request, lambda s: service.close(
        s, rt.hall, number=number, principal=who, now=now))


TicketFn = Callable[[Session], Outcome | None]


async def _ticket_action(rt: RuntimeDep, request: Request, fn: TicketFn) -> Response | dict[str, Any]:
    base = rt.base_url(str(request.base_url))

    def run(session: Session) -> tuple[dict[str, Any] | None, list[Message]]:
        out = fn(session)
        if out is None:
            return None, []
        view = ticket_public(out.ticket, rt.hall, estimate=None, base_url=base, with_token=False)
        return {"ticket": view}, out.events

    result = await rt.write(run)
    return Response(status_code=204) if result is None else result


@router.post("/{number}/call-next", responses={204: {"description": "nothing eligible is waiting"}})
async def call_next(number: int, request: Request, rt: RuntimeDep, who: PrincipalDep) -> Any:
    """Call the next ticket the routing policy picks for this window."""
    now = rt.clock()
    return await _ticket_action(rt, request, lambda s: service.call_next(
        s, rt.hall, number=number, principal=who, now=now))


@router.post("/{number}/call")
async def call(number: int, body: CallBody, request: Request, rt: RuntimeDep, who: PrincipalDep) -> Any:
    """Call one specific waiting ticket."""
    now = rt.clock()
    return await _ticket_action(rt, request, lambda s: service.call_specific(
        s, rt.hall, number=number, ticket_id=body.ticket, principal=who, now=now))


@router.post("/{number}/recall")
async def recall(number: int, request: Request, rt: RuntimeDep, who: PrincipalDep) -> Any:
    """Announce the current ticket again."""
    now = rt.clock()
    return await _ticket_action(rt, request, lambda s: service.recall(
        s, rt.hall, number=number, principal=who, now=now))


@router.post("/{number}/start")
async def start(number: int, request: Request, rt: RuntimeDep, who: PrincipalDep) -> Any:
    """Start serving the current ticket."""
    now = rt.clock()
    return await _ticket_action(rt, request, lambda s: service.start(
        s, rt.hall, number=number, principal=who, now=now))


@router.post("/{number}/finish")
async def finish(number: int, request: Request, rt: RuntimeDep, who: PrincipalDep,
                 body: FinishBody | None = None) -> Any:
    """Finish the current ticket with an outcome."""
    now = rt.clock()
    outcome = body.outcome if body else "done"
    return await _ticket_action(rt, request, lambda s: service.finish(
        s, rt.hall, number=number, principal=who, outcome=outcome, now=now))


@router.post("/{number}/no-show")
async def no_show(number: int, request: Request, rt: RuntimeDep, who: PrincipalDep) -> Any:
    """Mark the called resident as absent."""
    now = rt.clock()
    return await _ticket_action(rt, request, lambda s: service.no_show(
        s, rt.hall, number=number, principal=who, now=now))


@router.post("/{number}/transfer")
async def transfer(number: int, body: TransferBody, request: Request, rt: RuntimeDep,
                   who: PrincipalDep) -> Any:
    """Send the current ticket to another service or window, keeping its place."""
    now = rt.clock()
    return await _ticket_action(rt, request, lambda s: service.transfer(
        s, rt.hall, number=number, principal=who, service=body.service, window=body.window,
        now=now))


@router.get("/{number}/queue")
async def window_queue(number: int, request: Request, rt: RuntimeDep, who: PrincipalDep) -> list[dict[str, Any]]:
    """List the waiting tickets this window can serve, in call-next order."""
    if who is None:
        raise Unauthorized("请先登录")
    if not who.is_staff:
        raise Forbidden("需要工作人员账号")
    base = rt.base_url(str(request.base_url))
    est = await rt.estimates(max_age=2.0)

    def run(session: Session) -> list[dict[str, Any]]:
        service.get_window(session, rt.hall, number)
        return [ticket_public(t, rt.hall, estimate=est.tickets.get(t.id or 0), base_url=base,
                              with_token=False) for t in service.queue_for(session, rt.hall, number)]

    return await rt.read(run)


def _may_evaluate(who: Principal | None, state: WindowState, number: int) -> None:
    if who is None:
        raise Unauthorized("需要评价器设备令牌或工作人员登录")
    if who.kind == "device":
        if who.role != "pad" or who.window != number:
            raise Forbidden(f"只有 {number} 号窗口的评价器可以提交评价")
    elif not who.is_manager and state.clerk != who.username:
        raise Forbidden("您只能为自己窗口的业务提交评价")


@router.post("/{number}/evaluation", status_code=201)
async def evaluate_window(number: int, body: EvaluationCreate, request: Request, rt: RuntimeDep,
                          who: PrincipalDep) -> dict[str, Any]:
    """Grade the ticket this window finished most recently."""
    now = rt.clock()
    base = rt.base_url(str(request.base_url))
    within = timedelta(seconds=rt.hall.config.settings.evaluation_window_seconds)

    def run(session: Session) -> tuple[dict[str, Any], list[Message]]:
        from queue_server.events import service as events

        if who is None:
            raise Unauthorized("需要评价器设备令牌或工作人员登录")
        events.lock_hall(session, rt.hall.code)
        state = service.get_window(session, rt.hall, number)
        _may_evaluate(who, state, number)
        ticket = service.last_finished(session, rt.hall, number, now, within)
        out = tickets.evaluate(session, rt.hall, ticket=ticket, body=body,
                               source="pad" if who.kind == "device" else "staff",
                               actor=who.actor, now=now)
        view = ticket_public(ticket, rt.hall, estimate=None, base_url=base, with_token=False)
        return {"ticket": view, **out.extra}, out.events

    return await rt.write(run)
