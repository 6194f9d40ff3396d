"""The county page: every hall's live state and month, ranked, with alerts (county managers and admins)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from queue_server.app.deps import CountyDep, PrincipalDep
from queue_server.web.pages import templates

router = APIRouter(include_in_schema=False)

# Placeholder: the seed names no target share for the county's alert; the page lets a manager change it.
SLA_ALERT_PCT = 80
POLL_SECONDS = 5


@router.get("/county", response_class=HTMLResponse)
async def county_page(request: Request, county: CountyDep, who: PrincipalDep) -> HTMLResponse:
    """Serve the county page; ask for a login first, and refuse anyone but county managers and admins."""
    if who is None or not (who.is_staff or who.kind == "foreign"):
        mode, status = "login", 200
    elif not (who.is_manager and who.county_wide):
        mode, status = "forbidden", 403  # a hall's own staff, here or from another hall
    else:
        mode, status = "county", 200
    default = county.default.hall
    return templates.TemplateResponse(request, "county.html", {
        "mode": mode,
        "user": (who.display_name or who.username) if who else None,
        "is_admin": who is not None and who.county_wide and who.role == "admin",
        "today": default.day(county.clock()).isoformat(),
        "sla_alert_pct": SLA_ALERT_PCT, "poll_seconds": POLL_SECONDS,
    }, status_code=status)
