"""The resident's 「办不成事」反映 page (/m/feedback), reached from the guide and the board's QR."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from queue_server.app.deps import RuntimeDep
from queue_server.web.pages import templates

router = APIRouter()


@router.get("/m/feedback", response_class=HTMLResponse, include_in_schema=False)
async def mobile_feedback(request: Request, rt: RuntimeDep) -> HTMLResponse:
    """Serve the short form for reporting a matter that could not be done here."""
    hall = rt.hall.config.hall
    return templates.TemplateResponse(request, "mobile_feedback.html", {
        "hall_name": hall.short_name or hall.name,
        "feedback_days": rt.hall.config.settings.feedback_days})
