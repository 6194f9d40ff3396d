"""The village agent's page (/agent): find a matter, submit cases for residents, follow them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from queue_server.app.deps import RuntimeDep
from queue_server.web.pages import templates

router = APIRouter(include_in_schema=False)


@router.get("/agent", response_class=HTMLResponse)
async def agent_page(request: Request, rt: RuntimeDep) -> HTMLResponse:
    """Serve the agent's page; it logs in and reads everything through the API."""
    hall = rt.hall.config.hall
    return templates.TemplateResponse(request, "agent.html", {
        "hall_name": hall.short_name or hall.name})
