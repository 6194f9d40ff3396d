"""呼叫导办员 and ID-card endpoints: a kiosk calls a guide or reads a card; staff answer the calls."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlmodel import Session

from queue_server.app.deps import CallerDep, RowId, RuntimeDep, StaffDep
from queue_server.db.uow import UnitOfWork
from queue_server.domain.privacy import mask_name
from queue_server.help import queries, service
from queue_server.help.models import HelpBody, HelpPublic, Identified, IdentifyBody
from queue_server.tickets.identity import issue_token

router = APIRouter(tags=["help"])
StatusParam = Annotated[str, Query(pattern=r"^(open|requested|acknowledged|resolved|all)$",
                                   description="open = requested or acknowledged")]


@router.post("/api/kiosk/help", status_code=201, response_model=HelpPublic,
             responses={200: {"description": "this kiosk's call that is still open", "model": HelpPublic}})
async def call_guide(rt: RuntimeDep, who: CallerDep, response: Response,
                     body: HelpBody | None = None) -> HelpPublic:
    """Call a guide to this kiosk (呼叫导办员); while its call is open, return that one (200)."""
    now, reason = rt.clock(), body.reason if body else None
    service.require_kiosk(who)

    def run(uow: UnitOfWork) -> tuple[HelpPublic, bool]:
        row, created = service.request(uow, reason=reason, who=who, now=now)
        return queries.help_public(row, rt.hall), created

    view, created = await rt.db.write(run)
    if not created:
        response.status_code = 200
    return view


@router.get("/api/kiosk/help/{help_id}", response_model=HelpPublic)
async def kiosk_help(help_id: RowId, rt: RuntimeDep, who: CallerDep) -> HelpPublic:
    """Return a call to the kiosk that made it (its fallback when a /ws/hall event was missed)."""
    kiosk = service.require_kiosk(who)
    return await rt.db.read(lambda s: queries.for_kiosk(s, rt.hall, help_id, kiosk))


@router.get("/api/help", response_model=list[HelpPublic])
async def list_help(rt: RuntimeDep, _: StaffDep, status: StatusParam = "open") -> list[HelpPublic]:
    """List the calls for a guide: the open ones (requested or acknowledged) oldest first."""
    return await rt.db.read(lambda s: queries.listing(s, rt.hall, status))


@router.post("/api/help/{help_id}/ack", response_model=HelpPublic)
async def acknowledge(help_id: RowId, rt: RuntimeDep, who: StaffDep) -> HelpPublic:
    """Say a guide is on the way; the kiosk shows 「导办员马上就到」."""
    now = rt.clock()
    return await rt.db.write(lambda uow: queries.help_public(
        service.acknowledge(uow, help_id=help_id, who=who, now=now), rt.hall))


@router.post("/api/help/{help_id}/resolve", response_model=HelpPublic)
async def resolve(help_id: RowId, rt: RuntimeDep, who: StaffDep) -> HelpPublic:
    """Close a call once the resident was helped."""
    now = rt.clock()
    return await rt.db.write(lambda uow: queries.help_public(
        service.resolve(uow, help_id=help_id, who=who, now=now), rt.hall))


@router.post("/api/kiosk/identify", response_model=Identified)
async def identify(body: IdentifyBody, rt: RuntimeDep, who: CallerDep) -> Identified:
    """Read an ID card: its holder's appointments to check in now and cases ready to collect."""
    kiosk = service.require_kiosk(who)
    now = rt.clock()
    holder = queries.card_holder(rt.hall, name=body.name, id_number=body.id_number, now=now)

    def run(session: Session) -> Identified:
        return Identified(
            identity=issue_token(rt.hall.secret, hall=rt.hall.code, device=kiosk, holder=holder, now=now,
                                 ttl=timedelta(seconds=rt.settings.identity_ttl_seconds)),
            name_masked=mask_name(holder.name),
            appointments=queries.card_appointments(session, rt.hall, holder, now),
            cases_ready=queries.cases_ready(session, rt.hall, holder))

    return await rt.db.read(run)
