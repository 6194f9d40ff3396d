"""The manager's page: live monitor and statistics."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from queue_server.app.deps import PrincipalDep, RuntimeDep
from queue_server.web.pages import templates

router = APIRouter(include_in_schema=False)


@router.get("/manage", response_class=HTMLResponse)
async def manage(request: Request, rt: RuntimeDep, who: PrincipalDep) -> HTMLResponse:
    """Serve the manager's page; ask for a login first, and refuse clerks."""
    if who is None or not who.is_staff:
        mode, status = "login", 200
    elif not who.is_manager:
        mode, status = "forbidden", 403
    else:
        mode, status = "manage", 200
    return templates.TemplateResponse(request, "manage.html", {
        "mode": mode, "hall_name": rt.hall.config.hall.name,
        "user": who.display_name or who.username if who else None,
        "sla_minutes": rt.hall.config.settings.sla_seconds // 60,
        "today": rt.hall.day(rt.clock()).isoformat(),
        "role": who.role if who is not None and mode == "manage" else "",
        # The provider's name only (log, aliyun, tencent, http): never a credential.
        "sms_provider": rt.hall.config.settings.sms.provider,
        "appt_share": rt.hall.config.settings.appointments.share,
        "appt_bonus_minutes": rt.hall.config.settings.appointments.bonus_seconds // 60,
        # The county calendar editor: for county-wide admins only (the PUT refuses anyone else too).
        "county_admin": mode == "manage" and who is not None and who.county_wide and who.role == "admin",
    }, status_code=status)
