"""Window endpoints for clerks, managers and evaluation pads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Response

from queue_server.app.deps import BaseUrlDep, CallerDep, PadOrStaffDep, RuntimeDep, StaffDep, fresh_calendar
from queue_server.app.runtime import HallRuntime
from queue_server.db.uow import UnitOfWork
from queue_server.readmodel.queries import window_queue
from queue_server.tickets.models import (
    EvaluationCreate,
    EvaluationPublic,
    Ticket,
    TicketAction,
    TicketPublic,
)
from queue_server.tickets.queries import applicant_for, ticket_public
from queue_server.windows.models import CallBody, FinishBody, PauseBody, TransferBody, WindowPublic, WindowState
from queue_server.windows.queries import window_by_number, windows_public
from queue_server.windows.service import calling, opening, serving

router = APIRouter(prefix="/api/windows", tags=["windows"])
NOTHING_WAITING: dict[int | str, dict[str, Any]] = {204: {"description": "nothing eligible is waiting"}}


@router.get("", response_model=list[WindowPublic])
async def list_windows(rt: RuntimeDep, who: CallerDep, base: BaseUrlDep) -> list[WindowPublic]:
    """List every window with its clerk and current ticket (its card holder to staff only)."""
    return await rt.db.read(lambda s: windows_public(s, rt.hall, base, staff=who.is_staff))


async def _window(rt: HallRuntime, base: str, use_case: Callable[[UnitOfWork], WindowState]) -> WindowPublic:
    def run(uow: UnitOfWork) -> WindowPublic:
        state = use_case(uow)
        return window_by_number(uow.session, rt.hall, state.number, base)

    return await rt.db.write(run)


@router.post("/{number}/open", response_model=WindowPublic)
async def open_window(number: int, rt: RuntimeDep, who: StaffDep, base: BaseUrlDep) -> WindowPublic:
    """Open a window and sign in as its clerk."""
    now = rt.clock()
    return await _window(rt, base, lambda uow: opening.open_window(uow, number=number, who=who, now=now))


@router.post("/{number}/pause", response_model=WindowPublic)
async def pause_window(number: int, rt: RuntimeDep, who: StaffDep, base: BaseUrlDep,
                       body: PauseBody | None = None) -> WindowPublic:
    """Pause a window: it stops calling."""
    now, reason = rt.clock(), body.reason if body else None
    return await _window(rt, base, lambda uow: opening.pause(uow, number=number, who=who,
                                                             reason=reason, now=now))


@router.post("/{number}/resume", response_model=WindowPublic)
async def resume_window(number: int, rt: RuntimeDep, who: StaffDep, base: BaseUrlDep) -> WindowPublic:
    """Resume a paused window."""
    now = rt.clock()
    return await _window(rt, base, lambda uow: opening.resume(uow, number=number, who=who, now=now))


@router.post("/{number}/close", response_model=WindowPublic)
async def close_window(number: int, rt: RuntimeDep, who: StaffDep, base: BaseUrlDep) -> WindowPublic:
    """Close a window and sign its clerk out."""
    now = rt.clock()
    return await _window(rt, base, lambda uow: opening.close(uow, number=number, who=who, now=now))


async def _ticket(rt: HallRuntime, base: str, use_case: Callable[[UnitOfWork], Ticket | None]
                  ) -> TicketAction | Response:
    ticket = await rt.db.write(use_case)
    if ticket is None:
        return Response(status_code=204)
    # Only staff reach these actions (StaffDep): they see the card holder of the ticket they serve.
    return TicketAction(ticket=ticket_public(ticket, rt.hall, estimate=None, base_url=base,
                                             with_token=False, applicant=applicant_for(rt.hall, ticket)))


@router.post("/{number}/call-next", response_model=TicketAction, response_model_exclude_unset=True,
             responses=NOTHING_WAITING)
async def call_next(number: int, rt: RuntimeDep, who: StaffDep, base: BaseUrlDep) -> TicketAction | Response:
    """Call the next ticket the routing policy picks for this window."""
    now = rt.clock()
    return await _ticket(rt, base, lambda uow: calling.call_next(uow, number=number, who=who, now=now))


@router.post("/{number}/call", response_model=TicketAction, response_model_exclude_unset=True)
async def call(number: int, body: CallBody, rt: RuntimeDep, who: StaffDep,
               base: BaseUrlDep) -> TicketAction | Response:
    """Call one specific waiting ticket."""
    now = rt.clock()
    return await _ticket(rt, base, lambda uow: calling.call_specific(
        uow, number=number, ticket_id=body.ticket, who=who, now=now))


@router.post("/{number}/recall", response_model=TicketAction, response_model_exclude_unset=True)
async def recall(number: int, rt: RuntimeDep, who: StaffDep, base: BaseUrlDep) -> TicketAction | Response:
    """Announce the current ticket again."""
    now = rt.clock()
    return await _ticket(rt, base, lambda uow: serving.recall(uow, number=number, who=who, now=now))


@router.post("/{number}/start", response_model=TicketAction, response_model_exclude_unset=True)
async def start(number: int, rt: RuntimeDep, who: StaffDep, base: BaseUrlDep) -> TicketAction | Response:
    """Start serving the current ticket."""
    now = rt.clock()
    return await _ticket(rt, base, lambda uow: serving.start(uow, number=number, who=who, now=now))


@router.post("/{number}/finish", response_model=TicketAction, response_model_exclude_unset=True)
async def finish(number: int, rt: RuntimeDep, who: StaffDep, base: BaseUrlDep,
                 body: FinishBody | None = None) -> TicketAction | Response:
    """Finish the current ticket with an outcome."""
    now, outcome = rt.clock(), (body or FinishBody()).outcome
    return await _ticket(rt, base, lambda uow: serving.finish(uow, number=number, who=who,
                                                              outcome=outcome, now=now))


@router.post("/{number}/no-show", response_model=TicketAction, response_model_exclude_unset=True)
async def no_show(number: int, rt: RuntimeDep, who: StaffDep, base: BaseUrlDep) -> TicketAction | Response:
    """Mark the called resident as absent."""
    now = rt.clock()
    return await _ticket(rt, base, lambda uow: serving.no_show(uow, number=number, who=who, now=now))


@router.post("/{number}/transfer", response_model=TicketAction, response_model_exclude_unset=True)
async def transfer(number: int, body: TransferBody, rt: RuntimeDep, who: StaffDep,
                   base: BaseUrlDep) -> TicketAction | Response:
    """Send the current ticket to another service or window, keeping its place."""
    now = rt.clock()
    return await _ticket(rt, base, lambda uow: serving.transfer(
        uow, number=number, who=who, service=body.service, window=body.window, now=now))


@router.get("/{number}/queue", response_model=list[TicketPublic], response_model_exclude_unset=True)
async def get_window_queue(number: int, rt: RuntimeDep, _: StaffDep, base: BaseUrlDep) -> list[TicketPublic]:
    """List the waiting tickets this window can serve, in call-next order."""
    est = await rt.estimator.current(max_age=2.0)
    return await rt.db.read(lambda s: [
        ticket_public(t, rt.hall, estimate=est.tickets.get(t.id or 0), base_url=base,
                      with_token=False) for t in window_queue(s, rt.hall, number)])


@router.post("/{number}/evaluation", status_code=201, response_model=EvaluationPublic,
             dependencies=[Depends(fresh_calendar)],
             response_model_exclude_unset=True)
async def evaluate_window(number: int, body: EvaluationCreate, rt: RuntimeDep, who: PadOrStaffDep,
                          base: BaseUrlDep) -> EvaluationPublic:
    """Grade the ticket this window finished most recently."""
    now = rt.clock()
    ticket, row = await rt.db.write(lambda uow: opening.evaluate_last(
        uow, number=number, who=who, body=body, now=now))
    return EvaluationPublic(ticket=ticket_public(ticket, rt.hall, estimate=None, base_url=base,
                                                 with_token=False),
                            grade=row.grade, reasons=body.reasons, comment=row.comment)
