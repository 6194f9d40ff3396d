"""The clerk console (/clerk) and the evaluation pad at each window (/pad/{n})."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from queue_server.app.deps import RuntimeDep
from queue_server.core.errors import NotFound
from queue_server.domain.model import PauseReason
from queue_server.web.pages import templates

router = APIRouter(include_in_schema=False)


@router.get("/clerk", response_class=HTMLResponse)
async def clerk_console(request: Request) -> HTMLResponse:
    """Serve the clerk console: log in, open a window, call and serve."""
    # Only reasons from this fixed list are shown publicly (the board, the window screen).
    return templates.TemplateResponse(request, "clerk.html",
                                      {"pause_reasons": [r.value for r in PauseReason]})


@router.get("/pad/{number}", response_class=HTMLResponse)
async def evaluation_pad(number: int, request: Request, rt: RuntimeDep) -> HTMLResponse:
    """Serve the evaluation pad that faces the resident at window `number`."""
    hall = rt.hall
    if not 1 <= number <= len(hall.config.windows):
        raise NotFound(f"没有 {number} 号窗口")
    return templates.TemplateResponse(request, "pad.html", {
        "number": number, "window_name": hall.window_name(number),
        "window_name_en": hall.config.windows[number - 1].name_en})
