"""The resident's case page (/m/c/{id}?token=T), opened from the 受理回执's QR code."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from queue_server.app.deps import RuntimeDep
from queue_server.web.pages import templates

router = APIRouter()


@router.get("/m/c/{case_id}", response_class=HTMLResponse, include_in_schema=False)
async def mobile_case(request: Request, rt: RuntimeDep, case_id: int) -> HTMLResponse:
    """Serve the resident's own case, followed live; the token in the address is the key."""
    hall = rt.hall.config.hall
    return templates.TemplateResponse(request, "mobile_case.html", {
        "hall_name": hall.short_name or hall.name, "case_id": case_id})
