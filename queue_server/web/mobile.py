"""Phone pages reached by the hall's QR codes: take a ticket, follow it, and check the guide."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from queue_server.app.deps import PhoneDeviceDep, RuntimeDep, give_device_cookie
from queue_server.app.runtime import HallRuntime
from queue_server.domain.model import MobileEntry
from queue_server.domain.passes import classify_pass
from queue_server.web.pages import templates

router = APIRouter()
api_router = APIRouter(prefix="/api", tags=["tickets"])

class PassCheck(BaseModel):
    """Whether a hall pass would be accepted now, and why not."""

    valid: bool
    mode: MobileEntry
    reason: str


@api_router.get("/hall-pass/check", response_model=PassCheck)
async def hall_pass_check(rt: RuntimeDep,
                          hall_pass: str | None = Query(default=None, alias="pass",
                                                        max_length=200)) -> PassCheck:
    """Tell a phone whether its hall pass would be accepted now, and why not."""
    settings = rt.hall.config.settings
    mode = settings.mobile_entry
    if mode == MobileEntry.OFF:
        return PassCheck(valid=False, mode=mode, reason="off")
    if mode == MobileEntry.OPEN:
        return PassCheck(valid=True, mode=mode, reason="open")
    reason = classify_pass(rt.hall.secret, rt.hall.code, hall_pass, rt.clock(),
                           settings.pass_rotation_seconds)
    return PassCheck(valid=reason == "valid", mode=mode, reason=reason)


def _page(request: Request, rt: HallRuntime, name: str, **context: Any) -> HTMLResponse:
    hall = rt.hall.config.hall
    return templates.TemplateResponse(request, name, {
        "hall_name": hall.short_name or hall.name, **context})


@router.get("/m", response_class=HTMLResponse, include_in_schema=False)
async def mobile_entry(request: Request, rt: RuntimeDep, device: PhoneDeviceDep) -> HTMLResponse:
    """Serve the phone entry; a phone that scanned the hall's QR gets its signed device cookie."""
    response = _page(request, rt, "mobile_entry.html")
    if device is None and request.query_params.get("pass") is not None:
        give_device_cookie(response, rt)
    return response


@router.get("/m/t/{ticket_id}", response_class=HTMLResponse, include_in_schema=False)
async def mobile_ticket(request: Request, rt: RuntimeDep, ticket_id: int) -> HTMLResponse:
    """Serve the resident's own ticket, followed live."""
    return _page(request, rt, "mobile_ticket.html", ticket_id=ticket_id)


@router.get("/m/guide", response_class=HTMLResponse, include_in_schema=False)
async def mobile_guide(request: Request, rt: RuntimeDep) -> HTMLResponse:
    """Serve the guide of matters: can this be handled here?"""
    return _page(request, rt, "mobile_guide.html")


router.include_router(api_router)
