"""Phone pages reached by the hall's QR codes: take a ticket, follow it, and check the guide."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from queue_server.domain.passes import check_pass
from queue_server.web.pages import templates

router = APIRouter()
api_router = APIRouter(prefix="/api", tags=["tickets"])

# ASCII digits only: str.isdigit() also accepts characters such as "²" that int() rejects.
PASS_SHAPE = re.compile(r"^[0-9]{1,20}\.[A-Za-z0-9_-]{1,40}$")


def classify_pass(secret: bytes, hall: str, token: str | None, now: datetime,
                  rotation_seconds: int) -> str:
    """Return "valid", "missing", "expired" or "invalid" for a hall pass."""
    if not token:
        return "missing"
    if not PASS_SHAPE.match(token):
        return "invalid"
    if check_pass(secret, hall, token, now, rotation_seconds):
        return "valid"
    bucket = int(token.split(".", 1)[0])
    try:
        minted = datetime.fromtimestamp(bucket * rotation_seconds, tz=now.tzinfo)
    except (OverflowError, OSError, ValueError):
        return "invalid"
    # Genuine when checked at its own bucket's time: then it is only too old (or from the future).
    if minted < now and check_pass(secret, hall, token, minted, rotation_seconds):
        return "expired"
    return "invalid"


@api_router.get("/hall-pass/check")
async def hall_pass_check(request: Request,
                          hall_pass: str | None = Query(default=None, alias="pass",
                                                        max_length=200)) -> dict[str, Any]:
    """Tell a phone whether its hall pass would be accepted now, and why not."""
    rt = request.app.state.runtime
    settings = rt.hall.config.settings
    mode = settings.mobile_entry
    if mode == "off":
        return {"valid": False, "mode": mode, "reason": "off"}
    if mode == "open":
        return {"valid": True, "mode": mode, "reason": "open"}
    reason = classify_pass(rt.hall.secret, rt.hall.code, hall_pass, rt.clock(),
                           settings.pass_rotation_seconds)
    return {"valid": reason == "valid", "mode": mode, "reason": reason}


def _page(request: Request, name: str, **context: Any) -> HTMLResponse:
    rt = request.app.state.runtime
    hall = rt.hall.config.hall
    return templates.TemplateResponse(request, name, {
        "hall_name": hall.short_name or hall.name, **context})


@router.get("/m", response_class=HTMLResponse, include_in_schema=False)
async def mobile_entry(request: Request) -> HTMLResponse:
    """Serve the phone entry: choose a category, then a service, and take a ticket."""
    return _page(request, "mobile_entry.html")


@router.get("/m/t/{ticket_id}", response_class=HTMLResponse, include_in_schema=False)
async def mobile_ticket(request: Request, ticket_id: int) -> HTMLResponse:
    """Serve the resident's own ticket, followed live."""
    return _page(request, "mobile_ticket.html", ticket_id=ticket_id)


@router.get("/m/guide", response_class=HTMLResponse, include_in_schema=False)
async def mobile_guide(request: Request) -> HTMLResponse:
    """Serve the guide of matters: can this be handled here?"""
    return _page(request, "mobile_guide.html")


router.include_router(api_router)
