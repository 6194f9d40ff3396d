"""Public catalogue and guide."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy import func
from sqlmodel import Session, select

from queue_server.catalog.service import catalog, search_guide
from queue_server.deps import RuntimeDep
from queue_server.tickets.models import Ticket
from queue_server.windows.models import WindowState

router = APIRouter(prefix="/api", tags=["catalogue"])


def waiting_by_service(session: Session, hall: str) -> dict[str, int]:
    """Count waiting tickets per service."""
    rows = session.exec(
        select(Ticket.service, func.count()).where(Ticket.hall == hall, Ticket.status == "waiting")
        .group_by(Ticket.service)
    ).all()
    return {s: int(n) for s, n in rows}


def window_statuses(session: Session, hall: str) -> dict[int, str]:
    """Return each window's status."""
    return {n: st for n, st in session.exec(
        select(WindowState.number, WindowState.status).where(WindowState.hall == hall)).all()}


@router.get("/catalog")
async def get_catalog(rt: RuntimeDep) -> dict[str, Any]:
    """Return the categories and services a resident can queue for, with live figures."""
    est = await rt.estimates()
    waiting, statuses = await rt.read(
        lambda s: (waiting_by_service(s, rt.hall.code), window_statuses(s, rt.hall.code)))
    return catalog(rt.hall, waiting, est.services, statuses)


@router.get("/guide")
async def guide(rt: RuntimeDep, q: str = Query(default="", max_length=100)) -> dict[str, Any]:
    """Search the guide of matters the hall can handle."""
    return {"matters": search_guide(rt.hall, q)}
