"""The resident's booking page (/m/book): service, day, slot, name and phone, then a code to keep."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from queue_server.app.deps import RuntimeDep
from queue_server.web.pages import templates

router = APIRouter()


@router.get("/m/book", response_class=HTMLResponse, include_in_schema=False)
async def mobile_book(request: Request, rt: RuntimeDep) -> HTMLResponse:
    """Serve the booking page; it needs no hall pass (a booking is made from home)."""
    hall = rt.hall.config.hall
    settings = rt.hall.config.settings.appointments
    return templates.TemplateResponse(request, "mobile_book.html", {
        "hall_name": hall.short_name or hall.name, "days_ahead": settings.days_ahead,
        "enabled": settings.enabled, "today": rt.hall.local_date(rt.clock()).isoformat()})
